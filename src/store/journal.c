/*
** journal.c: the journal, an append-only hash-chained event log in one
** SQLite file. This is the only file of the project that includes sqlite3.h;
** the contract is store.h.
**
** The file holds two tables and two triggers (events_no_update and
** events_no_delete):
**
**     events(seq INTEGER PRIMARY KEY, date, subject, verb, args, text, src,
**            prev BLOB, hash BLOB)     -- seq is the rowid: scans need no sort
**     meta(key TEXT PRIMARY KEY, value TEXT)
**
** and, for the crisis room, two more made on first need (tokens, idem:
** store.h), which are not part of the chain.
**
** The triggers abort any UPDATE or DELETE on events. meta holds three keys
** of our own: "format" (ENT_JOURNAL_FORMAT, written once at creation),
** "count" and "head" (the number of events and the hex of the last hash,
** rewritten by every commit inside the same transaction). The triggers keep
** honest programs from rewriting history; the hash chain detects a change
** made behind SQLite's back (or after dropping a trigger), and count/head in
** meta detect the one change the chain cannot see, the loss of the tail.
**
** Invariant kept by this file: outside a transaction, j->count and j->head
** are the seq and hash of the last row of events; inside one, they also
** cover the rows appended so far, and saved_count/saved_head hold the values
** at begin() so that a rollback can restore them.
**
** Every sqlite3_* result is checked. SQLite's "not a database" and
** "malformed" become ENT_EINPUT (the file is not a good journal), "out of
** memory" ENT_ENOMEM, anything else ENT_EIO, always with sqlite3_errmsg().
*/
#include "store.h"

#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "entente.h"
#include "../util/util.h"

/* How long a writer waits for another connection's lock before ENT_EIO. */
#define JOURNAL_BUSY_MS 5000

#define ZERO_HEX "0000000000000000000000000000000000000000000000000000000000000000"

struct ent_journal {
    sqlite3 *db;
    int readonly;
    int memory;                /* ":memory:" */
    int in_txn;                /* between begin and commit/rollback */
    int scanning;              /* inside ent__journal_scan (guards re-entry) */
    int poisoned;              /* a ROLLBACK failed: state unknown, refuse writes */
    uint64_t count;            /* seq of the last event (see the invariant above) */
    unsigned char head[ENT_HASH_BYTES];
    uint64_t saved_count;      /* count and head at begin() */
    unsigned char saved_head[ENT_HASH_BYTES];
    sqlite3_stmt *ins;         /* INSERT INTO events */
    sqlite3_stmt *sel;         /* SELECT every event in seq order */
    sqlite3_stmt *tail;        /* SELECT the last event's seq and hash */
    sqlite3_stmt *mget;        /* SELECT value FROM meta WHERE key = ? */
    sqlite3_stmt *mput;        /* INSERT OR REPLACE INTO meta */
    sqlite3_stmt *range;       /* SELECT events with seq >= ?1, at most ?2 */
    /* the crisis room's tables (tokens, idem), prepared by aux_ready() */
    int aux;                   /* 1: the tables exist and the statements below are prepared */
    sqlite3_stmt *tok_ins, *tok_get, *tok_rev, *tok_all, *idem_get, *idem_put;
    /* the live tokens found so far (token_find), valid for one data version */
    struct tok_slot *tcache;   /* TOK_SLOTS slots, made on first need */
    sqlite3_stmt *dver;        /* PRAGMA data_version */
    sqlite3_int64 dver_seen;   /* its value when the cache was last checked */
};

/* The token cache: direct-mapped by the hash's first bytes (a BLAKE2b
** output: uniform). Only live tokens found by the query are kept; an
** unknown token always asks the table. It is emptied when this connection
** adds or revokes a token, and by token_sync when another connection (an
** `entente token revoke` in another process) has committed anything. */
#define TOK_SLOTS 1024
typedef struct tok_slot {
    unsigned char hash[ENT_HASH_BYTES];
    char principal[16];
    char name[64];
    int used;
} tok_slot;

static const char journal_schema[] =
    "BEGIN IMMEDIATE;"
    "CREATE TABLE IF NOT EXISTS events("
    " seq INTEGER PRIMARY KEY, date TEXT NOT NULL, subject TEXT NOT NULL,"
    " verb TEXT NOT NULL, args TEXT NOT NULL, text TEXT, src TEXT NOT NULL,"
    " prev BLOB NOT NULL, hash BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events"
    " BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"
    "CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events"
    " BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"
    "INSERT INTO meta(key, value) VALUES"
    " ('format', '" ENT_JOURNAL_FORMAT "'), ('count', '0'), ('head', '" ZERO_HEX "');"
    "COMMIT;";

/* ------------------------------------------------------------------ */
/* Messages and status codes.                                           */

/* Write a message into err (if any). Messages do not name the file: the
** caller's report does (store.h). */
static void seterr(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errsz, const char *fmt, ...)
{
    va_list ap;
    if (!err || errsz == 0) return;
    va_start(ap, fmt);
    vsnprintf(err, errsz, fmt, ap);
    va_end(ap);
}

/* The entente status for an SQLite result code (primary codes only: the
** connection never enables extended codes). */
static int status_of(int rc)
{
    switch (rc) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT: return ENT_EINPUT;
    case SQLITE_NOMEM: return ENT_ENOMEM;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return ENT_ETEMPFAIL;  /* another writer, past the busy timeout */
    default: return ENT_EIO;
    }
}

/* Report the connection's last error: "WHAT: sqlite message". A journal
** still locked after the busy timeout says so and that a retry may work. */
static int dberr(ent_journal *j, int rc, const char *what, char *err, size_t errsz)
{
    int st = status_of(rc);
    if (st == ENT_ETEMPFAIL)
        seterr(err, errsz, "%s: %s: another connection is writing the journal; try again", what,
               sqlite3_errmsg(j->db));
    else
        seterr(err, errsz, "%s: %s", what, sqlite3_errmsg(j->db));
    return st;
}

/* Reset a statement after its last step. sqlite3_reset() repeats the error
** of that step, which the caller has already seen and reported, so its
** result carries no new information and is deliberately dropped here. */
static void stmt_done(sqlite3_stmt *s)
{
    (void)sqlite3_reset(s);
}

/* ------------------------------------------------------------------ */
/* The hash chain.                                                      */

/* One field of the canonical encoding; p == NULL only for an absent text. */
typedef struct field {
    const char *p;
    size_t n;                  /* strlen(p); p[n] is the NUL */
} field;

