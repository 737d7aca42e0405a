/*
** test_rules_exercises.c: the rule `exercises` (src/core/act_exercise.c;
** docs/rules.md#exercises) and the verbs of exercises, plans and standing
** operations, through the public API only (rules_helper.h).
**
** The chronicles run on top of the built-in history: on 2026 dates the
** active members are BY KZ KG RU TJ, Armenia is frozen (since 2024-02-22),
** Uzbekistan suspended, Georgia a former member. The history holds the
** exercises of csto-facts s.3, among them IB-2022 (Indestructible
** Brotherhood-2022, KG, 10-14 Oct 2022, cancelled on 9 Oct) and the standing
** operations NELEGAL (since 2017) and KANAL.
*/
#include "rules_helper.h"

/* A planned exercise hosted by Kazakhstan, 1-5 Sep 2026, with BY and RU. */
#define X1 "2026-03-01 KZ exercise id=X1 kind=interaction from=2026-09-01 to=2026-09-05 participants=RU,BY " \
           "observers=CN place=\"Matybulak\" \"Interaction-2026\"\n"

/* The JSON object of exercise ID in the state on a date (a copy). */
static const char *ex(const char *date, const char *id) { return rt_deployment(date, id); }

/* ================================================================== */
/* The host                                                             */

TEST(rule_exercises_active_member_hosts)
{
    rt_open(0);
    ACCEPTED(X1);
    const char *o = ex("2026-08-31", "X1");
    ASSERT_CONTAINS(o, "\"name\":\"Interaction-2026\"");
    ASSERT_CONTAINS(o, "\"kind\":\"interaction\",\"host\":\"KZ\",\"from\":\"2026-09-01\",\"to\":\"2026-09-05\"");
    ASSERT_CONTAINS(o, "\"dates\":\"exact\",\"place\":\"Matybulak\",\"status\":\"planned\"");
    ASSERT_CONTAINS(o, "\"participants\":[\"BY\",\"RU\"],\"observers\":[\"CN\"]");
    ASSERT_CONTAINS(ex("2026-09-01", "X1"), "\"status\":\"under-way\"");
    ASSERT_CONTAINS(ex("2026-09-05", "X1"), "\"status\":\"under-way\"");
    ASSERT_CONTAINS(ex("2026-09-06", "X1"), "\"status\":\"held\"");
    /* not on a date before it was recorded */
    ASSERT(!strstr(rt_state("2026-02-28"), "\"id\":\"X1\""));
    rt_done();
}

TEST(rule_exercises_frozen_suspended_or_non_member_host_refused)
{
    rt_open(0);
    REFUSED("2026-03-01 AM exercise id=X2 kind=rock from=2026-09-01 to=2026-09-02 \"Rock-2026\"\n", "exercises");
    ASSERT_CONTAINS(rt_report(), "AM cannot host an exercise on 2026-03-01: it is frozen, not an active member");
    REFUSED("2026-03-01 UZ exercise id=X2 kind=rock from=2026-09-01 to=2026-09-02 \"Rock-2026\"\n", "exercises");
    ASSERT_CONTAINS(rt_report(), "UZ cannot host an exercise on 2026-03-01: it is suspended");
    REFUSED("2026-03-01 GE exercise id=X2 kind=rock from=2026-09-01 to=2026-09-02 \"Rock-2026\"\n", "exercises");
    ASSERT_CONTAINS(rt_report(), "it is former");
    REFUSED("2026-03-01 CN exercise id=X2 kind=rock from=2026-09-01 to=2026-09-02 \"Rock-2026\"\n", "exercises");
    ASSERT_CONTAINS(rt_report(), "CN cannot host an exercise on 2026-03-01: it is not a member");
    /* Armenia could host before its freeze */
    ACCEPTED("2023-06-01 AM exercise id=X3 kind=rock from=2023-09-01 to=2023-09-02 \"Rock-2023\"\n");
    rt_done();
}

TEST(rule_exercises_not_in_force_before_the_charter)
{
    rt_open(0);
    /* Georgia left in 1999; the rule is in force from 2003-09-18 */
    ACCEPTED("2001-03-01 GE exercise id=X4 kind=rock year=2001 \"Rock-2001\"\n");
    REFUSED("2003-09-18 GE exercise id=X5 kind=rock year=2003 \"Rock-2003\"\n", "exercises");
    rt_done();
}

