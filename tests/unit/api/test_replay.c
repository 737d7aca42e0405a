/* test_replay.c: the two-thread replay (src/api/db.c) folds a journal to the
** same state as the one-thread replay, and reports a broken chain the same. */
#include "../test.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "entente.h"
#include "../../../src/util/util.h"

extern uint64_t ent__replay_pipeline_min;

/* A journal of the built-in history plus n cycles of a request, a proposal
** and six votes (8 events each), written to a temporary file. */
static char *make_journal(int n)
{
    char *path = strdup("/tmp/entente-replay-XXXXXX");
    int fd = mkstemp(path);
    ASSERT(fd >= 0);
    close(fd);
    unlink(path);
    ent_db *db;
    ent_report *rep = ent_report_new();
    ASSERT_EQ(ent_open(&db, path, 0, rep), ENT_OK);
    ent_buf b = { 0 };
    static const char *const voters[] = { "BY", "KZ", "KG", "RU", "TJ" };
    for (int i = 0; i < n; i++) {
        ent__buf_printf(&b, "2027-01-01 KZ request assistance id=R%d article=treaty-4 \"cycle %d\"\n", i, i);
        ent__buf_printf(&b, "2027-01-01 CSC propose deploy id=D%d force=CPKF host=KZ request=R%d\n", i, i);
        for (int v = 0; v < 5; v++) ent__buf_printf(&b, "%s vote D%d %s\n", voters[v], i, v == 4 && i % 3 == 0 ? "no" : "yes");
    }
    ent_input in = { "gen.chron", b.p, b.len };
    int rc = ent_run(db, &in, 1, NULL, rep);
    if (rc != ENT_OK) fprintf(stderr, "%s", ent_report_text(rep));
    ASSERT_EQ(rc, ENT_OK);
    ent__buf_free(&b);
    ent_close(db);
    ent_report_free(rep);
    return path;
}

static void open_digest(const char *path, uint64_t min, int expect, char dg[65], ent_report *rep)
{
    uint64_t saved = ent__replay_pipeline_min;
    ent__replay_pipeline_min = min;
    ent_db *db = NULL;
    int rc = ent_open(&db, path, ENT_OPEN_READONLY | ENT_OPEN_NOCREATE, rep);
    ent__replay_pipeline_min = saved;
    ASSERT_EQ(rc, expect);
    if (rc == ENT_OK) {
        ent_digest(db, dg);
        ent_close(db);
    }
}

static void remove_journal(char *path)
{
    ent_test_unlink_journal(path);
    free(path);
}

TEST(replay_two_threads_same_digest)
{
    char *path = make_journal(1500); /* 10,500 events: batches of 4,096 hand over twice */
    ent_report *rep = ent_report_new();
    char one[65], two[65];
    open_digest(path, UINT64_MAX, ENT_OK, one, rep);
    open_digest(path, 0, ENT_OK, two, rep);
    ASSERT_STR_EQ(two, one);
    ent_report_free(rep);
    remove_journal(path);
}

TEST(replay_two_threads_reports_the_first_bad_event)
{
    char *path = make_journal(700);
    /* alter the text of one event in the file: "cycle 650" -> "cycle 65X" */
    FILE *f = fopen(path, "r+b");
    ASSERT(f != NULL);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    char *buf = malloc((size_t)size);
    fseek(f, 0, SEEK_SET);
    ASSERT_EQ(fread(buf, 1, (size_t)size, f), (size_t)size);
    long at = -1;
    for (long i = 0; i + 9 <= size; i++)
        if (memcmp(buf + i, "cycle 650", 9) == 0) at = i + 8;
    ASSERT(at > 0);
    fseek(f, at, SEEK_SET);
    fputc('X', f);
    fclose(f);
    free(buf);
    ent_report *one = ent_report_new(), *two = ent_report_new();
    char dg[65];
    open_digest(path, UINT64_MAX, ENT_EINPUT, dg, one);
    open_digest(path, 0, ENT_EINPUT, dg, two);
    ASSERT_CONTAINS(ent_report_text(one), "hash does not match");
    ASSERT_STR_EQ(ent_report_text(two), ent_report_text(one));
    ent_report_free(one);
    ent_report_free(two);
    remove_journal(path);
}

/* ent_rewind: the state after event N is the state of a journal that holds
** only the first N events; the view is read-only; N must be an event. */
TEST(replay_rewind_gives_the_state_after_event_n)
{
    char *two = make_journal(2), *one = make_journal(1);
    ent_report *rep = ent_report_new();
    ent_db *a, *b;
    ASSERT_EQ(ent_open(&a, two, ENT_OPEN_READONLY | ENT_OPEN_NOCREATE, rep), ENT_OK);
    ASSERT_EQ(ent_open(&b, one, ENT_OPEN_READONLY | ENT_OPEN_NOCREATE, rep), ENT_OK);
    uint64_t n = ent_event_count(b);
    ASSERT_EQ(ent_event_count(a), n + 7); /* a cycle is a request, a proposal and five votes */
    char da[65], db_[65];
    ent_digest(a, da);
    ent_digest(b, db_);
    ASSERT(strcmp(da, db_) != 0);
    ASSERT_EQ(ent_rewind(a, n, rep), ENT_OK);
    ent_digest(a, da);
    ASSERT_STR_EQ(da, db_);
    ASSERT_EQ(ent_rewind(a, 0, rep), ENT_EUSAGE);
    ASSERT_EQ(ent_rewind(a, n + 8, rep), ENT_EUSAGE);
    ent_input in = { "x.chron", "2027-02-01 KZ request consultations id=Q9\n", 42 };
    ASSERT(ent_run(a, &in, 1, NULL, rep) != ENT_OK);
    ent_close(a);
    ent_close(b);
    ent_report_free(rep);
    remove_journal(two);
    remove_journal(one);
}
