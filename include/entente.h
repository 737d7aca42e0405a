/*
** entente.h: the public interface of libentente.
**
** entente is an executable model of a collective security treaty
** organization. Its built-in organization is the CSTO. This header is the only
** one that front ends (the command line, the server, the simulator) include;
** anything that does not appear here is not a published API.
**
** Conventions
**   - Every function that can fail returns an int status from enum ent_status.
**     The values are those of <sysexits.h>, so a command can exit with them.
**   - Strings returned through `char **out` are allocated with the library's
**     allocator and freed by the caller with ent_free().
**   - An ent_report collects the diagnostics of a call (errors with file,
**     line and column; refusals with the rule and its source). It may be NULL
**     when the caller does not want them.
**   - Dates are text "YYYY-MM-DD" (proleptic Gregorian) at this boundary.
*/
#ifndef ENTENTE_H
#define ENTENTE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define ENT_API __attribute__((visibility("default")))
#else
#define ENT_API
#endif

#define ENT_VERSION "0.1.0"

/* Status codes. XX(name, value, description); the values are sysexits.h. */
#define ENT_STATUS_MAP(XX)                                               \
    XX(OK, 0, "success")                                                 \
    XX(REFUSED, 1, "refused by a rule of the charter")                   \
    XX(EUSAGE, 64, "command line usage error")                           \
    XX(EINPUT, 65, "malformed input")                                    \
    XX(ENOINPUT, 66, "cannot open input")                                \
    XX(ENOTFOUND, 67, "no such record")                                  \
    XX(ESOFTWARE, 70, "internal software error")                         \
    XX(ENOMEM, 71, "out of memory")                                      \
    XX(EIO, 74, "input/output error")                                    \
    XX(ETEMPFAIL, 75, "temporary failure: try again")                    \
    XX(EFORBIDDEN, 77, "not permitted for this principal")

typedef enum ent_status {
#define ENT_XX(name, value, text) ENT_##name = value,
    ENT_STATUS_MAP(ENT_XX)
#undef ENT_XX
} ent_status;

ENT_API const char *ent_status_name(int status);   /* "REFUSED" */
ENT_API const char *ent_strstatus(int status);     /* "refused by a rule of the charter" */

/* ------------------------------------------------------------------ */
/* Memory.                                                              */

/* One hook for every allocation of the library (lua_Alloc style):
**   ptr == NULL: allocate nsize bytes;  nsize == 0: free ptr;  else realloc.
** Returns NULL on failure (or for a free). Install before any other call. */
typedef void *(*ent_alloc_fn)(void *ud, void *ptr, size_t nsize);
ENT_API void ent_set_allocator(ent_alloc_fn fn, void *ud);
ENT_API void ent_free(void *p);

/* ------------------------------------------------------------------ */
/* Reports: the diagnostics of one call.                                */

typedef struct ent_report ent_report;
ENT_API ent_report *ent_report_new(void);
ENT_API void ent_report_free(ent_report *r);
/* Every diagnostic, rendered as the command line prints them:
**   FILE:LINE:COL: error: MESSAGE / source line / caret
**   FILE:LINE: refused: MESSAGE [rule; source]
** Valid until the report is freed or reused. "" if none. */
ENT_API const char *ent_report_text(ent_report *r);
ENT_API int ent_report_errors(const ent_report *r);   /* malformed-input diagnostics */
ENT_API int ent_report_refusals(const ent_report *r); /* refusals by a rule */
ENT_API void ent_report_clear(ent_report *r);

/* ------------------------------------------------------------------ */
/* Opening an organization.                                             */

typedef struct ent_db ent_db;

enum ent_open_flags {
    ENT_OPEN_BARE = 1 << 0,      /* a new journal does not start from the built-in history */
    ENT_OPEN_READONLY = 1 << 1,  /* never write to the journal file */
    ENT_OPEN_NOCREATE = 1 << 2   /* fail with ENT_ENOINPUT if the file does not exist */
};

