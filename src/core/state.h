/*
** state.h: the institution state, private to libentente.
**
** An ent_inst is the fold of a journal: memberships over time, chairs,
** Secretaries General, requests, proposals with their votes, deployments with
** their contingents, and the breaches flagged on facts. ent__inst_apply()
** validates one statement against the charter and, when it is valid,
** records it; an invalid act changes nothing.
**
** Invariant (time): validating an act dated d reads only what is dated d or
** earlier. So the state on a date D is the fold of the events dated <= D in
** journal order (src/api replays exactly that), and an event that was valid
** in the full journal is valid in every such prefix.
**
** Everything is held in flat vectors indexed by small integers: states by
** ent_state_id, names of records by symbol (ent_sym), records by their index
** in their own vector. ent__inst_clone() copies the whole state (the check
** and run commands apply a file to a clone and keep it only if every line
** is valid); ent__inst_digest() hashes a canonical serialization.
*/
#ifndef ENT_STATE_H
#define ENT_STATE_H

#include "core.h"
#include "../util/util.h"

typedef uint32_t ent_sym;                /* 0 = none; an interned string */

enum ent_mstatus {                       /* a state's standing on a date */
    ENT_MS_NONE = 0,                     /* never a member */
    ENT_MS_MEMBER,
    ENT_MS_FROZEN,                       /* member, takes no part */
    ENT_MS_SUSPENDED,
    ENT_MS_FORMER,
    ENT_MS_OBSERVER,                     /* not a member: studies the organization (Charter art. 21) */
    ENT_MS_PARTNER                       /* not a member: takes part in actions (Charter art. 4) */
};
const char *ent__mstatus_name(int ms);

typedef struct ent_mchange {
    ent_date date;
    ent_state_id state;
    uint8_t status;                      /* enum ent_mstatus */
} ent_mchange;

enum ent_chair_kind { ENT_CHAIR_REGULAR = 0, ENT_CHAIR_TEMPORARY, ENT_CHAIR_EXCEPTION };

typedef struct ent_chairing {
    ent_date date;
    ent_state_id state;
    uint8_t kind;                        /* enum ent_chair_kind */
} ent_chairing;

typedef struct ent_sgterm {
    ent_date from, to;                   /* to: planned end (NONE: open, for acting) */
    ent_date ended;                      /* recalled on (NONE if not) */
    ent_state_id state;                  /* -1 unknown */
    uint8_t acting;
    ent_sym name;
} ent_sgterm;

typedef struct ent_recommendation {
    ent_date date;
    ent_state_id state;
    uint8_t used;
} ent_recommendation;

enum ent_req_status { ENT_REQ_OPEN = 0, ENT_REQ_ANSWERED };

typedef struct ent_request {
    ent_sym id;
    ent_date date;
    ent_state_id state;                  /* the requesting member = the territory */
    ent_sym kind;                        /* "assistance", "consultations" */
    ent_sym article;
    ent_sym text;
    uint8_t status;
} ent_request;

typedef struct ent_authorization {       /* a UN Security Council decision */
    ent_sym id;
    ent_date date;
    ent_state_id host;
    ent_sym text;
} ent_authorization;

enum ent_vote { ENT_VOTE_NONE = 0, ENT_VOTE_YES, ENT_VOTE_NO, ENT_VOTE_ABSTAIN, ENT_VOTE_OUT };
const char *ent__vote_name(int v);

enum ent_prop_status {
    ENT_PROP_OPEN = 0,
    ENT_PROP_ADOPTED,                    /* every member that takes part said yes */
    ENT_PROP_LIMITED,                    /* adopted in a limited format: binds only the yes */
    ENT_PROP_BLOCKED,                    /* an official objection */
    ENT_PROP_LAPSED                      /* closed without enough consent */
};
const char *ent__prop_status_name(int s);

enum ent_prop_kind { ENT_PK_DEPLOY = 0, ENT_PK_BASE, ENT_PK_APPOINT,
                     ENT_PK_ADMIT,       /* act_members.c: admission of `third` */
                     ENT_PK_DOCUMENT };  /* act_members.c: a declaration or decision (kind) */

