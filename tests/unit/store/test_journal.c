/*
** test_journal.c: unit tests for src/store/journal.c (the contract is
** src/store/store.h). Tests never include sqlite3.h: they reach SQL only
** through ent__journal_exec_for_test, and tamper with files as raw bytes.
** Temporary journals live under $TMPDIR (or /tmp) and are removed, with
** their -wal and -shm files, at the end of each test.
*/
#include "../test.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "entente.h"
#include "../../../src/store/store.h"
#include "../../../src/util/util.h"

static char errbuf[512];

/* A fresh, existing, empty file name (mkstemp); the journal code treats an
** empty file as an empty database. */
static void tmp_path(char *buf, size_t n)
{
    const char *dir = getenv("TMPDIR");
    int fd;
    snprintf(buf, n, "%s/ent-journal-XXXXXX", dir && *dir ? dir : "/tmp");
    fd = mkstemp(buf);
    if (fd < 0) {
        perror("mkstemp");
        abort();
    }
    close(fd);
}

static void tmp_remove(const char *path) { ent_test_unlink_journal(path); }

/* Build event i: its strings live in the caller's buffers. */
typedef struct evbuf {
    char subject[32], args[64], text[64], src[32];
    ent_event ev;
} evbuf;

static ent_event *make_event(evbuf *b, int i)
{
    memset(b, 0, sizeof *b);
    snprintf(b->subject, sizeof b->subject, "state-%d", i % 7);
    snprintf(b->args, sizeof b->args, i % 5 ? "n=%d" : "", i);
    snprintf(b->text, sizeof b->text, "tamper-me-%03d", i);
    snprintf(b->src, sizeof b->src, "history.chron:%d", i);
    b->ev.date = "2022-01-06";
    b->ev.subject = b->subject;
    b->ev.verb = i % 2 ? "deploy" : "join";
    b->ev.args = b->args;
    /* every third event has no text, every eleventh an empty one */
    b->ev.text = i % 3 == 0 ? NULL : i % 11 == 0 ? "" : b->text;
    b->ev.src = b->src;
    return &b->ev;
}

/* Append events first..last (inclusive) in one transaction. */
static void append_range(ent_journal *j, int first, int last)
{
    evbuf b;
    ASSERT_EQ(ent__journal_begin(j, errbuf, sizeof errbuf), ENT_OK);
    for (int i = first; i <= last; i++) {
        ASSERT_EQ(ent__journal_append(j, make_event(&b, i), errbuf, sizeof errbuf), ENT_OK);
        ASSERT_EQ(b.ev.seq, i);
    }
    ASSERT_EQ(ent__journal_commit(j, errbuf, sizeof errbuf), ENT_OK);
}

static ent_journal *make_journal(const char *path, int n)
{
    ent_journal *j = NULL;
    int created = 0;
    ASSERT_EQ(ent__journal_open(&j, path, 1, 0, &created, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(created, 1);
    if (n > 0) append_range(j, 1, n);
    return j;
}

/* Scan callback: checks each event against make_event and counts them. */
typedef struct seen {
    uint64_t n, first, last;
    int mismatch;
    unsigned char hash[ENT_HASH_BYTES];
} seen;

static int same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static int check_cb(void *ud, const ent_event *ev)
{
    seen *s = ud;
    evbuf b;
    ent_event *want = make_event(&b, (int)ev->seq);
    if (!same_str(ev->date, want->date) || !same_str(ev->subject, want->subject) ||
        !same_str(ev->verb, want->verb) || !same_str(ev->args, want->args) ||
        !same_str(ev->text, want->text) || !same_str(ev->src, want->src))
        s->mismatch++;
    if (!s->n) s->first = ev->seq;
    s->last = ev->seq;
    s->n++;
    memcpy(s->hash, ev->hash, ENT_HASH_BYTES);
    return 0;
}

static int stop_cb(void *ud, const ent_event *ev)
{
    (void)ud;
    return ev->seq == 4 ? 42 : 0;
}

static unsigned char *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    unsigned char *p;
    long sz;
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    p = malloc((size_t)sz + 1);
    if (p && fread(p, 1, (size_t)sz, f) != (size_t)sz) {
        free(p);
        p = NULL;
    }
    fclose(f);
    *n = (size_t)sz;
    return p;
}

static int write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    int ok;
    if (!f) return -1;
    ok = fwrite(p, 1, n, f) == n;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* memmem, which glibc hides without _GNU_SOURCE. */
static unsigned char *find_bytes(unsigned char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; m <= n && i <= n - m; i++)
        if (memcmp(hay + i, needle, m) == 0) return hay + i;
    return NULL;
}

