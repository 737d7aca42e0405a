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

/* ------------------------------------------------------------------ */
/* Tokens                                                               */

TEST(token_add_who_revoke_in_memory)
{
    ent_db *db;
    char tok[ENT_TOKEN_CHARS + 1], tok2[ENT_TOKEN_CHARS + 1], p[16], nm[64];
    ent_report *rep = ent_report_new();
    ASSERT_EQ(ent_open(&db, NULL, 0, NULL), ENT_OK);
    ASSERT_EQ(ent_token_add(db, "KZ", "kz-delegation", tok, rep), ENT_OK);
    ASSERT_EQ(strlen(tok), ENT_TOKEN_CHARS);
    for (const char *c = tok; *c; c++)
        ASSERT((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' ||
               *c == '_');
    ASSERT_EQ(ent_token_who(db, tok, p, nm), ENT_OK);
    ASSERT_STR_EQ(p, "KZ");
    ASSERT_STR_EQ(nm, "kz-delegation");
    /* two tokens differ; the name is unique among live tokens */
    ASSERT_EQ(ent_token_add(db, "chair", "chair", tok2, rep), ENT_OK);
    ASSERT(strcmp(tok, tok2) != 0);
    ASSERT_EQ(ent_token_add(db, "sg", "chair", tok2, rep), ENT_EUSAGE);
    ASSERT_STR_EQ(tok2, "");
    ASSERT_CONTAINS(ent_report_text(rep), "already named \"chair\"");
    /* malformed: wrong length, a character outside base64url, a
    ** non-canonical last character; then a well-formed unknown token */
    ASSERT_EQ(ent_token_who(db, "", p, nm), ENT_EFORBIDDEN);
    ASSERT_STR_EQ(p, "");
    ASSERT_EQ(ent_token_who(db, NULL, p, nm), ENT_EFORBIDDEN);
    char bad[ENT_TOKEN_CHARS + 2];
    memcpy(bad, tok, sizeof tok);
    bad[5] = '+';
    ASSERT_EQ(ent_token_who(db, bad, p, nm), ENT_EFORBIDDEN);
    memcpy(bad, tok, sizeof tok);
    bad[ENT_TOKEN_CHARS] = 'A';
    bad[ENT_TOKEN_CHARS + 1] = 0;
    ASSERT_EQ(ent_token_who(db, bad, p, nm), ENT_EFORBIDDEN);
    memcpy(bad, tok, sizeof tok);
    bad[ENT_TOKEN_CHARS - 1] = bad[ENT_TOKEN_CHARS - 1] == 'B' ? 'C' : 'B';  /* the low bits of 'B','C' are not 00 */
    ASSERT_EQ(ent_token_who(db, bad, p, nm), ENT_EFORBIDDEN);
    memcpy(bad, tok, sizeof tok);
    bad[0] = bad[0] == 'A' ? 'B' : 'A';
    ASSERT_EQ(ent_token_who(db, bad, p, nm), ENT_EFORBIDDEN);
    /* revoked: forbidden; the name is free again */
    ASSERT_EQ(ent_token_revoke(db, "kz-delegation", rep), ENT_OK);
    ASSERT_EQ(ent_token_who(db, tok, p, nm), ENT_EFORBIDDEN);
    ASSERT_EQ(ent_token_revoke(db, "kz-delegation", rep), ENT_ENOTFOUND);
    ASSERT_EQ(ent_token_add(db, "KZ", "kz-delegation", tok2, rep), ENT_OK);
    char *out;
    ASSERT_EQ(ent_token_list(db, ENT_FMT_JSON, &out), ENT_OK);
    ASSERT_CONTAINS(out, "{\"name\":\"kz-delegation\",\"principal\":\"KZ\",\"made\":\"");
    ASSERT_CONTAINS(out, "\"revoked\":null}");
    ASSERT(strstr(out, tok) == NULL && strstr(out, tok2) == NULL);   /* never the tokens */
    ent_free(out);
    ASSERT_EQ(ent_token_list(db, ENT_FMT_CSV, &out), ENT_EUSAGE);
    ent_report_free(rep);
    ent_close(db);
}

TEST(token_principals_and_names)
{
    ent_db *db;
    char tok[ENT_TOKEN_CHARS + 1];
    ent_report *rep = ent_report_new();
    ASSERT_EQ(ent_open(&db, NULL, 0, NULL), ENT_OK);
    static const char *const ok[] = { "KZ", "CN", "chair", "sg", "secretariat", "observer", "admin", "participant" };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "n%zu", i);
        ASSERT_EQ(ent_token_add(db, ok[i], name, tok, rep), ENT_OK);
    }
    static const char *const bad[] = { "XX", "kz", "Chair", "", "SG", "KZZ" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ent_report_clear(rep);
        ASSERT_EQ(ent_token_add(db, bad[i], "x", tok, rep), ENT_EUSAGE);
        ASSERT_CONTAINS(ent_report_text(rep), "chair, sg, secretariat, observer, admin or participant");
    }
    ASSERT_EQ(ent_token_add(db, NULL, "x", tok, rep), ENT_EUSAGE);
    /* names: 1..63 printable characters; UTF-8 is fine */
    ASSERT_EQ(ent_token_add(db, "participant", "Айгерим Сапарова", tok, rep), ENT_OK);
    char n63[64], n64[65];
    memset(n63, 'a', 63), n63[63] = 0;
    memset(n64, 'b', 64), n64[64] = 0;
    ASSERT_EQ(ent_token_add(db, "KZ", n63, tok, rep), ENT_OK);
    ASSERT_EQ(ent_token_add(db, "KZ", n64, tok, rep), ENT_EUSAGE);
    ASSERT_EQ(ent_token_add(db, "KZ", "", tok, rep), ENT_EUSAGE);
    ASSERT_EQ(ent_token_add(db, "KZ", "tab\there", tok, rep), ENT_EUSAGE);
    ASSERT_EQ(ent_token_add(db, "KZ", "bad\xff utf8", tok, rep), ENT_EUSAGE);
    ASSERT_EQ(ent_token_add(db, "KZ", "cut \xd0", tok, rep), ENT_EUSAGE);
    ent_report_free(rep);
    ent_close(db);
}

