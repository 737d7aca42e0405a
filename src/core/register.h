/*
** register.h: the threat register (incidents, act_register.c) and the
** disputes between members with their de-escalation steps (act_dispute.c),
** private to libentente.
**
** An incident is a fact: `KG incident id=I category=border-clash other=TJ
** dead=N "text"`. It is recorded as it happened and never refused; only a
** malformed line is an error. Each incident is counted in one region of
** collective security (East European, Caucasian, Central Asian), given with
** region= or derived from its state (ent__region_of_state); Russia belongs to
** all three, so an incident in Russia must say region=.
**
** A dispute is between two members and is opened on an incident between
** them (`SG dispute id=D parties=KG,TJ incident=I`); de-escalation steps
** follow with their dates (`SG contact D`, `D consultations`, `D ceasefire`,
** `D protocol`, `D monitoring-mission`, `D delimitation-commission`,
** `D settled`), in any order, but none after `settled` (rule disputes).
** The rule also refuses a deploy proposal whose against= names a member
** (Treaty art. 1: no use of force among the parties) and, under the switch
** dispute.parties-vote=no, takes the members in an open dispute with a
** proposal's host out of its vote.
*/
#ifndef ENT_REGISTER_H
#define ENT_REGISTER_H

#include "state.h"

/* Categories of incidents, in the order the register lists them. */
enum ent_inc_cat {
    ENT_INC_TERRORISM = 0,
    ENT_INC_EXTREMISM,
    ENT_INC_DRUG_TRAFFICKING,
    ENT_INC_ILLEGAL_MIGRATION,
    ENT_INC_CYBERCRIME,
    ENT_INC_CROSS_BORDER_CRIME,
    ENT_INC_ARMED_AGGRESSION,
    ENT_INC_MASS_UNREST,
    ENT_INC_BORDER_CLASH,
    ENT_INC_NCATS
};
const char *ent__inc_cat_name(int cat);            /* "border-clash" */

/* Regions of collective security; ENT_REGION_NONE for a state in none. */
enum ent_region {
    ENT_REGION_NONE = 0,
    ENT_REGION_EAST_EUROPEAN,
    ENT_REGION_CAUCASIAN,
    ENT_REGION_CENTRAL_ASIAN,
    ENT_REGION_N
};
const char *ent__region_name(int region);          /* "central-asian"; "none" */
/* The regions of a state as a bit set (1 << region); 0 for none. */
unsigned ent__region_of_state(const ent_world *w, ent_state_id st);

typedef struct ent_incident {
    ent_sym id;
    ent_date date;
    ent_state_id state;                  /* where, or whose: the subject */
    ent_state_id other;                  /* the second state involved, -1 none */
    uint8_t category;                    /* enum ent_inc_cat */
    uint8_t region;                      /* enum ent_region */
    uint8_t region_given;                /* region= was written (else derived) */
    int8_t severity;                     /* 0..10, -1 not given */
    int32_t dead, injured;               /* -1 not given */
    int32_t dispute;                     /* index into disputes (dispute=), -1 none */
    ent_sym text;
} ent_incident;

/* De-escalation steps, in the order the register lists them. */
enum ent_dstep_kind {
    ENT_DS_OPENED = 0,
    ENT_DS_CONTACT,
    ENT_DS_CONSULTATIONS,
    ENT_DS_CEASEFIRE,
    ENT_DS_PROTOCOL,
    ENT_DS_MONITORING_MISSION,
    ENT_DS_DELIMITATION_COMMISSION,
    ENT_DS_SETTLED,
    ENT_DS_N
};
const char *ent__dstep_name(int step);             /* "monitoring-mission" */

typedef struct ent_dispute {
    ent_sym id;
    ent_date opened;
    ent_state_id a, b;                   /* the parties, as written */
    int8_t opener;                       /* body index, or -1 for the SG */
    int8_t severity;                     /* -1 not given */
    int32_t incident;                    /* index into incidents: the opening incident */
    ent_date settled;                    /* NONE while open */
    ent_sym text;
} ent_dispute;

typedef struct ent_dstep {
    int32_t dispute;                     /* index into disputes */
    ent_date date;
    uint8_t step;                        /* enum ent_dstep_kind */
    int8_t by;                           /* ENT_DS_CONTACT: body index, -1 the SG */
    ent_sym text;
} ent_dstep;

typedef struct ent_adversary {           /* the against= of a deploy proposal */
    int32_t proposal;
    ent_state_id state;
} ent_adversary;

/* A dispute is open on d: opened on or before d and not settled by d. */
int ent__dispute_open_on(const ent_dispute *x, ent_date d);
/* The last step of dispute i dated on or before d (the opening if none). */
const ent_dstep *ent__dispute_last_step(const ent_inst *s, int32_t i, ent_date d);
/* Members in a dispute with st that is open on d: a bit per state. */
uint64_t ent__dispute_opponents(const ent_inst *s, ent_state_id st, ent_date d);
/* Casualties of dispute i: the sums over its incidents dated on or before
** d (the opening one and those linked with dispute=); -1 where none gives a
** figure. */
void ent__dispute_casualties(const ent_inst *s, int32_t i, ent_date d, int32_t *dead, int32_t *injured);

#endif /* ENT_REGISTER_H */