static int file_exists_nonempty(const char *path)
{
    FILE *f = fopen(path, "rb");
    long sz;
    if (!f) return 0;
    fseek(f, 0, SEEK_END);
    sz = ftell(f);
    fclose(f);
    return sz > 0;
}

/* ------------------------------------------------------------------ */

TEST(journal_roundtrip)
{
    char path[512];
    unsigned char head[ENT_HASH_BYTES], head2[ENT_HASH_BYTES];
    ent_journal *j;
    seen s = { 0 };
    uint64_t bad = 99;
    int created = 7;

    tmp_path(path, sizeof path);
    j = make_journal(path, 25);
    ASSERT_EQ(ent__journal_count(j), 25);
    ent__journal_head(j, head);
    ent__journal_close(j);

    ASSERT_EQ(ent__journal_open(&j, path, 0, 0, &created, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(created, 0);
    ASSERT_EQ(ent__journal_count(j), 25);
    ent__journal_head(j, head2);
    ASSERT(memcmp(head, head2, ENT_HASH_BYTES) == 0);

    ASSERT_EQ(ent__journal_scan(j, 0, check_cb, &s, &bad, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(bad, 0);
    ASSERT_EQ(s.n, 25);
    ASSERT_EQ(s.first, 1);
    ASSERT_EQ(s.mismatch, 0);
    ASSERT(memcmp(s.hash, head, ENT_HASH_BYTES) == 0);

    /* after > 0: the whole chain is verified, only the tail is visited */
    memset(&s, 0, sizeof s);
    ASSERT_EQ(ent__journal_scan(j, 20, check_cb, &s, &bad, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(s.n, 5);
    ASSERT_EQ(s.first, 21);
    ASSERT_EQ(s.last, 25);
    ASSERT_EQ(s.mismatch, 0);

    /* a callback's non-zero return stops the scan and is returned */
    ASSERT_EQ(ent__journal_scan(j, 0, stop_cb, NULL, &bad, errbuf, sizeof errbuf), 42);
    /* fn may be NULL: verify only */
    ASSERT_EQ(ent__journal_scan(j, 0, NULL, NULL, NULL, errbuf, sizeof errbuf), ENT_OK);

    /* appending continues the chain after a reopen */
    append_range(j, 26, 30);
    memset(&s, 0, sizeof s);
    ASSERT_EQ(ent__journal_scan(j, 0, check_cb, &s, &bad, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(s.n, 30);
    ent__journal_close(j);
    tmp_remove(path);
}

/* The encoding of store.h, computed independently. */
TEST(journal_hash_encoding)
{
    static const char enc_null[] = "1\0" "2022-01-06\0" "RU\0" "join\0" "a=1\0" "\x01\0" "f:1";
    static const char enc_empty[] = "2\0" "2022-01-06\0" "RU\0" "join\0" "a=1\0" "\0" "f:1";
    unsigned char buf[256], want[ENT_HASH_BYTES], h1[ENT_HASH_BYTES];
    ent_event ev = { 0, "2022-01-06", "RU", "join", "a=1", NULL, "f:1", { 0 } };
    ent_journal *j;

    ASSERT(sodium_init() >= 0);
    ASSERT_EQ(ent__journal_open(&j, ":memory:", 1, 0, NULL, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_begin(j, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_append(j, &ev, errbuf, sizeof errbuf), ENT_OK);
    memcpy(h1, ev.hash, ENT_HASH_BYTES);
    memset(buf, 0, ENT_HASH_BYTES);                 /* prev: 32 zero bytes */
    memcpy(buf + ENT_HASH_BYTES, enc_null, sizeof enc_null);   /* incl. final NUL */
    crypto_generichash(want, ENT_HASH_BYTES, buf, ENT_HASH_BYTES + sizeof enc_null, NULL, 0);
    ASSERT(memcmp(ev.hash, want, ENT_HASH_BYTES) == 0);

    /* "" and NULL text hash differently */
    ev.text = "";
    ASSERT_EQ(ent__journal_append(j, &ev, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ev.seq, 2);
    memcpy(buf, h1, ENT_HASH_BYTES);
    memcpy(buf + ENT_HASH_BYTES, enc_empty, sizeof enc_empty);
    crypto_generichash(want, ENT_HASH_BYTES, buf, ENT_HASH_BYTES + sizeof enc_empty, NULL, 0);
    ASSERT(memcmp(ev.hash, want, ENT_HASH_BYTES) == 0);

    /* the one text that would collide with NULL is refused */
    ev.text = "\x01";
    ASSERT_EQ(ent__journal_append(j, &ev, errbuf, sizeof errbuf), ENT_ESOFTWARE);
    ASSERT_CONTAINS(errbuf, "reserved");
    ASSERT_EQ(ent__journal_count(j), 2);
    ASSERT_EQ(ent__journal_commit(j, errbuf, sizeof errbuf), ENT_OK);
    ent__journal_close(j);
}

TEST(journal_append_only)
{
    ent_journal *j;
    ASSERT_EQ(ent__journal_open(&j, ":memory:", 1, 0, NULL, errbuf, sizeof errbuf), ENT_OK);
    append_range(j, 1, 3);
    ASSERT_EQ(ent__journal_exec_for_test(j, "UPDATE events SET subject = 'x' WHERE seq = 2",
                                         errbuf, sizeof errbuf), ENT_EIO);
    ASSERT_CONTAINS(errbuf, "the journal is append-only");
    ASSERT_EQ(ent__journal_exec_for_test(j, "DELETE FROM events WHERE seq = 3",
                                         errbuf, sizeof errbuf), ENT_EIO);
    ASSERT_CONTAINS(errbuf, "the journal is append-only");
    ASSERT_EQ(ent__journal_scan(j, 0, NULL, NULL, NULL, errbuf, sizeof errbuf), ENT_OK);
    ent__journal_close(j);
}

TEST(journal_tamper_detected)
{
    char path[512], wal[600];
    unsigned char *p, *hit;
    ent_journal *j;
    seen s = { 0 };
    uint64_t bad = 0;
    size_t n;

    tmp_path(path, sizeof path);
    ent__journal_close(make_journal(path, 20));
    snprintf(wal, sizeof wal, "%s-wal", path);
    ASSERT(!file_exists_nonempty(wal));   /* checkpointed on close */

    p = read_file(path, &n);
    ASSERT(p != NULL);
    hit = find_bytes(p, n, "tamper-me-017");
    ASSERT(hit != NULL);
    ASSERT(find_bytes(hit + 1, n - (size_t)(hit + 1 - p), "tamper-me-017") == NULL);
    hit[0] = 'T';
    ASSERT_EQ(write_file(path, p, n), 0);
    free(p);

    ASSERT_EQ(ent__journal_open(&j, path, 0, 0, NULL, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_scan(j, 0, check_cb, &s, &bad, errbuf, sizeof errbuf), ENT_EINPUT);
    ASSERT_EQ(bad, 17);
    ASSERT_CONTAINS(errbuf, "event 17: hash does not match its contents");
    ASSERT_EQ(s.n, 16);            /* only verified events reach the callback */
    ent__journal_close(j);
    tmp_remove(path);
}

TEST(journal_truncation_detected)
{
    char path[512];
    ent_journal *j;
    uint64_t bad = 0;

    tmp_path(path, sizeof path);
    j = make_journal(path, 20);
    ASSERT_EQ(ent__journal_exec_for_test(j, "DROP TRIGGER events_no_delete;"
                                         " DELETE FROM events WHERE seq = 20",
                                         errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_scan(j, 0, NULL, NULL, &bad, errbuf, sizeof errbuf), ENT_EINPUT);
    ASSERT_EQ(bad, 20);
    ASSERT_CONTAINS(errbuf, "event 20: missing");
    ent__journal_close(j);

    /* the same after a reopen; and appending over the loss is refused */
    ASSERT_EQ(ent__journal_open(&j, path, 0, 0, NULL, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_count(j), 19);
    bad = 0;
    ASSERT_EQ(ent__journal_scan(j, 0, NULL, NULL, &bad, errbuf, sizeof errbuf), ENT_EINPUT);
    ASSERT_EQ(bad, 20);
    ASSERT_EQ(ent__journal_begin(j, errbuf, sizeof errbuf), ENT_EINPUT);
    ASSERT_CONTAINS(errbuf, "event 20: missing");

    /* a hole in the middle */
    ASSERT_EQ(ent__journal_exec_for_test(j, "DELETE FROM events WHERE seq = 5",
                                         errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_scan(j, 0, NULL, NULL, &bad, errbuf, sizeof errbuf), ENT_EINPUT);
    ASSERT_EQ(bad, 5);
    ASSERT_CONTAINS(errbuf, "event 5: missing (sequence jumps to 6)");
    ent__journal_close(j);
    tmp_remove(path);
}

TEST(journal_broken_chain_detected)
{
    ent_journal *j;
    uint64_t bad = 0;
    ASSERT_EQ(ent__journal_open(&j, ":memory:", 1, 0, NULL, errbuf, sizeof errbuf), ENT_OK);
    append_range(j, 1, 10);
    /* rewrite event 6's prev: its own hash no longer matches either, but
    ** the chain check comes first */
    ASSERT_EQ(ent__journal_exec_for_test(j, "DROP TRIGGER events_no_update;"
                                         " UPDATE events SET prev = zeroblob(32) WHERE seq = 6",
                                         errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_scan(j, 0, NULL, NULL, &bad, errbuf, sizeof errbuf), ENT_EINPUT);
    ASSERT_EQ(bad, 6);
    ASSERT_CONTAINS(errbuf, "event 6: broken chain (prev hash differs)");
    ent__journal_close(j);
}

TEST(journal_corruption_detected)
{
    char path[512];
    unsigned char *p;
    ent_journal *j;
    seen s = { 0 };
    uint64_t bad = 0;
    size_t n;
    int st;

    tmp_path(path, sizeof path);
    ent__journal_close(make_journal(path, 2000));
    p = read_file(path, &n);
    ASSERT(p != NULL);
    ASSERT(n > 40 * 4096);
    memset(p + 20 * 4096, 0xff, 4096);   /* a leaf page in the middle of events */
    ASSERT_EQ(write_file(path, p, n), 0);
    free(p);

    ASSERT_EQ(ent__journal_open(&j, path, 0, 0, NULL, errbuf, sizeof errbuf), ENT_OK);
    st = ent__journal_scan(j, 0, check_cb, &s, &bad, errbuf, sizeof errbuf);
    ASSERT_EQ(st, ENT_EINPUT);
    ASSERT(bad > 1 && bad < 2000);
    ASSERT_EQ(s.n, bad - 1);
    ASSERT_CONTAINS(errbuf, "unreadable");
    ent__journal_close(j);
    tmp_remove(path);
}

TEST(journal_not_sqlite)
{
    char path[512];
    ent_journal *j = (ent_journal *)&j;
    tmp_path(path, sizeof path);
    ASSERT_EQ(write_file(path, "hello", 5), 0);
    ASSERT_EQ(ent__journal_open(&j, path, 1, 0, NULL, errbuf, sizeof errbuf), ENT_EINPUT);
    ASSERT(j == NULL);
    ASSERT_CONTAINS(errbuf, "not an entente journal: file is not a database");
    tmp_remove(path);
}

TEST(journal_wrong_format)
{
    char path[512];
    ent_journal *j;
    tmp_path(path, sizeof path);
    j = make_journal(path, 2);
    ASSERT_EQ(ent__journal_exec_for_test(j, "UPDATE meta SET value = 'x' WHERE key = 'format'",
                                         errbuf, sizeof errbuf), ENT_OK);
    ent__journal_close(j);
    ASSERT_EQ(ent__journal_open(&j, path, 1, 0, NULL, errbuf, sizeof errbuf), ENT_EINPUT);
    ASSERT_CONTAINS(errbuf, "not an entente journal: format is \"x\"");
    tmp_remove(path);
}

TEST(journal_other_sqlite_file)
{
    char path[512];
    ent_journal *j;
    tmp_path(path, sizeof path);
    j = make_journal(path, 0);
    ASSERT_EQ(ent__journal_exec_for_test(j, "CREATE TABLE other(x); DROP TABLE events",
                                         errbuf, sizeof errbuf), ENT_OK);
    ent__journal_close(j);
    ASSERT_EQ(ent__journal_open(&j, path, 1, 0, NULL, errbuf, sizeof errbuf), ENT_EINPUT);
    ASSERT_CONTAINS(errbuf, "not an entente journal: no events table");
    tmp_remove(path);
}

TEST(journal_missing_file)
{
    char path[512];
    ent_journal *j;
    int created = 5;
    tmp_path(path, sizeof path);
    tmp_remove(path);
    ASSERT_EQ(ent__journal_open(&j, path, 0, 0, &created, errbuf, sizeof errbuf), ENT_ENOINPUT);
    ASSERT_EQ(created, 0);
    ASSERT_EQ(ent__journal_open(&j, path, 1, 1, &created, errbuf, sizeof errbuf), ENT_ENOINPUT);
    ASSERT(access(path, F_OK) != 0);     /* nothing was created */
    ASSERT_EQ(ent__journal_open(&j, path, 1, 0, &created, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(created, 1);
    ent__journal_close(j);
    tmp_remove(path);
}

TEST(journal_rollback_restores)
{
    unsigned char h3[ENT_HASH_BYTES], h[ENT_HASH_BYTES];
    ent_journal *j;
    seen s = { 0 };
    evbuf b;

    ASSERT_EQ(ent__journal_open(&j, ":memory:", 1, 0, NULL, errbuf, sizeof errbuf), ENT_OK);
    append_range(j, 1, 3);
    ent__journal_head(j, h3);
    ASSERT_EQ(ent__journal_begin(j, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_append(j, make_event(&b, 4), errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_append(j, make_event(&b, 5), errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_count(j), 5);
    ent__journal_rollback(j);
    ASSERT_EQ(ent__journal_count(j), 3);
    ent__journal_head(j, h);
    ASSERT(memcmp(h, h3, ENT_HASH_BYTES) == 0);
    ASSERT_EQ(ent__journal_scan(j, 0, check_cb, &s, NULL, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(s.n, 3);
    ent__journal_rollback(j);            /* no transaction: a no-op */

    /* the chain goes on from 3 */
    append_range(j, 4, 6);
    memset(&s, 0, sizeof s);
    ASSERT_EQ(ent__journal_scan(j, 0, check_cb, &s, NULL, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(s.n, 6);
    ASSERT_EQ(s.mismatch, 0);

    /* close with an open transaction rolls it back */
    ent__journal_close(j);
}

TEST(journal_misuse_refused)
{
    ent_journal *j;
    evbuf b;
    ent_event bad_ev = { 0, "2022-01-06", NULL, "join", "", NULL, "f:1", { 0 } };

    ASSERT_EQ(ent__journal_open(&j, ":memory:", 1, 0, NULL, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_append(j, make_event(&b, 1), errbuf, sizeof errbuf), ENT_ESOFTWARE);
    ASSERT_CONTAINS(errbuf, "no transaction");
    ASSERT_EQ(ent__journal_count(j), 0);
    ASSERT_EQ(ent__journal_commit(j, errbuf, sizeof errbuf), ENT_ESOFTWARE);
    ASSERT_EQ(ent__journal_begin(j, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_begin(j, errbuf, sizeof errbuf), ENT_ESOFTWARE);
    ASSERT_EQ(ent__journal_append(j, &bad_ev, errbuf, sizeof errbuf), ENT_ESOFTWARE);
    ASSERT_EQ(ent__journal_count(j), 0);
    ent__journal_rollback(j);
    ent__journal_close(j);
}

TEST(journal_memory)
{
    ent_journal *j;
    seen s = { 0 };
    int created = 0;
    unsigned char h[ENT_HASH_BYTES], zero[ENT_HASH_BYTES] = { 0 };

    ASSERT_EQ(ent__journal_open(&j, ":memory:", 0, 0, &created, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(created, 1);
    ASSERT_EQ(ent__journal_count(j), 0);
    ent__journal_head(j, h);
    ASSERT(memcmp(h, zero, ENT_HASH_BYTES) == 0);
    ASSERT_EQ(ent__journal_scan(j, 0, check_cb, &s, NULL, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(s.n, 0);
    append_range(j, 1, 50);
    ASSERT_EQ(ent__journal_scan(j, 0, check_cb, &s, NULL, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(s.n, 50);
    ASSERT_EQ(s.mismatch, 0);
    ent__journal_close(j);
}

TEST(journal_meta)
{
    ent_journal *j;
    char *v;
    ASSERT_EQ(ent__journal_open(&j, ":memory:", 1, 0, NULL, errbuf, sizeof errbuf), ENT_OK);
    v = ent__journal_meta_get(j, "format");
    ASSERT_STR_EQ(v, ENT_JOURNAL_FORMAT);
    ent__free(v);
    ASSERT(ent__journal_meta_get(j, "charter") == NULL);
    ASSERT_EQ(ent__journal_meta_set(j, "charter", "CSTO 2002", errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_meta_set(j, "charter", "CSTO", errbuf, sizeof errbuf), ENT_OK);
    v = ent__journal_meta_get(j, "charter");
    ASSERT_STR_EQ(v, "CSTO");
    ent__free(v);
    ASSERT_EQ(ent__journal_meta_set(j, "count", "9", errbuf, sizeof errbuf), ENT_ESOFTWARE);
    ASSERT_EQ(ent__journal_meta_set(j, "format", "x", errbuf, sizeof errbuf), ENT_ESOFTWARE);

    /* inside a transaction, meta follows its fate */
    ASSERT_EQ(ent__journal_begin(j, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_meta_set(j, "charter", "other", errbuf, sizeof errbuf), ENT_OK);
    ent__journal_rollback(j);
    v = ent__journal_meta_get(j, "charter");
    ASSERT_STR_EQ(v, "CSTO");
    ent__free(v);
    ent__journal_close(j);
}

TEST(journal_readonly)
{
    char path[512];
    ent_journal *j;
    seen s = { 0 };
    tmp_path(path, sizeof path);
    ent__journal_close(make_journal(path, 5));
    ASSERT_EQ(ent__journal_open(&j, path, 1, 1, NULL, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_count(j), 5);
    ASSERT_EQ(ent__journal_scan(j, 0, check_cb, &s, NULL, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(s.n, 5);
    ASSERT_EQ(ent__journal_begin(j, errbuf, sizeof errbuf), ENT_EIO);
    ASSERT_CONTAINS(errbuf, "read-only");
    ASSERT_EQ(ent__journal_meta_set(j, "charter", "x", errbuf, sizeof errbuf), ENT_EIO);
    ent__journal_close(j);
    tmp_remove(path);
}

TEST(journal_other_writer_detected)
{
    char path[512];
    ent_journal *a, *b;
    tmp_path(path, sizeof path);
    a = make_journal(path, 3);
    ASSERT_EQ(ent__journal_open(&b, path, 0, 0, NULL, errbuf, sizeof errbuf), ENT_OK);
    append_range(b, 4, 4);
    ASSERT_EQ(ent__journal_begin(a, errbuf, sizeof errbuf), ENT_EIO);
    ASSERT_CONTAINS(errbuf, "changed since it was opened");
    ASSERT_EQ(ent__journal_count(a), 3);
    ASSERT_EQ(ent__journal_scan(a, 0, NULL, NULL, NULL, errbuf, sizeof errbuf), ENT_OK);
    ent__journal_close(b);
    ent__journal_close(a);
    tmp_remove(path);
}

/* A journal whose write lock another connection holds past the busy
** timeout: a temporary failure (EX_TEMPFAIL, 75), said so, nothing changed;
** once the lock is released the same call succeeds. */
TEST(journal_busy_is_a_temporary_failure)
{
    char path[512];
    ent_journal *a, *b;
    tmp_path(path, sizeof path);
    a = make_journal(path, 3);
    ASSERT_EQ(ent__journal_open(&b, path, 0, 0, NULL, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_exec_for_test(b, "PRAGMA busy_timeout = 20", errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_begin(a, errbuf, sizeof errbuf), ENT_OK);      /* a holds the write lock */
    ASSERT_EQ(ent__journal_begin(b, errbuf, sizeof errbuf), ENT_ETEMPFAIL);
    ASSERT_CONTAINS(errbuf, "try again");
    ent__journal_rollback(a);
    ASSERT_EQ(ent__journal_begin(b, errbuf, sizeof errbuf), ENT_OK);
    ent__journal_rollback(b);
    ASSERT_EQ(ent__journal_count(b), 3);
    ent__journal_close(b);
    ent__journal_close(a);
    tmp_remove(path);
}

TEST(journal_meta_head_checked)
{
    ent_journal *j;
    uint64_t bad = 0;
    ASSERT_EQ(ent__journal_open(&j, ":memory:", 1, 0, NULL, errbuf, sizeof errbuf), ENT_OK);
    append_range(j, 1, 4);
    ASSERT_EQ(ent__journal_exec_for_test(j, "UPDATE meta SET value = 'ab' WHERE key = 'head'",
                                         errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_scan(j, 0, NULL, NULL, &bad, errbuf, sizeof errbuf), ENT_EINPUT);
    ASSERT_EQ(bad, 4);
    ASSERT_CONTAINS(errbuf, "event 4: differs from the head hash");
    ASSERT_EQ(ent__journal_exec_for_test(j, "DELETE FROM meta WHERE key = 'count'",
                                         errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_scan(j, 0, NULL, NULL, &bad, errbuf, sizeof errbuf), ENT_EINPUT);
    ASSERT_EQ(bad, 0);
    ASSERT_CONTAINS(errbuf, "journal metadata");
    ent__journal_close(j);
}

TEST(journal_sequence_checked)
{
    ent_journal *j;
    uint64_t bad = 9;
    ASSERT_EQ(ent__journal_open(&j, ":memory:", 1, 0, NULL, errbuf, sizeof errbuf), ENT_OK);
    append_range(j, 1, 3);
    ASSERT_EQ(ent__journal_exec_for_test(j, "INSERT INTO events VALUES(0, 'd', 's', 'v', '',"
                                         " NULL, 'f:1', zeroblob(32), zeroblob(32))",
                                         errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_scan(j, 0, NULL, NULL, &bad, errbuf, sizeof errbuf), ENT_EINPUT);
    ASSERT_EQ(bad, 1);
    ASSERT_CONTAINS(errbuf, "event 1: out of sequence (found 0)");
    ent__journal_close(j);
}

/* Fields are C strings: bytes after an embedded NUL are not part of the
** event, and a BLOB holding the same bytes as the text is the same event. */
TEST(journal_fields_are_c_strings)
{
    ent_journal *j;
    seen s = { 0 };
    ASSERT_EQ(ent__journal_open(&j, ":memory:", 1, 0, NULL, errbuf, sizeof errbuf), ENT_OK);
    append_range(j, 1, 3);
    ASSERT_EQ(ent__journal_exec_for_test(j, "DROP TRIGGER events_no_update;"
                                         " UPDATE events SET subject = subject || char(0) || 'x'"
                                         " WHERE seq = 1;"
                                         " UPDATE events SET src = CAST(src AS BLOB) WHERE seq = 2",
                                         errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_scan(j, 0, check_cb, &s, NULL, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(s.n, 3);
    ASSERT_EQ(s.mismatch, 0);
    ent__journal_close(j);
}
