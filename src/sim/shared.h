/*
** shared.h: what `entente simulate` (cli_sim.c) and `entente sweep`
** (sweep.c) share (shared.c), and the sweep command.
*/
#ifndef ENT_SIM_SHARED_H
#define ENT_SIM_SHARED_H

#include "sim.h"

extern const char *const sim_kind_names[4];   /* by ent_frame.kind */
extern const char *const sim_rule_names[3];   /* by ent_frame.rule */

typedef struct sim_interval {
    double p, lo, hi;
} sim_interval;

/* Wilson's interval for k successes in n, at 95%. */
sim_interval sim_wilson(uint64_t k, uint64_t n);
/* FNV-1a of the parameters in use: names, values, sources. */
uint64_t sim_params_digest(const sim_params *ps);

/* Header lines (each starts with lead, e.g. "# " in a CSV file):
**   entente VERSION CMD: KZ asks for help (unrest, severity 0.50) on 2022-01-05
**   charter CSTO: CSC decides, consensus (limited format allowed), quorum 1; force ...; switches ... */
void sim_header_crisis(FILE *o, const char *lead, const char *cmd, const ent_frame *f, double severity, int drawn);
/* "asks for help", "may ask for help" (drawn), "asks for consultations", "does not ask for help". */
const char *sim_asks(const ent_frame *f, int drawn);
/* --request assistance|consultations|none|model: the crisis's request (for
** ent_crisis) and whether the model draws it; 0, or -1 for another word. */
int sim_request_arg(const char *arg, const char **request, int *drawn);
/* A line on the request, when it is not simply given: what the host asks
** for, the model's probability, the proposal without it. */
void sim_print_request(FILE *o, const char *lead, const ent_frame *f, const sim_model *m, int drawn);
void sim_header_charter(FILE *o, const char *lead, const ent_frame *f, const char *const *sets, int nsets);

/* A whole file, NUL-terminated; NULL with errno on failure. */
char *sim_read_file(const char *path, size_t *len);
/* The built-in data/models.conf, then FILE's values over it (FILE may be
** NULL). 0, or the exit status with the message printed as "PROG CMD: ...". */
int sim_load_params(sim_params *ps, const char *file, const char *prog, const char *cmd);

/* `entente sweep` (sweep.c). */
int sim_sweep_main(const char *prog, int argc, char **argv);

#endif /* ENT_SIM_SHARED_H */