/* Open the organization. path == NULL: the built-in charter, world and
** history, in memory (with ENT_OPEN_BARE: no history). Otherwise a journal
** file; a new one is created and, unless ENT_OPEN_BARE, filled with the
** built-in history in one transaction. Opening a journal verifies its hash
** chain and replays it; a journal that is not one, or has been altered, fails
** with ENT_EINPUT and a report naming the first bad sequence number. */
ENT_API int ent_open(ent_db **out, const char *path, unsigned flags, ent_report *rep);
/* Open under another organization's charter (docs/charters.md). charter
** holds ncharter chronicle texts of declarations only (charter ..., world
** ...), read after the built-in sources and world: they declare the
** organization, its bodies, forces, rules and switches, and may add states
** and sources. ncharter == 0: the built-in CSTO, as ent_open. A charter from
** files has no built-in history: the journal starts bare (ENT_OPEN_BARE is
** implied). A new journal records the charter's name and digest; one made
** under another charter, or another text of this one, fails with
** ENT_EINPUT. A malformed charter file fails with ENT_EINPUT and its
** diagnostics in the report. */
struct ent_input;
ENT_API int ent_open_charter(ent_db **out, const char *path, unsigned flags, const struct ent_input *charter,
                             int ncharter, ent_report *rep);
ENT_API void ent_close(ent_db *db);

/* Set an interpretation switch of the charter ("mandate.withdrawal-days",
** "10"). Applies to acts validated afterwards. ENT_EUSAGE if unknown/invalid. */
ENT_API int ent_set_switch(ent_db *db, const char *name, const char *value, ent_report *rep);

/* ------------------------------------------------------------------ */
/* Chronicles.                                                          */

typedef struct ent_input {
    const char *name;            /* file name used in diagnostics */
    const char *text;            /* contents (need not be NUL-terminated) */
    size_t len;
} ent_input;

/* Validate the inputs, in order, against the charter and the current state
** as if they were appended; report every error and refusal; store nothing.
** Returns ENT_OK, ENT_EINPUT (malformed lines: they take precedence) or
** ENT_REFUSED. */
ENT_API int ent_check(ent_db *db, const ent_input *in, int n, ent_report *rep);

/* Validate like ent_check, then append every statement of every input in one
** transaction: all or nothing. *appended (may be NULL) gets the count. */
ENT_API int ent_run(ent_db *db, const ent_input *in, int n, size_t *appended, ent_report *rep);

/* ------------------------------------------------------------------ */
/* Queries. Each renders into a new string (ent_free it).               */

enum ent_format { ENT_FMT_TEXT = 0, ENT_FMT_JSON = 1, ENT_FMT_CHRONICLE = 2, ENT_FMT_JSONL = 3,
                  ENT_FMT_CSV = 4, ENT_FMT_SVG = 5 };

/* The organization on a date (NULL: the date given to ent_set_today, else
** the date of the last event). ENT_EUSAGE for a bad date. */
ENT_API int ent_state(ent_db *db, const char *date, int format, char **out, ent_report *rep);
/* The date "today" for queries without a date; the library never reads the clock. */
ENT_API int ent_set_today(ent_db *db, const char *date);
ENT_API int ent_log(ent_db *db, int format, char **out);
/* How the decision or record `id` came about. ENT_ENOTFOUND if no such id. */
ENT_API int ent_why(ent_db *db, const char *id, int format, char **out, ent_report *rep);
/* Routes from one state's capital to another's, on a date (NULL: today). */
ENT_API int ent_route(ent_db *db, const char *from, const char *to, const char *date, int format,
                      char **out, ent_report *rep);
