/*
** store.h: the journal, private to libentente. The only code that includes
** sqlite3.h lives in src/store/ (journal.c).
**
** A journal is one SQLite file (WAL mode, synchronous=FULL) with an
** append-only events table (triggers forbid UPDATE and DELETE) and a meta
** table. Each event is chained:
**     hash = BLAKE2b-256(prev_hash || canonical encoding of the event)
** where the canonical encoding is, in order and each followed by one NUL:
** the sequence number in decimal (no leading zeros), date, subject, verb,
** args, text, src. An absent text (NULL) is encoded as the single byte 0x01
** (then its NUL), an empty text as nothing (then its NUL); so that this is
** unambiguous, the one-byte text "\x01" is refused by append and by scan.
** Fields are C strings (scan reads a stored value up to its first NUL;
** anything after it is not part of the event). The first event's prev_hash
** is 32 zero bytes.
**
** meta keys "format", "count" and "head" belong to the journal itself:
** "count" and "head" (hex of the last hash) are rewritten by every commit in
** the same transaction, so that a lost tail of events, which the chain alone
** cannot reveal, is reported by scan (and refused by begin).
**
** Opening checks that the file is a journal; ent__journal_scan verifies
** the chain (the library's ent_open scans to replay, which verifies) and
** reports the first bad sequence number.
**
** Messages written to err do not name the file: the caller's report does
** (ent_report renders "j.db: error: event 17: hash does not match its
** contents"). err may be NULL. A journal may be used by one thread at a
** time.
*/
#ifndef ENT_STORE_H
#define ENT_STORE_H

#include <stddef.h>
#include <stdint.h>

#define ENT_JOURNAL_FORMAT "entente-journal-1"
#define ENT_HASH_BYTES 32

typedef struct ent_journal ent_journal;

/* One event as stored. Strings are NUL-terminated; during a scan callback
** they are valid only until the callback returns. */
typedef struct ent_event {
    uint64_t seq;            /* 1, 2, 3, ... (assigned by append) */
    const char *date;        /* "YYYY-MM-DD" */
    const char *subject;
    const char *verb;
    const char *args;        /* canonical arguments (ent__stmt_write_args), may be "" */
    const char *text;        /* the quoted text, unescaped; NULL if the line had none */
    const char *src;         /* source position "file:line" */
    unsigned char hash[ENT_HASH_BYTES];
} ent_event;

/* Open (or create, if create != 0 and the file does not exist or is an
** empty database) a journal. path ":memory:" gives a new, empty, writable
** in-memory journal whatever create and readonly say. readonly never writes
** the file (and implies no create). Status values are those of entente.h:
** ENT_OK; ENT_ENOINPUT if the file is missing (and may not be created) or
** cannot be opened; ENT_EINPUT "not an entente journal: ..." for a
** file that is not SQLite, lacks the tables or has another format;
** ENT_ENOMEM; ENT_EIO for other SQLite errors. *created (may be NULL) is set
** to 1 when a new, empty journal was made. On failure *out is NULL and err
** gets a message. The chain is not verified here: see ent__journal_scan. */
int ent__journal_open(ent_journal **out, const char *path, int create, int readonly,
                      int *created, char *err, size_t errsz);
void ent__journal_close(ent_journal *j);

/* Metadata (charter name, ...). set writes inside the open transaction if
** there is one, else on its own; the journal's own keys "format", "count"
** and "head" are refused (ENT_ESOFTWARE). get returns a new string
** (ent__free) or NULL if absent (or on any error). */
int ent__journal_meta_set(ent_journal *j, const char *key, const char *val, char *err, size_t errsz);
char *ent__journal_meta_get(ent_journal *j, const char *key);

/* Appending: begin, append any number, then commit (durable with
** synchronous=FULL) or rollback. append assigns ev->seq and ev->hash.
**   begin takes the write lock (waiting up to 5 s for another writer) and
**     fails with ENT_EIO if the journal has changed since this handle last
**     saw it (another connection appended: reopen), with ENT_EINPUT if meta
**     disagrees with the events (a lost tail), ENT_EIO if read-only.
**   append fails with ENT_ESOFTWARE outside begin/commit, for a NULL field
**     other than text, or for the text "\x01". After a failed append the
**     caller rolls back.
**   commit also writes meta "count" and "head". If it fails the transaction
**     has been rolled back (calling rollback as well is harmless).
**   rollback restores count and head to their values at begin; it is a
**     no-op outside a transaction. close rolls back an open transaction. */
int ent__journal_begin(ent_journal *j, char *err, size_t errsz);
int ent__journal_append(ent_journal *j, ent_event *ev, char *err, size_t errsz);
int ent__journal_commit(ent_journal *j, char *err, size_t errsz);
void ent__journal_rollback(ent_journal *j);