/* out = BLAKE2b-256(prev || encoding), where encoding is the decimal seq and
** the six fields (date, subject, verb, args, text, src), each followed by a
** NUL, an absent text being the single byte 0x01 (see store.h). Every
** p[n] is the NUL terminator, so each field goes in with its NUL in one
** update. Returns 0, or -1 if libsodium refuses (it cannot with these
** parameters; the check is cheap). */
static int chain_hash(const unsigned char prev[ENT_HASH_BYTES], uint64_t seq,
                      const field f[6], unsigned char out[ENT_HASH_BYTES])
{
    static const unsigned char absent[2] = { 0x01, 0x00 };
    crypto_generichash_state st;
    char num[24], *d = num + sizeof num;
    int rc;

    *--d = '\0';
    do {
        *--d = (char)('0' + seq % 10);
        seq /= 10;
    } while (seq);
    /* the usual event fits a small buffer: one call hashes it (the same
    ** bytes as the updates below, so the same hash) */
    size_t dn = (size_t)(num + sizeof num - d), total = ENT_HASH_BYTES + dn;
    for (int i = 0; i < 6; i++) total += f[i].p ? f[i].n + 1 : sizeof absent;
    unsigned char buf[1024];
    if (total <= sizeof buf) {
        unsigned char *w = buf;
        memcpy(w, prev, ENT_HASH_BYTES);
        w += ENT_HASH_BYTES;
        memcpy(w, d, dn);
        w += dn;
        for (int i = 0; i < 6; i++) {
            size_t n = f[i].p ? f[i].n + 1 : sizeof absent;
            memcpy(w, f[i].p ? (const unsigned char *)f[i].p : absent, n);
            w += n;
        }
        return crypto_generichash(out, ENT_HASH_BYTES, buf, total, NULL, 0) ? -1 : 0;
    }
    rc = crypto_generichash_init(&st, NULL, 0, ENT_HASH_BYTES);
    rc |= crypto_generichash_update(&st, prev, ENT_HASH_BYTES);
    rc |= crypto_generichash_update(&st, (const unsigned char *)d,
                                    (size_t)(num + sizeof num - d));
    for (int i = 0; i < 6; i++) {
        if (f[i].p)
            rc |= crypto_generichash_update(&st, (const unsigned char *)f[i].p, f[i].n + 1);
        else
            rc |= crypto_generichash_update(&st, absent, sizeof absent);
    }
    rc |= crypto_generichash_final(&st, out, ENT_HASH_BYTES);
    return rc ? -1 : 0;
}

/* The field names, in encoding order (column i + 1 of the select). */
static const char *const field_name[6] = { "date", "subject", "verb", "args", "text", "src" };

/* ------------------------------------------------------------------ */
/* Small queries.                                                       */

/* Read meta[key] into buf (NUL-terminated, truncated to bufsz - 1).
** *found = 0 if the key is absent. Returns an SQLite code. */
static int meta_read(ent_journal *j, const char *key, char *buf, size_t bufsz, int *found)
{
    int rc;
    *found = 0;
    buf[0] = '\0';
    rc = sqlite3_bind_text(j->mget, 1, key, -1, SQLITE_STATIC);
    if (rc != SQLITE_OK) return rc;
    rc = sqlite3_step(j->mget);
    if (rc == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(j->mget, 0);
        rc = SQLITE_OK;
        if (v) {
            size_t n = (size_t)sqlite3_column_bytes(j->mget, 0);
            if (n >= bufsz) n = bufsz - 1;
            memcpy(buf, v, n);
            buf[n] = '\0';
            *found = 1;
        } else if (sqlite3_column_type(j->mget, 0) != SQLITE_NULL) {
            rc = SQLITE_NOMEM;
        }
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    stmt_done(j->mget);
    return rc;
}

/* meta[key] = val, inside whatever transaction is open. Returns an SQLite code. */
static int meta_write(ent_journal *j, const char *key, const char *val)
{
    int rc = sqlite3_bind_text(j->mput, 1, key, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK) rc = sqlite3_bind_text(j->mput, 2, val, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(j->mput);
        if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    stmt_done(j->mput);
    return rc;
}

/* The seq and hash of the last row of events: (0, zeros) when empty. A
** malformed last row (seq < 1, hash not 32 bytes) loads as well as it can:
** ent__journal_scan is what judges rows. Returns an SQLite code. */
static int load_tail(ent_journal *j, uint64_t *count, unsigned char head[ENT_HASH_BYTES])
{
    int rc = sqlite3_step(j->tail);
    *count = 0;
    memset(head, 0, ENT_HASH_BYTES);
    if (rc == SQLITE_ROW) {
        sqlite3_int64 seq = sqlite3_column_int64(j->tail, 0);
        const void *h = sqlite3_column_blob(j->tail, 1);
        if (seq > 0) *count = (uint64_t)seq;
        if (h && sqlite3_column_bytes(j->tail, 1) == ENT_HASH_BYTES)
            memcpy(head, h, ENT_HASH_BYTES);
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    stmt_done(j->tail);
    return rc;
}

/* Parse a decimal count with no sign or junk. Returns 0 on success. */
static int parse_count(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s) return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10) return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}

/* Compare the count and head that meta records with those of the events
** actually present (found, head). This catches a lost tail, which the chain
** alone cannot. Returns ENT_OK, or ENT_EINPUT with *bad_seq and a message,
** or the status of an SQLite error. */
static int check_meta(ent_journal *j, uint64_t found, const unsigned char head[ENT_HASH_BYTES],
                      uint64_t *bad_seq, char *err, size_t errsz)
{
    char cbuf[32], hbuf[2 * ENT_HASH_BYTES + 2], hex[2 * ENT_HASH_BYTES + 1];
    uint64_t recorded;
    int have_c = 0, have_h = 0, rc;

    rc = meta_read(j, "count", cbuf, sizeof cbuf, &have_c);
    if (rc == SQLITE_OK) rc = meta_read(j, "head", hbuf, sizeof hbuf, &have_h);
    if (rc != SQLITE_OK) return dberr(j, rc, "reading the journal's metadata", err, errsz);
    if (!have_c || !have_h || parse_count(cbuf, &recorded) != 0) {
        *bad_seq = 0;
        seterr(err, errsz, "journal metadata: count or head is missing or malformed");
        return ENT_EINPUT;
    }
    if (recorded > found) {
        *bad_seq = found + 1;
        seterr(err, errsz, "event %" PRIu64 ": missing (the journal records %" PRIu64
               " events, %" PRIu64 " found)", found + 1, recorded, found);
        return ENT_EINPUT;
    }
    if (recorded < found) {
        *bad_seq = recorded + 1;
        seterr(err, errsz, "event %" PRIu64 ": not recorded in the journal's metadata"
               " (it records %" PRIu64 " events)", recorded + 1, recorded);
        return ENT_EINPUT;
    }
    sodium_bin2hex(hex, sizeof hex, head, ENT_HASH_BYTES);
    if (strcmp(hex, hbuf) != 0) {
        *bad_seq = found;
        if (found)
            seterr(err, errsz, "event %" PRIu64 ": differs from the head hash the journal"
                   " records", found);
        else
            seterr(err, errsz, "journal metadata: head hash is wrong for an empty journal");
        return ENT_EINPUT;
    }
    return ENT_OK;
}

/* Undo the open transaction at the SQLite level, if SQLite has not already
** done so. A failed ROLLBACK leaves the file in an unknown state as far as
** this connection knows, so the journal refuses further writes. */
static void sql_rollback(ent_journal *j)
{
    if (!sqlite3_get_autocommit(j->db) &&
        sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
        j->poisoned = 1;
}

/* ------------------------------------------------------------------ */
/* Opening and closing.                                                 */

/* Prepare the cached statements. Fails with SQLITE_ERROR when the tables
** lack the expected columns, which the caller reports as "not a journal". */
static int prepare_all(ent_journal *j)
{
    sqlite3_stmt **dst[] = { &j->ins, &j->sel, &j->tail, &j->mget, &j->mput, &j->range };
    static const char *const sql[] = {
        "INSERT INTO events(seq, date, subject, verb, args, text, src, prev, hash)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        "SELECT seq, date, subject, verb, args, text, src, prev, hash FROM events ORDER BY seq",
        "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
        "SELECT value FROM meta WHERE key = ?1",
        "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)",
        "SELECT seq, date, subject, verb, args, text, src, prev, hash FROM events"
        " WHERE seq >= ?1 ORDER BY seq LIMIT ?2",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        int rc = sqlite3_prepare_v3(j->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, dst[i], NULL);
        if (rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
}

/* Count the schema objects and look for our two tables. The first read of
** the file happens here, so this is where a non-SQLite file shows up. */
static int probe_schema(ent_journal *j, int *nobj, int *has_events, int *has_meta)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(j->db,
        "SELECT count(*), coalesce(sum(type = 'table' AND name = 'events'), 0),"
        " coalesce(sum(type = 'table' AND name = 'meta'), 0) FROM sqlite_master",
        -1, &s, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            *nobj = sqlite3_column_int(s, 0);
            *has_events = sqlite3_column_int(s, 1);
            *has_meta = sqlite3_column_int(s, 2);
            rc = SQLITE_OK;
        }
    }
    /* finalize returns the error of the step, already in rc */
    (void)sqlite3_finalize(s);
    return rc;
}

/* Run one constant PRAGMA and return its first result column in buf
** ("" if it returns no row). Returns an SQLite code. */
static int pragma(ent_journal *j, const char *sql, char *buf, size_t bufsz)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(j->db, sql, -1, &s, NULL);
    buf[0] = '\0';
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            const unsigned char *v = sqlite3_column_text(s, 0);
            if (v) snprintf(buf, bufsz, "%s", (const char *)v);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            rc = SQLITE_OK;
        }
    }
    (void)sqlite3_finalize(s);   /* repeats the step's error, already in rc */
    return rc;
}

