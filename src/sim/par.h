/*
** par.h: the simulator's processes under mpirun (Open MPI; par.c).
**
** `mpirun -np K entente simulate|sweep ...` starts K copies of entente. Each
** finds its rank and the number of processes in the environment mpirun sets
** (OMPI_COMM_WORLD_RANK, OMPI_COMM_WORLD_SIZE): no MPI call is needed for
** that, so a run without mpirun, or with one process, makes no MPI call at
** all. With more than one process, sim_par_init() calls MPI_Init.
**
** What goes between processes are a counter that deals the runs (or the
** sweep's cells) to whichever process asks first, and the integer aggregates
** (sim_agg), whose sums do not depend on the order they are added in nor on
** who played which run: the output is the same bytes whatever the number of
** processes and however the runs were dealt.
*/
#ifndef ENT_SIM_PAR_H
#define ENT_SIM_PAR_H

#include "sim.h"

/* From the environment only: rank 0 and size 1 outside mpirun. */
void sim_par_env(int *rank, int *size);
/* A rank above 0 sends its standard output and error to /dev/null: what every
** rank would print alike (usage errors, the summary) is printed once, by
** rank 0. */
void sim_par_quiet(void);
/* MPI_Init when size > 1; 0, or -1 with a message in err (entente was built
** without MPI, or MPI_Init failed). */
int sim_par_init(int size, char *err, size_t errsz);
/* MPI_Finalize if sim_par_init started MPI. */
void sim_par_finalize(void);
/* Kill every process of the job (MPI_Abort) with this status. */
void sim_par_abort(int status);

/* Runs dealt to the processes in chunks as they ask for them (simulate; the
** sweep deals its cells one by one, from its main thread): a 64-bit counter
** in an MPI window on rank 0, which every thread of every process advances
** with MPI_Fetch_and_op (passive target, under MPI_Win_lock_all). MPI_Init
** asks for MPI_THREAD_SERIALIZED, and a mutex here lets one thread of a
** process call MPI at a time. The window is shared memory
** (MPI_Win_allocate_shared; Open MPI's osc/sm), so rank 0 need not answer:
** only when every process is on one node. Collective: every rank calls
** open, then close. open: 0; 1 if the processes are on several nodes or MPI
** gave a lower thread level, and every rank then keeps to fixed shares; -1
** on an MPI error. */
int sim_par_deal_open(uint64_t first);
/* A sim_take_fn (sim.h): the first run of the next n (ud unused). */
uint64_t sim_par_deal_take(void *ud, uint64_t n);
/* 0, or -1 if a take or closing the window failed. */
int sim_par_deal_close(void);

/* The sum of every rank's aggregate into rank 0's (MPI_Reduce); 0 or -1. */
int sim_par_reduce(sim_agg *a, int rank);
/* rank 0's value to every rank (MPI_Bcast); 0 or -1. */
int sim_par_bcast_u64(uint64_t *v);

/* Messages to rank 0 (sweep): a cell's aggregate, and "done". A rank above 0
** queues its sends (a few at a time: it goes on computing while rank 0 is
** busy); the aggregate is copied, so the caller may reuse it at once. */
enum { SIM_MSG_CELL = 1, SIM_MSG_DONE = 2, SIM_MSG_STOP = 3 };
int sim_par_send_cell(uint64_t cell, const sim_agg *a);
/* Wait for the queued sends, then send "done" with a status. */
int sim_par_send_done(int status);
/* rank 0: a waiting message if there is one (never blocks): 1 and *kind
** (SIM_MSG_CELL: *cell and *a filled; SIM_MSG_DONE: *status), 0 if none,
** -1 on an MPI error. */
int sim_par_poll(int *kind, int *from, uint64_t *cell, sim_agg *a, int *status);
/* rank 0 to a rank: stop computing. */
int sim_par_send_stop(int to);
/* A rank above 0: has rank 0 said stop? (never blocks) */
int sim_par_stopped(void);

#endif /* ENT_SIM_PAR_H */
