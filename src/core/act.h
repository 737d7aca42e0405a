/*
** act.h: what the handlers of the chronicle's acts share, private to the
** core. The handlers live in apply.c (membership, chair, Secretary General,
** requests, decisions, deployments, transit, bases) and in one file per
** further part of the organization; each file exports a table of its verbs,
** and ent__inst_apply() finds a verb in all of them.
**
** A handler (1) resolves its subject and arguments, reporting an input error
** with ent__act_err() and the column of the offending token, (2) checks the
** rules of the charter that govern it, refusing with ent__act_refuse() and the
** rule's id, and only then (3) changes the state. It never changes the state
** before every check has passed, so a refused or malformed line changes
** nothing. Every helper below returns 0 on success and otherwise the verdict
** it has set in c->o (ENT_V_ERROR, ENT_V_REFUSED or ENT_V_NOMEM), so checks
** chain with ||:
**     if (ent__act_subject_state(c, &st) || ent__act_check_keys(c, "id") ...)
**         return c->o->verdict;
*/
#ifndef ENT_ACT_H
#define ENT_ACT_H

#include "state.h"

typedef struct ent_ctx {
    ent_inst *s;
    const ent_stmt *st;
    ent_outcome *o;
    ent_date d;          /* the act's date */
    ent_state_id subj;   /* the subject as a state, once resolved; ENT_CTX_UNRESOLVED before */
} ent_ctx;
#define ENT_CTX_UNRESOLVED (-2)

typedef struct ent_verb {
    const char *name;
    uint8_t len;
    int (*fn)(ent_ctx *);
} ent_verb;
#define ENT_VERB(name, fn) { name, sizeof name - 1, fn }

/* The verb tables, each ended by { NULL, 0, NULL }. */
extern const ent_verb ent__verbs_apply[];
extern const ent_verb ent__verbs_exercise[];    /* act_exercise.c */
extern const ent_verb ent__verbs_register[];    /* act_register.c */
extern const ent_verb ent__verbs_dispute[];     /* act_dispute.c */
extern const ent_verb ent__verbs_members[];     /* act_members.c */
extern const ent_verb ent__verbs_relations[];   /* act_relations.c */
extern const ent_verb ent__verbs_conference[];  /* act_conference.c */
extern const ent_verb ent__verbs_articles[];    /* act_articles.c */
extern const ent_verb ent__verbs_staff[];       /* act_staff.c */
extern const ent_verb ent__verbs_notes[];       /* act_notes.c */

/* The slot of a string literal in the state's caches (rl_, ks_, cm_). */
static inline unsigned ent__act_lit_slot(const char *lit)
{
    return (unsigned)(((uint64_t)(uintptr_t)lit * 0x9E3779B97F4A7C15ull) >> 32) & (ENT_LIT_SLOTS - 1);
}