/* Finalize the statements and close the connection. */
static void close_db(ent_journal *j)
{
    sqlite3_stmt **all[] = { &j->ins, &j->sel, &j->tail, &j->mget, &j->mput, &j->range,
                             &j->tok_ins, &j->tok_get, &j->tok_rev, &j->tok_all,
                             &j->idem_get, &j->idem_put, &j->dver };
    ent__free(j->tcache);
    j->tcache = NULL;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        /* finalize reports the last step's error, handled when it happened */
        (void)sqlite3_finalize(*all[i]);
        *all[i] = NULL;
    }
    if (j->db && sqlite3_close(j->db) != SQLITE_OK) {
        /* Only possible with an unfinalized statement, i.e. a bug; do not
        ** leak the connection: close_v2 frees it when the last one goes. */
        (void)sqlite3_close_v2(j->db);
    }
    j->db = NULL;
}

/* Check that a freshly opened connection holds a journal (creating one in
** an empty database when allowed), set it up and load count/head. */
static int open_journal(ent_journal *j, int may_init, int *created, char *err, size_t errsz)
{
    char buf[64];
    int nobj = 0, has_events = 0, has_meta = 0, found, rc;

    rc = probe_schema(j, &nobj, &has_events, &has_meta);
    if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT) {
        seterr(err, errsz, "not an entente journal: %s", sqlite3_errmsg(j->db));
        return ENT_EINPUT;
    }
    if (rc != SQLITE_OK) return dberr(j, rc, "reading the schema", err, errsz);

    if (nobj == 0) {
        if (!may_init) {
            seterr(err, errsz, "not an entente journal: the database is empty");
            return ENT_EINPUT;
        }
        rc = sqlite3_exec(j->db, journal_schema, NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            int st = dberr(j, rc, "creating the journal", err, errsz);
            sql_rollback(j);   /* the connection is closed right after */
            return st;
        }
        *created = 1;
    } else if (!has_events || !has_meta) {
        seterr(err, errsz, "not an entente journal: no %s table",
               has_events ? "meta" : "events");
        return ENT_EINPUT;
    }

    rc = prepare_all(j);
    if (rc == SQLITE_ERROR || rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT) {
        seterr(err, errsz, "not an entente journal: %s", sqlite3_errmsg(j->db));
        return ENT_EINPUT;
    }
    if (rc != SQLITE_OK) return dberr(j, rc, "preparing statements", err, errsz);

    rc = meta_read(j, "format", buf, sizeof buf, &found);
    if (rc != SQLITE_OK) return dberr(j, rc, "reading the format", err, errsz);
    if (!found) {
        seterr(err, errsz, "not an entente journal: no format in meta");
        return ENT_EINPUT;
    }
    if (strcmp(buf, ENT_JOURNAL_FORMAT) != 0) {
        seterr(err, errsz, "not an entente journal: format is \"%s\", expected \"%s\"", buf, ENT_JOURNAL_FORMAT);
        return ENT_EINPUT;
    }

    /* Only now that the file is known to be ours may we change it. WAL is
    ** persistent, so for an existing journal this is a no-op. */
    if (!j->readonly && !j->memory) {
        rc = pragma(j, "PRAGMA journal_mode=WAL", buf, sizeof buf);
        if (rc != SQLITE_OK) return dberr(j, rc, "setting WAL mode", err, errsz);
        if (strcmp(buf, "wal") != 0) {
            seterr(err, errsz, "cannot use WAL mode (journal_mode is \"%s\")", buf);
            return ENT_EIO;
        }
    }
    rc = pragma(j, "PRAGMA synchronous=FULL", buf, sizeof buf);
    if (rc != SQLITE_OK) return dberr(j, rc, "setting synchronous=FULL", err, errsz);

    rc = load_tail(j, &j->count, j->head);
    if (rc != SQLITE_OK) {
        if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT) {
            seterr(err, errsz, "damaged journal: %s", sqlite3_errmsg(j->db));
            return ENT_EINPUT;
        }
        return dberr(j, rc, "reading the last event", err, errsz);
    }
    return ENT_OK;
}

