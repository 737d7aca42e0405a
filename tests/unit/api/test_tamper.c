/*
** test_tamper.c: tamper evidence over every event of a sample journal (the
** built-in history): each event changed, removed, swapped with the next, or
** the journal cut after it, and the file itself cut short. Opening the
** journal (which verifies the chain and replays it) must fail with
** ENT_EINPUT and a report naming the first bad sequence number; a cut file
** must never open as a journal with fewer events. The SQL that does the
** tampering goes through ent__journal_exec_for_test (tests never include
** sqlite3.h); copies are made with VACUUM INTO.
*/
#include "../test.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "entente.h"
#include "../../../src/store/store.h"

static char errbuf[512];

static void tmp_name(char *buf, size_t n, const char *what)
{
    const char *dir = getenv("TMPDIR");
    snprintf(buf, n, "%s/ent-tamper-%ld-%s.db", dir && *dir ? dir : "/tmp", (long)getpid(), what);
}

static void tmp_remove(const char *path) { ent_test_unlink_journal(path); }

/* Copy the journal at base to path, then run sql on the copy. */
static void tampered_copy(const char *base, const char *path, const char *sql)
{
    ent_journal *j = NULL;
    char q[700];
    tmp_remove(path);
    ASSERT_EQ(ent__journal_open(&j, base, 0, 0, NULL, errbuf, sizeof errbuf), ENT_OK);
    snprintf(q, sizeof q, "VACUUM INTO '%s'", path);
    ASSERT_EQ(ent__journal_exec_for_test(j, q, errbuf, sizeof errbuf), ENT_OK);
    ent__journal_close(j);
    if (!sql) return;
    ASSERT_EQ(ent__journal_open(&j, path, 0, 0, NULL, errbuf, sizeof errbuf), ENT_OK);
    ASSERT_EQ(ent__journal_exec_for_test(j, sql, errbuf, sizeof errbuf), ENT_OK);
    ent__journal_close(j);
}

/* Open path as the library does; it must fail with ENT_EINPUT naming
** "event SEQ:" as the first bad one. */
static void expect_bad(const char *path, uint64_t seq, const char *what)
{
    ent_report *rep = ent_report_new();
    ent_db *db = NULL;
    char want[64];
    ASSERT(rep != NULL);
    int rc = ent_open(&db, path, ENT_OPEN_READONLY | ENT_OPEN_NOCREATE, rep);
    if (rc == ENT_OK) ent_close(db);
    snprintf(want, sizeof want, "event %llu:", (unsigned long long)seq);
    if (rc != ENT_EINPUT || !strstr(ent_report_text(rep), want)) {
        fprintf(stderr, "  %s of event %llu: status %d, report: %s\n", what, (unsigned long long)seq, rc,
                ent_report_text(rep));
        ent_report_free(rep);
        ASSERT(0);
    }
    ent_report_free(rep);
}

static uint64_t make_base(const char *base)
{
    ent_db *db = NULL;
    tmp_remove(base);
    ASSERT_EQ(ent_open(&db, base, 0, NULL), ENT_OK);
    uint64_t n = ent_event_count(db);
    ent_close(db);
    ASSERT(n > 100);
    return n;
}

TEST(tamper_every_event_changed_removed_swapped_cut)
{
    char base[512], path[512], sql[1024];
    tmp_name(base, sizeof base, "base");
    tmp_name(path, sizeof path, "copy");
    uint64_t n = make_base(base);

    /* the untouched copy opens */
    tampered_copy(base, path, NULL);
    ent_db *db = NULL;
    ASSERT_EQ(ent_open(&db, path, ENT_OPEN_READONLY | ENT_OPEN_NOCREATE, NULL), ENT_OK);
    ASSERT_EQ(ent_event_count(db), n);
    ent_close(db);

    static const char *const fields[] = { "date = '1900-01-01'", "subject = subject || 'X'",
                                          "verb = verb || 'x'", "args = args || ' x=1'",
                                          "text = coalesce(text, '') || '.'", "src = src || '0'" };
    for (uint64_t i = 1; i <= n; i++) {
        unsigned long long s = (unsigned long long)i;
        /* changed: one field of the event (a different one each time) */
        snprintf(sql, sizeof sql, "DROP TRIGGER events_no_update; UPDATE events SET %s WHERE seq = %llu",
                 fields[i % (sizeof fields / sizeof fields[0])], s);
        tampered_copy(base, path, sql);
        expect_bad(path, i, "change");

        /* removed */
        snprintf(sql, sizeof sql, "DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq = %llu", s);
        tampered_copy(base, path, sql);
        expect_bad(path, i, "removal");

        if (i == n) break;
        /* swapped with the next one: each keeps its seq, they trade contents */
        snprintf(sql, sizeof sql,
                 "DROP TRIGGER events_no_update;"
                 " CREATE TEMP TABLE t AS SELECT * FROM events WHERE seq IN (%llu, %llu);"
                 " UPDATE events SET (date, subject, verb, args, text, src, prev, hash) ="
                 " (SELECT date, subject, verb, args, text, src, prev, hash FROM t"
                 "  WHERE t.seq = CASE events.seq WHEN %llu THEN %llu ELSE %llu END)"
                 " WHERE seq IN (%llu, %llu)",
                 s, s + 1, s, s + 1, s, s, s + 1);
        tampered_copy(base, path, sql);
        expect_bad(path, i, "swap");

        /* cut after it: the events after i lost, the journal's count kept */
        snprintf(sql, sizeof sql, "DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq > %llu", s);
        tampered_copy(base, path, sql);
        expect_bad(path, i + 1, "cut");
    }
    tmp_remove(path);
    tmp_remove(base);
}

TEST(tamper_file_cut_short_never_opens)
{
    char base[512], path[512];
    tmp_name(base, sizeof base, "fbase");
    tmp_name(path, sizeof path, "fcut");
    uint64_t n = make_base(base);
    tampered_copy(base, path, NULL);   /* a copy without WAL: every page in the file */
    struct stat st;
    ASSERT_EQ(stat(path, &st), 0);
    off_t size = st.st_size;
    ASSERT(size > 4 * 4096);
    int cuts = 0;
    for (off_t cut = 0; cut < size; cut += cut < 8192 ? 1000 : 4096) {
        tampered_copy(base, path, NULL);
        ASSERT_EQ(truncate(path, cut), 0);
        ent_report *rep = ent_report_new();
        ent_db *db = NULL;
        int rc = ent_open(&db, path, ENT_OPEN_READONLY | ENT_OPEN_NOCREATE, rep);
        if (rc == ENT_OK) {
            /* only an intact history may open: all n events */
            uint64_t got = ent_event_count(db);
            ent_close(db);
            if (got != n) {
                fprintf(stderr, "  cut at %lld bytes opened with %llu events of %llu\n", (long long)cut,
                        (unsigned long long)got, (unsigned long long)n);
                ent_report_free(rep);
                ASSERT(0);
            }
        } else {
            ASSERT(rc == ENT_EINPUT || rc == ENT_ENOINPUT || rc == ENT_EIO);
            ASSERT(ent_report_text(rep)[0] != 0);
        }
        ent_report_free(rep);
        cuts++;
    }
    ASSERT(cuts > 4);
    tmp_remove(path);
    tmp_remove(base);
}