/* The threat register in numbers: the incidents dated from `from` to `to`
** (NULL: from the first; to the date given to ent_set_today, else the last
** event's), with the sums of their dead and injured, by region of collective
** security, by category and by year (ENT_FMT_TEXT: aligned tables;
** ENT_FMT_JSON: docs/cli.md). ENT_EUSAGE for a bad date or from after to. */
ENT_API int ent_stats(ent_db *db, const char *from, const char *to, int format, char **out, ent_report *rep);
/* The organization over a period, from `from` to `to` (NULL: from the first
** record; to the date given to ent_set_today, else the last event's), as the
** record stands on `to`: membership periods by standing, CSC chairs,
** Secretaries General, requests and deployments, exercises and standing
** operations, disputes. kinds: NULL for all, or a comma list of
** membership,chair,sg,deployments,exercises,disputes. ENT_FMT_TEXT: one line
** per period or event in date order; ENT_FMT_JSON; ENT_FMT_SVG: a picture
** with a lane for each kind (docs/cli.md). ENT_EUSAGE for a bad date, from
** after to, an unknown kind or another format. */
ENT_API int ent_timeline(ent_db *db, const char *from, const char *to, const char *kinds, int format, char **out,
                         ent_report *rep);
/* Check the hash chain and replay; *digest (65 bytes) gets the state digest
** in hex. ENT_EINPUT with the first bad sequence number in the report. */
ENT_API int ent_verify(ent_db *db, char digest[65], ent_report *rep);
/* The state digest of the current state (BLAKE2b-256, hex). */
ENT_API void ent_digest(ent_db *db, char digest[65]);
/* Write the journal as chronicle, JSON lines or CSV through `write`. */
typedef int (*ent_write_fn)(void *ud, const char *p, size_t n);
ENT_API int ent_export(ent_db *db, int format, ent_write_fn write, void *ud);

/* The number of events in the journal. */
ENT_API uint64_t ent_event_count(ent_db *db);
/* Make db's state the fold of the journal's first seq events (1..count):
** the organization as it stood after event seq, for the queries on the
** state (ent_state, ent_route, ent_timeline, ent_crisis_frame) and the
** simulator's ensembles "from here"; ent_log and ent_export still show the
** whole journal. The db becomes read-only: ent_run refuses. ENT_EUSAGE
** when there is no event seq. */
ENT_API int ent_rewind(ent_db *db, uint64_t seq, ent_report *rep);

/* A built-in data file ("data/history.chron", "data/models.conf"): its text
** (NUL-terminated) and length, or NULL if there is none of that name. */
ENT_API const char *ent_builtin(const char *name, size_t *len);

/* ------------------------------------------------------------------ */
/* Crises: what the charter allows when a member asks for help. The       */
/* simulator (docs/simulation.md) plays its runs inside this frame.       */

#define ENT_FRAME_MAX 64                 /* states of a world (bit sets are 64 bits) */

typedef struct ent_crisis {
    const char *host;            /* the member that asks for help (ISO code) */
    const char *adversary;       /* the state it asks for help against, or NULL */
    const char *kind;            /* "unrest", "aggression", "border-clash", "terrorism" */
    const char *force;           /* the force to deploy, or NULL: by kind (unrest, terrorism: the
                                    first force declared; aggression, border-clash: the largest) */
    const char *date;            /* the day of the request; NULL: today (ent_set_today) */
    const char *request;         /* what the host asks for: "assistance" (NULL: the same),
                                    "consultations" (Treaty art. 2), or "none" (it does not ask) */
} ent_crisis;

/* One state of the world in a crisis, on its date. */
typedef struct ent_frame_state {
    char code[3], name[48];
    int standing;                /* 0 none, 1 member, 2 frozen, 3 suspended, 4 former, 5 observer, 6 partner */
    int votes;                   /* its vote on the deployment is accepted (it takes part) */
    int contributes;             /* its contingent is accepted once the deployment is adopted */
    double km;                   /* capital to the host's capital by the best route (-1: none) */
    int consents;                /* non-members whose consent that route needs */
    uint64_t consent_set;        /* which: bit i is state i */
    double km_free;              /* the shortest route that needs no consent (-1: none) */
    uint64_t disputes;           /* bit j: this state and state j are the parties to a dispute
                                    open on the date (the threat register) */
} ent_frame_state;