int ent__journal_open(ent_journal **out, const char *path, int create, int readonly,
                      int *created, char *err, size_t errsz)
{
    ent_journal *j;
    int flags, rc, st, is_new = 0, dummy = 0;

    if (created) *created = 0;
    if (!out || !path) {
        seterr(err, errsz, "journal: open: no output or no path");
        return ENT_ESOFTWARE;
    }
    *out = NULL;
    if (sodium_init() < 0) {
        seterr(err, errsz, "libsodium failed to initialize");
        return ENT_ESOFTWARE;
    }
    j = ent__malloc(sizeof *j);
    if (!j) {
        seterr(err, errsz, "out of memory");
        return ENT_ENOMEM;
    }
    memset(j, 0, sizeof *j);
    j->memory = strcmp(path, ":memory:") == 0;
    j->readonly = readonly && !j->memory;

    if (j->memory) {
        flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        is_new = 1;
    } else {
        struct stat sb;
        if (stat(path, &sb) != 0) {
            if (errno != ENOENT || !create || j->readonly) {
                seterr(err, errsz, "cannot open: %s", strerror(errno));
                st = ENT_ENOINPUT;
                goto fail;
            }
            is_new = 1;
        } else if (S_ISDIR(sb.st_mode)) {
            seterr(err, errsz, "is a directory");
            st = ENT_ENOINPUT;
            goto fail;
        }
        flags = j->readonly ? SQLITE_OPEN_READONLY
                            : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    }
    /* NOMUTEX: a journal is used by one thread at a time (store.h). */
    rc = sqlite3_open_v2(path, &j->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        if (!j->db) {
            seterr(err, errsz, "out of memory");
            st = ENT_ENOMEM;
        } else {
            st = dberr(j, rc, "cannot open", err, errsz);
            if (rc == SQLITE_CANTOPEN && !is_new) st = ENT_ENOINPUT;
        }
        goto fail;
    }
    rc = sqlite3_busy_timeout(j->db, JOURNAL_BUSY_MS);
    if (rc != SQLITE_OK) {
        st = dberr(j, rc, "setting the busy timeout", err, errsz);
        goto fail;
    }
    st = open_journal(j, j->memory || (create && !j->readonly), created ? created : &dummy,
                      err, errsz);
    if (st != ENT_OK) goto fail;
    *out = j;
    return ENT_OK;

fail:
    if (created) *created = 0;
    close_db(j);
    ent__free(j);
    return st;
}

void ent__journal_close(ent_journal *j)
{
    if (!j) return;
    if (j->in_txn) ent__journal_rollback(j);
    close_db(j);
    ent__free(j);
}

/* ------------------------------------------------------------------ */
/* Metadata.                                                            */

/* Keys this file maintains itself; meta_set refuses them. */
static int reserved_key(const char *key)
{
    return !strcmp(key, "format") || !strcmp(key, "count") || !strcmp(key, "head");
}

/* Refuse to write to a journal that cannot or must not be written. */
static int writable(ent_journal *j, char *err, size_t errsz)
{
    if (j->readonly) {
        seterr(err, errsz, "the journal was opened read-only");
        return ENT_EIO;
    }
    if (j->poisoned) {
        seterr(err, errsz, "a rollback failed earlier; reopen the journal");
        return ENT_EIO;
    }
    return ENT_OK;
}

int ent__journal_meta_set(ent_journal *j, const char *key, const char *val, char *err,
                          size_t errsz)
{
    int st, rc;
    if (!key || !val) {
        seterr(err, errsz, "meta_set: NULL key or value");
        return ENT_ESOFTWARE;
    }
    if (reserved_key(key)) {
        seterr(err, errsz, "meta key \"%s\" is reserved", key);
        return ENT_ESOFTWARE;
    }
    if ((st = writable(j, err, errsz)) != ENT_OK) return st;
    rc = meta_write(j, key, val);
    if (rc != SQLITE_OK) return dberr(j, rc, "writing metadata", err, errsz);
    return ENT_OK;
}

char *ent__journal_meta_get(ent_journal *j, const char *key)
{
    char *r = NULL;
    int rc;
    if (!key) return NULL;
    rc = sqlite3_bind_text(j->mget, 1, key, -1, SQLITE_STATIC);
    if (rc != SQLITE_OK) return NULL;
    if (sqlite3_step(j->mget) == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(j->mget, 0);
        if (v) r = ent__strndup((const char *)v, (size_t)sqlite3_column_bytes(j->mget, 0));
    }
    /* any error reads as "absent", as store.h says */
    stmt_done(j->mget);
    return r;
}

/* ------------------------------------------------------------------ */
/* Transactions.                                                        */

int ent__journal_begin(ent_journal *j, char *err, size_t errsz)
{
    unsigned char head[ENT_HASH_BYTES];
    uint64_t count, bad;
    int st, rc;

    if ((st = writable(j, err, errsz)) != ENT_OK) return st;
    if (j->in_txn || j->scanning) {
        seterr(err, errsz, "begin: %s",
               j->in_txn ? "a transaction is already open" : "called during a scan");
        return ENT_ESOFTWARE;
    }
    /* IMMEDIATE takes the write lock now, so a concurrent writer makes us
    ** wait (busy timeout) here rather than fail at the first append. */
    rc = sqlite3_exec(j->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) return dberr(j, rc, "begin", err, errsz);

    /* With the lock held, make sure nobody appended since we last looked:
    ** the caller validated its events against the state it knows. */
    rc = load_tail(j, &count, head);
    if (rc != SQLITE_OK) {
        st = dberr(j, rc, "reading the last event", err, errsz);
        sql_rollback(j);
        return st;
    }
    if (count != j->count || memcmp(head, j->head, ENT_HASH_BYTES) != 0) {
        seterr(err, errsz, "the journal changed since it was opened (last event %" PRIu64
               ", expected %" PRIu64 "); reopen it", count, j->count);
        sql_rollback(j);
        return ENT_EIO;
    }
    /* And that its tail is intact: appending after a lost tail would
    ** rewrite count/head in meta and hide the loss. */
    st = check_meta(j, count, head, &bad, err, errsz);
    if (st != ENT_OK) {
        sql_rollback(j);
        return st;
    }
    j->saved_count = j->count;
    memcpy(j->saved_head, j->head, ENT_HASH_BYTES);
    j->in_txn = 1;
    return ENT_OK;
}

