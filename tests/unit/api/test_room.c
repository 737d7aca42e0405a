/* test_room.c: the crisis room's library interface (entente.h): the events
** after a sequence number (ent_log_after), tokens, the rule `authority`, and
** commands in groups (ent_run_batch): per-command atomicity, idempotency,
** durability. */
#include "../test.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "entente.h"

/* A fresh journal path under /tmp (the file does not exist yet). */
static char *temp_path(void)
{
    char *path = strdup("/tmp/entente-room-XXXXXX");
    int fd = mkstemp(path);
    ASSERT(fd >= 0);
    close(fd);
    unlink(path);
    return path;
}

static void remove_journal(char *path)
{
    char side[300];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    free(path);
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

/* ------------------------------------------------------------------ */
/* ent_log_after                                                        */

TEST(log_after_same_objects_as_log)
{
    ent_db *db;
    char *all, *tail, *none;
    ASSERT_EQ(ent_open(&db, NULL, 0, NULL), ENT_OK);
    uint64_t n = ent_event_count(db);
    ASSERT(n > 10);
    ASSERT_EQ(ent_log(db, ENT_FMT_JSON, &all), ENT_OK);
    /* the whole journal as an array: the bytes of ent_log's JSON */
    ASSERT_EQ(ent_log_after(db, 0, 0, ENT_FMT_JSON, &tail), ENT_OK);
    ASSERT_STR_EQ(tail, all);
    ent_free(tail);
    /* the last three as JSON lines: the last three objects of the array */
    ASSERT_EQ(ent_log_after(db, n - 3, 0, ENT_FMT_JSONL, &tail), ENT_OK);
    ASSERT_EQ(count_lines(tail), 3);
    char want[64];
    snprintf(want, sizeof want, "{\"seq\":%llu,", (unsigned long long)(n - 2));
    ASSERT(strncmp(tail, want, strlen(want)) == 0);
    char *first_nl = strchr(tail, '\n');
    *first_nl = 0;
    ASSERT_CONTAINS(all, tail);             /* the same object, byte for byte */
    ent_free(tail);
    /* max: at most that many, from after + 1 */
    ASSERT_EQ(ent_log_after(db, 5, 2, ENT_FMT_JSONL, &tail), ENT_OK);
    ASSERT_EQ(count_lines(tail), 2);
    ASSERT(strncmp(tail, "{\"seq\":6,", 9) == 0);
    ASSERT_CONTAINS(tail, "{\"seq\":7,");
    ent_free(tail);
    ASSERT_EQ(ent_log_after(db, 5, 2, ENT_FMT_JSON, &tail), ENT_OK);
    ASSERT(strncmp(tail, "[{\"seq\":6,", 10) == 0);
    ASSERT_CONTAINS(tail, "},\n{\"seq\":7,");
    ent_free(tail);
    /* none after the last: "" (JSON lines) and an empty array */
    ASSERT_EQ(ent_log_after(db, n, 0, ENT_FMT_JSONL, &none), ENT_OK);
    ASSERT_STR_EQ(none, "");
    ent_free(none);
    ASSERT_EQ(ent_log_after(db, n + 100, 0, ENT_FMT_JSON, &none), ENT_OK);
    ASSERT_STR_EQ(none, "[]\n");
    ent_free(none);
    /* other formats are refused */
    none = (char *)"x";
    ASSERT_EQ(ent_log_after(db, 0, 0, ENT_FMT_TEXT, &none), ENT_EUSAGE);
    ASSERT(none == NULL);
    ent_free(all);
    ent_close(db);
}

TEST(log_after_sees_new_events_and_a_tampered_row)
{
    char *path = temp_path();
    ent_db *db;
    char *out;
    ent_report *rep = ent_report_new();
    ASSERT_EQ(ent_open(&db, path, 0, rep), ENT_OK);
    uint64_t n = ent_event_count(db);
    static const char note[] = "2027-01-01 KZ note \"one\"\n2027-01-02 KZ note \"two\"\n";
    ent_input in = { "n.chron", note, sizeof note - 1 };
    ASSERT_EQ(ent_run(db, &in, 1, NULL, rep), ENT_OK);
    ASSERT_EQ(ent_log_after(db, n, 0, ENT_FMT_JSONL, &out), ENT_OK);
    ASSERT_EQ(count_lines(out), 2);
    ASSERT_CONTAINS(out, "\"text\":\"one\"");
    ASSERT_CONTAINS(out, "\"text\":\"two\"");
    ent_free(out);
    /* change an event's text behind the library's back (another
    ** connection): a range that holds it is refused, naming the event */
    char cmd[600];
    snprintf(cmd, sizeof cmd,
             "sqlite3 %s \"DROP TRIGGER events_no_update; UPDATE events SET text = 'ONE' WHERE seq = %llu\"",
             path, (unsigned long long)(n + 1));
    ASSERT_EQ(system(cmd), 0);
    out = NULL;
    ASSERT_EQ(ent_log_after(db, n, 0, ENT_FMT_JSONL, &out), ENT_EINPUT);
    ASSERT(out == NULL);
    ASSERT_EQ(ent_log_after(db, n - 1, 1, ENT_FMT_JSONL, &out), ENT_OK);  /* before it: fine */
    ent_free(out);
    ASSERT_EQ(ent_log_after(db, n + 1, 0, ENT_FMT_JSONL, &out), ENT_EINPUT); /* its hash is checked too */
    ent_free(out);
    ent_close(db);
    ASSERT_EQ(ent_open(&db, path, 0, rep), ENT_EINPUT);                /* the full check at open */
    ent_report_free(rep);
    remove_journal(path);
}
