/*
** api.h: internals shared by the files of src/api/, which implement
** entente.h over the core (src/core), the language (src/lang) and the
** journal (src/store). Private to libentente.
*/
#ifndef ENT_API_H
#define ENT_API_H

#include "entente.h"

#include "../core/core.h"
#include "../core/state.h"
#include "../lang/lang.h"
#include "../store/store.h"
#include "../util/util.h"

struct ent_report {
    ent_diags diags;
    ent_buf text;
};

struct ent_db {
    ent_charter charter;
    ent_world world;
    ent_inst inst;           /* the fold of the whole journal */
    ent_journal *j;
    char *path;              /* NULL: in memory */
    unsigned flags;
    ent_date today;          /* for queries without a date; NONE: the last event's date */
    char charter_digest[65]; /* BLAKE2b of the built-in charter, sources and world */
    int charter_file;        /* the charter came from files (ent_open_charter), not built in */
    uint64_t upto_seq;       /* ent_rewind: the state is the journal's first upto_seq events (0: all) */
    ent_inst spare;          /* ent_run_batch's next working state: a fold equal to inst */
    int have_spare;          /* (every other change of inst drops it: ent__spare_drop) */
    ent_buf batch_log;       /* the JSON lines of the last ent_run_batch's events (ent_batch_log) */
    ent_arena batch_arena;   /* ent_run_batch's commands' lines and texts (one arena a group, kept) */
    int sw_known;            /* 1: the journal's meta holds the switches as sw_stored (store_switches) */
    char sw_stored[ENT_MAX_SWITCHES][24];
};

/* One event as ent_log_after's ENT_FMT_JSONL line (with its newline), appended to b. */
void ent__event_jsonl(const ent_event *ev, ent_buf *b);

/* Forget ent_run_batch's spare state (inst is about to change otherwise). */
void ent__spare_drop(ent_db *db);

void ent__report(ent_report *r, int kind, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void ent__event_line(const ent_event *ev, ent_buf *b);
int ent__replay(ent_db *db, ent_date upto, ent_inst *out, ent_report *rep);
ent_date ent__default_date(ent_db *db);
int ent__query_date(ent_db *db, const char *date, ent_date *d, ent_report *rep);
int ent__import_format(const char *name);
int ent__import(const ent_input *in, int format, ent_buf *out);
int ent__state_at(ent_db *db, ent_date d, ent_inst *tmp, const ent_inst **out, ent_report *rep);

/* The crisis room (auth.c, token.c). */
/* 0 if p is a principal: a state code of the world or a role of auth.c. */
int ent__principal_check(const ent_db *db, const char *p);
/* "a state code of the world (AM, BY, ...), chair, ... or participant" */
void ent__principal_list(const ent_db *db, ent_buf *b);
/* The rule `authority`: may principal (with the token's name) put st, on
** state s? ENT_V_OK, or ENT_V_REFUSED with rule, source and message. */
int ent__authorize(const ent_db *db, const ent_inst *s, const char *principal, const char *name,
                   const ent_stmt *st, ent_outcome *o);
/* A token's text to its 32 bytes: 0, or -1 if it is not 43 characters of
** base64url (canonical, no padding). Pure. */
int ent__token_decode(const char *text, size_t len, unsigned char raw[32]);
/* ent_token_who; sync 0: without asking first whether another connection
** changed the tokens (the caller did, once for a group: ent_run_batch). */
int ent__token_who(ent_db *db, const char *token, char principal[16], char name[64], int sync);

#endif /* ENT_API_H */
