/* test_sources.c: src= is checked against the charter's source tags on every
** line, also when a line cites a list found valid on an earlier line (the
** core remembers recent lists, src/core/act.c): a list that differs from a
** valid one in any single byte is still refused as malformed. */
#include "../test.h"

#include <stdio.h>
#include <string.h>

#include "entente.h"

/* Valid lists of every length from 2 to 16 bytes (built-in tags S1-S144, X1-X4). */
static const char *const lists[] = {
    "S1", "S12", "S123", "S1,S2", "S1,S23", "S12,S34", "S12,S104", "S101,S102", "S1,S2,S3,S4",
    "S1,S2,S3,S45", "S1,S2,S34,S56", "S12,S34,S56,X1", "S12,S34,S56,S78", "S1,S2,S101", "S11,S12,S13,S104",
};

static int check(ent_db *db, ent_report *rep, const char *text)
{
    ent_input in = { "sources.chron", text, strlen(text) };
    ent_report_clear(rep);
    return ent_check(db, &in, 1, rep);
}

TEST(sources_every_byte_of_a_remembered_list_is_checked)
{
    ent_db *db;
    ent_report *rep = ent_report_new();
    ASSERT_EQ(ent_open(&db, ":memory:", 0, rep), ENT_OK);
    char text[512], bad[32];
    int lengths = 0;
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
        const char *good = lists[l];
        size_t n = strlen(good);
        lengths |= 1 << n;
        snprintf(text, sizeof text, "2026-11-01 RU request consultations id=Qa src=%s\n", good);
        ASSERT_EQ(check(db, rep, text), ENT_OK);
        for (size_t i = 0; i < n; i++) {
            /* the same length, one byte changed: no tag has a Z */
            memcpy(bad, good, n + 1);
            bad[i] = 'Z';
            snprintf(text, sizeof text,
                     "2026-11-01 RU request consultations id=Qa src=%s\n"
                     "2026-11-01 RU request consultations id=Qb src=%s\n"
                     "2026-11-01 RU request consultations id=Qc src=%s\n",
                     good, bad, good);
            ASSERT_EQ(check(db, rep, text), ENT_EINPUT);
            ASSERT(strstr(ent_report_text(rep), "sources.chron:2:") != NULL);
            ASSERT(strstr(ent_report_text(rep), "unknown source tag") != NULL);
            ASSERT(strstr(ent_report_text(rep), "sources.chron:3:") == NULL);
        }
    }
    ASSERT_EQ(lengths, 0x1fffc); /* every length from 2 to 16 */
    ent_close(db);
    ent_report_free(rep);
}