typedef struct ent_proposal {
    ent_sym id;
    uint8_t pkind;                       /* enum ent_prop_kind */
    ent_state_id third;                  /* ENT_PK_BASE: the state that would have the base;
                                            ENT_PK_APPOINT: the Secretary General's state */
    ent_date term_from, term_to;         /* ENT_PK_APPOINT: the term */
    ent_date established;                /* ENT_PK_BASE: the base was set up (fact), NONE */
    ent_date date;
    int8_t body;                         /* index into charter->bodies */
    ent_sym kind;                        /* "deploy" */
    ent_state_id host;
    int8_t force;                        /* index into charter->forces, -1 none */
    int32_t request;                     /* index into requests, -1 none */
    int32_t mandate;                     /* index into authorizations, -1 none */
    int32_t days;                        /* mandate period, 0 = not fixed */
    ent_sym text;
    uint64_t eligible;                   /* bit per state id: takes part */
    uint64_t voted;                      /* bit per state id: has voted */
    uint8_t votes[ENT_MAX_STATES];       /* enum ent_vote */
    uint8_t status;                      /* enum ent_prop_status */
    ent_date closed;                     /* NONE while open */
    ent_date last_vote;                  /* the latest vote's date (NONE before any) */
    /* deployment (an adopted deploy proposal) */
    int32_t troops;                      /* sum of contributions */
    ent_date complete;                   /* declared complete by the host (NONE) */
    ent_date un_notice;                  /* UN Security Council notified (NONE) */
    int32_t first_contrib;               /* index into contribs, -1 none */
    uint64_t parties;                    /* bit per state: parties to the dispute (parties=) */
    int32_t session;                     /* index + 1 into sessions (session=), 0 none */
} ent_proposal;

typedef struct ent_contrib {
    int32_t proposal;
    ent_state_id state;
    int32_t troops;
    ent_date date;
    ent_date arrived, left;              /* NONE until the fact is recorded */
    int32_t next;                        /* next contribution of the same proposal, -1 */
} ent_contrib;

typedef struct ent_transit {
    int32_t proposal;
    ent_state_id state;                  /* whose contingent */
    ent_date date;
    ent_state_id via[8];                 /* states crossed, in order */
    uint8_t nvia;
} ent_transit;

typedef struct ent_consent {             /* a state's consent to a transit or a base */
    int32_t proposal;
    ent_state_id state;
    ent_date date;
} ent_consent;

typedef struct ent_session {             /* a session of a body, convened by the chair */
    ent_date date;
    int8_t body;
    ent_state_id chair;
    uint8_t extraordinary;
    ent_sym text;
    ent_sym id;                          /* id= (act_members.c), 0 none */
    uint8_t video;                       /* mode=video (else in person) */
    uint64_t attended;                   /* bit per state: members present */
    uint64_t absent;                     /* bit per state: members that stayed out */
} ent_session;

/* Membership procedures (act_members.c). */
typedef struct ent_application {         /* XX apply: a state asks to be admitted */
    ent_date date;
    ent_state_id state;
    ent_sym text;
    ent_date decided;                    /* admitted on (NONE while pending) */
} ent_application;

typedef struct ent_withdrawal {          /* XX notify-withdrawal: notice of withdrawal */
    ent_date date;
    ent_state_id state;
    ent_date effective;                  /* former from this date (notice + switch months) */
    ent_sym text;
} ent_withdrawal;

typedef struct ent_breach {
    ent_date date;
    const char *rule;                    /* static rule id */
    int32_t proposal;                    /* -1 none */
    ent_state_id state;                  /* -1 none */
    char msg[200];
} ent_breach;

enum ent_rec_kind { ENT_REC_NONE = 0, ENT_REC_REQUEST, ENT_REC_PROPOSAL, ENT_REC_UNSC,
                    ENT_REC_EXERCISE, ENT_REC_OPERATION,
                    ENT_REC_INCIDENT, ENT_REC_DISPUTE,     /* register.h */
                    ENT_REC_SESSION,                       /* act_members.c */
                    ENT_REC_RELATION, ENT_REC_MEETING,     /* portal.h */
                    ENT_REC_CONFERENCE, ENT_REC_REGISTRATION,
                    ENT_REC_ARTICLE, ENT_REC_COMMENT,
                    ENT_REC_MISSION };                     /* act_staff.c */

