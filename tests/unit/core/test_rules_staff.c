/*
** test_rules_staff.c: the rule `joint-staff` (the CSC appoints the chief of
** the Joint Staff; since 2018 from Russia) and missions under the rules
** `request`, `territory` and `bodies` (act_staff.c), through the public API
** only (rules_helper.h), on top of the built-in history.
*/
#include "rules_helper.h"


TEST(rule_joint_staff_history)
{
    rt_open(0);
    ASSERT_CONTAINS(rt_state("2014-06-01"), "\"joint_staff_chief\":null");
    ASSERT_CONTAINS(rt_state("2016-06-01"), "\"joint_staff_chief\":{\"name\":\"A. Sidorov\",\"state\":\"RU\",\"from\":\"2015-01-01\"}");
    ASSERT_CONTAINS(rt_state("2023-11-22"), "\"name\":\"A. Sidorov\"");
    ASSERT_CONTAINS(rt_state("2024-01-01"), "\"joint_staff_chief\":{\"name\":\"A. Serdyukov\",\"state\":\"RU\",\"from\":\"2023-11-23\"}");
    rt_done();
}

TEST(rule_joint_staff_appointment_accepted)
{
    rt_open(0);
    ACCEPTED("2027-01-10 CSC appoint chief-of-staff state=RU from=2027-02-01 \"Ivan Testov\"\n");
    ASSERT_CONTAINS(rt_state("2027-01-31"), "\"name\":\"A. Serdyukov\"");
    ASSERT_CONTAINS(rt_state("2027-02-01"), "\"joint_staff_chief\":{\"name\":\"Ivan Testov\",\"state\":\"RU\",\"from\":\"2027-02-01\"}");
    rt_done();
}

TEST(rule_joint_staff_from_russia_since_2018)
{
    rt_open(0);
    REFUSED("2027-01-10 CSC appoint chief-of-staff state=KZ \"Ivan Testov\"\n", "joint-staff");
    ASSERT_CONTAINS(rt_report(), "since 2018 the chief of the Joint Staff comes from Russia [S62]: KZ");
    REFUSED("2027-01-10 CSC appoint chief-of-staff \"Ivan Testov\"\n", "joint-staff");
    ASSERT_CONTAINS(rt_report(), "no state= given");
    /* before 2018 any member (or no state=) is accepted */
    ACCEPTED("2016-06-01 CSC appoint chief-of-staff state=KZ \"Early Chief\"\n");
    ASSERT_CONTAINS(rt_state("2016-07-01"), "\"joint_staff_chief\":{\"name\":\"Early Chief\",\"state\":\"KZ\"");
    rt_done();
}

TEST(rule_joint_staff_only_csc_appoints)
{
    rt_open(0);
    REFUSED("2027-01-10 CMD appoint chief-of-staff state=RU \"Ivan Testov\"\n", "joint-staff");
    ASSERT_CONTAINS(rt_report(), "the CSC appoints the chief of the Joint Staff, not the CMD");
    /* the name is required; from= may not go back before the current chief */
    ASSERT_EQ(rt_run("2027-01-10 CSC appoint chief-of-staff state=RU\n"), ENT_EINPUT);
    ASSERT_EQ(rt_run("2027-01-10 CSC appoint chief-of-staff state=RU from=2020-01-01 \"X\"\n"), ENT_EINPUT);
    rt_done();
}

TEST(rule_request_mission_history)
{
    rt_open(0);
    const char *s = rt_state("2022-09-16");
    ASSERT_CONTAINS(s, "\"missions\":[{\"id\":\"AM-2022-M\",\"body\":\"CSC\",\"host\":\"AM\",\"date\":\"2022-09-13\",\"request\":\"AM-2022-R\"");
    ASSERT_CONTAINS(s, "\"advance_team\":\"2022-09-15\",\"arrived\":null,\"complete\":null,\"status\":\"advance-team\"");
    s = rt_state("2022-12-01");
    ASSERT_CONTAINS(s, "\"arrived\":\"2022-09-20\"");
    /* the mission does not answer the request: no military aid [S96] */
    ASSERT_CONTAINS(s, "{\"id\":\"AM-2022-R\",\"state\":\"AM\",\"date\":\"2022-09-13\",\"kind\":\"assistance\",\"article\":\"treaty-4\",\"status\":\"open\"");
    ASSERT_CONTAINS(rt_state("2022-09-12"), "\"missions\":[]");
    const char *w = rt_why("AM-2022-M");
    ASSERT_CONTAINS(w, "AM-2022-M: mission of the CSC to AM Armenia, decided 2022-09-13 on request AM-2022-R");
    ASSERT_CONTAINS(w, "advance team arrived 2022-09-15");
    ASSERT_CONTAINS(w, "request            Peacekeeping Agreement art. 3");
    rt_done();
}

