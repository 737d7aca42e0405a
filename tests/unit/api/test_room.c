/* test_room.c: the crisis room's library interface (entente.h): the events
** after a sequence number (ent_log_after), tokens, the rule `authority`, and
** commands in groups (ent_run_batch): per-command atomicity, idempotency,
** durability. */
#include "../test.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "entente.h"
#include "../../../src/store/store.h"

#include <sodium.h>

int ent__token_decode(const char *text, size_t len, unsigned char raw[32]); /* src/api/api.h */

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
    ent_test_unlink_journal(path);
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

/* Run sql on the journal at path through a second connection of its own,
** as a hand behind the library's back would. */
static void behind_the_back(const char *path, const char *sql)
{
    ent_journal *j = NULL;
    char err[256];
    ASSERT_EQ(ent__journal_open(&j, path, 0, 0, NULL, err, sizeof err), ENT_OK);
    ASSERT_EQ(ent__journal_exec_for_test(j, sql, err, sizeof err), ENT_OK);
    ent__journal_close(j);
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
    char sql[200];
    snprintf(sql, sizeof sql, "DROP TRIGGER events_no_update; UPDATE events SET text = 'ONE' WHERE seq = %llu",
             (unsigned long long)(n + 1));
    behind_the_back(path, sql);
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

/* The range read checks a row as the full scan does (one row check in
** src/store/journal.c). An absent text and the text "\x01" hash alike,
** which is why that text is reserved: set behind the library's back on a
** row whose text is absent, it leaves every hash matching, and the range
** read must refuse it as the full check at open does. */
TEST(log_after_refuses_the_reserved_text)
{
    char *path = temp_path();
    ent_db *db;
    char *out = NULL;
    ent_report *rep = ent_report_new();
    ASSERT_EQ(ent_open(&db, path, 0, rep), ENT_OK);
    ASSERT_EQ(ent_log_after(db, 0, 0, ENT_FMT_JSONL, &out), ENT_OK);
    ASSERT_CONTAINS(out, "\"text\":null");
    ent_free(out);
    behind_the_back(path, "DROP TRIGGER events_no_update; UPDATE events SET text = char(1) "
                          "WHERE seq = (SELECT max(seq) FROM events WHERE text IS NULL)");
    out = NULL;
    ASSERT_EQ(ent_log_after(db, 0, 0, ENT_FMT_JSONL, &out), ENT_EINPUT);
    ASSERT(out == NULL);
    ent_close(db);
    ent_report_clear(rep);
    ASSERT_EQ(ent_open(&db, path, 0, rep), ENT_EINPUT); /* the full check says the same */
    ASSERT_CONTAINS(ent_report_text(rep), "reserved");
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

/* ------------------------------------------------------------------ */
/* Commands in groups, and the rule `authority`                         */

static ent_command cmd(const char *token, const char *text, const char *key)
{
    ent_command c;
    memset(&c, 0, sizeof c);
    c.token = token;
    c.in.name = "api.chron";
    c.in.text = text;
    c.in.len = strlen(text);
    c.idem_key = key;
    return c;
}

/* One token of principal p in db (its text in out). */
static void token_for(ent_db *db, const char *p, const char *name, char out[ENT_TOKEN_CHARS + 1])
{
    ASSERT_EQ(ent_token_add(db, p, name, out, NULL), ENT_OK);
}

/* The token decoder (constant time, no tables) says what the base64url
** alphabet and libsodium's decoder say together (as it did before): for random tokens and every byte at every
** position of them, the same verdict and the same 32 bytes. */
TEST(token_decode_matches_libsodium)
{
    ASSERT(sodium_init() >= 0);
    for (int round = 0; round < 8; round++) {
        unsigned char raw[32], got[32], want[32];
        char tok[ENT_TOKEN_CHARS + 2];
        randombytes_buf(raw, sizeof raw);
        sodium_bin2base64(tok, sizeof tok, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        ASSERT_EQ(strlen(tok), ENT_TOKEN_CHARS);
        ASSERT_EQ(ent__token_decode(tok, ENT_TOKEN_CHARS, got), 0);
        ASSERT(memcmp(got, raw, 32) == 0);
        for (int pos = 0; pos < ENT_TOKEN_CHARS; pos++) {
            char keep = tok[pos];
            for (int c = 1; c < 256; c++) {
                tok[pos] = (char)c;
                size_t bin = 0;
                const char *end = NULL;
                /* the alphabet first: libsodium 1.0.18 takes some bytes >= 0x80 */
                int ok = ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                          c == '_') &&
                         sodium_base642bin(want, 32, tok, ENT_TOKEN_CHARS, NULL, &bin, &end,
                                           sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0 &&
                         bin == 32 && end == tok + ENT_TOKEN_CHARS;
                int mine = ent__token_decode(tok, ENT_TOKEN_CHARS, got) == 0;
                ASSERT_EQ(mine, ok);
                if (ok) ASSERT(memcmp(got, want, 32) == 0);
            }
            tok[pos] = keep;
        }
        ASSERT(ent__token_decode(tok, ENT_TOKEN_CHARS - 1, got) != 0);
        ASSERT(ent__token_decode(NULL, ENT_TOKEN_CHARS, got) != 0);
    }
}

TEST(batch_mixed_accepted_refused_forbidden)
{
    ent_db *db;
    char kz[ENT_TOKEN_CHARS + 1], am[ENT_TOKEN_CHARS + 1], chair[ENT_TOKEN_CHARS + 1], dg0[65], dg1[65];
    ASSERT_EQ(ent_open(&db, NULL, 0, NULL), ENT_OK);
    token_for(db, "KZ", "kz", kz);
    token_for(db, "AM", "am", am);
    token_for(db, "chair", "chair", chair);
    uint64_t n0 = ent_event_count(db);
    ent_digest(db, dg0);
    ent_report *rep[6];
    for (int i = 0; i < 6; i++) rep[i] = ent_report_new();
    ent_command c[6];
    /* 0: KZ asks (accepted); 1: KZ puts a line of RU (forbidden);
    ** 2: the chair proposes on the request of command 0 (accepted: it sees
    ** the state command 0 left); 3: AM, frozen, votes (refused by the
    ** charter); 4: a bad token; 5: KZ votes (accepted) */
    c[0] = cmd(kz, "2027-01-05 KZ request assistance id=R9 article=treaty-4 threat=unrest \"help\"\n", NULL);
    c[1] = cmd(kz, "2027-01-05 RU note \"not mine\"\n", NULL);
    c[2] = cmd(chair, "2027-01-05 CSC propose deploy id=D9 force=CPKF host=KZ request=R9\n", NULL);
    c[3] = cmd(am, "2027-01-05 AM vote D9 yes\n", NULL);
    c[4] = cmd("eOEzdgUs78ih059q4r_2BbPLNoy5-5v5YGuMku28JOU", "2027-01-05 KZ note \"x\"\n", NULL);
    c[5] = cmd(kz, "2027-01-05 KZ vote D9 yes\n", NULL);
    for (int i = 0; i < 6; i++) c[i].rep = rep[i];
    ASSERT_EQ(ent_run_batch(db, c, 6), ENT_OK);
    ASSERT_EQ(c[0].status, ENT_OK);
    ASSERT_STR_EQ(c[0].principal, "KZ");
    ASSERT_EQ(c[0].appended, 1);
    ASSERT_EQ(c[0].first_seq, n0 + 1);
    ASSERT_EQ(c[0].last_seq, n0 + 1);
    ASSERT_EQ(c[1].status, ENT_EFORBIDDEN);
    ASSERT_STR_EQ(c[1].principal, "KZ");                 /* a good token: 403, not 401 */
    ASSERT_EQ(c[1].appended, 0);
    ASSERT_STR_EQ(ent_report_text(rep[1]),
                  "api.chron:1: refused: the delegation of KZ acts only for KZ, not for RU "
                  "[authority; crisis room: design s.9, a delegation acts only for its own state]\n");
    ASSERT_EQ(ent_report_refusals(rep[1]), 1);
    ASSERT_EQ(c[2].status, ENT_OK);
    ASSERT_STR_EQ(c[2].principal, "chair");
    ASSERT_EQ(c[2].first_seq, n0 + 2);
    ASSERT_EQ(c[3].status, ENT_REFUSED);
    ASSERT_CONTAINS(ent_report_text(rep[3]), "api.chron:1: refused: ");
    ASSERT_EQ(c[4].status, ENT_EFORBIDDEN);
    ASSERT_STR_EQ(c[4].principal, "");                   /* a bad token: 401 */
    ASSERT_CONTAINS(ent_report_text(rep[4]), "token: error: the token is unknown, malformed or revoked");
    ASSERT_EQ(c[5].status, ENT_OK);
    ASSERT_EQ(c[5].first_seq, n0 + 3);
    ASSERT_EQ(ent_event_count(db), n0 + 3);
    char dg[65];
    ASSERT_EQ(ent_verify(db, dg, NULL), ENT_OK);
    ent_digest(db, dg1);
    ASSERT(strcmp(dg0, dg1) != 0);
    char *out;
    ASSERT_EQ(ent_log_after(db, n0, 0, ENT_FMT_JSONL, &out), ENT_OK);
    ASSERT_EQ(count_lines(out), 3);
    ASSERT_CONTAINS(out, "\"subject\":\"KZ\",\"verb\":\"request\"");
    ASSERT_CONTAINS(out, "\"subject\":\"CSC\",\"verb\":\"propose\"");
    ASSERT_CONTAINS(out, "\"subject\":\"KZ\",\"verb\":\"vote\"");
    ASSERT_CONTAINS(out, "\"src\":\"api.chron:1\"");
    /* the group's own lines (the live feed's) are those the journal gives back */
    size_t loglen = 0;
    const char *log = ent_batch_log(db, &loglen);
    ASSERT_EQ(loglen, strlen(out));
    ASSERT_STR_EQ(log, out);
    ent_free(out);
    for (int i = 0; i < 6; i++) ent_report_free(rep[i]);
    ent_close(db);
}

TEST(batch_command_is_all_or_nothing)
{
    ent_db *db;
    char kz[ENT_TOKEN_CHARS + 1], dg0[65], dg1[65];
    ASSERT_EQ(ent_open(&db, NULL, 0, NULL), ENT_OK);
    token_for(db, "KZ", "kz", kz);
    uint64_t n0 = ent_event_count(db);
    ent_digest(db, dg0);
    ent_report *rep = ent_report_new();
    /* three lines; the third refused by the charter (a second request with
    ** the same id): the first two must not stay, in the journal or in the
    ** state the next command sees */
    ent_command c[3];
    c[0] = cmd(kz, "2027-01-05 KZ note \"one\"\n"
                   "2027-01-05 KZ request assistance id=R9 article=treaty-4 threat=unrest \"help\"\n"
                   "2027-01-05 KZ request assistance id=R9 article=treaty-4 threat=unrest \"again\"\n", NULL);
    c[0].rep = rep;
    /* the next command may use the id R9 again: the first never happened */
    c[1] = cmd(kz, "2027-01-06 KZ request assistance id=R9 article=treaty-4 threat=unrest \"now\"\n", NULL);
    /* the same with a forbidden third line */
    c[2] = cmd(kz, "2027-01-07 KZ note \"a\"\n2027-01-07 KZ note \"b\"\n2027-01-07 RU note \"c\"\n", NULL);
    ASSERT_EQ(ent_run_batch(db, c, 3), ENT_OK);
    ASSERT(c[0].status == ENT_EINPUT || c[0].status == ENT_REFUSED);
    ASSERT_EQ(c[0].appended, 0);
    ASSERT_EQ(c[0].first_seq, 0);
    ASSERT_EQ(c[1].status, ENT_OK);
    ASSERT_EQ(c[1].first_seq, n0 + 1);
    ASSERT_EQ(c[2].status, ENT_EFORBIDDEN);
    ASSERT_EQ(c[2].appended, 0);
    ASSERT_EQ(ent_event_count(db), n0 + 1);
    char dg[65];
    ASSERT_EQ(ent_verify(db, dg, NULL), ENT_OK);      /* the live state is the journal's fold */
    ent_digest(db, dg1);
    ASSERT_STR_EQ(dg, dg1);
    char *out;
    ASSERT_EQ(ent_log_after(db, n0, 0, ENT_FMT_JSONL, &out), ENT_OK);
    ASSERT_CONTAINS(out, "\"text\":\"now\"");
    ASSERT(strstr(out, "\"one\"") == NULL && strstr(out, "\"a\"") == NULL);
    ent_free(out);
    /* a group with nothing accepted changes nothing */
    ent_digest(db, dg0);
    c[0] = cmd(kz, "2027-01-08 RU note \"x\"\n", NULL);
    ASSERT_EQ(ent_run_batch(db, c, 1), ENT_OK);
    ASSERT_EQ(c[0].status, ENT_EFORBIDDEN);
    ent_digest(db, dg1);
    ASSERT_STR_EQ(dg0, dg1);
    ASSERT_EQ(ent_event_count(db), n0 + 1);
    ent_report_free(rep);
    ent_close(db);
}

TEST(batch_idempotency_replay_and_conflict)
{
    ent_db *db;
    char kz[ENT_TOKEN_CHARS + 1], ru[ENT_TOKEN_CHARS + 1];
    ASSERT_EQ(ent_open(&db, NULL, 0, NULL), ENT_OK);
    token_for(db, "KZ", "kz", kz);
    token_for(db, "RU", "ru", ru);
    uint64_t n0 = ent_event_count(db);
    ent_report *rep = ent_report_new();
    ent_command c[4];
    c[0] = cmd(kz, "2027-01-05 KZ note \"one\"\n2027-01-05 KZ note \"two\"\n", "k-1");
    /* the same key and body inside one group: a retry */
    c[1] = cmd(kz, "2027-01-05 KZ note \"one\"\n2027-01-05 KZ note \"two\"\n", "k-1");
    ASSERT_EQ(ent_run_batch(db, c, 2), ENT_OK);
    ASSERT_EQ(c[0].status, ENT_OK);
    ASSERT_EQ(c[0].replayed, 0);
    ASSERT_EQ(c[0].appended, 2);
    ASSERT_EQ(c[1].status, ENT_OK);
    ASSERT_EQ(c[1].replayed, 1);
    ASSERT_EQ(c[1].appended, 2);
    ASSERT_EQ(c[1].first_seq, n0 + 1);
    ASSERT_EQ(c[1].last_seq, n0 + 2);
    ASSERT_EQ(ent_event_count(db), n0 + 2);
    /* a later retry: the stored outcome, nothing appended */
    c[0] = cmd(kz, "2027-01-05 KZ note \"one\"\n2027-01-05 KZ note \"two\"\n", "k-1");
    /* the same key with another body, or another principal: a conflict */
    c[1] = cmd(kz, "2027-01-05 KZ note \"three\"\n", "k-1");
    c[1].rep = rep;
    c[2] = cmd(ru, "2027-01-05 KZ note \"one\"\n2027-01-05 KZ note \"two\"\n", "k-1");
    /* a key too long */
    char longkey[130];
    memset(longkey, 'k', 129);
    longkey[129] = 0;
    c[3] = cmd(kz, "2027-01-05 KZ note \"four\"\n", longkey);
    ASSERT_EQ(ent_run_batch(db, c, 4), ENT_OK);
    ASSERT_EQ(c[0].status, ENT_OK);
    ASSERT_EQ(c[0].replayed, 1);
    ASSERT_EQ(c[0].first_seq, n0 + 1);
    ASSERT_EQ(c[0].last_seq, n0 + 2);
    ASSERT_EQ(c[0].appended, 2);
    ASSERT_EQ(c[1].status, ENT_EUSAGE);
    ASSERT_CONTAINS(ent_report_text(rep), "idempotency key reused with another body");
    ASSERT_EQ(c[2].status, ENT_EUSAGE);
    ASSERT_EQ(c[3].status, ENT_EUSAGE);
    ASSERT_EQ(ent_event_count(db), n0 + 2);
    /* a refused command's key is not stored: the retry is checked again */
    c[0] = cmd(kz, "2027-01-05 RU note \"no\"\n", "k-2");
    ASSERT_EQ(ent_run_batch(db, c, 1), ENT_OK);
    ASSERT_EQ(c[0].status, ENT_EFORBIDDEN);
    c[0] = cmd(kz, "2027-01-05 KZ note \"yes\"\n", "k-2");
    ASSERT_EQ(ent_run_batch(db, c, 1), ENT_OK);
    ASSERT_EQ(c[0].status, ENT_OK);
    ASSERT_EQ(c[0].replayed, 0);
    ASSERT_EQ(ent_event_count(db), n0 + 3);
    ent_report_free(rep);
    ent_close(db);
}

TEST(batch_durable_in_a_file)
{
    char *path = temp_path();
    ent_db *db;
    char kz[ENT_TOKEN_CHARS + 1], dg[65], live[65];
    ASSERT_EQ(ent_open(&db, path, 0, NULL), ENT_OK);
    token_for(db, "KZ", "kz", kz);
    uint64_t n0 = ent_event_count(db);
    ent_command c[2];
    c[0] = cmd(kz, "2027-01-05 KZ note \"one\"\n", "key-a");
    c[1] = cmd(NULL, "2027-01-06 RU note \"by the library itself\"\n", NULL);  /* no token: no check */
    ASSERT_EQ(ent_run_batch(db, c, 2), ENT_OK);
    ASSERT_EQ(c[0].status, ENT_OK);
    ASSERT_EQ(c[1].status, ENT_OK);
    ASSERT_STR_EQ(c[1].principal, "");
    ent_digest(db, live);
    ent_close(db);
    /* reopened: the events are there, the chain verifies, the key is kept */
    ASSERT_EQ(ent_open(&db, path, 0, NULL), ENT_OK);
    ASSERT_EQ(ent_event_count(db), n0 + 2);
    ASSERT_EQ(ent_verify(db, dg, NULL), ENT_OK);
    ASSERT_STR_EQ(dg, live);
    c[0] = cmd(kz, "2027-01-05 KZ note \"one\"\n", "key-a");
    ASSERT_EQ(ent_run_batch(db, c, 1), ENT_OK);
    ASSERT_EQ(c[0].replayed, 1);
    ASSERT_EQ(c[0].first_seq, n0 + 1);
    ASSERT_EQ(ent_event_count(db), n0 + 2);
    /* a revoked token is refused */
    ASSERT_EQ(ent_token_revoke(db, "kz", NULL), ENT_OK);
    c[0] = cmd(kz, "2027-01-07 KZ note \"two\"\n", NULL);
    ASSERT_EQ(ent_run_batch(db, c, 1), ENT_OK);
    ASSERT_EQ(c[0].status, ENT_EFORBIDDEN);
    ASSERT_STR_EQ(c[0].principal, "");
    ent_close(db);
    /* a read-only journal refuses the whole group */
    ASSERT_EQ(ent_open(&db, path, ENT_OPEN_READONLY, NULL), ENT_OK);
    c[0] = cmd(NULL, "2027-01-07 KZ note \"two\"\n", NULL);
    ASSERT_EQ(ent_run_batch(db, c, 1), ENT_EUSAGE);
    ASSERT_EQ(c[0].status, ENT_EUSAGE);
    ent_close(db);
    remove_journal(path);
}

TEST(batch_failed_commit_stores_nothing)
{
    char *path = temp_path();
    ent_db *db, *other;
    char dg0[65], dg1[65];
    ASSERT_EQ(ent_open(&db, path, 0, NULL), ENT_OK);
    uint64_t n0 = ent_event_count(db);
    ent_digest(db, dg0);
    /* another handle appends behind db's back: db's begin refuses (EIO) */
    ASSERT_EQ(ent_open(&other, path, 0, NULL), ENT_OK);
    static const char t[] = "2027-01-05 KG note \"elsewhere\"\n";
    ent_input in = { "o.chron", t, sizeof t - 1 };
    ASSERT_EQ(ent_run(other, &in, 1, NULL, NULL), ENT_OK);
    ent_close(other);
    ent_report *rep = ent_report_new();
    ent_command c[2];
    c[0] = cmd(NULL, "2027-01-06 KZ note \"one\"\n", "k");
    c[1] = cmd(NULL, "2027-01-06 RU note \"two\"\n", NULL);
    c[1].rep = rep;
    ASSERT_EQ(ent_run_batch(db, c, 2), ENT_EIO);
    ASSERT_EQ(c[0].status, ENT_EIO);
    ASSERT_EQ(c[1].status, ENT_EIO);
    ASSERT_EQ(c[0].first_seq, 0);
    ASSERT_EQ(c[0].appended, 0);
    ASSERT_CONTAINS(ent_report_text(rep), "nothing was written: the journal changed since it was opened");
    size_t loglen = 1;
    ASSERT_STR_EQ(ent_batch_log(db, &loglen), "");      /* nothing committed: no lines */
    ASSERT_EQ(loglen, 0);
    ent_digest(db, dg1);
    ASSERT_STR_EQ(dg0, dg1);                          /* the live state is unchanged */
    ASSERT_EQ(ent_event_count(db), n0);
    ent_close(db);
    ent_report_free(rep);
    remove_journal(path);
}

/* The rule `authority`, principal by principal. */
static int put_as(ent_db *db, const char *tok, const char *text, ent_report *rep)
{
    ent_command c = cmd(tok, text, NULL);
    c.rep = rep;
    ASSERT_EQ(ent_run_batch(db, &c, 1), ENT_OK);
    return c.status;
}

TEST(rule_authority_principals)
{
    ent_db *db;
    char chair[ENT_TOKEN_CHARS + 1], sg[ENT_TOKEN_CHARS + 1], sec[ENT_TOKEN_CHARS + 1], obs[ENT_TOKEN_CHARS + 1],
        adm[ENT_TOKEN_CHARS + 1], part[ENT_TOKEN_CHARS + 1], kz[ENT_TOKEN_CHARS + 1];
    ASSERT_EQ(ent_open(&db, NULL, 0, NULL), ENT_OK);
    token_for(db, "chair", "chair", chair);
    token_for(db, "sg", "sg", sg);
    token_for(db, "secretariat", "sec", sec);
    token_for(db, "observer", "obs", obs);
    token_for(db, "admin", "adm", adm);
    token_for(db, "participant", "Jane Roe", part);
    token_for(db, "KZ", "kz", kz);
    ent_report *rep = ent_report_new();
    /* observer: nothing */
    ASSERT_EQ(put_as(db, obs, "2027-01-05 KZ note \"x\"\n", rep), ENT_EFORBIDDEN);
    ASSERT_CONTAINS(ent_report_text(rep), "[authority; crisis room: design s.9, an observer reads only]");
    /* chair: a body's lines; convene only as the chairing state */
    ASSERT_EQ(put_as(db, chair, "2027-01-05 CSC note \"council\"\n", rep), ENT_OK);
    ASSERT_EQ(put_as(db, chair, "2027-01-05 KZ note \"x\"\n", rep), ENT_EFORBIDDEN);
    ent_report_clear(rep);
    ASSERT_EQ(put_as(db, chair, "2027-01-05 AM convene CSC extraordinary \"x\"\n", rep), ENT_EFORBIDDEN);
    ASSERT_CONTAINS(ent_report_text(rep), "the chair convenes only as the state that chairs on 2027-01-05");
    /* TJ chairs from 2027-01-01 (the 1-January rotation): the chair
    ** convenes as TJ */
    char *st;
    ASSERT_EQ(ent_state(db, "2027-01-05", ENT_FMT_JSON, &st, NULL), ENT_OK);
    ASSERT_CONTAINS(st, "\"chair\":\"TJ\"");
    ent_free(st);
    ASSERT_EQ(put_as(db, chair, "2027-01-05 TJ convene CSC extraordinary \"crisis\"\n", rep), ENT_OK);
    ASSERT_EQ(put_as(db, chair, "2027-01-05 TJ note \"x\"\n", rep), ENT_EFORBIDDEN);
    /* sg: SG lines only */
    ASSERT_EQ(put_as(db, sg, "2027-01-06 SG note \"sg\"\n", rep), ENT_OK);
    ASSERT_EQ(put_as(db, sg, "2027-01-06 CSC note \"x\"\n", rep), ENT_EFORBIDDEN);
    /* secretariat: SG lines and a record's steps, not register/comment */
    ASSERT_EQ(put_as(db, sec, "2027-01-06 SG note \"sec\"\n", rep), ENT_OK);
    ASSERT_EQ(put_as(db, adm, "2027-01-06 SG article id=A9 author=\"Press\" title=\"T\" \"text\"\n", rep), ENT_OK);
    ASSERT_EQ(put_as(db, sec, "2027-01-06 KG-TJ-2022 consultations \"talks\"\n", rep), ENT_OK);
    ASSERT_EQ(put_as(db, sec, "2027-01-06 KZ note \"x\"\n", rep), ENT_EFORBIDDEN);
    ASSERT_EQ(put_as(db, sec, "2027-01-06 NOPE consultations \"x\"\n", rep), ENT_EFORBIDDEN);
    ASSERT_EQ(put_as(db, sec, "2027-01-06 A9 comment id=C8 stance=for author=\"sec\" \"x\"\n", rep), ENT_EFORBIDDEN);
    /* participant: comments in its own name only */
    ent_report_clear(rep);
    ASSERT_EQ(put_as(db, part, "2027-01-07 A9 comment id=C9 stance=for author=\"Jane Roe\" \"Good\"\n", rep), ENT_OK);
    ASSERT_EQ(put_as(db, part, "2027-01-07 A9 comment id=C10 stance=for author=\"John Doe\" \"Bad\"\n", rep),
              ENT_EFORBIDDEN);
    ASSERT_CONTAINS(ent_report_text(rep), "a participant comments as author=\"Jane Roe\", its registered name, not \"John Doe\"");
    ASSERT_EQ(put_as(db, part, "2027-01-07 SG note \"x\"\n", rep), ENT_EFORBIDDEN);
    /* a delegation: its own state */
    ASSERT_EQ(put_as(db, kz, "2027-01-07 KZ note \"mine\"\n", rep), ENT_OK);
    ASSERT_EQ(put_as(db, kz, "2027-01-07 CSC note \"x\"\n", rep), ENT_EFORBIDDEN);
    /* admin: anything */
    ASSERT_EQ(put_as(db, adm, "2027-01-07 RU note \"x\"\n", rep), ENT_OK);
    /* a forbidden line is forbidden even when the charter would refuse it too */
    ASSERT_EQ(put_as(db, kz, "2027-01-07 AM vote NOPE yes\n", rep), ENT_EFORBIDDEN);
    char dg[65];
    ASSERT_EQ(ent_verify(db, dg, NULL), ENT_OK);
    ent_report_free(rep);
    ent_close(db);
}