/* Exercises and standing operations (act_exercise.c). */
typedef struct ent_exercise {
    ent_sym id;
    ent_date date;                       /* recorded (announced) on */
    ent_state_id host;
    uint8_t kind;                        /* index into ent__exercise_kind_name */
    uint8_t by_year;                     /* only the year is known: from/to are its first and last day */
    ent_date from, to;
    uint64_t participants;               /* bit per state: accepted by the host */
    uint64_t observers;                  /* bit per state */
    ent_sym place, name;
    ent_date cancelled;                  /* NONE unless the host cancelled it */
    ent_sym reason;
} ent_exercise;

typedef struct ent_explan {              /* a yearly plan of exercises */
    int32_t year;
    ent_date date;
    int8_t body;
    ent_sym text;
} ent_explan;

typedef struct ent_operation {           /* a standing operation (Kanal, Nelegal) */
    ent_sym id;
    ent_date date;                       /* standing since */
    int8_t body;
    ent_sym kind, name;
} ent_operation;

typedef struct ent_opreport {            /* the reported results of a year */
    int32_t op;                          /* index into operations */
    int32_t year;
    ent_date date;
    ent_sym text;
} ent_opreport;

/* The Joint Staff's chiefs and the CSC's missions (act_staff.c). */
typedef struct ent_chief {               /* a chief of the Joint Staff */
    ent_date date;                       /* appointed on */
    ent_date from;                       /* in office from */
    ent_state_id state;                  /* -1 not given */
    ent_sym name;
} ent_chief;

typedef struct ent_mission {             /* a mission decided by a body: no force, no troops */
    ent_sym id;
    ent_date date;                       /* decided on */
    int8_t body;
    ent_state_id host;
    int32_t request;                     /* index into requests */
    ent_sym lead, text;
    ent_date advance, arrived, complete; /* facts; NONE until recorded */
} ent_mission;

typedef struct ent_note {                /* a dated fact with no rule behind it (act_notes.c) */
    ent_date date;
    ent_sym who;                         /* a state's code, a body's code or SG */
    ent_sym about;                       /* the id of the record it is about, or 0 */
    ent_sym text;
} ent_note;