/* Visit events with seq > after in order, verifying the chain from the
** start (so verification always covers the whole prefix). fn may be NULL
** (verify only). The callback returns 0 to go on, non-zero to stop (that
** value is returned); it must not scan or append on the same journal. A row
** is verified before it is passed to fn. On a broken chain returns
** ENT_EINPUT with *bad_seq (may be NULL) set to the first bad sequence
** number and err saying what is wrong:
**     "event 17: hash does not match its contents"
**     "event 17: broken chain (prev hash differs)"
**     "event 17: missing (sequence jumps to 19)"
**     "event 20: missing (the journal records 20 events, 19 found)"
**     "event 17: unreadable: database disk image is malformed"
** *bad_seq is 0 when the fault is in meta rather than at an event. Outside a
** transaction the scan also compares the result with meta count/head;
** inside one (meta describes the state at begin) it does not. Other
** failures: ENT_EIO / ENT_ENOMEM, ENT_ESOFTWARE if called during a scan. */
typedef int (*ent_event_fn)(void *ud, const ent_event *ev);
int ent__journal_scan(ent_journal *j, uint64_t after, ent_event_fn fn, void *ud,
                      uint64_t *bad_seq, char *err, size_t errsz);

/* Sequence number of the last event (0 when empty), including events
** appended in the open transaction. */
uint64_t ent__journal_count(ent_journal *j);
/* Hash of the last event (32 zero bytes when empty). */
void ent__journal_head(ent_journal *j, unsigned char out[ENT_HASH_BYTES]);

/* Visit the events with seq > after, at most max of them (0: all), in
** order, reading only that range (the live feed: ent_log_after). Unlike
** scan it does not verify the chain from the start: it checks that the
** rows are consecutive, that each row's hash matches its contents and prev,
** and that the first row's prev is the hash of event `after` (the prefix
** was verified when the journal was opened and replayed, and this handle is
** its only writer: begin refuses a journal changed behind its back). The
** same errors as scan (ENT_EINPUT "event N: ..."); fn as for scan. */
int ent__journal_read(ent_journal *j, uint64_t after, size_t max, ent_event_fn fn, void *ud,
                      char *err, size_t errsz);

/* The crisis room's tables (entente.h), outside the hash chain:
**     tokens(hash BLOB PRIMARY KEY, name, principal, made, revoked)
**         -- a unique index on name among live (revoked IS NULL) rows
**     idem(key TEXT PRIMARY KEY, principal, name, body BLOB, status,
**          first_seq, last_seq, appended, made)
** They are created on first need (a token added, a batch with idempotency
** keys), so opening never writes; a journal without them has no tokens and
** no keys. made/revoked are UTC times "YYYY-MM-DDTHH:MM:SSZ" from SQLite's
** clock (bookkeeping, not part of the model). Only a token's hash is
** stored.
**   token_add: ENT_OK; ENT_EUSAGE when a live token has that name; ENT_EIO
**     for a read-only journal ("... has no tokens table yet" when it lacks
**     the table) or an SQLite error.
**   token_find: the live token with this hash (looked up by the index, then
**     compared with sodium_memcmp): ENT_OK with its principal and name;
**     ENT_ENOTFOUND (no such live token, or no table); ENT_EIO. A live
**     token found is kept in memory (the cache) and found there next time,
**     until this connection adds or revokes a token, or token_sync sees
**     that another connection has committed (PRAGMA data_version): call
**     token_sync before a lookup, or once before a group of them.
**   token_revoke: ENT_OK, or ENT_ENOTFOUND when no live token has the name.
**   token_list: every token, live or revoked, in the order made; fn returns
**     non-zero to stop (that value is returned). revoked is NULL if live.
**   idem_prepare: create the tables if needed (outside a transaction), so
**     that idem_put may run inside one.
**   idem_get: ENT_OK with the stored outcome, or ENT_ENOTFOUND.
**   idem_put: inside begin/commit only (ENT_ESOFTWARE otherwise); a key
**     already stored fails (the caller looks up first). */
typedef int (*ent_token_fn)(void *ud, const char *name, const char *principal, const char *made,
                            const char *revoked);
typedef struct ent_idem {
    char principal[16];
    char name[64];
    unsigned char body[ENT_HASH_BYTES];   /* hash of what the command said (api/db.c) */
    int status;
    uint64_t first_seq, last_seq, appended;
} ent_idem;
int ent__journal_token_add(ent_journal *j, const unsigned char hash[ENT_HASH_BYTES],
                           const char *principal, const char *name, char *err, size_t errsz);
int ent__journal_token_find(ent_journal *j, const unsigned char hash[ENT_HASH_BYTES],
                            char principal[16], char name[64]);
int ent__journal_token_revoke(ent_journal *j, const char *name, char *err, size_t errsz);
int ent__journal_token_sync(ent_journal *j);
int ent__journal_token_list(ent_journal *j, ent_token_fn fn, void *ud, char *err, size_t errsz);
int ent__journal_idem_prepare(ent_journal *j, char *err, size_t errsz);
int ent__journal_idem_get(ent_journal *j, const char *key, ent_idem *out);
int ent__journal_idem_put(ent_journal *j, const char *key, const ent_idem *v, char *err,
                          size_t errsz);

/* Tests only: run SQL on the journal's connection, bypassing every check.
** ENT_OK, or the status of the SQLite error with its message in err. */
int ent__journal_exec_for_test(ent_journal *j, const char *sql, char *err, size_t errsz);

#endif /* ENT_STORE_H */