/* ================================================================== */
/* Participants                                                         */

TEST(rule_exercises_participants_must_be_members_refused)
{
    rt_open(0);
    REFUSED("2026-03-01 KZ exercise id=X2 kind=search from=2026-09-01 to=2026-09-02 participants=RU,AM \"S\"\n",
            "exercises");
    ASSERT_CONTAINS(rt_report(), "AM cannot take part in an exercise on 2026-03-01: it is frozen, not an active member");
    REFUSED("2026-03-01 KZ exercise id=X2 kind=search from=2026-09-01 to=2026-09-02 participants=CN \"S\"\n",
            "exercises");
    /* observers may be any state, a frozen member among them */
    ACCEPTED("2026-03-01 KZ exercise id=X2 kind=search from=2026-09-01 to=2026-09-02 observers=CN,AM \"S\"\n");
    ASSERT_CONTAINS(ex("2026-03-01", "X2"), "\"participants\":[],\"observers\":[\"AM\",\"CN\"]");
    rt_done();
}

TEST(rule_exercises_host_accepts_participants)
{
    rt_open(0);
    ACCEPTED(X1);
    ACCEPTED("2026-04-01 KZ accept X1 state=TJ,KG\n");
    ASSERT_CONTAINS(ex("2026-04-01", "X1"), "\"participants\":[\"BY\",\"KG\",\"RU\",\"TJ\"]");
    /* an observer accepted as a participant takes part */
    ACCEPTED("2026-04-02 KG exercise id=X8 kind=echelon year=2026 observers=TJ \"Echelon-2026\"\n"
             "2026-04-03 KG accept X8 state=TJ\n");
    ASSERT_CONTAINS(ex("2026-04-03", "X8"), "\"participants\":[\"TJ\"],\"observers\":[]");
    rt_done();
}

TEST(rule_exercises_only_the_host_accepts_refused)
{
    rt_open(0);
    ACCEPTED(X1);
    REFUSED("2026-04-01 RU accept X1 state=TJ\n", "exercises");
    ASSERT_CONTAINS(rt_report(), "only the host KZ accepts participants in X1, not RU");
    REFUSED("2026-04-01 KZ accept X1 state=AM\n", "exercises");
    ASSERT_CONTAINS(rt_report(), "AM cannot take part in an exercise on 2026-04-01: it is frozen");
    REFUSED("2026-09-01 KZ accept X1 state=TJ\n", "exercises");
    ASSERT_CONTAINS(rt_report(), "X1 starts on 2026-09-01: too late on 2026-09-01");
    rt_done();
}

/* ================================================================== */
/* Cancellation                                                         */

TEST(rule_exercises_host_cancels_with_its_reason)
{
    rt_open(0);
    ACCEPTED(X1);
    ACCEPTED("2026-08-31 KZ cancel X1 \"The host calls it off\"\n");
    const char *o = ex("2026-08-31", "X1");
    ASSERT_CONTAINS(o, "\"status\":\"cancelled\",\"cancelled\":\"2026-08-31\",\"reason\":\"The host calls it off\"");
    ASSERT_CONTAINS(ex("2026-08-30", "X1"), "\"status\":\"planned\"");
    ASSERT_CONTAINS(ex("2026-12-01", "X1"), "\"status\":\"cancelled\"");
    /* nothing more once it is cancelled */
    REFUSED("2026-08-31 KZ accept X1 state=TJ\n", "exercises");
    ASSERT_CONTAINS(rt_report(), "X1 was cancelled on 2026-08-31");
    REFUSED("2026-08-31 KZ cancel X1 \"again\"\n", "exercises");
    rt_done();
}

TEST(rule_exercises_only_the_host_cancels_before_the_start_refused)
{
    rt_open(0);
    ACCEPTED(X1);
    REFUSED("2026-08-01 RU cancel X1 \"Russia would rather not\"\n", "exercises");
    ASSERT_CONTAINS(rt_report(), "only the host KZ cancels X1, not RU");
    REFUSED("2026-09-01 KZ cancel X1 \"too late\"\n", "exercises");
    ASSERT_CONTAINS(rt_report(), "X1 starts on 2026-09-01: too late on 2026-09-01 (the host cancels it before it starts)");
    /* an exercise dated only by its year may be cancelled until the year ends */
    ACCEPTED("2026-03-01 KG exercise id=X6 kind=barrier year=2026 \"Barrier-2026\"\n"
             "2026-12-31 KG cancel X6 \"late in the year\"\n");
    REFUSED("2027-01-01 KG exercise id=X7 kind=barrier year=2026 \"Barrier-2026\"\n"
            "2027-01-01 KG cancel X7 \"after the year\"\n",
            "exercises");
    ASSERT_CONTAINS(rt_report(), "X7 was due in 2026: too late on 2027-01-01");
    rt_done();
}