typedef struct ent_inst {
    const ent_charter *charter;          /* not owned */
    const ent_world *world;              /* not owned */
    /* interned strings: pool of NUL-terminated strings, offsets are ent_sym */
    ent_buf pool;
    /* the symbols, by open addressing at load <= 1/2; a slot also holds the
    ** record an id names, so finding an id's record is one probe */
    struct ent_symslot {
        ent_sym sym;                     /* 0: an empty slot */
        uint32_t hash;                   /* of the symbol's bytes: probes and growth read no pool */
        uint32_t rec;                    /* (kind << 28 | index) + 1 of the record it names, or 0 */
    } *symtab;
    uint32_t symcap, nsyms, nrecs;
    ent_vec members;                     /* ent_mchange, sorted by date (stable) */
    /* standing of every state from ms_last on (the last change's date): the
    ** common query, "on a date after every change", is one array lookup */
    uint8_t ms_now[ENT_MAX_STATES];
    uint64_t ms_active;                  /* bit per state: ms_now is MEMBER */
    /* per state: the latest date of a recorded act that relied on its
    ** standing; a change of standing dated before it is refused, so a
    ** recorded act's basis is never rewritten afterwards */
    ent_date relied[ENT_MAX_STATES];
    ent_date ms_last;
    ent_vec chairs;                      /* ent_chairing, sorted by date */
    ent_date chair_auto_from;            /* from this date the chair changes on 1 January */
    ent_vec sgs;                         /* ent_sgterm, in order */
    ent_vec recs;                        /* ent_recommendation */
    ent_vec requests;                    /* ent_request */
    ent_vec auths;                       /* ent_authorization */
    ent_vec proposals;                   /* ent_proposal */
    ent_vec contribs;                    /* ent_contrib */
    ent_vec breaches;                    /* ent_breach */
    ent_vec transits;                    /* ent_transit */
    ent_vec consents;                    /* ent_consent */
    ent_vec sessions;                    /* ent_session */
    ent_vec applications;                /* ent_application (act_members.c) */
    ent_vec withdrawals;                 /* ent_withdrawal (act_members.c) */
    ent_vec exercises;                   /* ent_exercise (act_exercise.c) */
    ent_vec explans;                     /* ent_explan */
    ent_vec operations;                  /* ent_operation */
    ent_vec opreports;                   /* ent_opreport */
    ent_vec incidents;                   /* ent_incident (register.h, act_register.c) */
    ent_vec disputes;                    /* ent_dispute (register.h, act_dispute.c) */
    ent_vec dsteps;                      /* ent_dstep: de-escalation steps of disputes */
    ent_vec adversaries;                 /* ent_adversary: against= of deploy proposals */
    ent_vec relations, meetings;         /* portal.h: ent_relation, ent_meeting */
    ent_vec conferences, invites, registrations; /* ent_conference, ent_invite, ent_registration */
    ent_vec articles, comments, modlog;  /* ent_article, ent_comment, ent_modlog */
    ent_vec chiefs, missions;            /* ent_chief, ent_mission (act_staff.c) */
    ent_vec notes;                       /* ent_note (act_notes.c) */
    uint64_t transit_parties;            /* bit per state: party to the transit protocols */
    ent_date transit_from;               /* the protocols' date (NONE: none) */
    ent_date last_date;                  /* latest date seen */
#define ENT_VERB_SLOTS 256
    uint16_t verb_slot[ENT_VERB_SLOTS];  /* verb lookup (act.c), not state */
    /* rules, and the keysets of ent__act_check_keys, by the address of
    ** the literal naming them (act.c); caches, not state */
#define ENT_LIT_SLOTS 32
    const char *rl_id[ENT_LIT_SLOTS];
    const struct ent_rule *rl_rule[ENT_LIT_SLOTS];
    const char *ks_id[ENT_LIT_SLOTS];
    ent_keyset ks_set[ENT_LIT_SLOTS];
    /* src= lists of up to 16 bytes found valid lately (act.c): their bytes
    ** as two words and their length; a cache */
#define ENT_SRC_SLOTS 64
    uint64_t sc_w0[ENT_SRC_SLOTS], sc_w1[ENT_SRC_SLOTS];
    uint8_t sc_n[ENT_SRC_SLOTS];
    const char *cm_id[ENT_LIT_SLOTS];    /* ent__act_competence: the bodies competent for a matter */
    uint16_t cm_bodies[ENT_LIT_SLOTS];
    /* the last record looked up by id (act.c), a cache, not state */
    uint8_t rc_kind;
    uint32_t rc_n;
    ent_sym rc_sym;
    int32_t rc_idx;
    ent_date rc_made;                    /* the record's date where record_of checks it, else NONE */
    uint64_t nevents;
} ent_inst;

int ent__inst_init(ent_inst *s, const ent_charter *c, const ent_world *w);
void ent__inst_index_verbs(ent_inst *s);                  /* act.c; called by init */
void ent__inst_free(ent_inst *s);
int ent__inst_clone(ent_inst *dst, const ent_inst *src);  /* 0 ok, -1 oom */

/* Validate and apply one dated statement (not "charter"/"world"). */
int ent__inst_apply(ent_inst *s, const ent_stmt *st, ent_outcome *o);

/* Symbols. */
ent_sym ent__sym(ent_inst *s, const char *p, size_t n);          /* intern; 0 on oom */
ent_sym ent__sym_find(const ent_inst *s, const char *p, size_t n); /* 0 if absent */
ent_sym ent__text(ent_inst *s, const char *p, size_t n);          /* store, not interned */
static inline const char *ent__sym_str(const ent_inst *s, ent_sym y) { return y ? s->pool.p + y : ""; }
/* The record an id names: returns its kind and sets *index. */
int ent__inst_record(const ent_inst *s, const char *id, size_t n, int32_t *index);
/* A new id: the kind of the record it names already (then nothing is
** interned), or ENT_REC_NONE with *sym its symbol, interned (0 on oom). */
int ent__inst_new_id(ent_inst *s, const char *id, size_t n, ent_sym *sym);
/* The same as ent__inst_record, and *sym gets the id's symbol (0 if it is none). */
int ent__inst_record_sym(const ent_inst *s, const char *id, size_t n, int32_t *index, ent_sym *sym);
/* Index the symbol y (from ent__sym) as naming record (kind, index); the
** caller checked it names none yet. 0, or -1 if y is not a symbol. */
int ent__inst_add_record(ent_inst *s, ent_sym y, int kind, int32_t index);

