/*
** test_rules_members.c: the membership procedures of the rule `members`
** (application and admission by the CSC, withdrawal by notice under the
** switch withdrawal.notice-months, plain `leave` only before the Charter) and
** the rule `bodies` (each body decides only what `charter competence` gives
** it; sessions with their attendance; agenda items and absent members),
** through the public API only (rules_helper.h). The chronicles run on top of
** the built-in history (see test_rules.c).
*/
#include "rules_helper.h"

#define ASSERT_NOT_CONTAINS(hay, needle) ASSERT(strstr((hay), (needle)) == NULL)
#define MEMBER(code, name, status) "{\"code\":\"" code "\",\"name\":\"" name "\",\"status\":\"" status "\"}"

/* ================================================================== */
/* members: admission                                                   */

TEST(rule_members_apply_and_admit)
{
    rt_open(0);
    ACCEPTED("2026-03-01 MN apply \"Mongolia asks to join\"\n");
    ASSERT_CONTAINS(rt_state("2026-03-01"), "\"applications\":[{\"state\":\"MN\",\"date\":\"2026-03-01\"}]");
    ACCEPTED("2026-04-01 CSC admit MN\n");
    const char *s = rt_state("2026-04-01");
    ASSERT_CONTAINS(s, MEMBER("MN", "Mongolia", "member"));
    ASSERT_CONTAINS(s, "\"applications\":[]");
    ASSERT_NOT_CONTAINS(rt_state("2026-03-31"), MEMBER("MN", "Mongolia", "member"));
    rt_done();
}

TEST(rule_members_admission_refused)
{
    rt_open(0);
    /* only a state that applied is admitted; a member does not apply */
    REFUSED("2026-03-01 CSC admit MN\n", "members");
    ASSERT_CONTAINS(rt_report(), "MN has no pending application on 2026-03-01 ('MN apply'): the CSC admits a state that applied");
    REFUSED("2026-03-01 KZ apply\n", "members");
    ASSERT_CONTAINS(rt_report(), "KZ is already a member on 2026-03-01 (member): it cannot apply");
    REFUSED("2026-03-01 AM apply\n", "members"); /* frozen: still a member */
    ACCEPTED("2026-03-01 MN apply\n");
    REFUSED("2026-03-02 MN apply\n", "members");
    ASSERT_CONTAINS(rt_report(), "MN's application of 2026-03-01 is pending");
    /* an application dated later does not count */
    REFUSED("2026-02-01 CSC admit MN\n", "members");
    rt_done();
}

TEST(rule_members_admission_by_vote)
{
    rt_open(0);
    ACCEPTED("2026-03-01 MN apply\n"
             "2026-03-02 CSC propose admit id=P1 state=MN\n"
             "BY vote P1 yes\nKZ vote P1 yes\nKG vote P1 yes\nRU vote P1 yes\n");
    ASSERT_NOT_CONTAINS(rt_state("2026-03-02"), MEMBER("MN", "Mongolia", "member"));
    ACCEPTED("2026-03-03 TJ vote P1 yes\n");
    ASSERT_CONTAINS(rt_state("2026-03-03"), MEMBER("MN", "Mongolia", "member"));
    const char *w = rt_why("P1");
    ASSERT_CONTAINS(w, "P1: CSC proposal to admit MN Mongolia as a member, proposed 2026-03-02");
    ASSERT_CONTAINS(w, "outcome: adopted on 2026-03-03 (5 yes, 0 no, 0 abstain, 0 out)");
    ASSERT_CONTAINS(w, "members            Treaty (1992); Charter art. 19; CSC rules of 2004");
    /* one objection blocks the admission */
    ACCEPTED("2026-04-01 GE apply\n2026-04-02 CSC propose admit id=P2 state=GE\nRU vote P2 no\n");
    ASSERT_CONTAINS(rt_state("2026-04-02"), MEMBER("GE", "Georgia", "former"));
    REFUSED("2026-04-02 CSC propose admit id=P3 state=CN\n", "members");
    rt_done();
}

/* ================================================================== */
/* members: withdrawal                                                  */