int ent__journal_append(ent_journal *j, ent_event *ev, char *err, size_t errsz)
{
    unsigned char hash[ENT_HASH_BYTES];
    field f[6];
    uint64_t seq;
    int rc;

    if (!j->in_txn || j->scanning) {
        seterr(err, errsz, "append: %s",
               j->scanning ? "called during a scan" : "no transaction (call begin first)");
        return ENT_ESOFTWARE;
    }
    if (!ev || !ev->date || !ev->subject || !ev->verb || !ev->args || !ev->src) {
        seterr(err, errsz, "append: missing field");
        return ENT_ESOFTWARE;
    }
    if (ev->text && ev->text[0] == '\x01' && ev->text[1] == '\0') {
        seterr(err, errsz, "append: the text \"\\x01\" is reserved (see store.h)");
        return ENT_ESOFTWARE;
    }
    if (j->count >= (uint64_t)INT64_MAX) {
        seterr(err, errsz, "append: the journal is full");
        return ENT_ESOFTWARE;
    }
    seq = j->count + 1;
    f[0] = (field){ ev->date, strlen(ev->date) };
    f[1] = (field){ ev->subject, strlen(ev->subject) };
    f[2] = (field){ ev->verb, strlen(ev->verb) };
    f[3] = (field){ ev->args, strlen(ev->args) };
    f[4] = (field){ ev->text, ev->text ? strlen(ev->text) : 0 };
    f[5] = (field){ ev->src, strlen(ev->src) };
    if (f[0].n > INT32_MAX || f[1].n > INT32_MAX || f[2].n > INT32_MAX || f[3].n > INT32_MAX ||
        f[4].n > INT32_MAX || f[5].n > INT32_MAX) {
        seterr(err, errsz, "append: field too long");
        return ENT_ESOFTWARE;
    }
    if (chain_hash(j->head, seq, f, hash) != 0) {
        seterr(err, errsz, "append: hashing failed");
        return ENT_ESOFTWARE;
    }

    /* The statement's bindings are all rebound on every append, so
    ** SQLITE_STATIC pointers never outlive the step that uses them. */
    rc = sqlite3_bind_int64(j->ins, 1, (sqlite3_int64)seq);
    for (int i = 0; i < 6 && rc == SQLITE_OK; i++) {
        if (f[i].p)
            rc = sqlite3_bind_text(j->ins, i + 2, f[i].p, (int)f[i].n, SQLITE_STATIC);
        else
            rc = sqlite3_bind_null(j->ins, i + 2);
    }
    if (rc == SQLITE_OK) rc = sqlite3_bind_blob(j->ins, 8, j->head, ENT_HASH_BYTES, SQLITE_STATIC);
    if (rc == SQLITE_OK) rc = sqlite3_bind_blob(j->ins, 9, hash, ENT_HASH_BYTES, SQLITE_STATIC);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(j->ins);
        if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    if (rc != SQLITE_OK) {
        int st = dberr(j, rc, "append", err, errsz);
        stmt_done(j->ins);
        return st;
    }
    stmt_done(j->ins);
    j->count = seq;
    memcpy(j->head, hash, ENT_HASH_BYTES);
    ev->seq = seq;
    memcpy(ev->hash, hash, ENT_HASH_BYTES);
    return ENT_OK;
}

int ent__journal_commit(ent_journal *j, char *err, size_t errsz)
{
    char cbuf[24], hex[2 * ENT_HASH_BYTES + 1];
    int rc = SQLITE_OK, st;

    if (!j->in_txn || j->scanning) {
        seterr(err, errsz, "commit: %s",
               j->scanning ? "called during a scan" : "no transaction");
        return ENT_ESOFTWARE;
    }
    if (j->count != j->saved_count) {
        snprintf(cbuf, sizeof cbuf, "%" PRIu64, j->count);
        sodium_bin2hex(hex, sizeof hex, j->head, ENT_HASH_BYTES);
        rc = meta_write(j, "count", cbuf);
        if (rc == SQLITE_OK) rc = meta_write(j, "head", hex);
    }
    if (rc == SQLITE_OK) rc = sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        st = dberr(j, rc, "commit", err, errsz);
        ent__journal_rollback(j);
        return st;
    }
    j->in_txn = 0;
    return ENT_OK;
}

void ent__journal_rollback(ent_journal *j)
{
    if (!j || !j->in_txn) return;
    sql_rollback(j);
    j->count = j->saved_count;
    memcpy(j->head, j->saved_head, ENT_HASH_BYTES);
    j->in_txn = 0;
}

/* ------------------------------------------------------------------ */
/* Scanning and verifying.                                              */

/* Check the current row of s, which must be event `expect`: its sequence,
** its six fields, its hashes, its link and its own hash. With link set, the
** row's prev hash must equal link (the hash of the row before it); without,
** the row's prev hash is taken as it stands (the first row of a range read,
** which only lends its hash). Fills f (the fields as the callback will see
** them) and calc (the row's hash). ENT_OK; ENT_EINPUT with err saying what
** is wrong with the row; ENT_ENOMEM; ENT_ESOFTWARE. The full scan and the
** range read both check rows here, so that they cannot drift apart. */
static int row_check(ent_journal *j, sqlite3_stmt *s, uint64_t expect, const unsigned char *link,
                     field f[6], unsigned char calc[ENT_HASH_BYTES], char *err, size_t errsz)
{
    sqlite3_int64 seq = sqlite3_column_int64(s, 0);
    const void *pv, *hv;

#define RBAD(...)                                                         \
    do {                                                                  \
        seterr(err, errsz, __VA_ARGS__);                                  \
        return ENT_EINPUT;                                                \
    } while (0)

    if (seq < 1 || (uint64_t)seq != expect) {
        if (seq > 0 && (uint64_t)seq > expect)
            RBAD("event %" PRIu64 ": missing (sequence jumps to %lld)", expect, (long long)seq);
        RBAD("event %" PRIu64 ": out of sequence (found %lld)", expect, (long long)seq);
    }
    /* One call per field. A field is read as the C string the callback will
    ** see: strlen, not sqlite3_column_bytes, so bytes after an embedded NUL
    ** (only writable behind our back) are not part of the event, hashed or
    ** delivered, and the encoding stays unambiguous. The columns have TEXT
    ** affinity, so a value is TEXT, NULL or a BLOB written behind our back
    ** (taken as its bytes, which is what the chain vouches for); only a NULL
    ** pointer needs a closer look: NULL, out of memory, or an empty BLOB. */
    for (int i = 0; i < 6; i++) {
        f[i].p = (const char *)sqlite3_column_text(s, i + 1);
        if (!f[i].p) {
            if (sqlite3_column_type(s, i + 1) == SQLITE_NULL) {
                if (i != 4) RBAD("event %" PRIu64 ": %s is NULL", expect, field_name[i]);
                f[i].n = 0;
                continue;
            }
            if (sqlite3_errcode(j->db) == SQLITE_NOMEM) {
                seterr(err, errsz, "event %" PRIu64 ": out of memory", expect);
                return ENT_ENOMEM;
            }
            f[i].p = "";               /* a zero-length BLOB */
        }
        f[i].n = strlen(f[i].p);
    }
    if (f[4].p && f[4].n == 1 && f[4].p[0] == '\x01')
        RBAD("event %" PRIu64 ": text is the reserved value \"\\x01\"", expect);
    pv = sqlite3_column_blob(s, 7);
    if (!pv || sqlite3_column_bytes(s, 7) != ENT_HASH_BYTES)
        RBAD("event %" PRIu64 ": malformed prev hash", expect);
    if (link && memcmp(pv, link, ENT_HASH_BYTES) != 0)
        RBAD("event %" PRIu64 ": broken chain (prev hash differs)", expect);
    hv = sqlite3_column_blob(s, 8);
    if (!hv || sqlite3_column_bytes(s, 8) != ENT_HASH_BYTES)
        RBAD("event %" PRIu64 ": malformed hash", expect);
    if (chain_hash(pv, expect, f, calc) != 0) {
        seterr(err, errsz, "event %" PRIu64 ": hashing failed", expect);
        return ENT_ESOFTWARE;
    }
    if (memcmp(calc, hv, ENT_HASH_BYTES) != 0)
        RBAD("event %" PRIu64 ": hash does not match its contents", expect);
    return ENT_OK;
#undef RBAD
}