/* ================================================================== */
/* The history (csto-facts s.3)                                         */

TEST(rule_exercises_history_indestructible_brotherhood_2022_cancelled)
{
    rt_open(0);
    const char *o = ex("2022-10-10", "IB-2022");
    ASSERT_CONTAINS(o, "\"kind\":\"indestructible-brotherhood\",\"host\":\"KG\",\"from\":\"2022-10-10\",\"to\":\"2022-10-14\"");
    ASSERT_CONTAINS(o, "\"place\":\"Balykchy\",\"status\":\"cancelled\",\"cancelled\":\"2022-10-09\"");
    ASSERT_CONTAINS(o, "\"reason\":\"After the clashes, the public would not accept Tajik troops\"");
    ASSERT_CONTAINS(o, "\"participants\":[\"TJ\"]");
    ASSERT_CONTAINS(ex("2022-10-08", "IB-2022"), "\"status\":\"planned\"");
    ASSERT_CONTAINS(rt_why("IB-2022"), "cancelled by KG on 2022-10-09");
    /* Kyrgyzstan hosted it again in 2023, dated only by the year */
    ASSERT_CONTAINS(ex("2023-06-01", "IB-2023"), "\"dates\":\"year\",\"place\":null,\"status\":\"in-year\"");
    ASSERT_CONTAINS(ex("2024-01-01", "IB-2023"), "\"status\":\"held\"");
    rt_done();
}

TEST(rule_exercises_history_hosts)
{
    rt_open(0);
    const char *s = rt_state("2024-12-31");
    static const char *const want[] = {
        "{\"id\":\"INTERACTION-2009\",\"name\":\"Interaction-2009\",\"kind\":\"interaction\",\"host\":\"KZ\"",
        "{\"id\":\"INTERACTION-2013\",\"name\":\"Interaction-2013\",\"kind\":\"interaction\",\"host\":\"BY\"",
        "{\"id\":\"THUNDER-2013\",\"name\":\"Thunder-2013\",\"kind\":\"thunder\",\"host\":\"KG\"",
        "{\"id\":\"IB-2013\",\"name\":\"Indestructible Brotherhood-2013\",\"kind\":\"indestructible-brotherhood\",\"host\":\"RU\"",
        "{\"id\":\"THUNDER-2015\",\"name\":\"Thunder-2015\",\"kind\":\"thunder\",\"host\":\"TJ\"",
        "{\"id\":\"COBALT-2021\",\"name\":\"Cobalt-2021\",\"kind\":\"cobalt\",\"host\":\"TJ\"",
        "{\"id\":\"COBALT-2022\",\"name\":\"Cobalt-2022\",\"kind\":\"cobalt\",\"host\":\"KG\"",
        "{\"id\":\"INTERACTION-2023\",\"name\":\"Interaction-2023\",\"kind\":\"interaction\",\"host\":\"BY\"",
        "{\"id\":\"SEARCH-2023\",\"name\":\"Search-2023\",\"kind\":\"search\",\"host\":\"BY\"",
        "{\"id\":\"ECHELON-2023\",\"name\":\"Echelon-2023\",\"kind\":\"echelon\",\"host\":\"BY\"",
        "{\"id\":\"IB-2023\",\"name\":\"Indestructible Brotherhood-2023\",\"kind\":\"indestructible-brotherhood\",\"host\":\"KG\"",
        "{\"id\":\"INTERACTION-2024\",\"name\":\"Interaction-2024\",\"kind\":\"interaction\",\"host\":\"KG\"",
        "{\"id\":\"SEARCH-2024\",\"name\":\"Search-2024\",\"kind\":\"search\",\"host\":\"KG\"",
        "{\"id\":\"ECHELON-2024\",\"name\":\"Echelon-2024\",\"kind\":\"echelon\",\"host\":\"KG\"",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) ASSERT_CONTAINS(s, want[i]);
    rt_done();
}