TEST(rule_members_withdrawal_by_notice)
{
    rt_open(0);
    ACCEPTED("2026-03-01 KG notify-withdrawal \"Kyrgyzstan gives notice\"\n");
    /* six months (switch withdrawal.notice-months, default 6) */
    ASSERT_CONTAINS(rt_state("2026-08-31"), MEMBER("KG", "Kyrgyzstan", "member"));
    ASSERT_CONTAINS(rt_state("2026-08-31"),
                    "\"withdrawals\":[{\"state\":\"KG\",\"notice\":\"2026-03-01\",\"effective\":\"2026-09-01\",\"status\":\"pending\"}]");
    ASSERT_CONTAINS(rt_state("2026-09-01"), MEMBER("KG", "Kyrgyzstan", "former"));
    /* before the period has run it cannot leave, nor give notice again */
    REFUSED("2026-05-01 KG leave\n", "members");
    ASSERT_CONTAINS(rt_report(), "KG filed notice of withdrawal on 2026-03-01: it remains a member until 2026-09-01, when the notice "
                                 "period of 6 month(s) has run (switch withdrawal.notice-months)");
    REFUSED("2026-05-01 KG notify-withdrawal\n", "members");
    ASSERT_CONTAINS(rt_report(), "KG filed notice of withdrawal on 2026-03-01; it takes effect on 2026-09-01");
    /* until then it votes; from then on it does not */
    ACCEPTED("2026-08-01 KZ request assistance id=R1\n2026-08-02 CSC propose deploy id=D1 force=CPKF host=KZ request=R1\n"
             "2026-08-02 KG vote D1 yes\n");
    ACCEPTED("2026-09-02 KZ request assistance id=R2\n2026-09-03 CSC propose deploy id=D2 force=CPKF host=KZ request=R2\n");
    REFUSED("2026-09-03 KG vote D2 yes\n", "members");
    ASSERT_CONTAINS(rt_report(), "KG is not a member on 2026-09-03");
    /* a former member may apply again */
    ACCEPTED("2026-10-01 KG apply\n");
    rt_done();
}