/* Outcomes. */
int ent__act_err(ent_ctx *c, uint16_t col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int ent__act_refuse(ent_ctx *c, const char *rule, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int ent__act_nomem(ent_ctx *c);
/* A breach on a fact: recorded, never refused. */
int ent__act_add_breach(ent_ctx *c, const char *rule, int32_t pi, ent_state_id st, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The charter. */
/* Is the rule (a literal) in force on the act's date, or on date d? A rule
** the charter does not have is not. The charter's rule is cached by the
** literal's address. */
const ent_rule *ent__act_rule_slow(ent_ctx *c, const char *rule);
static inline int ent__act_in_force_on(ent_ctx *c, const char *rule, ent_date d)
{
    unsigned h = ent__act_lit_slot(rule);
    const ent_rule *r = c->s->rl_id[h] == rule ? c->s->rl_rule[h] : ent__act_rule_slow(c, rule);
    return r && (d == ENT_DATE_NONE || ent__range_contains((ent_range){ r->from, r->to }, d));
}
static inline int ent__act_in_force(ent_ctx *c, const char *rule) { return ent__act_in_force_on(c, rule, c->d); }
int ent__act_is_supreme(ent_ctx *c, int body);
const char *ent__act_supreme(ent_ctx *c);
int ent__act_skip_inactive(ent_ctx *c);


/* Printing. */
const char *ent__act_code(ent_ctx *c, ent_state_id id);
const char *ent__act_day(ent_date d, char buf[11]);

/* Arguments. */
/* Allowed keys, space-separated (src= always is); a literal, since its
** keyset is cached by its address. */
int ent__act_check_keys_slow(ent_ctx *c, const char *keys);
static inline int ent__act_check_keys(ent_ctx *c, const char *keys)
{
    unsigned h = ent__act_lit_slot(keys);
    const ent_keyset *ks = &c->s->ks_set[h], *have = &c->st->keys;
    if (c->s->ks_id[h] == keys && !(have->w[0] & ~ks->w[0]) && !(have->w[1] & ~ks->w[1])) return 0;
    return ent__act_check_keys_slow(c, keys);
}
/* At most n positional arguments. */
int ent__act_max_pos_slow(ent_ctx *c, int n);
static inline int ent__act_max_pos(ent_ctx *c, int n) { return c->st->npos > n ? ent__act_max_pos_slow(c, n) : 0; }
int ent__act_state_of(ent_ctx *c, ent_str s, uint16_t col, ent_state_id *out);
int ent__act_state_list(ent_ctx *c, const ent_arg *a, ent_state_id *out, int max, int *n);
int ent__act_subject_state_slow(ent_ctx *c, ent_state_id *out);
static inline int ent__act_subject_state(ent_ctx *c, ent_state_id *out)
{
    if (c->subj >= 0) {
        *out = c->subj;
        return 0;
    }
    return ent__act_subject_state_slow(c, out);
}
int ent__act_subject_body(ent_ctx *c, int *body);
int ent__act_key_state(ent_ctx *c, int key, int required, ent_state_id *out);
int ent__act_key_date(ent_ctx *c, int key, int required, ent_date *out);
int ent__act_key_int(ent_ctx *c, int key, int required, long lo, long hi, long *out);
int ent__act_new_id(ent_ctx *c, ent_sym *out);           /* id= must name nothing yet */
/* The record named by the value of a, of kind want (what names the kind in
** messages), made on or before the act's date; its index in *idx. */
int ent__act_record_of(ent_ctx *c, const ent_arg *a, int want, const char *what, int32_t *idx);
/* The same for the i-th positional argument; the hit path of the state's
** cache of the last record looked up, inline. */
int ent__act_pos_record_slow(ent_ctx *c, int i, int want, const char *what, int32_t *idx);
static inline int ent__act_pos_record(ent_ctx *c, int i, int want, const char *what, int32_t *idx)
{
    const ent_arg *a = ent__stmt_pos(c->st, i);
    const ent_inst *s = c->s;
    if (a && s->rc_kind == want && (s->rc_made == ENT_DATE_NONE || s->rc_made <= c->d) &&
        ent__str_same((ent_str){ s->pool.p + s->rc_sym, s->rc_n }, a->val)) {
        *idx = s->rc_idx;
        return 0;
    }
    return ent__act_pos_record_slow(c, i, want, what, idx);
}
int ent__act_deployment_of(ent_ctx *c, int i, int32_t *idx);
ent_sym ent__act_text_sym(ent_ctx *c);                   /* the line's "text", stored; 0 if none */

/* Other charters (act_charter.c): decision rules, parties, the treaty area. */
int ent__act_parties(ent_ctx *c, uint64_t *out);          /* parties=STATE,... (0 if absent) */
int ent__act_parties_vote(ent_ctx *c);                    /* switch decision.parties-vote: 1 yes */
int ent__act_area_check(ent_ctx *c, ent_state_id host);   /* rule area: refuse a host outside it */
/* The outcome of a closed vote under the charter's decision rule
** (enum ent_prop_status), or -1 under consensus (apply.c decides). */
int ent__act_vote_outcome(ent_ctx *c, int yes, int no, int rest);
/* The outcome of a closed vote (enum ent_prop_status) under decision rule
** `rule` (0 consensus, 1 two-thirds, 2 majority): the one function that both
** closing a proposal and the simulator's frame (ent_frame_decide) use. */
int ent__decide(int rule, int quorum, int limited_ok, int yes, int no, int rest);

/* Disputes (act_dispute.c): hooks of the rule `disputes` into decisions. */
int ent__dispute_protocol(ent_ctx *c);   /* 'D protocol' for a dispute subject; -1 if not one */
int ent__dispute_against(ent_ctx *c, ent_state_id host, ent_state_id *out); /* against= of a deploy */
int ent__dispute_note_against(ent_ctx *c, int32_t proposal, ent_state_id st);
uint64_t ent__dispute_excluded(ent_ctx *c, ent_state_id host);  /* out of the vote (switch) */
int ent__dispute_vote_refusal(ent_ctx *c, const ent_proposal *p, ent_state_id st);

/* Membership. */
int ent__act_add_mchange(ent_ctx *c, ent_state_id st, int status);
/* A new proposal (apply.c), its common fields filled and its id indexed;
** NULL on oom. */
ent_proposal *ent__act_new_proposal(ent_ctx *c, ent_sym id, int body, const ent_arg *k, ent_state_id host, int kind);

/* Membership procedures, sessions and competence (act_members.c). */
/* Rule bodies: refuse unless the body's `charter competence` lists `what`. */
int ent__act_competence(ent_ctx *c, int body, const char *what);
/* do_convene: validate id= mode= attended= absent= and record the session. */
int ent__session_new(ent_ctx *c, ent_state_id chair, int body, int extraordinary);
/* session= of a proposal: the session exists, is the body's, of the act's day. */
int ent__session_check(ent_ctx *c, int body);
/* Link a new proposal to its session (absent members are out). */
void ent__session_attach(ent_ctx *c, ent_proposal *p);
/* Refuse the vote of a member absent from the proposal's session. */
int ent__session_vote_refusal(ent_ctx *c, const ent_proposal *p, ent_state_id st);
/* 'propose admit|declaration|decision'; the effect of closing one. */
int ent__members_propose(ent_ctx *c, int body, const ent_arg *k);
int ent__members_close(ent_ctx *c, ent_proposal *p);
/* Refuse a member's plain `leave` where withdrawal is by notice. */
int ent__members_leave_refusal(ent_ctx *c, ent_state_id st);
/* Refuse unless st is an active member on the act's date (`what` says why it must be). */
int ent__act_standing_refusal_slow(ent_ctx *c, ent_state_id st, const char *what);
static inline int ent__act_standing_refusal(ent_ctx *c, ent_state_id st, const char *what)
{
    return ent__inst_mstatus(c->s, st, c->d) == ENT_MS_MEMBER ? 0 : ent__act_standing_refusal_slow(c, st, what);
}

/* The Joint Staff and missions (act_staff.c). */
/* 'CSC appoint chief-of-staff ...' (apply.c's appoint hands it over). */
int ent__staff_appoint(ent_ctx *c);
/* 'M arrive' / 'M complete' for a mission M (apply.c's arrive and complete
** hand them over): the verdict, or -1 when the subject is not a mission. */
int ent__mission_fact(ent_ctx *c);

#endif /* ENT_ACT_H */
