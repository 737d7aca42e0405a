/*
** par.c: the simulator's processes under mpirun (par.h). Built with Open MPI
** when the Makefile finds it (ENT_MPI); without it, one process only, and
** mpirun with more than one is refused rather than run K times over.
*/
#include "par.h"

#include <pthread.h>
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

static int started, thread_level;

int sim_par_init(int size, char *err, size_t errsz)
{
    if (size <= 1) return 0;
    int provided, flag = 0;
    MPI_Initialized(&flag);
    if (flag) return 0;
    /* the main thread calls MPI, and the -j threads to take their chunks
    ** (sim_par_deal_take), one at a time */
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS) {
        snprintf(err, errsz, "MPI_Init failed");
        return -1;
    }
    started = 1;
    thread_level = provided;
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

static MPI_Win deal_win = MPI_WIN_NULL;
static pthread_mutex_t deal_mu = PTHREAD_MUTEX_INITIALIZER;
static int deal_failed;

int sim_par_deal_open(uint64_t first)
{
    if (!started) return 1;
    /* the counter is shared memory, which every process changes without rank 0's help
    ** (Open MPI's osc/sm): only when all of them are on one node. Open MPI 4.1 gives
    ** MPI_Win_allocate osc/rdma even on one node, and without hardware atomics a take
    ** then seems to wait for rank 0's next MPI call (two processes ran at half the rate
    ** of one: docs/performance.md); across nodes it would be so too, so the processes
    ** keep to fixed shares there. */
    int world, local = 0, rank;
    MPI_Comm node;
    MPI_Comm_size(MPI_COMM_WORLD, &world);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) != MPI_SUCCESS) return -1;
    MPI_Comm_size(node, &local);
    MPI_Comm_free(&node);
    /* every rank deals, or none: the answers are the same on all, but not by promise */
    int can = thread_level >= MPI_THREAD_SERIALIZED && local == world, all = 0;
    if (MPI_Allreduce(&can, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD) != MPI_SUCCESS) return -1;
    if (!all) return 1;
    uint64_t *base = NULL;
    if (MPI_Win_allocate_shared(rank == 0 ? (MPI_Aint)sizeof(uint64_t) : 0, sizeof(uint64_t), MPI_INFO_NULL,
                                MPI_COMM_WORLD, &base, &deal_win) != MPI_SUCCESS)
        return -1;
    int rc = 0;
    if (rank == 0) { /* the counter's start, written under an exclusive lock before anyone takes */
        if (MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, deal_win) != MPI_SUCCESS) rc = -1;
        else {
            *base = first;
            if (MPI_Win_unlock(0, deal_win) != MPI_SUCCESS) rc = -1;
        }
    }
    if (MPI_Barrier(MPI_COMM_WORLD) != MPI_SUCCESS) rc = -1;
    if (!rc && MPI_Win_lock_all(MPI_MODE_NOCHECK, deal_win) != MPI_SUCCESS) rc = -1;
    if (rc) {
        MPI_Win_free(&deal_win);
        return -1;
    }
    deal_failed = 0;
    return 0;
}

uint64_t sim_par_deal_take(void *ud, uint64_t n)
{
    (void)ud;
    uint64_t got = UINT64_MAX;
    pthread_mutex_lock(&deal_mu);
    if (deal_failed || MPI_Fetch_and_op(&n, &got, MPI_UINT64_T, 0, 0, MPI_SUM, deal_win) != MPI_SUCCESS ||
        MPI_Win_flush(0, deal_win) != MPI_SUCCESS) {
        deal_failed = 1;
        got = UINT64_MAX;
    }
    pthread_mutex_unlock(&deal_mu);
    return got;
}

int sim_par_deal_close(void)
{
    if (deal_win == MPI_WIN_NULL) return deal_failed ? -1 : 0;
    int rc = deal_failed ? -1 : 0;
    if (MPI_Win_unlock_all(deal_win) != MPI_SUCCESS) rc = -1;
    if (MPI_Win_free(&deal_win) != MPI_SUCCESS) rc = -1;
    deal_win = MPI_WIN_NULL;
    return rc;
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
int sim_par_deal_open(uint64_t first) { return (void)first, 1; }
uint64_t sim_par_deal_take(void *ud, uint64_t n) { return (void)ud, (void)n, UINT64_MAX; }
int sim_par_deal_close(void) { return 0; }
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