typedef struct ent_frame {
    char date[11], org[16], body[8], force[8];
    char article[24];            /* the article= a request must invoke ("" if any will do) */
    int host, adversary;         /* indexes into states[]; adversary -1 if none */
    int kind;                    /* 0 unrest, 1 aggression, 2 border-clash, 3 terrorism */
    int request;                 /* the crisis's request: 0 assistance, 1 consultations, 2 none */
    int request_ok;              /* the host's request is accepted */
    int deploy_ok;               /* a deployment proposal on it (request=) is accepted */
    int unasked_ok;              /* a deployment proposal without request= is accepted (switch
                                    deploy.request=optional); the voters and contingents are
                                    those of the proposal on the request if it is accepted */
    int request_required;        /* switch deploy.request: 1 required, 0 optional */
    int mission_ok;              /* a mission on the request (BODY mission id=SIM-M host=HOST
                                    request=SIM-R: a team, no force, no vote) is accepted */
    char refusal[320];           /* why not (deploy_ok 0): the refusal with its rule and citation */
    int nstates;
    ent_frame_state states[ENT_FRAME_MAX];
    uint64_t voters;             /* bit i: states[i].votes */
    uint64_t contributors;       /* bit i: states[i].contributes */
    int strength;                /* the force's personnel: contributions never exceed it */
    int rule;                    /* decision rule: 0 consensus, 1 two-thirds, 2 majority */
    int limited_ok;              /* consensus: a decision without every member binds those for it */
    int quorum;                  /* yes votes needed at least */
    int withdrawal_days;         /* contingents leave within this after completion */
    int un_notice_days;          /* the UN Security Council is told within this */
} ent_frame;

/* The frame of a crisis, found by putting its acts to the engine on a copy
** of the state of its date: the host's request, the supreme body's
** deployment proposal, each state's vote, each state's contingent once
** adopted; the routes to the host; the decision rule and its switches.
** ENT_EUSAGE for an unknown state, kind or force, or a bad date. A request
** or proposal the charter refuses is not an error: request_ok or deploy_ok
** is 0 and refusal says why. A proposal without request= is put to the
** engine too (unasked_ok: accepted under deploy.request=optional), and a
** mission on the request (mission_ok), the supreme body's lesser answer. */
ENT_API int ent_crisis_frame(ent_db *db, const ent_crisis *c, ent_frame *out, ent_report *rep);
/* The outcome of a deployment vote under the frame's rule, as the engine
** decides it when the vote closes: 1 adopted, 2 adopted in a limited format
** (binds those for it), 3 blocked by an objection, 4 lapsed. yes, no and
** abstain are bit sets of voters; the other voters are out. */
ENT_API int ent_frame_decide(const ent_frame *f, uint64_t yes, uint64_t no, uint64_t abstain);


/* ------------------------------------------------------------------ */
/* The crisis room: tokens, principals, commands in groups.             */
/* (docs/crisis-room.md; the server is src/server/, on this header.)    */

/* A token is ENT_TOKEN_CHARS characters of base64url (32 random bytes);
** it is shown once, when made, and only its hash is stored, in the journal
** file (not in the hash chain of events; no event is appended). A principal
** is a state code of the world (a delegation), "chair", "sg",
** "secretariat", "observer", "admin" or "participant"; another is
** ENT_EUSAGE, the report listing the valid ones. name is a label of 1..63
** bytes (printable ASCII or UTF-8, no space at either end), unique among
** live tokens (ENT_EUSAGE if taken). A db opened read-only: ENT_EUSAGE. */
#define ENT_TOKEN_CHARS 43
ENT_API int ent_token_add(ent_db *db, const char *principal, const char *name, char token[ENT_TOKEN_CHARS + 1],
                          ent_report *rep);
/* The tokens (never the tokens themselves): name, principal, made, revoked
** (UTC "YYYY-MM-DDTHH:MM:SSZ"). ENT_FMT_TEXT (a header line, then one a
** line) or ENT_FMT_JSON ([{"name","principal","made","revoked":null|...}]). */
ENT_API int ent_token_list(ent_db *db, int format, char **out);
/* Revoke the live token of that name: ENT_ENOTFOUND if none. */
ENT_API int ent_token_revoke(ent_db *db, const char *name, ent_report *rep);
/* Who a token is: ENT_OK with its principal and name; ENT_EFORBIDDEN (and
** principal and name "") for a token that is unknown, malformed or revoked
** (a malformed one without a lookup; else found by its hash and compared
** in constant time). */
ENT_API int ent_token_who(ent_db *db, const char *token, char principal[16], char name[64]);

