/*
** test_rules_dispute.c: the threat register (incidents) and the rule
** `disputes` (Treaty art. 1: no use of force among the parties), through the
** public API only (rules_helper.h): disputes between members and their steps,
** the refusal of a step after the settlement, of a dispute with a
** non-member, of a deployment against a member, and the switch
** dispute.parties-vote. Incidents are facts: only malformed lines fail.
*/
#include "rules_helper.h"

/* A Kazakh-Kyrgyz incident and the dispute opened on it (2026, on top of the
** built-in history, whose two Kyrgyz-Tajik disputes stay open: the fact sheet
** records no settlement). */
#define KZ_KG                                                                                       \
    "2026-03-01 KZ incident id=I1 category=border-clash other=KG dead=5 injured=7 \"Clash\"\n"     \
    "2026-03-02 SG dispute id=D1 parties=KZ,KG incident=I1 \"Border dispute\"\n"

/* ================================================================== */
/* Incidents: facts                                                    */

TEST(register_incident_recorded_with_region)
{
    rt_open(0);
    ASSERT_CONTAINS(rt_state("2026-02-01"), "\"incidents\":6");
    ACCEPTED("2026-03-01 KZ incident id=I1 category=terrorism severity=low dead=2 \"Bomb\"\n"
             "2026-03-02 RU incident id=I2 category=cybercrime region=east-european\n"
             "2026-03-03 AZ incident id=I3 category=drug-trafficking other=AM\n");
    ASSERT_CONTAINS(rt_state("2026-03-03"), "\"incidents\":9");
    ASSERT_CONTAINS(rt_state("2026-03-01"), "\"incidents\":7");
    ASSERT_CONTAINS(rt_why("I1"), "region: central-asian (from the state)");
    ASSERT_CONTAINS(rt_why("I1"), "severity: 2 of 10");
    ASSERT_CONTAINS(rt_why("I2"), "region: east-european (given)");
    /* a state in no region: counted under none */
    ASSERT_CONTAINS(rt_why("I3"), "region: none (from the state)");
    rt_done();
}