TEST(rule_members_leave_needs_notice_under_the_charter)
{
    rt_open(0);
    REFUSED("2026-03-01 TJ leave\n", "members");
    ASSERT_CONTAINS(rt_report(), "since 2003-09-18 a member withdraws by notice ('TJ notify-withdrawal'): it is a former member 6 "
                                 "month(s) later (switch withdrawal.notice-months); no notice of TJ is on record");
    ASSERT_EQ(rt_run("2003-09-17 TJ leave\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "TJ's standing cannot change on 2003-09-17: acts recorded up to");
    /* the history's departures of 1999 stand */
    const char *s = rt_state("2000-01-01");
    ASSERT_CONTAINS(s, MEMBER("AZ", "Azerbaijan", "former"));
    ASSERT_CONTAINS(s, MEMBER("GE", "Georgia", "former"));
    rt_done();
    /* before the Charter the parties left the Treaty by not renewing it
    ** (1999); on a journal of its own, since the history's later acts rely
    ** on Tajikistan's standing and no change may be dated before them */
    rt_open(ENT_OPEN_BARE);
    ACCEPTED("1992-05-15 TJ join\n1992-05-15 KZ join\n");
    REFUSED("2003-09-18 TJ leave\n", "members");
    ACCEPTED("2003-09-17 TJ leave\n");
    ASSERT_CONTAINS(rt_state("2003-09-17"), MEMBER("TJ", "Tajikistan", "former"));
    rt_done();
}

TEST(rule_members_notice_switch_and_frozen_member)
{
    rt_open(0);
    rt_switch("withdrawal.notice-months", "12");
    /* Armenia, frozen, files notice (it had filed none by Mar 2025 [S67]) */
    ACCEPTED("2026-08-31 AM notify-withdrawal\n");
    ASSERT_CONTAINS(rt_state("2027-08-30"), MEMBER("AM", "Armenia", "frozen"));
    ASSERT_CONTAINS(rt_state("2027-08-31"), MEMBER("AM", "Armenia", "former"));
    ASSERT_CONTAINS(rt_state("2027-01-01"), "\"withdrawals\":[{\"state\":\"AM\",\"notice\":\"2026-08-31\",\"effective\":\"2027-08-31\"");
    /* a state that is not a member has nothing to withdraw from */
    REFUSED("2026-09-01 CN notify-withdrawal\n", "members");
    ASSERT_CONTAINS(rt_report(), "CN is not a member on 2026-09-01: it has no membership to withdraw from");
    /* a notice dated before a recorded change of standing is malformed */
    ASSERT_EQ(rt_run("2024-01-01 AM notify-withdrawal\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "AM's standing is recorded to change on");
    rt_done();
}

/* ================================================================== */
/* bodies: competence                                                   */

TEST(rule_bodies_competence_refused)
{
    rt_open(0);
    REFUSED("2026-03-01 PC propose declaration id=P1 \"Statement\"\n", "bodies");
    ASSERT_CONTAINS(rt_report(), "the PC does not decide 'declaration': its competence is consult");
    ACCEPTED("2026-03-01 MN apply\n");
    REFUSED("2026-03-02 CMFA admit MN\n", "bodies");
    ASSERT_CONTAINS(rt_report(), "the CMFA does not decide 'admit': its competence is recommend,consult");
    REFUSED("2026-03-02 CSSC propose admit id=P2 state=MN\n", "bodies");
    REFUSED("2026-03-02 CSC recommend SG state=KZ\n", "secretary-general"); /* the specific rule first */
    /* where no specific rule is in force, bodies refuses: the SG rule is from 2017 */
    REFUSED("2010-01-01 CMD appoint SG state=RU to=2012-12-31 \"N\"\n", "bodies");
    ASSERT_CONTAINS(rt_report(), "the CMD does not decide 'appoint': its competence is consult");
    /* a specific rule keeps its refusal */
    REFUSED("2026-03-02 PC propose deploy id=D1 force=CPKF host=KZ\n", "use-of-force");
    REFUSED("2026-03-02 PC suspend KG\n", "members");
    rt_done();
}

TEST(rule_bodies_competence_accepted)
{
    rt_open(0);
    ACCEPTED("2026-03-01 CSC propose declaration id=P1 \"Statement on Afghanistan\"\n"
             "BY vote P1 yes\nKZ vote P1 yes\nKG vote P1 yes\nRU vote P1 yes\nTJ vote P1 yes\n");
    ASSERT_CONTAINS(rt_why("P1"), "P1: CSC proposal of a declaration, proposed 2026-03-01");
    ASSERT_CONTAINS(rt_why("P1"), "bodies             Charter art. 11; CSC rules of procedure (2004)");
    ACCEPTED("2026-03-02 CMFA recommend SG state=RU\n");
    /* before the Charter is in force the rule does not apply */
    ACCEPTED("2003-01-01 PC propose decision id=P2 \"Before the Charter\"\n");
    /* every body meets: the chair convenes the CSSC */
    ACCEPTED("2026-03-03 RU convene CSSC extraordinary id=S1 \"Emergency meeting\"\n");
    rt_done();
}

/* ================================================================== */
/* bodies: sessions, attendance, agenda items                           */

TEST(rule_bodies_session_agenda_and_absence)
{
    rt_open(0);
    ACCEPTED("2026-05-01 RU convene CSC regular id=S1 mode=video absent=KZ \"Session\"\n"
             "2026-05-01 CSC propose declaration id=P1 session=S1 \"Declaration\"\n");
    /* an absent member is out: it neither votes nor blocks */
    REFUSED("2026-05-01 KZ vote P1 no\n", "consensus");
    ASSERT_CONTAINS(rt_report(), "KZ was absent from session S1, where P1 was put: an absent member is out");
    ACCEPTED("2026-05-01 BY vote P1 yes\nKG vote P1 yes\nRU vote P1 yes\nTJ vote P1 yes\n");
    const char *w = rt_why("P1");
    ASSERT_CONTAINS(w, "KZ Kazakhstan   out");
    ASSERT_CONTAINS(w, "put at session S1; absent (out): KZ");
    ASSERT_CONTAINS(w, "outcome: adopted-limited on 2026-05-01 (4 yes, 0 no, 0 abstain, 1 out)");
    ASSERT_CONTAINS(rt_state("2026-05-01"),
                    "{\"id\":\"S1\",\"body\":\"CSC\",\"date\":\"2026-05-01\",\"mode\":\"video\",\"kind\":\"regular\","
                    "\"convened_by\":\"RU\",\"attended\":[\"BY\",\"KG\",\"RU\",\"TJ\"],\"absent\":[\"KZ\"],\"text\":\"Session\"}");
    /* an agenda item goes to the session's body, on the session's day */
    REFUSED("2026-05-01 PC propose decision id=P2 session=S1 \"x\"\n", "bodies");
    ASSERT_CONTAINS(rt_report(), "S1 is a session of the CSC: the PC cannot put an item on its agenda");
    ASSERT_EQ(rt_run("2026-05-02 CSC propose decision id=P2 session=S1 \"x\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "an agenda item is dated its session's day: S1 was held on 2026-05-01");
    rt_done();
}

TEST(rule_bodies_absent_verb_and_attended_list)
{
    rt_open(0);
    ACCEPTED("2026-05-01 RU convene CSC extraordinary id=S2 attended=BY,KZ,RU,TJ\n"
             "2026-05-01 CSC propose decision id=P1 session=S2 \"Decision\"\n"
             "2026-05-01 BY vote P1 yes\n");
    ASSERT_CONTAINS(rt_why("S2"), "absent:   KG");
    /* KG stayed out: out on P1; a member that voted attended */
    ASSERT_EQ(rt_run("2026-05-01 BY absent S2\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "BY voted on P1 at this session: it attended");
    ACCEPTED("2026-05-01 TJ absent S2\n");
    REFUSED("2026-05-01 TJ vote P1 yes\n", "consensus");
    REFUSED("2026-05-01 CN absent S2\n", "members");
    ACCEPTED("2026-05-01 KZ vote P1 yes\nRU vote P1 yes\n");
    ASSERT_CONTAINS(rt_why("P1"), "outcome: adopted-limited on 2026-05-01 (3 yes, 0 no, 0 abstain, 2 out)");
    ASSERT_EQ(rt_run("2026-05-01 RU convene CSC id=S3 mode=radio\n"), ENT_EINPUT);
    rt_done();
}

TEST(rule_bodies_history_sessions)
{
    rt_open(0);
    const char *s = rt_state("2026-01-01");
    /* Minsk 23 Nov 2023, Astana 28 Nov 2024, Bishkek 27 Nov 2025: Armenia absent [S30][S33][S34] */
    ASSERT_CONTAINS(s, "{\"id\":\"CSC-2023-11-23\",\"body\":\"CSC\",\"date\":\"2023-11-23\",\"mode\":\"in-person\",\"kind\":\"regular\","
                       "\"convened_by\":\"BY\",\"attended\":[\"BY\",\"KZ\",\"KG\",\"RU\",\"TJ\"],\"absent\":[\"AM\"]");
    ASSERT_CONTAINS(s, "{\"id\":\"CSC-2024-11-28\",\"body\":\"CSC\",\"date\":\"2024-11-28\"");
    ASSERT_CONTAINS(s, "{\"id\":\"CSC-2025-11-27\",\"body\":\"CSC\",\"date\":\"2025-11-27\"");
    ASSERT_CONTAINS(s, "\"id\":\"CSC-2022-01-10\",\"body\":\"CSC\",\"date\":\"2022-01-10\",\"mode\":\"video\",\"kind\":\"extraordinary\"");
    ASSERT_CONTAINS(s, "\"id\":\"CSSC-2010-06-14\",\"body\":\"CSSC\"");
    ASSERT_CONTAINS(s, "\"id\":\"CSC-2009-06-14\",\"body\":\"CSC\",\"date\":\"2009-06-14\",\"mode\":\"in-person\",\"kind\":\"regular\","
                       "\"convened_by\":\"RU\",\"attended\":[\"AM\",\"KZ\",\"KG\",\"RU\",\"TJ\",\"UZ\"],\"absent\":[\"BY\"]");
    /* Yerevan, 23 Nov 2022: Armenia's objection blocks the declaration [S16][S95] */
    const char *w = rt_why("YEREVAN-2022-DECL");
    ASSERT_CONTAINS(w, "AM Armenia      no");
    ASSERT_CONTAINS(w, "outcome: blocked on 2022-11-23");
    ASSERT_CONTAINS(rt_why("CSC-2022-11-23"), "YEREVAN-2022-AID  decision, blocked");
    /* the state on an earlier date shows nothing later */
    ASSERT_NOT_CONTAINS(rt_state("2022-12-31"), "CSC-2023-11-23");
    rt_done();
}

/* Found by the property test (seed 2, once `leave` needed a notice): a host
** that joins between a proposal on a UN mandate and the decision is a member
** when the decision is taken, and has made no request: the decision lapses. */
TEST(rule_request_host_joined_before_decision_lapses)
{
    rt_open(0);
    ACCEPTED("2026-03-03 UNSC authorize id=M1 host=MN\n"
             "2026-03-04 CSC propose deploy id=D1 force=CRRF host=MN mandate=M1\n"
             "2026-03-05 MN join\n"
             "2026-03-06 CSC close D1\n");
    ASSERT_CONTAINS(rt_deployment("2026-03-06", "D1"), "\"decision\":\"lapsed\"");
    rt_done();
}