/* Queries on a date. */
int ent__inst_mstatus_before(const ent_inst *s, ent_state_id st, ent_date d);
static inline int ent__inst_mstatus(const ent_inst *s, ent_state_id st, ent_date d)
{
    return d >= s->ms_last ? s->ms_now[st] : ent__inst_mstatus_before(s, st, d);
}
/* Record a change of standing on date d (kept in date order). 0 or -1 (oom). */
int ent__inst_set_mstatus(ent_inst *s, ent_state_id st, ent_date d, int status);
static inline void ent__inst_rely(ent_inst *s, ent_state_id st, ent_date d)
{
    if (st >= 0 && d != ENT_DATE_NONE && d > s->relied[st]) s->relied[st] = d;
}
/* Chair on date d (-1 none); *kind gets enum ent_chair_kind or 3 for a
** chair computed by the 1 January rotation; *since gets the date it began. */
ent_state_id ent__inst_chair(const ent_inst *s, ent_date d, int *kind, ent_date *since);
/* Secretary General in office on d, or NULL. */
const ent_sgterm *ent__inst_sg(const ent_inst *s, ent_date d);
/* Breaches on date d: those flagged on facts plus the ones that the passing
** of time makes (overstay after the withdrawal period, missing UN notice).
** Appends ent_breach to out (an ent_vec of ent_breach). */
int ent__inst_breaches(const ent_inst *s, ent_date d, ent_vec *out);
/* Deployment status name on d: "proposed", "adopted", "active",
** "withdrawing", "ended", "blocked", "lapsed". */
const char *ent__inst_deploy_status(const ent_inst *s, const ent_proposal *p, ent_date d);

/* The date a mission ended: declared complete, or its fixed period (days=)
** ran out after the decision; NONE while it goes on. */
ent_date ent__mission_end(const ent_proposal *p);

/* Adding a part of the organization (exercises, disputes, ...): its records
** go in ent_vec fields of ent_inst, listed in vecs() in state.c (so clone and
** free handle them), and its digest function, called from ent__inst_digest,
** hashes every field of every record with these two (never raw structs:
** padding is not part of the state): */
void ent__dg_int(void *g, int64_t v);
void ent__dg_text(void *g, const char *z);

/* Exercises (act_exercise.c): the kind's name; the status on a date,
** "planned", "under-way", "held", "cancelled", or for one dated only by its
** year "in-year" during that year; the digest of the records. */
const char *ent__exercise_kind_name(int kind);
const char *ent__exercise_status(const ent_exercise *e, ent_date d);
void ent__exercise_digest(const ent_inst *s, void *g);

/* The Joint Staff and missions (act_staff.c): the chief in office on d (the
** last appointed with from <= d, or NULL); a mission's status on d,
** "decided", "advance-team", "arrived" or "complete"; the digest. */
const ent_chief *ent__inst_chief(const ent_inst *s, ent_date d);
const char *ent__mission_status(const ent_mission *m, ent_date d);
void ent__staff_digest(const ent_inst *s, void *g);
void ent__notes_digest(const ent_inst *s, void *g);       /* act_notes.c */

/* Membership procedures and sessions (act_members.c): the notice of
** withdrawal pending for st on d (filed, not yet effective; NULL if none);
** the digest of applications and notices. */
const ent_withdrawal *ent__withdrawal_pending(const ent_inst *s, ent_state_id st, ent_date d);
void ent__members_digest(const ent_inst *s, void *g);

/* The threat register and disputes (register.h): set up their vectors (init),
** hash their records (digest). */
void ent__register_init(ent_inst *s);
void ent__register_digest(const ent_inst *s, void *g);
/* External relations, conferences, articles and comments (portal.h). */
void ent__portal_init(ent_inst *s);
void ent__portal_digest(const ent_inst *s, void *g);

/* Decision rules of other charters (act_charter.c): the members an adopted
** decision binds, bit per state (none unless adopted). */
uint64_t ent__proposal_binds(const ent_inst *s, const ent_proposal *p);
/* The charter's decision rule: its rule id ("consensus", "two-thirds",
** "majority"), from the switch decision.rule (default consensus). */
const char *ent__decision_rule(const ent_charter *c);

/* BLAKE2b-256 of the canonical serialization. */
void ent__inst_digest(const ent_inst *s, unsigned char out[32]);

#endif /* ENT_STATE_H */