TEST(token_file_journal_and_read_only)
{
    char *path = temp_path();
    ent_db *db;
    char tok[ENT_TOKEN_CHARS + 1], t2[ENT_TOKEN_CHARS + 1], p[16], nm[64];
    char dg1[65], dg2[65];
    ent_report *rep = ent_report_new();
    ASSERT_EQ(ent_open(&db, path, 0, rep), ENT_OK);
    uint64_t n = ent_event_count(db);
    ent_digest(db, dg1);
    ASSERT_EQ(ent_token_add(db, "RU", "ru", tok, rep), ENT_OK);
    ASSERT_EQ(ent_event_count(db), n);               /* not an event */
    ent_close(db);
    /* kept in the file, and the hash chain is untouched */
    ASSERT_EQ(ent_open(&db, path, ENT_OPEN_READONLY, rep), ENT_OK);
    ASSERT_EQ(ent_verify(db, dg2, rep), ENT_OK);
    ASSERT_STR_EQ(dg1, dg2);
    ASSERT_EQ(ent_token_who(db, tok, p, nm), ENT_OK);
    ASSERT_STR_EQ(p, "RU");
    ent_report_clear(rep);
    ASSERT_EQ(ent_token_add(db, "KZ", "kz", t2, rep), ENT_EUSAGE);
    ASSERT_CONTAINS(ent_report_text(rep), "read-only");
    ASSERT_EQ(ent_token_revoke(db, "ru", rep), ENT_EUSAGE);
    ent_close(db);
    /* the file holds the hash, never the token */
    char cmd[400];
    snprintf(cmd, sizeof cmd, "grep -c %s %s >/dev/null", tok, path);
    ASSERT(system(cmd) != 0);
    ent_report_free(rep);
    remove_journal(path);
}

TEST(token_read_only_journal_without_the_table)
{
    char *path = temp_path();
    ent_db *db;
    char tok[ENT_TOKEN_CHARS + 1], p[16], nm[64];
    ent_report *rep = ent_report_new();
    ASSERT_EQ(ent_open(&db, path, 0, rep), ENT_OK);   /* an older journal: no tokens table */
    ent_close(db);
    ASSERT_EQ(ent_open(&db, path, ENT_OPEN_READONLY, rep), ENT_OK);
    ASSERT_EQ(ent_token_who(db, "eOEzdgUs78ih059q4r_2BbPLNoy5-5v5YGuMku28JOU", p, nm), ENT_EFORBIDDEN);
    char *out;
    ASSERT_EQ(ent_token_list(db, ENT_FMT_JSON, &out), ENT_OK);
    ASSERT_STR_EQ(out, "[]\n");
    ent_free(out);
    ASSERT_EQ(ent_token_add(db, "KZ", "kz", tok, rep), ENT_EUSAGE);
    ent_close(db);
    ent_report_free(rep);
    remove_journal(path);
}