/* One command of a group: chronicle lines (or JSON lines, ent_run's
** formats by in.name), put on behalf of a token's principal. Every line of
** a command with a token must pass the rule `authority` (docs/rules.md)
** before the charter's: the principal's subjects. status ENT_EFORBIDDEN
** means either
**   - a bad token (unknown, malformed or revoked): principal is "" and the
**     report says "token: error: the token is unknown, malformed or
**     revoked" (HTTP 401), or
**   - a line the principal may not put: principal is set and the report has
**     "FILE:LINE: refused: ... [authority; crisis room: design s.9, ...]"
**     (HTTP 403).
** The idempotency key is global; what it protects is the principal, the
** token's name, in.name and the text: the same key with any of them
** different is ENT_EUSAGE "idempotency key reused with another body"
** (HTTP 409); a key of 0 or more than 128 bytes is ENT_EUSAGE too. Only an
** accepted command's key is stored (a refused one may be retried). A key
** seen twice in one group: the second is a retry of the first. */
typedef struct ent_command {
    /* in */
    const char *token;           /* NULL: no principal check (the library's own callers) */
    ent_input in;
    const char *idem_key;        /* NULL, or a client's idempotency key (at most 128 bytes) */
    /* out */
    int status;                  /* ENT_OK, ENT_REFUSED, ENT_EINPUT, ENT_EFORBIDDEN, ENT_EUSAGE
                                    (idempotency key reused with another body), ENT_EIO... */
    int replayed;                /* 1: the key was seen with this body: status ENT_OK and the
                                    stored appended/first_seq/last_seq; nothing appended now */
    size_t appended;             /* events appended by this command */
    uint64_t first_seq, last_seq; /* its events' seqs (0, 0 when it appended none) */
    char principal[16];          /* the token's principal ("" without a token) */
    ent_report *rep;             /* the caller's, may be NULL: this command's diagnostics */
} ent_command;
/* Put n commands in order, each all or nothing, checked against the state
** the commands before it left (a refused one leaves nothing); append every
** accepted one in one transaction, durable (synchronous=FULL) when this
** returns, with the idempotency keys of the accepted ones. Returns ENT_OK
** when the group was committed (each command has its own status; a group
** with nothing to append writes nothing), or the failure that kept it from
** being committed (then every command has that status, its report says
** "nothing was written: ...", nothing is stored and the state is as it
** was): ENT_EIO (e.g. another writer appended: reopen), ENT_ENOMEM,
** ENT_EUSAGE for a db opened read-only or rewound. The reports are
** appended to, not cleared. */
ENT_API int ent_run_batch(ent_db *db, ent_command *cmds, int n);
/* The events the last ent_run_batch appended, in order, as the ENT_FMT_JSONL
** lines ent_log_after gives for them (made as they were appended, not read
** back); "" (*len 0) when it appended none or was not committed. Valid
** until the next ent_run_batch or ent_close. */
ENT_API const char *ent_batch_log(ent_db *db, size_t *len);

/* The events after seq `after`, at most max of them (0: all), as
** ENT_FMT_JSONL (one object a line, as ent_log's) or ENT_FMT_JSON (an
** array). None: "" (JSONL) or "[]\n" (JSON). Only that range is read (the
** journal was verified whole when opened): ENT_EINPUT when one of its rows,
** or event `after`, does not match its hash; ENT_EUSAGE for another format. */
ENT_API int ent_log_after(ent_db *db, uint64_t after, size_t max, int format, char **out);

/* The world as data for a map (ENT_FMT_JSON only, else ENT_EUSAGE):
** {"states":[{"code","name","capital","lat","lon"}...],
**  "links":[{"a","b","kind":"land"|"sea","sea":NAME|null,"closed":bool}...]}. */
ENT_API int ent_world_json(ent_db *db, int format, char **out);

#ifdef __cplusplus
}
#endif
#endif /* ENTENTE_H */