/* ================================================================== */
/* Arguments (input errors, not refusals)                               */

TEST(exercise_malformed_lines)
{
    rt_open(0);
    static const char *const bad[] = {
        "2026-03-01 KZ exercise id=X9 kind=parade from=2026-09-01 to=2026-09-02 \"P\"\n",
        "2026-03-01 KZ exercise id=X9 kind=rock from=2026-09-03 to=2026-09-02 \"P\"\n",
        "2026-03-01 KZ exercise id=X9 kind=rock year=2026 from=2026-09-01 \"P\"\n",
        "2026-03-01 KZ exercise id=X9 kind=rock year=2026\n",
        "2026-03-01 KZ exercise id=X9 kind=rock year=2026 participants=KZ \"P\"\n",
        "2026-03-01 KZ exercise id=X9 kind=rock year=2026 participants=RU observers=RU \"P\"\n",
        "2026-03-01 KZ exercise id=IB-2022 kind=rock year=2026 \"P\"\n",
        "2026-03-01 KG cancel IB-2022\n",
        "2021-06-01 KG cancel IB-2022 \"before the record\"\n",
        "2026-03-01 AM vote IB-2022 yes\n",
        "2026-03-01 KG cancel KZ-2022-D \"not an exercise\"\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = rt_run(bad[i]);
        if (rc != ENT_EINPUT) TEST_FAIL_("expected ENT_EINPUT for %s got %s\n%s", bad[i], ent_status_name(rc), rt_report());
    }
    ASSERT_EQ(rt_run("2026-03-01 AM vote IB-2022 yes\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "'IB-2022' is an exercise, not a proposal");
    rt_done();
}

/* ================================================================== */
/* Plans and standing operations                                        */

TEST(exercise_plan_of_the_year)
{
    rt_open(0);
    ACCEPTED("2026-11-20 CSC plan exercises year=2027 \"Joint training plan for 2027\"\n");
    ASSERT_CONTAINS(rt_state("2026-11-20"),
                    "\"exercise_plans\":[{\"year\":2027,\"body\":\"CSC\",\"date\":\"2026-11-20\",\"text\":\"Joint training plan for 2027\"}]");
    ASSERT_EQ(rt_run("2026-11-21 CSC plan exercises year=2027 \"again\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "a plan of exercises for 2027 was recorded on 2026-11-20");
    ASSERT_EQ(rt_run("2026-11-21 KZ plan exercises year=2028\n"), ENT_EINPUT);
    rt_done();
}

TEST(exercise_standing_operations_and_reports)
{
    rt_open(0);
    ASSERT_CONTAINS(rt_state("2018-01-01"),
                    "\"operations\":[{\"id\":\"NELEGAL\",\"name\":\"Nelegal (Illegal)\",\"kind\":\"migration\",\"body\":\"CSC\",\"since\":\"2017-01-01\",\"reports\":[]}]");
    ASSERT(!strstr(rt_state("2016-12-31"), "NELEGAL"));
    ACCEPTED("2026-03-01 CSC operation id=OP1 kind=anti-drug \"Channel-2026\"\n"
             "2026-11-01 OP1 report year=2026 \"Seized so much\"\n");
    ASSERT_CONTAINS(rt_state("2026-11-01"), "\"id\":\"OP1\",\"name\":\"Channel-2026\",\"kind\":\"anti-drug\",\"body\":\"CSC\","
                                           "\"since\":\"2026-03-01\",\"reports\":[{\"year\":2026,\"date\":\"2026-11-01\",\"text\":\"Seized so much\"}]");
    ASSERT_CONTAINS(rt_why("OP1"), "results for 2026, reported 2026-11-01");
    ASSERT_EQ(rt_run("2026-11-02 OP1 report year=2026 \"twice\"\n"), ENT_EINPUT);
    ASSERT_EQ(rt_run("2026-11-02 OP1 report year=2025 \"before it stood\"\n"), ENT_EINPUT);
    ASSERT_EQ(rt_run("2026-11-02 OP1 report year=2027 \"the future\"\n"), ENT_EINPUT);
    ASSERT_EQ(rt_run("2026-11-02 IB-2022 report year=2022 \"not an operation\"\n"), ENT_EINPUT);
    ACCEPTED("2026-11-02 NELEGAL report year=2025 \"Results of 2025\"\n");
    rt_done();
}
