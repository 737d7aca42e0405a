/* test_import.c: export then replay, in every format (src/api/import.c). */
#include "../test.h"

#include <stdlib.h>

#include "entente.h"

static const char *chronicle =
    "2022-01-05 KZ request assistance id=R1 article=treaty-4 \"Threat, \\\"quoted\\\"\"\n"
    "2022-01-06 CSC propose deploy id=D1 force=CPKF host=KZ request=R1 days=30 \"Protect, a,b\"\n"
    "AM vote D1 yes\nBY vote D1 yes\nKZ vote D1 yes\nKG vote D1 abstain\nRU vote D1 yes\nTJ vote D1 out\n"
    "RU contribute D1 troops=1500\n";

typedef struct sink {
    char *p;
    size_t n;
} sink;

static int sink_write(void *ud, const char *p, size_t n)
{
    sink *s = ud;
    char *q = realloc(s->p, s->n + n + 1);
    if (!q) return -1;
    memcpy(q + s->n, p, n);
    s->p = q;
    s->n += n;
    s->p[s->n] = 0;
    return 0;
}

static void round_trip(int format, const char *name)
{
    ent_db *db, *db2;
    ent_report *rep = ent_report_new();
    ASSERT_EQ(ent_open(&db, NULL, 0, rep), ENT_OK);
    ent_input in = { "t.chron", chronicle, strlen(chronicle) };
    ASSERT_EQ(ent_run(db, &in, 1, NULL, rep), ENT_OK);
    sink s = { NULL, 0 };
    ASSERT_EQ(ent_export(db, format, sink_write, &s), ENT_OK);
    ASSERT_EQ(ent_open(&db2, NULL, ENT_OPEN_BARE, rep), ENT_OK);
    ent_input back = { name, s.p, s.n };
    size_t n = 0;
    int rc = ent_run(db2, &back, 1, &n, rep);
    if (rc != ENT_OK) fprintf(stderr, "%s", ent_report_text(rep));
    ASSERT_EQ(rc, ENT_OK);
    ASSERT_EQ(n, ent_event_count(db));
    char a[65], b[65];
    ent_digest(db, a);
    ent_digest(db2, b);
    ASSERT_STR_EQ(b, a);
    free(s.p);
    ent_close(db);
    ent_close(db2);
    ent_report_free(rep);
}

TEST(import_chronicle_round_trip) { round_trip(ENT_FMT_CHRONICLE, "x.chron"); }
TEST(import_jsonl_round_trip) { round_trip(ENT_FMT_JSONL, "x.jsonl"); }
TEST(import_csv_round_trip) { round_trip(ENT_FMT_CSV, "x.csv"); }

TEST(import_bad_rows_are_malformed_input)
{
    ent_db *db;
    ent_report *rep = ent_report_new();
    ASSERT_EQ(ent_open(&db, NULL, ENT_OPEN_BARE, rep), ENT_OK);
    const char *jl = "{\"date\":\"1992-05-15\",\"subject\":\"AM\",\"verb\":\"join\",\"args\":\"\",\"text\":null}\n"
                     "[1,2]\n";
    ent_input in = { "x.jsonl", jl, strlen(jl) };
    ASSERT_EQ(ent_run(db, &in, 1, NULL, rep), ENT_EINPUT);
    ASSERT_CONTAINS(ent_report_text(rep), "x.jsonl:2:1: error:");
    ASSERT_EQ(ent_event_count(db), 0); /* all or nothing */
    ent_report_clear(rep);
    const char *csv = "seq,date,subject,verb,args,text,src,hash\n1,1992-05-15,\"AM\",\"join\",\"\",,\"t:1\",00\n"
                      "2,\"unterminated\n";
    ent_input in2 = { "x.csv", csv, strlen(csv) };
    ASSERT_EQ(ent_run(db, &in2, 1, NULL, rep), ENT_EINPUT);
    ASSERT_CONTAINS(ent_report_text(rep), "x.csv:3:1: error:");
    ent_report_clear(rep);
    const char *ok = "seq,date,subject,verb,args,text,src,hash\n1,1992-05-15,\"AM\",\"join\",\"\",,\"t:1\",00\n";
    ent_input in3 = { "x.csv", ok, strlen(ok) };
    ASSERT_EQ(ent_run(db, &in3, 1, NULL, rep), ENT_OK);
    ASSERT_EQ(ent_event_count(db), 1);
    ent_close(db);
    ent_report_free(rep);
}

/* A CSV input is read within its length: a first row shorter than "seq,"
** in a buffer with no NUL after it (as a mapped file or a fuzzer's input
** is) is a bad row, not a read past the end (the ASan build checks that;
** found by fuzz_chronicle). */
TEST(import_csv_short_first_row_within_its_length)
{
    static const char *const rows[] = { "s", "se", "seq", "seq," };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ent_db *db;
        ent_report *rep = ent_report_new();
        ASSERT_EQ(ent_open(&db, NULL, ENT_OPEN_BARE, rep), ENT_OK);
        size_t n = strlen(rows[i]);
        char *p = malloc(n);
        ASSERT(p != NULL);
        memcpy(p, rows[i], n);
        ent_input in = { "x.csv", p, n };
        int rc = ent_check(db, &in, 1, rep);
        ASSERT(rc == ENT_OK || rc == ENT_EINPUT);
        if (i < 3) ASSERT_EQ(rc, ENT_EINPUT);
        ASSERT_EQ(ent_event_count(db), 0);
        free(p);
        ent_close(db);
        ent_report_free(rep);
    }
}
