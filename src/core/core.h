/*
** core.h: the engine's core, private to libentente.
**
** The core holds the model of a treaty organization: civil dates, the world
** (states, borders, sea links), the charter (bodies, forces, rules with their
** sources and interpretation switches) and the institution state (members,
** chair, Secretary General, requests, proposals, deployments, breaches).
**
** It does no I/O and knows no front end. Everything enters it as an ent_stmt,
** a chronicle line already split into its parts by src/lang/ or rebuilt from
** the journal by src/store/; everything leaves it through the query functions
** below. States, bodies, forces and record ids are small integers, interned at
** the edge (ent__world_find, ent__state_find_record).
**
** Ownership: an ent_stmt never owns memory; its ent_str fields point into a
** buffer that the caller keeps alive for the duration of the call. The core
** copies what it keeps.
*/
#ifndef ENT_CORE_H
#define ENT_CORE_H

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------ */
/* Strings that point into someone else's buffer.                      */

typedef struct ent_str {
    const char *p;
    uint32_t n;
} ent_str;

#define ENT_STR_LIT(s) ((ent_str){ (s), (uint32_t)(sizeof(s) - 1) })
/* a equals the NUL-terminated z. Inline so that strlen of a literal folds. */
static inline int ent__str_eq(ent_str a, const char *z)
{
    size_t n = __builtin_strlen(z);
    if (a.n != n) return 0;
    for (size_t i = 0; i < n; i++) /* unrolled for a literal; no call for short words */
        if (a.p[i] != z[i]) return 0;
    return 1;
}
/* a equals the NUL-terminated z, which is not a literal: no strlen. */
static inline int ent__str_is(ent_str a, const char *z)
{
    for (uint32_t i = 0; i < a.n; i++)
        if (z[i] != a.p[i] || !z[i]) return 0;
    return z[a.n] == 0;
}
/* Do a and b hold the same bytes? */
static inline int ent__str_same(ent_str a, ent_str b)
{
    uint32_t n = a.n;
    if (n != b.n) return 0;
    if (n > 16) return __builtin_memcmp(a.p, b.p, n) == 0;
    /* ids, codes and verbs are short: two overlapping loads each, no call */
    if (n >= 8) {
        uint64_t x0, y0, x1, y1;
        __builtin_memcpy(&x0, a.p, 8);
        __builtin_memcpy(&y0, b.p, 8);
        __builtin_memcpy(&x1, a.p + n - 8, 8);
        __builtin_memcpy(&y1, b.p + n - 8, 8);
        return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    if (n >= 4) {
        uint32_t x0, y0, x1, y1;
        __builtin_memcpy(&x0, a.p, 4);
        __builtin_memcpy(&y0, b.p, 4);
        __builtin_memcpy(&x1, a.p + n - 4, 4);
        __builtin_memcpy(&y1, b.p + n - 4, 4);
        return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    for (uint32_t i = 0; i < n; i++)
        if (a.p[i] != b.p[i]) return 0;
    return 1;
}

/* ------------------------------------------------------------------ */
/* Civil dates: proleptic Gregorian, stored as days since 1970-01-01.   */

typedef int32_t ent_date;
#define ENT_DATE_NONE INT32_MIN
#define ENT_DATE_MAX  INT32_MAX

int ent__date_is_leap(int y);
int ent__date_days_in_month(int y, int m);
/* Build from y-m-d; returns 0 and sets *out, or -1 if the date does not exist
** or is outside years 1..9999. */
int ent__date_make(int y, int m, int d, ent_date *out);
void ent__date_split(ent_date d, int *y, int *m, int *day);
/* Parse exactly "YYYY-MM-DD" (n bytes). Returns 0 ok; -1 not of that shape;
** -2 shape right but no such day (2023-02-29). */
int ent__date_parse(const char *s, size_t n, ent_date *out);
/* Write "YYYY-MM-DD" and a NUL into buf (11 bytes). Returns buf. */
char *ent__date_format(ent_date d, char buf[11]);
static inline ent_date ent__date_add(ent_date d, int32_t days) { return d + days; }

/* A closed range of dates [from, to]; NONE at either end leaves it open. */
typedef struct ent_range {
    ent_date from, to;
} ent_range;
static inline int ent__range_contains(ent_range r, ent_date d)
{
    return (r.from == ENT_DATE_NONE || d >= r.from) && (r.to == ENT_DATE_NONE || d <= r.to);
}
int ent__range_overlap(ent_range a, ent_range b);
/* Days in the range (inclusive); -1 when open at either end or empty. */
int32_t ent__range_days(ent_range r);

/* ------------------------------------------------------------------ */
/* A chronicle statement: [DATE] SUBJECT VERB ARGS...                   */

/* The keys of key=value arguments that some act, charter or world line
** reads. The parser resolves each key once (ent_arg.key_id), so the core
** finds and checks arguments by number; a key outside this list is
** ENT_K_UNKNOWN and is refused by the act that does not expect it. */
#define ENT_KEYS(X) X(ABOUT, "about") X(ABSENT, "absent") X(ADDRESS, "address") X(AGAINST, "against") \
    X(ARTICLE, "article") X(ATTENDED, "attended") X(AUTHOR, "author") X(CAPACITY, "capacity") \
    X(CAPITAL, "capital") X(CATEGORY, "category") X(CITY, "city") X(DAYS, "days") X(DEAD, "dead") \
    X(DEADLINE, "deadline") X(DEFAULT, "default") X(DISPUTE, "dispute") X(EMAIL, "email") X(END, "end") \
    X(FORCE, "force") X(FROM, "from") X(HOST, "host") X(ID, "id") X(INCIDENT, "incident") \
    X(INJURED, "injured") X(KIND, "kind") X(LAT, "lat") X(LEAD, "lead") X(LON, "lon") X(MANDATE, "mandate") \
    X(MODE, "mode") X(NAME, "name") X(OBSERVERS, "observers") X(ORGANIZER, "organizer") X(OTHER, "other") \
    X(PARTICIPANTS, "participants") X(PARTIES, "parties") X(PARTY, "party") X(PLACE, "place") \
    X(REASON, "reason") X(REGION, "region") X(REQUEST, "request") X(SEA, "sea") X(SESSION, "session") \
    X(SEVERITY, "severity") X(SOURCE, "source") X(SRC, "src") X(STANCE, "stance") X(START, "start") \
    X(STATE, "state") X(STATUS, "status") X(STRENGTH, "strength") X(TERMS, "terms") X(THREAT, "threat") X(TITLE, "title") \
    X(TO, "to") X(TROOPS, "troops") X(TZ, "tz") X(VALUES, "values") X(VENUE, "venue") X(VIA, "via") \
    X(WITH, "with") X(YEAR, "year")

enum ent_key {
    ENT_K_NONE = 0,      /* a positional argument */
    ENT_K_UNKNOWN,       /* a key no line of the language reads */
#define ENT_K_ENUM_(id, name) ENT_K_##id,
    ENT_KEYS(ENT_K_ENUM_)
#undef ENT_K_ENUM_
    ENT_K_COUNT
};
/* The key named by p[0..n), or ENT_K_UNKNOWN; its name ("" for NONE/UNKNOWN). */
int ent__key_id(const char *p, size_t n);
const char *ent__key_name(int key);
/* A set of keys: bit k of w[k / 64]. */
typedef struct ent_keyset {
    uint64_t w[2];
} ent_keyset;
_Static_assert(ENT_K_COUNT <= 128, "ent_keyset holds 128 keys");
static inline int ent__keyset_has(const ent_keyset *ks, int k) { return (int)((ks->w[k >> 6] >> (k & 63)) & 1u); }

enum ent_arg_kind {
    ENT_ARG_WORD = 1,    /* a bare word or number:   yes, 1500, 51.16, 2022-01-06 */
    ENT_ARG_LIST,        /* a,b,c (val holds the raw text "a,b,c")                */
    ENT_ARG_QUOTED       /* "text" after key= (val is unescaped)                  */
};

typedef struct ent_arg {
    ent_str key;         /* n == 0 for a positional argument */
    ent_str val;
    uint8_t kind;        /* enum ent_arg_kind */
    uint8_t key_id;      /* enum ent_key: ENT_K_NONE when positional */
    uint16_t col;        /* 1-based column of the argument's first byte */
} ent_arg;

#define ENT_MAX_ARGS 24

typedef struct ent_stmt {
    /* what every act reads first, together at the front */
    ent_date date;       /* the line's date, or the previous line's; ENT_DATE_NONE if none yet */
    uint8_t nargs;
    uint8_t npos;        /* positional arguments: args[pos[0]], args[pos[1]], ... */
    uint8_t has_text;
    uint8_t src_at;      /* args[src_at - 1] is src= (every line has one); 0: none */
    ent_str subject;
    ent_str verb;
    ent_keyset keys;     /* the key_id of every keyed argument */
    uint8_t pos[ENT_MAX_ARGS];
    ent_arg args[ENT_MAX_ARGS];
    ent_str text;        /* the one "quoted text", unescaped */
    /* where it came from, for diagnostics and the journal */
    const char *file;    /* NUL-terminated, owned by the caller */
    uint32_t line;
    uint16_t col_date, col_subject, col_verb, col_text;
    uint16_t col_end;    /* one past the last token: where a missing argument would go */
} ent_stmt;

/* Helpers over a statement's arguments. */
/* The argument key=... (NULL if absent); key is an enum ent_key. */
static inline const ent_arg *ent__stmt_key(const ent_stmt *s, int key)
{
    if (!ent__keyset_has(&s->keys, key)) return NULL;
    for (int i = 0; i < s->nargs; i++)
        if (s->args[i].key_id == key) return &s->args[i];
    return NULL;
}
/* The i-th (from 0) positional argument, or NULL if there are not that many. */
static inline const ent_arg *ent__stmt_pos(const ent_stmt *s, int i)
{
    return i >= 0 && i < s->npos ? &s->args[s->pos[i]] : NULL;
}
static inline int ent__stmt_npos(const ent_stmt *s) { return s->npos; }

/* ------------------------------------------------------------------ */
/* Outcome of validating or applying a statement.                        */

enum ent_verdict {
    ENT_V_OK = 0,
    ENT_V_REFUSED,       /* a rule of the charter forbids it: rule + source are set */
    ENT_V_ERROR,         /* the input is wrong (unknown state, id, verb, missing arg): col is set */
    ENT_V_NOMEM
};

typedef struct ent_outcome {
    int verdict;         /* enum ent_verdict */
    uint16_t col;        /* ENT_V_ERROR: column of the offending token (0 = whole line) */
    const char *rule;    /* ENT_V_REFUSED: rule id, e.g. "request" */
    const char *source;  /* ENT_V_REFUSED: citation, e.g. "Peacekeeping Agreement art. 3" */
    char msg[320];
} ent_outcome;

/* ------------------------------------------------------------------ */
/* The world: states, capitals, land borders, sea links.                */

#define ENT_MAX_STATES 64
typedef int16_t ent_state_id;            /* index into world->states, -1 = none */

typedef struct ent_country {
    char code[3];                        /* ISO 3166-1 alpha-2 */
    char name[48];
    char capital[32];
    double lat, lon;                     /* capital, degrees */
    char src[32];                        /* source tags, e.g. "S139" */
} ent_country;

typedef struct ent_link {
    ent_state_id a, b;
    uint8_t sea;                         /* 0 land border, 1 sea link */
    char sea_name[16];                   /* "Caspian" */
    uint8_t closed;                      /* border closed (Turkey-Armenia) */
} ent_link;

typedef struct ent_world {
    ent_country states[ENT_MAX_STATES];
    int nstates;
    ent_link links[256];
    int nlinks;
    int8_t by_code[26 * 26];             /* "AA".."ZZ" -> state id + 1, 0 = none */
} ent_world;

void ent__world_init(ent_world *w);
/* Apply one "world ..." statement. */
int ent__world_apply(ent_world *w, const ent_stmt *s, ent_outcome *o);
/* The state of a two-letter code, or -1. */
static inline ent_state_id ent__world_find(const ent_world *w, ent_str code)
{
    if (code.n != 2) return -1;
    unsigned a = (unsigned char)code.p[0] - 'A', b = (unsigned char)code.p[1] - 'A';
    if (a >= 26 || b >= 26) return -1;
    return (ent_state_id)(w->by_code[a * 26 + b] - 1);
}
int ent__world_adjacent(const ent_world *w, ent_state_id a, ent_state_id b); /* -1 none, else link index */
double ent__world_km(const ent_world *w, ent_state_id a, ent_state_id b);   /* great circle, capitals */

/* ------------------------------------------------------------------ */
/* The charter: organization, bodies, forces, rules, switches.          */

#define ENT_MAX_BODIES   8
#define ENT_MAX_FORCES   16
#define ENT_MAX_RULES    48
#define ENT_MAX_SWITCHES 32
#define ENT_MAX_SOURCES  256

typedef struct ent_body {
    char code[8];                        /* CSC, CMFA, CMD, CSSC, PC */
    char name[64];
    char competence[160];                /* "charter competence": what it decides, "a,b,c"
                                            ("" = not declared: the body decides anything) */
} ent_body;

typedef struct ent_rule {
    char id[32];                         /* "request", "consensus", ... */
    char source[128];                    /* citation printed in refusals */
    char src[48];                        /* fact-sheet tags, e.g. "S68,S69" */
    ent_date from, to;                   /* in force between (inclusive); NONE = open */
    char text[200];
} ent_rule;

typedef struct ent_switch {
    char name[40];                       /* "mandate.withdrawal-days" */
    char value[24];                      /* current value, as text */
    char dflt[24];                       /* documented default */
    char values[64];                     /* "a,b,c" or "LO..HI" (whole numbers); "" = any */
    char text[200];
} ent_switch;

typedef struct ent_force {
    char code[8];                        /* CPKF, CRRF, CRDF */
    char name[64];
    int32_t strength;                    /* personnel; contributions may not exceed it */
    ent_date from, to;                   /* established / dissolved (NONE = open) */
    char src[32];
} ent_force;

typedef struct ent_source {
    char tag[8];                         /* "S99" */
    char text[120];
} ent_source;

typedef struct ent_charter {
    char org[16];                        /* "CSTO" */
    char org_name[80];
    ent_date org_from;                   /* "charter organization ... from=": its charter in
                                            force (ENT_DATE_NONE: not given) */
    ent_body bodies[ENT_MAX_BODIES];
    int nbodies;
    ent_force forces[ENT_MAX_FORCES];
    int nforces;
    ent_rule rules[ENT_MAX_RULES];
    int nrules;
    ent_switch switches[ENT_MAX_SWITCHES];
    int nswitches;
    ent_source sources[ENT_MAX_SOURCES];
    int nsources;
    /* open addressing by tag packed into a number (ent__charter_source):
    ** the packed tag (0 empty) and its index in sources[] */
    uint64_t source_key[2 * ENT_MAX_SOURCES];
    int16_t source_at[2 * ENT_MAX_SOURCES];
    int8_t rule_index[4 * ENT_MAX_RULES];      /* by id, the same way */
    int8_t switch_index[4 * ENT_MAX_SWITCHES]; /* by name, the same way */
    /* the switches the hot paths read, as numbers; refreshed whenever a
    ** switch is declared or set (charter.c) */
    uint8_t rd_rule;                   /* decision.rule: 0 consensus, 1 two-thirds, 2 majority */
    uint8_t rd_parties_vote;           /* decision.parties-vote is not "no" */
    uint8_t rd_dispute_parties_vote;   /* dispute.parties-vote is not "no" */
    uint8_t rd_limited_ok;             /* decision.limited-format is not "forbidden" */
    uint8_t rd_sg_limited_ok;          /* sg.limited-format is not "forbidden" */
    uint8_t rd_skip_inactive;          /* chair.skip-inactive is not "no" */
    int32_t rd_quorum;                 /* decision.quorum (1) */
    int32_t rd_withdrawal_days;        /* mandate.withdrawal-days (10) */
    int32_t rd_un_notice_days;         /* un-notice.days (1) */
    int8_t rd_request_article;         /* switches[] index of request.article, -1 if none */
    uint8_t rd_request_required;       /* deploy.request is not "optional" */
    char rotation[8][3];                 /* chair and SG rotation order, state codes */
    int nrotation;
    char area[ENT_MAX_STATES][3];        /* "charter area": states whose territory is in the
                                            treaty area (rule area; NATO art. 6) */
    int narea;
} ent_charter;

void ent__charter_init(ent_charter *c);
int ent__charter_apply(ent_charter *c, const ent_stmt *s, ent_outcome *o);
const ent_rule *ent__charter_rule(const ent_charter *c, const char *id);
/* Is rule id in force on date d? (A rule missing from the charter is not.) */
int ent__charter_in_force(const ent_charter *c, const char *id, ent_date d);
const char *ent__charter_switch(const ent_charter *c, const char *name); /* NULL if unknown */
/* A switch's value as a whole number; dflt when unknown or not a number. */
int ent__charter_switch_int(const ent_charter *c, const char *name, int dflt);
/* Set a switch: 0 ok, -1 unknown name, -2 value not among its values. */
int ent__charter_set_switch(ent_charter *c, const char *name, const char *value);
const ent_source *ent__charter_source(const ent_charter *c, ent_str tag);
/* Check a list of source tags "S1,S2": 0 when every tag is declared; else
** -1 with *bad set to the first unknown tag. */
int ent__charter_sources_check(const ent_charter *c, ent_str list, ent_str *bad);
int ent__charter_body(const ent_charter *c, ent_str code);              /* -1 if unknown */
/* May body decide `what` ("charter competence BODY a,b,c")? 1 when it is
** listed or when the charter declares no competence for any body. */
int ent__charter_competent(const ent_charter *c, int body, const char *what);
/* The organization's from= (ENT_DATE_NONE when not given). */
ent_date ent__charter_org_from(const ent_charter *c);
int ent__charter_force(const ent_charter *c, ent_str code);             /* -1 if unknown */

/* ------------------------------------------------------------------ */
/* Routes: how a contingent gets from one state to another.             */

#define ENT_ROUTE_MAX_HOPS 12

typedef struct ent_path {
    ent_state_id path[ENT_ROUTE_MAX_HOPS + 1];    /* from ... to */
    int n;                                        /* states on the path (1 when from == to) */
    double km;                                    /* sum of capital-to-capital great circles */
    ent_state_id consent[ENT_ROUTE_MAX_HOPS + 1]; /* non-members to cross, in path order */
    int nconsent;
    uint8_t sea;                                  /* 1 if a hop is a sea link */
} ent_path;

/* Up to max routes from `from` to `to` over open land borders and sea links;
** is_member[i] != 0 when state i is a member on the date (the caller computes
** it; NULL means no state is). consent = the non-members on the path other
** than `from` (including `to` if it is not a member), in path order. Ranked
** best first: fewest consents, then shortest km (sum of great-circle
** distances between consecutive capitals), then lexicographic path codes for
** a deterministic tie-break. A route has at most ENT_ROUTE_MAX_HOPS hops and
** never uses a closed border; from == to gives one route of 0 km. Between two
** states that share both an open land border and a sea link the hop is by
** land (see ent__world_adjacent). max is capped at 64. Returns the number of
** routes found (0 if none, or if from/to is not a state). Pure: no I/O, no
** allocation. */
int ent__routes(const ent_world *w, ent_state_id from, ent_state_id to,
                const uint8_t *is_member, ent_path *out, int max);

#endif /* ENT_CORE_H */