TEST(register_incident_malformed_lines_are_errors)
{
    rt_open(0);
    /* Russia is in the three regions: it must say which */
    ASSERT_EQ(rt_run("2026-03-01 RU incident id=I1 category=terrorism\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "RU belongs to several regions of collective security");
    ASSERT_EQ(rt_run("2026-03-01 KZ incident id=I1 category=piracy\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "unknown category 'piracy'");
    ASSERT_EQ(rt_run("2026-03-01 KZ incident id=I1 category=terrorism region=caucasian\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "KZ is not in the caucasian region");
    ASSERT_EQ(rt_run("2026-03-01 KZ incident id=I1 category=terrorism severity=11\n"), ENT_EINPUT);
    ASSERT_EQ(rt_run("2026-03-01 KZ incident id=I1 category=terrorism dead=-1\n"), ENT_EINPUT);
    ASSERT_EQ(rt_run("2026-03-01 KZ incident id=I1 category=terrorism other=KZ\n"), ENT_EINPUT);
    ASSERT_EQ(rt_run("2026-03-01 KZ incident id=I1\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "missing category=CATEGORY");
    ASSERT_CONTAINS(rt_state("2026-03-01"), "\"incidents\":6");
    rt_done();
}

/* ================================================================== */
/* disputes                                                             */

TEST(rule_disputes_open_steps_and_settlement)
{
    rt_open(0);
    ACCEPTED(KZ_KG "2026-03-03 SG contact D1 \"calls for calm\"\n"
                   "2026-03-05 D1 ceasefire\n"
                   "2026-03-04 D1 consultations\n" /* steps in any order */
                   "2026-03-06 D1 protocol\n"
                   "2026-03-07 D1 monitoring-mission\n"
                   "2026-03-08 D1 delimitation-commission\n");
    const char *s = rt_state("2026-03-05");
    ASSERT_CONTAINS(s, "{\"id\":\"D1\",\"parties\":[\"KZ\",\"KG\"],\"opened\":\"2026-03-02\","
                       "\"incident\":\"I1\",\"last_step\":\"ceasefire\",\"last_step_date\":\"2026-03-05\","
                       "\"dead\":5,\"injured\":7}");
    ASSERT_CONTAINS(rt_state("2026-03-08"), "\"last_step\":\"delimitation-commission\"");
    ACCEPTED("2026-03-09 D1 settled \"Agreement on the border\"\n");
    /* settled: no longer open */
    ASSERT(!strstr(rt_state("2026-03-09"), "\"id\":\"D1\",\"parties\""));
    ASSERT_CONTAINS(rt_state("2026-03-08"), "\"id\":\"D1\",\"parties\"");
    ASSERT_CONTAINS(rt_why("D1"), "status: settled on 2026-03-09");
    ASSERT_CONTAINS(rt_why("D1"), "2026-03-03  contact (SG) \"calls for calm\"");
    /* a step after the settlement is refused */
    REFUSED("2026-03-10 D1 ceasefire\n", "disputes");
    ASSERT_CONTAINS(rt_report(), "D1 was settled on 2026-03-09: no ceasefire after the settlement");
    REFUSED("2026-03-10 SG contact D1\n", "disputes");
    REFUSED("2026-03-10 D1 protocol\n", "disputes");
    rt_done();
}

TEST(rule_disputes_between_members_only)
{
    rt_open(0);
    /* Armenia and Azerbaijan: an incident with a non-member is recorded ... */
    ACCEPTED("2026-03-01 AM incident id=I1 category=armed-aggression other=AZ\n");
    /* ... but no dispute between members can be opened on it */
    REFUSED("2026-03-02 SG dispute id=D1 parties=AM,AZ incident=I1\n", "disputes");
    ASSERT_CONTAINS(rt_report(), "AZ is not a member on 2026-03-02: a dispute is between members");
    /* a frozen member is still a party: the rule covers it */
    ACCEPTED("2026-03-03 AM incident id=I2 category=border-clash other=KZ\n"
             "2026-03-04 CSC dispute id=D2 parties=KZ,AM incident=I2\n");
    ASSERT_CONTAINS(rt_why("D2"), "opened by the CSC on 2026-03-04");
    rt_done();
}

TEST(rule_disputes_not_in_force_before_the_treaty)
{
    /* from=1994-04-20 (Treaty in force): before it, nothing is refused */
    rt_open(0);
    ACCEPTED("1993-01-01 AM incident id=I1 category=border-clash other=AZ\n"
             "1993-01-02 SG dispute id=D1 parties=AM,AZ incident=I1\n"
             "1993-01-03 D1 settled\n"
             "1993-01-04 D1 ceasefire\n");
    rt_done();
}

TEST(rule_disputes_malformed_dispute_lines)
{
    rt_open(0);
    ACCEPTED("2026-03-01 KG incident id=I1 category=border-clash other=TJ\n"
             "2026-03-01 KZ incident id=I2 category=terrorism\n");
    ASSERT_EQ(rt_run("2026-03-02 SG dispute id=D1 parties=KG,KZ incident=I1\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "incident I1 is not between KG and KZ");
    ASSERT_EQ(rt_run("2026-03-02 SG dispute id=D1 parties=KG incident=I1\n"), ENT_EINPUT);
    ASSERT_EQ(rt_run("2026-03-02 SG dispute id=D1 parties=KG,TJ\n"), ENT_EINPUT);
    ASSERT_EQ(rt_run("2026-03-02 KG dispute id=D1 parties=KG,TJ incident=I1\n"), ENT_EINPUT);
    ASSERT_EQ(rt_run("2026-02-02 SG dispute id=D1 parties=KG,TJ incident=I1\n"), ENT_EINPUT); /* before I1 */
    ASSERT_EQ(rt_run("2026-03-02 NOPE ceasefire\n"), ENT_EINPUT);
    ASSERT_EQ(rt_run("2026-03-02 I1 ceasefire\n"), ENT_EINPUT); /* an incident, not a dispute */
    ASSERT_CONTAINS(rt_report(), "'I1' is not a dispute");
    ACCEPTED("2026-03-02 SG dispute id=D1 parties=KG,TJ incident=I1\n");
    ASSERT_EQ(rt_run("2026-03-01 D1 ceasefire\n"), ENT_EINPUT); /* before the dispute */
    /* the transit protocol is still the CSC's */
    ASSERT_EQ(rt_run("2026-03-03 CSC protocol ceasefire\n"), ENT_EINPUT);
    rt_done();
}

TEST(rule_disputes_incidents_linked_add_casualties)
{
    rt_open(0);
    ACCEPTED(KZ_KG "2026-03-04 KG incident id=I2 category=border-clash other=KZ dead=3 dispute=D1\n");
    ASSERT_CONTAINS(rt_state("2026-03-04"), "\"dead\":8,\"injured\":7");
    ASSERT_CONTAINS(rt_state("2026-03-03"), "\"dead\":5,\"injured\":7");
    /* dispute= must name a dispute between the incident's states */
    ASSERT_EQ(rt_run("2026-03-05 TJ incident id=I3 category=border-clash other=KG dispute=D1\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "the parties of D1 are KZ and KG");
    rt_done();
}

TEST(rule_disputes_no_deployment_against_a_member)
{
    rt_open(0);
    ACCEPTED(KZ_KG "2026-03-05 KZ request assistance id=R1\n");
    /* against the other party of an open dispute */
    REFUSED("2026-03-06 CSC propose deploy id=P1 force=CPKF host=KZ request=R1 against=KG\n", "disputes");
    ASSERT_CONTAINS(rt_report(), "KZ and KG are members in open dispute D1");
    /* against any member */
    REFUSED("2026-03-06 CSC propose deploy id=P1 force=CPKF host=KZ request=R1 against=BY\n", "disputes");
    ASSERT_CONTAINS(rt_report(), "BY is a member on 2026-03-06: the organization never uses its forces against a member");
    /* a frozen member is a member too */
    REFUSED("2026-03-06 CSC propose deploy id=P1 force=CPKF host=KZ request=R1 against=AM\n", "disputes");
    /* against a non-member: accepted */
    ACCEPTED("2026-03-06 CSC propose deploy id=P1 force=CPKF host=KZ request=R1 against=AF\n");
    ASSERT_CONTAINS(rt_state("2026-03-06"), "{\"id\":\"P1\",\"kind\":\"deploy\",\"body\":\"CSC\"");
    rt_done();
}

TEST(rule_disputes_switch_parties_vote)
{
    /* default yes: the parties vote (consensus) */
    rt_open(0);
    ACCEPTED(KZ_KG "2026-03-05 KZ request assistance id=R1\n"
                   "2026-03-06 CSC propose deploy id=P1 force=CPKF host=KZ request=R1\n"
                   "2026-03-06 KG vote P1 abstain\n");
    ASSERT_CONTAINS(rt_state("2026-03-06"), "\"KG\":\"abstain\"");
    /* no (Rio Treaty art. 18): the other party does not vote on the host's proposal */
    rt_open(0);
    rt_switch("dispute.parties-vote", "no");
    ACCEPTED(KZ_KG "2026-03-05 KZ request assistance id=R1\n"
                   "2026-03-06 CSC propose deploy id=P1 force=CPKF host=KZ request=R1\n");
    const char *s = rt_state("2026-03-06");
    ASSERT_CONTAINS(s, "\"votes\":{\"BY\":\"pending\",\"KZ\":\"pending\",\"RU\":\"pending\",\"TJ\":\"pending\"}");
    REFUSED("2026-03-06 KG vote P1 no\n", "disputes");
    ASSERT_CONTAINS(rt_report(), "KG is in open dispute D1 with KZ, the host of P1, on 2026-03-06");
    /* the four others decide */
    ACCEPTED("2026-03-06 BY vote P1 yes\nKZ vote P1 yes\nRU vote P1 yes\nTJ vote P1 yes\n");
    ASSERT_CONTAINS(rt_deployment("2026-03-06", "P1"), "\"decision\":\"adopted\"");
    /* once settled, both vote again */
    ACCEPTED("2026-03-07 D1 settled\n"
             "2026-03-08 KZ request assistance id=R2\n"
             "2026-03-08 CSC propose deploy id=P2 force=CPKF host=KZ request=R2\n"
             "2026-03-08 KG vote P2 yes\n");
    /* the built-in Kyrgyz-Tajik disputes are open: on a proposal for KG, TJ does not vote */
    ACCEPTED("2026-03-09 KG request assistance id=R3\n"
             "2026-03-09 CSC propose deploy id=P3 force=CPKF host=KG request=R3\n");
    REFUSED("2026-03-09 TJ vote P3 yes\n", "disputes");
    ASSERT_CONTAINS(rt_report(), "TJ is in open dispute KG-TJ-2022 with KG");
    rt_done();
}

TEST(rule_disputes_history_kyrgyz_tajik)
{
    rt_open(0);
    const char *s = rt_state("2022-09-20");
    ASSERT_CONTAINS(s, "{\"id\":\"KG-TJ-2022\",\"parties\":[\"KG\",\"TJ\"],\"opened\":\"2022-09-16\","
                       "\"incident\":\"KG-TJ-2022-I\",\"last_step\":\"contact\",\"last_step_date\":\"2022-09-16\","
                       "\"dead\":104,\"injured\":null}");
    ASSERT_CONTAINS(s, "{\"id\":\"KG-TJ-2021\"");
    ASSERT_CONTAINS(s, "\"incidents\":6");
    /* before the 2021 clashes: none */
    ASSERT_CONTAINS(rt_state("2021-01-01"), "\"disputes\":[],\"incidents\":1");
    /* Armenia 2021: an incident with a non-member, no dispute */
    ASSERT_CONTAINS(rt_why("AM-2021-I"), "AM-2021-I: incident (armed-aggression) in AM Armenia with AZ Azerbaijan on 2021-05-12");
    ASSERT(!strstr(rt_why("AM-2021-I"), "dispute:"));
    rt_done();
}