TEST(rule_request_mission_accepted)
{
    rt_open(0);
    ACCEPTED("2027-03-01 KZ request assistance id=KZ-R article=treaty-4\n"
             "2027-03-02 CSC mission id=KZ-M host=KZ request=KZ-R lead=\"A. Lead\" \"Assessment\"\n"
             "2027-03-04 KZ-M advance-team\n"
             "2027-03-06 KZ-M arrive\n"
             "2027-03-20 KZ-M complete\n");
    const char *s = rt_state("2027-03-05");
    ASSERT_CONTAINS(s, "\"status\":\"advance-team\",\"text\":\"Assessment\"");
    ASSERT_CONTAINS(s, "{\"id\":\"KZ-R\",\"state\":\"KZ\",\"date\":\"2027-03-01\",\"kind\":\"assistance\",\"article\":\"treaty-4\",\"status\":\"open\"");
    ASSERT_CONTAINS(rt_state("2027-03-21"), "\"complete\":\"2027-03-20\",\"status\":\"complete\"");
    /* facts come once, in order, after the decision */
    ASSERT_EQ(rt_run("2027-03-21 KZ-M arrive\n"), ENT_EINPUT);
    ASSERT_EQ(rt_run("2027-03-21 KG advance-team\n"), ENT_EINPUT);
    ACCEPTED("2027-04-01 CSC mission id=KZ-M2 host=KZ request=KZ-R\n");
    ASSERT_EQ(rt_run("2027-03-30 KZ-M2 advance-team\n"), ENT_EINPUT);
    rt_done();
}

TEST(rule_request_mission_needs_the_hosts_request)
{
    rt_open(0);
    ACCEPTED("2027-03-01 KZ request assistance id=KZ-R article=treaty-4\n"
             "2027-03-01 KG request consultations id=KG-C\n");
    REFUSED("2027-03-02 CSC mission id=M1 host=KZ \"x\"\n", "request");
    ASSERT_CONTAINS(rt_report(), "no request=: a mission goes to a member's territory only at its request (KZ)");
    REFUSED("2027-03-02 CSC mission id=M1 host=KG request=KZ-R\n", "request");
    ASSERT_CONTAINS(rt_report(), "request KZ-R is KZ's, not KG's");
    REFUSED("2027-03-02 CSC mission id=M1 host=KG request=KG-C\n", "request");
    ASSERT_CONTAINS(rt_report(), "request KG-C asks for consultations, not assistance");
    /* a request dated after the mission is not read */
    ASSERT_EQ(rt_run("2027-02-01 CSC mission id=M1 host=KZ request=KZ-R\n"), ENT_EINPUT);
    rt_done();
}

TEST(rule_territory_mission_host_is_a_member)
{
    rt_open(0);
    ACCEPTED("2027-03-01 KZ request assistance id=KZ-R article=treaty-4\n");
    REFUSED("2027-03-02 CSC mission id=M1 host=GE request=KZ-R\n", "territory");
    ASSERT_CONTAINS(rt_report(), "GE is not a member on 2027-03-02: a mission goes only to a member's territory");
    ACCEPTED("2027-03-02 CSC mission id=M1 host=KZ request=KZ-R\n");
    rt_done();
}

TEST(rule_bodies_mission_csc_decides)
{
    rt_open(0);
    ACCEPTED("2027-03-01 KZ request assistance id=KZ-R article=treaty-4\n");
    REFUSED("2027-03-02 CMD mission id=M1 host=KZ request=KZ-R\n", "bodies");
    rt_done();
}