/* The event a checked row holds, for a callback. */
static void row_event(ent_event *ev, uint64_t seq, const field f[6], const unsigned char hash[ENT_HASH_BYTES])
{
    ev->seq = seq;
    ev->date = f[0].p;
    ev->subject = f[1].p;
    ev->verb = f[2].p;
    ev->args = f[3].p;
    ev->text = f[4].p;
    ev->src = f[5].p;
    memcpy(ev->hash, hash, ENT_HASH_BYTES);
}

int ent__journal_scan(ent_journal *j, uint64_t after, ent_event_fn fn, void *ud,
                      uint64_t *bad_seq, char *err, size_t errsz)
{
    sqlite3_stmt *s = j->sel;
    unsigned char prev[ENT_HASH_BYTES] = { 0 }, calc[ENT_HASH_BYTES];
    uint64_t expect = 1, dummy;
    field f[6];
    int rc, st = ENT_OK;

    if (!bad_seq) bad_seq = &dummy;
    *bad_seq = 0;
    if (j->scanning) {
        seterr(err, errsz, "scan: called during a scan");
        return ENT_ESOFTWARE;
    }
    j->scanning = 1;

    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if ((st = row_check(j, s, expect, prev, f, calc, err, errsz)) != ENT_OK) {
            if (st == ENT_EINPUT) *bad_seq = expect;
            goto done;
        }
        memcpy(prev, calc, ENT_HASH_BYTES);
        if (expect > after && fn) {
            ent_event ev;
            row_event(&ev, expect, f, calc);
            if ((st = fn(ud, &ev)) != 0) goto done;
        }
        expect++;
    }
    if (rc != SQLITE_DONE) goto sqlerr;
    stmt_done(s);
    j->scanning = 0;
    /* Inside a transaction meta still describes the state at begin(). */
    if (!j->in_txn) return check_meta(j, expect - 1, prev, bad_seq, err, errsz);
    return ENT_OK;

sqlerr:
    if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) {
        *bad_seq = expect;
        seterr(err, errsz, "event %" PRIu64 ": unreadable: %s", expect,
               sqlite3_errmsg(j->db));
        st = ENT_EINPUT;
    } else {
        st = dberr(j, rc, "scan", err, errsz);
    }
done:
    stmt_done(s);
    j->scanning = 0;
    return st;
}

uint64_t ent__journal_count(ent_journal *j)
{
    return j->count;
}

void ent__journal_head(ent_journal *j, unsigned char out[ENT_HASH_BYTES])
{
    memcpy(out, j->head, ENT_HASH_BYTES);
}

int ent__journal_exec_for_test(ent_journal *j, const char *sql, char *err, size_t errsz)
{
    char *msg = NULL;
    int rc = sqlite3_exec(j->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        seterr(err, errsz, "%s", msg ? msg : sqlite3_errmsg(j->db));
        sqlite3_free(msg);
        return status_of(rc);
    }
    return ENT_OK;
}

/* ------------------------------------------------------------------ */
/* Reading a range of events (the live feed).                           */

int ent__journal_read(ent_journal *j, uint64_t after, size_t max, ent_event_fn fn, void *ud,
                      char *err, size_t errsz)
{
    sqlite3_stmt *s = j->range;
    unsigned char prev[ENT_HASH_BYTES] = { 0 }, calc[ENT_HASH_BYTES];
    uint64_t expect = after ? after : 1;
    int rc, st = ENT_OK;

    if (j->scanning) {
        seterr(err, errsz, "read: called during a scan");
        return ENT_ESOFTWARE;
    }
    if (after >= j->count) return ENT_OK;          /* nothing new: no query */
    if (max > (size_t)INT64_MAX - 1) max = 0;
    /* with after > 0 the row `after` comes first: its hash is the prev of
    ** the first row delivered */
    rc = sqlite3_bind_int64(s, 1, (sqlite3_int64)expect);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(s, 2, max ? (sqlite3_int64)max + (after ? 1 : 0) : -1);
    if (rc != SQLITE_OK) return dberr(j, rc, "read", err, errsz);
    j->scanning = 1;

    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        field f[6];
        /* the row `after` (after > 0) only lends its hash: its own link
        ** was checked when it was delivered or replayed */
        if ((st = row_check(j, s, expect, expect > after ? prev : NULL, f, calc, err, errsz)) != ENT_OK)
            goto done;
        memcpy(prev, calc, ENT_HASH_BYTES);
        if (expect > after) {
            ent_event ev;
            row_event(&ev, expect, f, calc);
            if (fn && (st = fn(ud, &ev)) != 0) goto done;
        }
        expect++;
    }
    if (rc != SQLITE_DONE) {
        st = dberr(j, rc, "read", err, errsz);
    } else {
        uint64_t last = max && max < j->count - after ? after + max : j->count;
        if (expect <= last) {
            seterr(err, errsz, "event %" PRIu64 ": missing (the journal has %" PRIu64 " events)",
                   expect, j->count);
            st = ENT_EINPUT;
        }
    }
done:
    stmt_done(s);
    j->scanning = 0;
    return st;
}

/* ------------------------------------------------------------------ */
/* The crisis room's tables: tokens and idempotency keys. Neither is in  */
/* the hash chain: they say who may write and what was acknowledged, not */
/* what happened.                                                         */

