/*
** test_stats.c: ent_stats() (`entente stats`): the incidents of the threat
** register and their casualties by region, category and year, in text and
** JSON, over a period; through the public API (rules_helper.h's fixture).
*/
#include "../core/rules_helper.h"

static const char *stats(const char *from, const char *to, int format)
{
    char **out = rt_slot();
    ent_report_clear(R.rep);
    int rc = ent_stats(R.db, from, to, format, out, R.rep);
    if (rc != ENT_OK || !*out) TEST_FAIL_("ent_stats: %d\n%s", rc, ent_report_text(R.rep));
    return *out;
}

TEST(stats_builtin_history_json)
{
    rt_open(0);
    ent_set_today(R.db, "2026-11-28");
    const char *j = stats(NULL, NULL, ENT_FMT_JSON);
    ASSERT_CONTAINS(j, "{\"from\":null,\"to\":\"2026-11-28\",\"incidents\":6,\"dead\":104,\"injured\":0,"
                       "\"without_figures\":5,\"by_region\":[");
    ASSERT_CONTAINS(j, "{\"region\":\"east-european\",\"incidents\":0,\"dead\":0,\"injured\":0},"
                       "{\"region\":\"caucasian\",\"incidents\":2,\"dead\":0,\"injured\":0},"
                       "{\"region\":\"central-asian\",\"incidents\":4,\"dead\":104,\"injured\":0}]");
    ASSERT_CONTAINS(j, "{\"category\":\"armed-aggression\",\"incidents\":2,\"dead\":0,\"injured\":0},"
                       "{\"category\":\"mass-unrest\",\"incidents\":2,\"dead\":0,\"injured\":0},"
                       "{\"category\":\"border-clash\",\"incidents\":2,\"dead\":104,\"injured\":0}]");
    ASSERT_CONTAINS(j, "\"by_year\":[{\"year\":2010,\"incidents\":1,\"dead\":0,\"injured\":0},"
                       "{\"year\":2021,\"incidents\":2,\"dead\":0,\"injured\":0},"
                       "{\"year\":2022,\"incidents\":3,\"dead\":104,\"injured\":0}]}\n");
    /* no "none" region when no incident is outside the regions */
    ASSERT(!strstr(j, "\"region\":\"none\""));
    rt_done();
}

TEST(stats_period_and_text_tables)
{
    rt_open(0);
    const char *t = stats("2022-01-01", "2022-12-31", ENT_FMT_TEXT);
    ASSERT_CONTAINS(t, "threat register: incidents from 2022-01-01 to 2022-12-31\n"
                       "3 incidents, 104 dead, 0 injured (2 of them give no figure)\n\n");
    ASSERT_CONTAINS(t, "  region             incidents    dead  injured\n"
                       "  east-european              0       0        0\n"
                       "  caucasian                  1       0        0\n"
                       "  central-asian              2     104        0\n");
    ASSERT_CONTAINS(t, "  border-clash               1     104        0\n");
    ASSERT_CONTAINS(t, "  year               incidents    dead  injured\n"
                       "  2022                       3     104        0\n");
    ASSERT(!strstr(t, "  2021 "));
    /* the ends are included */
    ASSERT_CONTAINS(stats("2022-09-14", "2022-09-14", ENT_FMT_JSON), "\"incidents\":1,\"dead\":104");
    ASSERT_CONTAINS(stats("2022-09-15", "2022-09-30", ENT_FMT_JSON), "\"incidents\":0,\"dead\":0");
    rt_done();
}

TEST(stats_counts_new_incidents_and_the_none_region)
{
    rt_open(ENT_OPEN_BARE);
    ASSERT_CONTAINS(stats(NULL, "2026-12-31", ENT_FMT_TEXT), "0 incidents, 0 dead, 0 injured\n");
    ASSERT_CONTAINS(stats(NULL, "2026-12-31", ENT_FMT_TEXT), "  (none)\n");
    ACCEPTED("2025-05-01 RU incident id=I1 category=terrorism region=caucasian dead=3 injured=10\n"
             "2026-06-01 AZ incident id=I2 category=cross-border-crime injured=2\n"
             "2026-07-01 BY incident id=I3 category=illegal-migration\n");
    const char *j = stats(NULL, "2026-12-31", ENT_FMT_JSON);
    ASSERT_CONTAINS(j, "\"incidents\":3,\"dead\":3,\"injured\":12,\"without_figures\":1");
    ASSERT_CONTAINS(j, "{\"region\":\"east-european\",\"incidents\":1,\"dead\":0,\"injured\":0},"
                       "{\"region\":\"caucasian\",\"incidents\":1,\"dead\":3,\"injured\":10},"
                       "{\"region\":\"central-asian\",\"incidents\":0,\"dead\":0,\"injured\":0},"
                       "{\"region\":\"none\",\"incidents\":1,\"dead\":0,\"injured\":2}]");
    ASSERT_CONTAINS(stats(NULL, "2026-12-31", ENT_FMT_TEXT), "  none (no region)           1       0        2\n");
    ASSERT_CONTAINS(stats("2026-01-01", "2026-12-31", ENT_FMT_JSON), "\"incidents\":2,\"dead\":0,\"injured\":2");
    rt_done();
}

TEST(stats_bad_dates)
{
    rt_open(0);
    char *out = NULL;
    ent_report_clear(R.rep);
    ASSERT_EQ(ent_stats(R.db, "2022-02-30", NULL, ENT_FMT_TEXT, &out, R.rep), ENT_EUSAGE);
    ASSERT_CONTAINS(rt_report(), "--from: error: no such date: 2022-02-30");
    ASSERT(out == NULL);
    ent_report_clear(R.rep);
    ASSERT_EQ(ent_stats(R.db, NULL, "22-01-01", ENT_FMT_TEXT, &out, R.rep), ENT_EUSAGE);
    ASSERT_CONTAINS(rt_report(), "--to: error: not a date YYYY-MM-DD: 22-01-01");
    ent_report_clear(R.rep);
    ASSERT_EQ(ent_stats(R.db, "2023-01-01", "2022-01-01", ENT_FMT_TEXT, &out, R.rep), ENT_EUSAGE);
    ASSERT_CONTAINS(rt_report(), "--from: error: 2023-01-01 is after --to 2022-01-01");
    rt_done();
}
