/*
** par.c: the simulator's processes under mpirun (par.h). Built with Open MPI
** when the Makefile finds it (ENT_MPI); without it, one process only, and
** mpirun with more than one is refused rather than run K times over.
*/
#include "par.h"

#include <stdlib.h>
#include <string.h>

#ifdef ENT_MPI
#include <mpi.h>
#endif

void sim_par_env(int *rank, int *size)
{
    const char *r = getenv("OMPI_COMM_WORLD_RANK"), *s = getenv("OMPI_COMM_WORLD_SIZE");
    long rv = r ? strtol(r, NULL, 10) : 0, sv = s ? strtol(s, NULL, 10) : 1;
    *size = sv >= 1 && sv <= 1 << 20 ? (int)sv : 1;
    *rank = rv >= 0 && rv < *size ? (int)rv : 0;
}

void sim_par_quiet(void)
{
    if (!freopen("/dev/null", "w", stdout)) fclose(stdout);
    if (!freopen("/dev/null", "w", stderr)) fclose(stderr);
}

#define AGG_WORDS (sizeof(sim_agg) / sizeof(uint64_t))
_Static_assert(sizeof(sim_agg) % sizeof(uint64_t) == 0, "sim_agg is made of uint64_t only");

#ifdef ENT_MPI

static int started;

int sim_par_init(int size, char *err, size_t errsz)
{
    if (size <= 1) return 0;
    int provided, flag = 0;
    MPI_Initialized(&flag);
    if (flag) return 0;
    /* only the main thread calls MPI; the -j threads compute */
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        snprintf(err, errsz, "MPI_Init failed");
        return -1;
    }
    started = 1;
    int n;
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    if (n != size) {
        snprintf(err, errsz, "MPI has %d processes, OMPI_COMM_WORLD_SIZE says %d", n, size);
        return -1;
    }
    return 0;
}

/* Sends to rank 0 in flight, each with its own copy of the message. */
#define SLOTS 8
static uint64_t *slot_buf[SLOTS];
static MPI_Request slot_req[SLOTS];
static int slot_used[SLOTS], slot_next;
static uint64_t *recv_buf;     /* rank 0: a message being received */

static int wait_all(void)
{
    int rc = 0;
    for (int i = 0; i < SLOTS; i++) {
        if (slot_used[i] && MPI_Wait(&slot_req[i], MPI_STATUS_IGNORE) != MPI_SUCCESS) rc = -1;
        slot_used[i] = 0;
    }
    return rc;
}

void sim_par_finalize(void)
{
    if (!started) return;
    wait_all();
    for (int i = 0; i < SLOTS; i++) free(slot_buf[i]), slot_buf[i] = NULL;
    free(recv_buf);
    recv_buf = NULL;
    MPI_Finalize();
    started = 0;
}

void sim_par_abort(int status)
{
    if (started) MPI_Abort(MPI_COMM_WORLD, status);
}

int sim_par_reduce(sim_agg *a, int rank)
{
    if (!started) return 0;
    void *send = rank == 0 ? MPI_IN_PLACE : (void *)a;
    return MPI_Reduce(send, rank == 0 ? (void *)a : NULL, (int)AGG_WORDS, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD) ==
                   MPI_SUCCESS
               ? 0
               : -1;
}

int sim_par_bcast_u64(uint64_t *v)
{
    if (!started) return 0;
    return MPI_Bcast(v, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD) == MPI_SUCCESS ? 0 : -1;
}

int sim_par_send_cell(uint64_t cell, const sim_agg *a)
{
    int i = slot_next;
    slot_next = (slot_next + 1) % SLOTS;
    if (slot_used[i]) {
        if (MPI_Wait(&slot_req[i], MPI_STATUS_IGNORE) != MPI_SUCCESS) return -1;
        slot_used[i] = 0;
    }
    if (!slot_buf[i] && !(slot_buf[i] = malloc((AGG_WORDS + 1) * sizeof(uint64_t)))) return -1;
    slot_buf[i][0] = cell;
    memcpy(slot_buf[i] + 1, a, sizeof *a);
    if (MPI_Isend(slot_buf[i], (int)AGG_WORDS + 1, MPI_UINT64_T, 0, SIM_MSG_CELL, MPI_COMM_WORLD, &slot_req[i]) !=
        MPI_SUCCESS)
        return -1;
    slot_used[i] = 1;
    return 0;
}

int sim_par_send_done(int status)
{
    int rc = wait_all();
    uint64_t v = (uint64_t)status;
    if (MPI_Send(&v, 1, MPI_UINT64_T, 0, SIM_MSG_DONE, MPI_COMM_WORLD) != MPI_SUCCESS) rc = -1;
    return rc;
}

int sim_par_poll(int *kind, int *from, uint64_t *cell, sim_agg *a, int *status)
{
    uint64_t *buf = recv_buf;
    int flag = 0;
    MPI_Status st;
    if (MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st) != MPI_SUCCESS) return -1;
    if (!flag) return 0;
    *from = st.MPI_SOURCE;
    *kind = st.MPI_TAG;
    if (st.MPI_TAG == SIM_MSG_CELL) {
        if (!buf && !(buf = recv_buf = malloc((AGG_WORDS + 1) * sizeof(uint64_t)))) return -1;
        if (MPI_Recv(buf, (int)AGG_WORDS + 1, MPI_UINT64_T, st.MPI_SOURCE, SIM_MSG_CELL, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE) != MPI_SUCCESS)
            return -1;
        *cell = buf[0];
        memcpy(a, buf + 1, sizeof *a);
        return 1;
    }
    uint64_t v;
    if (MPI_Recv(&v, 1, MPI_UINT64_T, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE) != MPI_SUCCESS)
        return -1;
    *status = (int)v;
    return 1;
}

int sim_par_send_stop(int to)
{
    uint64_t v = 0;
    return MPI_Send(&v, 1, MPI_UINT64_T, to, SIM_MSG_STOP, MPI_COMM_WORLD) == MPI_SUCCESS ? 0 : -1;
}

int sim_par_stopped(void)
{
    static int stopped;
    int flag = 0;
    if (stopped || !started) return stopped;
    if (MPI_Iprobe(0, SIM_MSG_STOP, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE) == MPI_SUCCESS && flag) {
        uint64_t v;
        MPI_Recv(&v, 1, MPI_UINT64_T, 0, SIM_MSG_STOP, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        stopped = 1;
    }
    return stopped;
}

#else /* no MPI: one process */

int sim_par_init(int size, char *err, size_t errsz)
{
    if (size <= 1) return 0;
    snprintf(err, errsz, "this entente was built without MPI: run it without mpirun (-j THREADS spreads the "
                         "runs over threads)");
    return -1;
}
void sim_par_finalize(void) {}
void sim_par_abort(int status) { (void)status; }
int sim_par_reduce(sim_agg *a, int rank) { return (void)a, (void)rank, 0; }
int sim_par_bcast_u64(uint64_t *v) { return (void)v, 0; }
int sim_par_send_cell(uint64_t cell, const sim_agg *a) { return (void)cell, (void)a, -1; }
int sim_par_send_done(int status) { return (void)status, -1; }
int sim_par_poll(int *kind, int *from, uint64_t *cell, sim_agg *a, int *status)
{
    (void)kind, (void)from, (void)cell, (void)a, (void)status;
    return 0;
}
int sim_par_send_stop(int to) { return (void)to, -1; }
int sim_par_stopped(void) { return 0; }

#endif