static const char aux_schema[] =
    "CREATE TABLE IF NOT EXISTS tokens("
    " hash BLOB PRIMARY KEY, name TEXT NOT NULL, principal TEXT NOT NULL,"
    " made TEXT NOT NULL, revoked TEXT);"
    "CREATE UNIQUE INDEX IF NOT EXISTS tokens_live_name ON tokens(name) WHERE revoked IS NULL;"
    "CREATE TABLE IF NOT EXISTS idem("
    " key TEXT PRIMARY KEY, principal TEXT NOT NULL, name TEXT NOT NULL, body BLOB NOT NULL,"
    " status INTEGER NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,"
    " appended INTEGER NOT NULL, made TEXT NOT NULL);";

/* Make sure the tables exist (creating them when create != 0 and the
** journal is writable) and the statements are prepared. ENT_OK;
** ENT_ENOTFOUND when they do not exist and create is 0; ENT_EIO for a
** read-only journal without them, or an SQLite error. Never inside a
** transaction: a rollback would drop tables the statements rely on. */
static int aux_ready(ent_journal *j, int create, char *err, size_t errsz)
{
    sqlite3_stmt *s = NULL;
    int n = 0, rc, st;
    if (j->aux) return ENT_OK;
    rc = sqlite3_prepare_v2(j->db,
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('tokens', 'idem')",
        -1, &s, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        n = sqlite3_column_int(s, 0);
        rc = SQLITE_OK;
    }
    (void)sqlite3_finalize(s);   /* repeats the step's error, already in rc */
    if (rc != SQLITE_OK) return dberr(j, rc, "reading the schema", err, errsz);
    if (n < 2) {
        if (!create) return ENT_ENOTFOUND;
        if (j->readonly) {
            seterr(err, errsz, "the journal was opened read-only and has no tokens table yet");
            return ENT_EIO;
        }
        if ((st = writable(j, err, errsz)) != ENT_OK) return st;
        if (j->in_txn || j->scanning) {
            seterr(err, errsz, "creating the tokens table: inside a transaction or a scan");
            return ENT_ESOFTWARE;
        }
        rc = sqlite3_exec(j->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (rc == SQLITE_OK) rc = sqlite3_exec(j->db, aux_schema, NULL, NULL, NULL);
        if (rc == SQLITE_OK) rc = sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            st = dberr(j, rc, "creating the tokens table", err, errsz);
            sql_rollback(j);
            return st;
        }
    }
    {
        sqlite3_stmt **dst[] = { &j->tok_ins, &j->tok_get, &j->tok_rev, &j->tok_all,
                                 &j->idem_get, &j->idem_put };
        static const char *const sql[] = {
            "INSERT INTO tokens(hash, name, principal, made)"
            " VALUES(?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
            "SELECT hash, principal, name FROM tokens WHERE hash = ?1 AND revoked IS NULL",
            "UPDATE tokens SET revoked = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
            " WHERE name = ?1 AND revoked IS NULL",
            "SELECT name, principal, made, revoked FROM tokens ORDER BY made, rowid",
            "SELECT principal, name, body, status, first_seq, last_seq, appended"
            " FROM idem WHERE key = ?1",
            "INSERT INTO idem(key, principal, name, body, status, first_seq, last_seq, appended, made)"
            " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        };
        for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
            rc = sqlite3_prepare_v3(j->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, dst[i], NULL);
            if (rc != SQLITE_OK) {
                st = dberr(j, rc, "the tokens table", err, errsz);
                for (size_t k = 0; k < sizeof sql / sizeof sql[0]; k++) {
                    (void)sqlite3_finalize(*dst[k]);
                    *dst[k] = NULL;
                }
                return st == ENT_EIO ? ENT_EINPUT : st;   /* tables not of our making */
            }
        }
    }
    j->aux = 1;
    return ENT_OK;
}

/* Copy a text column into buf (NUL-terminated, truncated). */
static void column_copy(sqlite3_stmt *s, int col, char *buf, size_t bufsz)
{
    const unsigned char *v = sqlite3_column_text(s, col);
    snprintf(buf, bufsz, "%s", v ? (const char *)v : "");
}

static void tok_clear(ent_journal *j)
{
    if (j->tcache) memset(j->tcache, 0, TOK_SLOTS * sizeof *j->tcache);
}

static tok_slot *tok_slot_of(ent_journal *j, const unsigned char hash[ENT_HASH_BYTES])
{
    uint32_t h = (uint32_t)hash[0] | (uint32_t)hash[1] << 8 | (uint32_t)hash[2] << 16;
    return &j->tcache[h & (TOK_SLOTS - 1)];
}

int ent__journal_token_sync(ent_journal *j)
{
    int rc;
    if (!j->dver) {
        rc = sqlite3_prepare_v3(j->db, "PRAGMA data_version", -1, SQLITE_PREPARE_PERSISTENT, &j->dver, NULL);
        if (rc != SQLITE_OK) {
            tok_clear(j);
            return status_of(rc);
        }
    }
    rc = sqlite3_step(j->dver);
    if (rc != SQLITE_ROW) {
        stmt_done(j->dver);
        tok_clear(j);
        return status_of(rc);
    }
    sqlite3_int64 v = sqlite3_column_int64(j->dver, 0);
    stmt_done(j->dver);
    if (v != j->dver_seen) tok_clear(j);
    j->dver_seen = v;
    return ENT_OK;
}

int ent__journal_token_add(ent_journal *j, const unsigned char hash[ENT_HASH_BYTES],
                           const char *principal, const char *name, char *err, size_t errsz)
{
    int rc, st;
    tok_clear(j);
    if ((st = writable(j, err, errsz)) != ENT_OK) return st;
    if ((st = aux_ready(j, 1, err, errsz)) != ENT_OK) return st;
    rc = sqlite3_bind_blob(j->tok_ins, 1, hash, ENT_HASH_BYTES, SQLITE_STATIC);
    if (rc == SQLITE_OK) rc = sqlite3_bind_text(j->tok_ins, 2, name, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK) rc = sqlite3_bind_text(j->tok_ins, 3, principal, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(j->tok_ins);
        if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    if (rc == SQLITE_CONSTRAINT) {
        stmt_done(j->tok_ins);
        seterr(err, errsz, "a live token is already named \"%s\" (revoke it first)", name);
        return ENT_EUSAGE;
    }
    if (rc != SQLITE_OK) st = dberr(j, rc, "adding a token", err, errsz);
    stmt_done(j->tok_ins);
    return st;
}

int ent__journal_token_find(ent_journal *j, const unsigned char hash[ENT_HASH_BYTES],
                            char principal[16], char name[64])
{
    int rc, st = ENT_ENOTFOUND;
    tok_slot *slot = j->tcache ? tok_slot_of(j, hash) : NULL;
    if (slot && slot->used && sodium_memcmp(slot->hash, hash, ENT_HASH_BYTES) == 0) {
        memcpy(principal, slot->principal, 16);
        memcpy(name, slot->name, 64);
        return ENT_OK;
    }
    if (aux_ready(j, 0, NULL, 0) != ENT_OK) return ENT_ENOTFOUND;
    rc = sqlite3_bind_blob(j->tok_get, 1, hash, ENT_HASH_BYTES, SQLITE_STATIC);
    if (rc != SQLITE_OK) return ENT_EIO;
    rc = sqlite3_step(j->tok_get);
    if (rc == SQLITE_ROW) {
        const void *h = sqlite3_column_blob(j->tok_get, 0);
        /* the index found the row; the constant-time compare decides */
        if (h && sqlite3_column_bytes(j->tok_get, 0) == ENT_HASH_BYTES &&
            sodium_memcmp(h, hash, ENT_HASH_BYTES) == 0) {
            column_copy(j->tok_get, 1, principal, 16);
            column_copy(j->tok_get, 2, name, 64);
            st = ENT_OK;
            if (!j->tcache && (j->tcache = ent__malloc(TOK_SLOTS * sizeof *j->tcache)) != NULL) tok_clear(j);
            if (j->tcache) {
                slot = tok_slot_of(j, hash);
                memcpy(slot->hash, hash, ENT_HASH_BYTES);
                memcpy(slot->principal, principal, 16);
                memcpy(slot->name, name, 64);
                slot->used = 1;
            }
        }
    } else if (rc != SQLITE_DONE) {
        st = status_of(rc);
    }
    stmt_done(j->tok_get);
    return st;
}

int ent__journal_token_revoke(ent_journal *j, const char *name, char *err, size_t errsz)
{
    int rc, st;
    tok_clear(j);
    if ((st = writable(j, err, errsz)) != ENT_OK) return st;
    st = aux_ready(j, 0, err, errsz);
    if (st == ENT_ENOTFOUND) {
        seterr(err, errsz, "no live token named \"%s\"", name);
        return ENT_ENOTFOUND;
    }
    if (st != ENT_OK) return st;
    rc = sqlite3_bind_text(j->tok_rev, 1, name, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(j->tok_rev);
        if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    if (rc != SQLITE_OK) {
        st = dberr(j, rc, "revoking a token", err, errsz);
    } else if (sqlite3_changes(j->db) == 0) {
        seterr(err, errsz, "no live token named \"%s\"", name);
        st = ENT_ENOTFOUND;
    }
    stmt_done(j->tok_rev);
    return st;
}

int ent__journal_token_list(ent_journal *j, ent_token_fn fn, void *ud, char *err, size_t errsz)
{
    int rc, st = aux_ready(j, 0, err, errsz);
    if (st == ENT_ENOTFOUND) return ENT_OK;     /* no table: no tokens */
    if (st != ENT_OK) return st;
    while ((rc = sqlite3_step(j->tok_all)) == SQLITE_ROW) {
        const unsigned char *v[4];
        for (int i = 0; i < 4; i++) v[i] = sqlite3_column_text(j->tok_all, i);
        if (!v[0] || !v[1] || !v[2]) continue;  /* NOT NULL columns: cannot happen */
        if ((st = fn(ud, (const char *)v[0], (const char *)v[1], (const char *)v[2],
                     (const char *)v[3])) != 0) {
            stmt_done(j->tok_all);
            return st;
        }
    }
    st = rc == SQLITE_DONE ? ENT_OK : dberr(j, rc, "listing tokens", err, errsz);
    stmt_done(j->tok_all);
    return st;
}

int ent__journal_idem_prepare(ent_journal *j, char *err, size_t errsz)
{
    return aux_ready(j, 1, err, errsz);
}

int ent__journal_idem_get(ent_journal *j, const char *key, ent_idem *out)
{
    int rc, st = ENT_ENOTFOUND;
    if (aux_ready(j, 0, NULL, 0) != ENT_OK) return ENT_ENOTFOUND;
    rc = sqlite3_bind_text(j->idem_get, 1, key, -1, SQLITE_STATIC);
    if (rc != SQLITE_OK) return ENT_EIO;
    rc = sqlite3_step(j->idem_get);
    if (rc == SQLITE_ROW) {
        const void *b = sqlite3_column_blob(j->idem_get, 2);
        memset(out, 0, sizeof *out);
        column_copy(j->idem_get, 0, out->principal, sizeof out->principal);
        column_copy(j->idem_get, 1, out->name, sizeof out->name);
        if (b && sqlite3_column_bytes(j->idem_get, 2) == ENT_HASH_BYTES)
            memcpy(out->body, b, ENT_HASH_BYTES);
        out->status = sqlite3_column_int(j->idem_get, 3);
        out->first_seq = (uint64_t)sqlite3_column_int64(j->idem_get, 4);
        out->last_seq = (uint64_t)sqlite3_column_int64(j->idem_get, 5);
        out->appended = (uint64_t)sqlite3_column_int64(j->idem_get, 6);
        st = ENT_OK;
    } else if (rc != SQLITE_DONE) {
        st = status_of(rc);
    }
    stmt_done(j->idem_get);
    return st;
}

int ent__journal_idem_put(ent_journal *j, const char *key, const ent_idem *v, char *err,
                          size_t errsz)
{
    int rc;
    if (!j->in_txn || !j->aux) {
        seterr(err, errsz, "idem_put: %s", j->in_txn ? "no idem table (call idem_prepare)"
                                                     : "no transaction");
        return ENT_ESOFTWARE;
    }
    rc = sqlite3_bind_text(j->idem_put, 1, key, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK) rc = sqlite3_bind_text(j->idem_put, 2, v->principal, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK) rc = sqlite3_bind_text(j->idem_put, 3, v->name, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK) rc = sqlite3_bind_blob(j->idem_put, 4, v->body, ENT_HASH_BYTES, SQLITE_STATIC);
    if (rc == SQLITE_OK) rc = sqlite3_bind_int(j->idem_put, 5, v->status);
    if (rc == SQLITE_OK) rc = sqlite3_bind_int64(j->idem_put, 6, (sqlite3_int64)v->first_seq);
    if (rc == SQLITE_OK) rc = sqlite3_bind_int64(j->idem_put, 7, (sqlite3_int64)v->last_seq);
    if (rc == SQLITE_OK) rc = sqlite3_bind_int64(j->idem_put, 8, (sqlite3_int64)v->appended);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(j->idem_put);
        if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    if (rc != SQLITE_OK) {
        int st = dberr(j, rc, "storing an idempotency key", err, errsz);
        stmt_done(j->idem_put);
        return st;
    }
    stmt_done(j->idem_put);
    return ENT_OK;
}
