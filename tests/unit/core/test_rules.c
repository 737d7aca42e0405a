/*
** test_rules.c: every rule of the charter (data/charter.chron, design s.3),
** enforced and refused, through the public API only (rules_helper.h).
**
** A test named rule_<id>_... (the rule id with '-' as '_') belongs to the
** rule <id>; tests/coverage/run.sh requires one for every `charter rule`.
** Each rule has at least one test where a valid act is accepted and its
** effect shows in ent_state/ent_why, and one where an act is refused: the
** status is ENT_REFUSED, the report reads "refused: ... [rule; source]" with
** the rule's citation, and the state digest is unchanged (REFUSED checks it).
**
** The chronicles run on top of the built-in history (which ends on
** 2026-01-01: members BY KZ KG RU TJ, Armenia frozen since 2024-02-22,
** Uzbekistan suspended since 2012-12-19, chair RU since 2026-01-01, SG
** Masadykov (KG) 2026-2028) unless the test opens a bare organization.
*/
#include "rules_helper.h"

/* A request of Kazakhstan and a CPKF deployment adopted by the five active
** members on 2026-03-02 (Armenia frozen takes no part). */
#define KZ_REQUEST "2026-03-01 KZ request assistance id=R1 article=treaty-4 \"Threat to sovereignty\"\n"
#define D1_PROPOSE "2026-03-02 CSC propose deploy id=D1 force=CPKF host=KZ request=R1 \"Protect facilities\"\n"
#define D1_VOTES                                                                 \
    "2026-03-02 BY vote D1 yes\n"                                                \
    "KZ vote D1 yes\n"                                                           \
    "KG vote D1 yes\n"                                                           \
    "RU vote D1 yes\n"                                                           \
    "TJ vote D1 yes\n"
#define D1_ADOPTED KZ_REQUEST D1_PROPOSE D1_VOTES
/* ... notified to the UN at once, with a Russian contingent on the ground. */
#define D1_ON_GROUND                                                             \
    D1_ADOPTED                                                                   \
    "2026-03-02 SG notify-un D1\n"                                               \
    "2026-03-02 RU contribute D1 troops=1500\n"                                  \
    "2026-03-03 RU arrive D1\n"

/* ================================================================== */
/* members                                                              */

TEST(rule_members_vote_by_non_member_refused)
{
    rt_open(0);
    ACCEPTED(KZ_REQUEST D1_PROPOSE);
    REFUSED("2026-03-02 AZ vote D1 yes\n", "members");
    ASSERT_CONTAINS(rt_report(), "AZ is not a member on 2026-03-02");
    /* a state the world does not know is malformed input, not a refusal */
    ASSERT_EQ(rt_run("2026-03-02 XX vote D1 yes\n"), ENT_EINPUT);
    /* a member's vote is accepted and recorded */
    ACCEPTED("2026-03-02 BY vote D1 yes\n");
    ASSERT_CONTAINS(rt_why("D1"), "BY Belarus      yes");
    rt_done();
}

TEST(rule_members_design_example_vote_by_non_member)
{
    /* design s.5: "a vote by a state that is not a member" */
    rt_open(0);
    REFUSED("2022-01-06 AZ vote KZ-2022-D yes\n", "members");
    ASSERT_CONTAINS(rt_report(), "t.chron:1: refused: AZ is not a member on 2022-01-06");
    rt_done();
}

TEST(rule_members_join_when_already_member_refused)
{
    rt_open(0);
    REFUSED("2026-03-01 KZ join\n", "members");
    ASSERT_CONTAINS(rt_report(), "KZ is already a member on 2026-03-01");
    /* a frozen member is still a member: it cannot join again */
    REFUSED("2026-03-01 AM join\n", "members");
    rt_done();
}

TEST(rule_members_join_and_leave)
{
    rt_open(0);
    /* Azerbaijan left in 1999: it may join again */
    ASSERT_CONTAINS(rt_state("2026-01-01"), "{\"code\":\"AZ\",\"name\":\"Azerbaijan\",\"status\":\"former\"}");
    ACCEPTED("2026-03-01 AZ join\n");
    ASSERT_CONTAINS(rt_state("2026-03-01"), "{\"code\":\"AZ\",\"name\":\"Azerbaijan\",\"status\":\"member\"}");
    /* Tajikistan withdraws: under the Charter by notice; with a notice period
    ** of 0 months (switch withdrawal.notice-months) a former member that day */
    REFUSED("2026-04-01 TJ leave\n", "members");
    rt_switch("withdrawal.notice-months", "0");
    ACCEPTED("2026-04-01 TJ notify-withdrawal\n");
    ASSERT_CONTAINS(rt_state("2026-03-31"), "{\"code\":\"TJ\",\"name\":\"Tajikistan\",\"status\":\"member\"}");
    ASSERT_CONTAINS(rt_state("2026-04-01"), "{\"code\":\"TJ\",\"name\":\"Tajikistan\",\"status\":\"former\"}");
    /* and cannot leave twice; a state never a member cannot leave */
    REFUSED("2026-04-02 TJ leave\n", "members");
    ASSERT_CONTAINS(rt_report(), "TJ is not a member on 2026-04-02 and cannot leave");
    REFUSED("2026-04-02 CN leave\n", "members");
    /* a former member's vote is refused */
    ACCEPTED("2026-04-10 KZ request assistance id=R1\n"
             "2026-04-10 CSC propose deploy id=D1 force=CPKF host=KZ request=R1\n");
    REFUSED("2026-04-10 TJ vote D1 yes\n", "members");
    rt_done();
}

TEST(rule_members_history_on_dates)
{
    rt_open(0);
    /* 1999: AZ, GE, UZ left; 2006: UZ rejoined; 2012: UZ suspended; 2024: AM frozen */
    const char *s = rt_state("2000-01-01");
    ASSERT_CONTAINS(s, "{\"code\":\"UZ\",\"name\":\"Uzbekistan\",\"status\":\"former\"}");
    ASSERT_CONTAINS(s, "{\"code\":\"GE\",\"name\":\"Georgia\",\"status\":\"former\"}");
    ASSERT_CONTAINS(rt_state("2007-01-01"), "{\"code\":\"UZ\",\"name\":\"Uzbekistan\",\"status\":\"member\"}");
    ASSERT_CONTAINS(rt_state("2013-01-01"), "{\"code\":\"UZ\",\"name\":\"Uzbekistan\",\"status\":\"suspended\"}");
    ASSERT_CONTAINS(rt_state("2024-02-21"), "{\"code\":\"AM\",\"name\":\"Armenia\",\"status\":\"member\"}");
    ASSERT_CONTAINS(rt_state("2024-02-22"), "{\"code\":\"AM\",\"name\":\"Armenia\",\"status\":\"frozen\"}");
    rt_done();
}

TEST(rule_members_suspension_only_by_csc)
{
    rt_open(0);
    REFUSED("2026-03-01 PC suspend KG\n", "members");
    ASSERT_CONTAINS(rt_report(), "only the CSC suspends a member, not the PC");
    REFUSED("2026-03-01 CMFA suspend KG\n", "members");
    ACCEPTED("2026-03-01 CSC suspend KG\n");
    ASSERT_CONTAINS(rt_state("2026-03-01"), "{\"code\":\"KG\",\"name\":\"Kyrgyzstan\",\"status\":\"suspended\"}");
    /* a state that is not a member cannot be suspended */
    REFUSED("2026-03-02 CSC suspend GE\n", "members");
    ASSERT_CONTAINS(rt_report(), "GE is not a member on 2026-03-02 and cannot be suspended");
    rt_done();
}

TEST(rule_members_suspended_member_cannot_vote)
{
    rt_open(0);
    ACCEPTED(KZ_REQUEST D1_PROPOSE);
    /* Uzbekistan, suspended since 2012 */
    REFUSED("2026-03-02 UZ vote D1 yes\n", "members");
    ASSERT_CONTAINS(rt_report(), "UZ's membership is suspended on 2026-03-02");
    /* nor may it contribute to an adopted deployment */
    ACCEPTED(D1_VOTES);
    REFUSED("2026-03-03 UZ contribute D1 troops=100\n", "members");
    rt_done();
}

TEST(rule_members_member_after_proposal_takes_no_part)
{
    rt_open(0);
    ACCEPTED(KZ_REQUEST D1_PROPOSE "2026-03-03 AZ join\n");
    REFUSED("2026-03-04 AZ vote D1 yes\n", "members");
    ASSERT_CONTAINS(rt_report(), "AZ was not a member taking part when D1 was proposed on 2026-03-02");
    rt_done();
}

TEST(rule_members_freeze_and_unfreeze)
{
    rt_open(0);
    REFUSED("2026-03-01 AM freeze\n", "members"); /* already frozen */
    ASSERT_CONTAINS(rt_report(), "AM cannot freeze its participation on 2026-03-01");
    REFUSED("2026-03-01 KZ unfreeze\n", "members");
    ACCEPTED("2026-03-01 AM unfreeze\n");
    ASSERT_CONTAINS(rt_state("2026-03-01"), "{\"code\":\"AM\",\"name\":\"Armenia\",\"status\":\"member\"}");
    rt_done();
}

/* ================================================================== */
/* consensus                                                            */

TEST(rule_consensus_one_no_blocks)
{
    rt_open(0);
    ACCEPTED(KZ_REQUEST D1_PROPOSE "2026-03-02 BY vote D1 yes\n"
                                   "KZ vote D1 yes\n"
                                   "KG vote D1 no\n");
    /* the objection closes the proposal at once */
    const char *d = rt_deployment("2026-03-02", "D1");
    ASSERT_CONTAINS(d, "\"status\":\"blocked\",\"decision\":\"blocked\"");
    ASSERT_CONTAINS(d, "\"decided\":\"2026-03-02\"");
    ASSERT_CONTAINS(rt_why("D1"), "outcome: blocked on 2026-03-02");
    /* and no more votes are taken */
    REFUSED("2026-03-02 RU vote D1 yes\n", "consensus");
    ASSERT_CONTAINS(rt_report(), "proposal D1 is closed (blocked on 2026-03-02): no more votes");
    rt_done();
}

TEST(rule_consensus_abstain_and_out_do_not_block)
{
    rt_open(0);
    ACCEPTED(KZ_REQUEST D1_PROPOSE "2026-03-02 BY vote D1 yes\n"
                                   "KZ vote D1 yes\n"
                                   "KG vote D1 abstain\n"
                                   "RU vote D1 yes\n"
                                   "TJ vote D1 out\n");
    ASSERT_CONTAINS(rt_deployment("2026-03-02", "D1"), "\"decision\":\"adopted-limited\"");
    const char *w = rt_why("D1");
    ASSERT_CONTAINS(w, "outcome: adopted-limited on 2026-03-02 (3 yes, 0 no, 1 abstain, 1 out)");
    ASSERT_CONTAINS(w, "binds only the members that said yes");
    /* an adopted-limited decision is a decision: contingents may be sent */
    ACCEPTED("2026-03-03 RU contribute D1 troops=100\n");
    rt_done();
}

TEST(rule_consensus_all_yes_adopted)
{
    rt_open(0);
    ACCEPTED(D1_ADOPTED);
    const char *d = rt_deployment("2026-03-02", "D1");
    ASSERT_CONTAINS(d, "\"status\":\"adopted\",\"decision\":\"adopted\"");
    ASSERT_CONTAINS(rt_why("D1"), "outcome: adopted on 2026-03-02 (5 yes, 0 no, 0 abstain, 0 out)");
    /* the day before the proposal there is no such deployment */
    ASSERT(strstr(rt_state("2026-03-01"), "\"id\":\"D1\"") == NULL);
    rt_done();
}

TEST(rule_consensus_frozen_member_takes_no_part)
{
    rt_open(0);
    ACCEPTED(KZ_REQUEST D1_PROPOSE);
    REFUSED("2026-03-02 AM vote D1 yes\n", "consensus");
    ASSERT_CONTAINS(rt_report(), "a frozen member takes no part");
    ASSERT_CONTAINS(rt_why("D1"), "AM Armenia      takes no part (frozen)");
    rt_done();
}

TEST(rule_consensus_armenia_frozen_five_yes_adopted)
{
    /* Armenia frozen from 2024-02-22: a 2025 proposal adopted by the five
    ** others is "adopted" in full (Armenia is not eligible, so nobody
    ** abstains or stays out), not "adopted-limited". */
    rt_open(0);
    ACCEPTED("2025-03-01 KZ request assistance id=R25\n"
             "2025-03-02 CSC propose deploy id=D25 force=CPKF host=KZ request=R25\n"
             "2025-03-02 BY vote D25 yes\n"
             "KZ vote D25 yes\n"
             "KG vote D25 yes\n"
             "RU vote D25 yes\n"
             "TJ vote D25 yes\n");
    ASSERT_CONTAINS(rt_deployment("2025-06-01", "D25"), "\"decision\":\"adopted\"");
    const char *w = rt_why("D25");
    ASSERT_CONTAINS(w, "outcome: adopted on 2025-03-02 (5 yes, 0 no, 0 abstain, 0 out)");
    ASSERT_CONTAINS(w, "AM Armenia      takes no part (frozen)");
    rt_done();
}

TEST(rule_consensus_vote_on_closed_proposal_refused)
{
    rt_open(0);
    ACCEPTED(D1_ADOPTED);
    REFUSED("2026-03-03 KZ vote D1 no\n", "consensus");
    ASSERT_CONTAINS(rt_report(), "proposal D1 is closed (adopted on 2026-03-02)");
    /* the built-in 2022 decision is closed too */
    REFUSED("2022-01-07 KZ vote KZ-2022-D no\n", "consensus");
    rt_done();
}

TEST(rule_consensus_double_vote_refused)
{
    rt_open(0);
    ACCEPTED(KZ_REQUEST D1_PROPOSE "2026-03-02 BY vote D1 yes\n");
    REFUSED("2026-03-02 BY vote D1 no\n", "consensus");
    ASSERT_CONTAINS(rt_report(), "BY has already voted yes on D1");
    ASSERT_CONTAINS(rt_deployment("2026-03-02", "D1"), "\"status\":\"proposed\",\"decision\":\"open\"");
    rt_done();
}

TEST(rule_consensus_limited_format_forbidden_switch)
{
    rt_open(0);
    rt_switch("decision.limited-format", "forbidden");
    ACCEPTED(KZ_REQUEST D1_PROPOSE "2026-03-02 BY vote D1 yes\n"
                                   "KZ vote D1 yes\n"
                                   "KG vote D1 yes\n"
                                   "RU vote D1 yes\n"
                                   "TJ vote D1 abstain\n");
    ASSERT_CONTAINS(rt_deployment("2026-03-02", "D1"), "\"status\":\"lapsed\",\"decision\":\"lapsed\"");
    /* a lapsed decision sends no contingent */
    REFUSED("2026-03-03 RU contribute D1 troops=100\n", "use-of-force");
    /* all yes is still adopted under the switch */
    ACCEPTED("2026-04-01 KZ request assistance id=R2\n"
             "2026-04-01 CSC propose deploy id=D2 force=CPKF host=KZ request=R2\n"
             "2026-04-01 BY vote D2 yes\n"
             "KZ vote D2 yes\n"
             "KG vote D2 yes\n"
             "RU vote D2 yes\n"
             "TJ vote D2 yes\n");
    ASSERT_CONTAINS(rt_deployment("2026-04-01", "D2"), "\"decision\":\"adopted\"");
    rt_done();
}

TEST(rule_consensus_quorum_switch)
{
    rt_open(0);
    /* default quorum 1 (Minsk 2023): two yes and the rest out is adopted in a
    ** limited format when the CSC closes the vote */
    ACCEPTED(KZ_REQUEST D1_PROPOSE "2026-03-02 KZ vote D1 yes\n"
                                   "RU vote D1 yes\n"
                                   "2026-03-03 CSC close D1\n");
    ASSERT_CONTAINS(rt_deployment("2026-03-03", "D1"), "\"decision\":\"adopted-limited\"");
    ASSERT_CONTAINS(rt_why("D1"), "(2 yes, 0 no, 0 abstain, 3 out)");
    /* quorum 3: two yes lapse, three yes pass */
    rt_switch("decision.quorum", "3");
    ACCEPTED("2026-04-01 KZ request assistance id=R2\n"
             "2026-04-01 CSC propose deploy id=D2 force=CPKF host=KZ request=R2\n"
             "2026-04-01 KZ vote D2 yes\n"
             "RU vote D2 yes\n"
             "2026-04-02 CSC close D2\n"
             "2026-04-03 KZ request assistance id=R3\n"
             "2026-04-03 CSC propose deploy id=D3 force=CPKF host=KZ request=R3\n"
             "2026-04-03 KZ vote D3 yes\n"
             "RU vote D3 yes\n"
             "BY vote D3 yes\n"
             "2026-04-04 CSC close D3\n");
    ASSERT_CONTAINS(rt_deployment("2026-04-04", "D2"), "\"decision\":\"lapsed\"");
    ASSERT_CONTAINS(rt_deployment("2026-04-04", "D3"), "\"decision\":\"adopted-limited\"");
    /* quorum 6 with five members taking part: even unanimity lapses */
    rt_switch("decision.quorum", "6");
    ACCEPTED("2026-05-01 KZ request assistance id=R4\n"
             "2026-05-01 CSC propose deploy id=D4 force=CPKF host=KZ request=R4\n"
             "2026-05-01 BY vote D4 yes\n"
             "KZ vote D4 yes\n"
             "KG vote D4 yes\n"
             "RU vote D4 yes\n"
             "TJ vote D4 yes\n");
    ASSERT_CONTAINS(rt_deployment("2026-05-01", "D4"), "\"decision\":\"lapsed\"");
    rt_done();
}

TEST(rule_consensus_close_by_its_body_only)
{
    rt_open(0);
    ACCEPTED(KZ_REQUEST D1_PROPOSE "2026-03-02 KZ vote D1 yes\n");
    REFUSED("2026-03-03 CMFA close D1\n", "consensus");
    ASSERT_CONTAINS(rt_report(), "D1 was put to the CSC; the CMFA cannot close it");
    ACCEPTED("2026-03-03 CSC close D1\n");
    REFUSED("2026-03-04 CSC close D1\n", "consensus");
    ASSERT_CONTAINS(rt_report(), "proposal D1 is already closed");
    rt_done();
}

/* ================================================================== */
/* chair                                                                */

TEST(rule_chair_out_of_rotation_refused)
{
    rt_open(0);
    /* Russia chairs since 2026-01-01: Tajikistan is next */
    REFUSED("2026-06-01 BY chair\n", "chair");
    ASSERT_CONTAINS(rt_report(), "after RU the chair passes to TJ in the rotation order AM, BY, KZ, KG, RU, TJ, not to BY");
    ACCEPTED("2026-06-01 TJ chair\n");
    const char *s = rt_state("2026-06-01");
    ASSERT_CONTAINS(s, "\"chair\":\"TJ\",\"chair_since\":\"2026-06-01\",\"chair_temporary\":false");
    rt_done();
}

TEST(rule_chair_exception_accepted)
{
    rt_open(0);
    /* "unless the Council decides otherwise" (Charter art. 13) */
    ACCEPTED("2026-06-01 BY chair exception \"the Council decides otherwise\"\n");
    ASSERT_CONTAINS(rt_state("2026-06-01"), "\"chair\":\"BY\",\"chair_since\":\"2026-06-01\"");
    /* even an exception needs an active member */
    REFUSED("2026-07-01 AM chair exception\n", "chair");
    ASSERT_CONTAINS(rt_report(), "AM cannot take the chair on 2026-07-01");
    REFUSED("2026-07-01 GE chair exception\n", "chair");
    rt_done();
}

TEST(rule_chair_temporary_2009)
{
    rt_open(0);
    /* the built-in history: Russia chairs temporarily from 14 Jun 2009 */
    const char *s = rt_state("2009-10-01");
    ASSERT_CONTAINS(s, "\"chair\":\"RU\",\"chair_since\":\"2009-06-14\",\"chair_temporary\":true");
    ASSERT_CONTAINS(rt_state("2009-06-13"), "\"chair\":\"AM\"");
    ASSERT_CONTAINS(rt_state("2011-01-01"), "\"chair\":\"BY\",\"chair_since\":\"2010-12-10\",\"chair_temporary\":false");
    rt_done();
}

TEST(rule_chair_temporary_does_not_move_rotation)
{
    /* bare: the six members, AM chairs, RU temporarily; the rotation resumes
    ** after AM, so Belarus is next, not Kazakhstan */
    rt_open(ENT_OPEN_BARE);
    ACCEPTED("1992-05-15 AM join\n"
             "KZ join\n"
             "KG join\n"
             "RU join\n"
             "TJ join\n"
             "1993-12-31 BY join\n"
             "2008-09-05 AM chair\n"
             "2009-06-14 RU chair temporary \"Belarus boycotts the session\"\n");
    ASSERT_CONTAINS(rt_state("2009-06-14"), "\"chair\":\"RU\",\"chair_since\":\"2009-06-14\",\"chair_temporary\":true");
    REFUSED("2010-12-10 KZ chair\n", "chair");
    ASSERT_CONTAINS(rt_report(), "after AM the chair passes to BY");
    ACCEPTED("2010-12-10 BY chair\n");
    ASSERT_CONTAINS(rt_state("2010-12-10"), "\"chair\":\"BY\",\"chair_since\":\"2010-12-10\",\"chair_temporary\":false");
    rt_done();
}

TEST(rule_chair_january_rotation_skips_frozen)
{
    /* since the CSC decision of 23 Nov 2023 the chair changes on 1 January:
    ** RU 2026, TJ 2027, then Armenia (frozen) is skipped: BY 2028 */
    rt_open(0);
    ASSERT_CONTAINS(rt_state("2026-06-01"), "\"chair\":\"RU\",\"chair_since\":\"2026-01-01\"");
    ASSERT_CONTAINS(rt_state("2027-06-01"), "\"chair\":\"TJ\",\"chair_since\":\"2027-01-01\"");
    ASSERT_CONTAINS(rt_state("2028-06-01"), "\"chair\":\"BY\",\"chair_since\":\"2028-01-01\"");
    ASSERT_CONTAINS(rt_state("2029-06-01"), "\"chair\":\"KZ\",\"chair_since\":\"2029-01-01\"");
    rt_done();
}

TEST(rule_chair_skip_inactive_switch_no)
{
    rt_open(0);
    rt_switch("chair.skip-inactive", "no");
    ASSERT_CONTAINS(rt_state("2027-06-01"), "\"chair\":\"TJ\"");
    ASSERT_CONTAINS(rt_state("2028-06-01"), "\"chair\":\"AM\",\"chair_since\":\"2028-01-01\"");
    rt_done();
}

TEST(rule_chair_january_rotation_checks_acts)
{
    /* on 2027-06-01 the 1 January rotation has made TJ chair: a regular
    ** chair must be the next after TJ, Belarus (Armenia skipped) */
    rt_open(0);
    REFUSED("2027-06-01 KZ chair\n", "chair");
    ASSERT_CONTAINS(rt_report(), "after TJ the chair passes to BY");
    ACCEPTED("2027-06-01 BY chair\n");
    rt_done();
}

TEST(rule_chair_handover_only_by_csc)
{
    rt_open(0);
    REFUSED("2026-03-01 PC handover january-1 from=2027-01-01\n", "chair");
    ASSERT_CONTAINS(rt_report(), "only the CSC decides how its chair is handed over");
    rt_done();
}

/* ================================================================== */
/* secretary-general                                                    */

TEST(rule_secretary_general_history)
{
    rt_open(0);
    const char *s = rt_state("2018-12-01");
    ASSERT_CONTAINS(s, "\"secretary_general\":{\"name\":\"Valery Semerikov\",\"state\":\"RU\",\"from\":\"2018-11-02\",\"to\":null,\"acting\":true}");
    s = rt_state("2026-06-01");
    ASSERT_CONTAINS(s, "\"secretary_general\":{\"name\":\"Taalatbek Masadykov\",\"state\":\"KG\",\"from\":\"2026-01-01\",\"to\":\"2028-12-31\",\"acting\":false}");
    ASSERT_CONTAINS(rt_state("2018-01-01"), "\"name\":\"Yuri Khachaturov\",\"state\":\"AM\"");
    ASSERT_CONTAINS(rt_state("2021-01-01"), "\"name\":\"Stanislav Zas\",\"state\":\"BY\"");
    ASSERT_CONTAINS(rt_state("2024-01-01"), "\"name\":\"Imangali Tasmagambetov\",\"state\":\"KZ\"");
    rt_done();
}

TEST(rule_secretary_general_appointment_accepted)
{
    /* after Masadykov (KG, 2026-2028) the post rotates to Russia */
    rt_open(0);
    ACCEPTED("2028-11-01 CMFA recommend SG state=RU\n"
             "2028-11-15 CSC appoint SG state=RU from=2029-01-01 to=2031-12-31 \"Ivan Testov\"\n");
    ASSERT_CONTAINS(rt_state("2028-12-31"), "\"name\":\"Taalatbek Masadykov\"");
    ASSERT_CONTAINS(rt_state("2029-01-01"), "\"secretary_general\":{\"name\":\"Ivan Testov\",\"state\":\"RU\",\"from\":\"2029-01-01\",\"to\":\"2031-12-31\",\"acting\":false}");
    rt_done();
}

TEST(rule_secretary_general_only_csc_appoints)
{
    rt_open(0);
    ACCEPTED("2028-11-01 CMFA recommend SG state=RU\n");
    REFUSED("2028-11-15 CMFA appoint SG state=RU from=2029-01-01 to=2031-12-31 \"Ivan Testov\"\n",
            "secretary-general");
    ASSERT_CONTAINS(rt_report(), "the CSC appoints the Secretary General, not the CMFA");
    REFUSED("2028-11-15 PC appoint SG state=RU from=2029-01-01 to=2031-12-31 \"Ivan Testov\"\n", "secretary-general");
    /* and only the CMFA recommends */
    REFUSED("2028-11-01 CSC recommend SG state=RU\n", "secretary-general");
    ASSERT_CONTAINS(rt_report(), "the CMFA recommends the Secretary General, not the CSC");
    rt_done();
}

/* The six members of 1993 in a bare organization, for the rotating SG. */
#define SIX_MEMBERS                                                              \
    "1992-05-15 AM join\nKZ join\nKG join\nRU join\nTJ join\n1993-12-31 BY join\n"

TEST(rule_secretary_general_needs_recommendation)
{
    /* bare: the first rotating SG (2017) comes from Armenia */
    rt_open(ENT_OPEN_BARE);
    ACCEPTED(SIX_MEMBERS);
    REFUSED("2017-05-01 CSC appoint SG state=AM from=2017-05-01 to=2019-12-31 \"Yuri Khachaturov\"\n",
            "secretary-general");
    ASSERT_CONTAINS(rt_report(), "no recommendation of the CMFA for a Secretary General from AM before 2017-05-01");
    /* a recommendation of another state's candidate does not count */
    ACCEPTED("2017-04-01 CMFA recommend SG state=BY\n");
    REFUSED("2017-05-01 CSC appoint SG state=AM from=2017-05-01 to=2019-12-31 \"Yuri Khachaturov\"\n",
            "secretary-general");
    /* nor one dated after the appointment */
    ACCEPTED("2017-06-01 CMFA recommend SG state=AM\n");
    REFUSED("2017-05-01 CSC appoint SG state=AM from=2017-05-01 to=2019-12-31 \"Yuri Khachaturov\"\n",
            "secretary-general");
    ACCEPTED("2017-04-15 CMFA recommend SG state=AM\n"
             "2017-05-01 CSC appoint SG state=AM from=2017-05-01 to=2019-12-31 \"Yuri Khachaturov\"\n");
    ASSERT_CONTAINS(rt_state("2018-01-01"), "\"secretary_general\":{\"name\":\"Yuri Khachaturov\",\"state\":\"AM\"");
    rt_done();
}

TEST(rule_secretary_general_recommendation_optional_switch)
{
    rt_open(ENT_OPEN_BARE);
    rt_switch("sg.recommendation", "optional");
    ACCEPTED(SIX_MEMBERS "2017-05-01 CSC appoint SG state=AM from=2017-05-01 to=2019-12-31 \"Yuri Khachaturov\"\n");
    ASSERT_CONTAINS(rt_state("2018-01-01"), "\"name\":\"Yuri Khachaturov\"");
    rt_done();
}

TEST(rule_secretary_general_recommendation_is_not_reused)
{
    /* BUG (src/core/apply.c, do_appoint): the CMFA recommended Bordyuzha (RU)
    ** on 2003-04-28, before the rule was in force, so his appointment did not
    ** mark the recommendation used; 25 years later it still counts, and an
    ** appointment of a Russian SG for 2029 with no recommendation of its own
    ** is accepted. A recommendation must be spent by the appointment it led
    ** to (or at least not outlive the next appointment). */
    rt_open(0);
    REFUSED("2028-11-15 CSC appoint SG state=RU from=2029-01-01 to=2031-12-31 \"Ivan Testov\"\n",
            "secretary-general");
    ASSERT_CONTAINS(rt_report(), "no recommendation of the CMFA for a Secretary General from RU");
    rt_done();
}

TEST(rule_secretary_general_out_of_rotation_refused)
{
    rt_open(0);
    ACCEPTED("2028-11-01 CMFA recommend SG state=TJ\n");
    REFUSED("2028-11-15 CSC appoint SG state=TJ from=2029-01-01 to=2031-12-31 \"Out Of Turn\"\n",
            "secretary-general");
    ASSERT_CONTAINS(rt_report(), "rotates in the order AM, BY, KZ, KG, RU, TJ: the next comes from RU, not TJ");
    rt_done();
}

TEST(rule_secretary_general_term_over_three_years_refused)
{
    rt_open(0);
    ACCEPTED("2028-11-01 CMFA recommend SG state=RU\n");
    REFUSED("2028-11-15 CSC appoint SG state=RU from=2029-01-01 to=2032-01-01 \"Ivan Testov\"\n",
            "secretary-general");
    ASSERT_CONTAINS(rt_report(), "appointed for three years: 2029-01-01 to 2032-01-01 is longer");
    /* exactly three years (to the day before the third anniversary) is accepted */
    ACCEPTED("2028-11-15 CSC appoint SG state=RU from=2029-01-01 to=2031-12-31 \"Ivan Testov\"\n");
    rt_done();
}

TEST(rule_secretary_general_post_held_refused)
{
    rt_open(0);
    ACCEPTED("2026-06-01 CMFA recommend SG state=RU\n");
    REFUSED("2026-06-15 CSC appoint SG state=RU from=2027-01-01 to=2029-12-31 \"Early Bird\"\n",
            "secretary-general");
    ASSERT_CONTAINS(rt_report(), "the post is held by Taalatbek Masadykov until 2028-12-31");
    rt_done();
}

TEST(rule_secretary_general_recall_by_own_state_only)
{
    rt_open(0);
    REFUSED("2026-06-01 RU recall SG\n", "secretary-general");
    ASSERT_CONTAINS(rt_report(), "RU cannot recall the Secretary General: Taalatbek Masadykov is a citizen of KG");
    ACCEPTED("2026-06-01 KG recall SG\n");
    ASSERT(strstr(rt_state("2026-06-01"), "Taalatbek Masadykov") == NULL);
    /* a recalled SG cannot be recalled again */
    REFUSED("2026-06-02 KG recall SG\n", "secretary-general");
    ASSERT_CONTAINS(rt_report(), "no appointed Secretary General is in office on 2026-06-02");
    /* an acting Secretary General fills the vacancy */
    ACCEPTED("2026-06-02 SG acting state=RU \"Acting Person\"\n");
    ASSERT_CONTAINS(rt_state("2026-06-02"), "\"secretary_general\":{\"name\":\"Acting Person\",\"state\":\"RU\",\"from\":\"2026-06-02\",\"to\":null,\"acting\":true}");
    rt_done();
}

TEST(rule_secretary_general_vacancy_is_vacant)
{
    /* BUG (src/core/state.c, ent__inst_sg): an acting SG's term never ends,
    ** and an appointed SG only outranks it while in office. So when the
    ** appointed SG is recalled (or his term runs out with no successor),
    ** the state shows Valery Semerikov, acting from 2018-11-02 until Zas
    ** took office on 2020-01-01, as the Secretary General again. An acting
    ** holder's time ends when an appointed SG takes office after him. */
    rt_open(0);
    ACCEPTED("2026-06-01 KG recall SG\n");
    ASSERT_CONTAINS(rt_state("2026-06-01"), "\"secretary_general\":null");
    rt_done();
    rt_open(0);
    /* Masadykov's term ends on 2028-12-31 and nobody is appointed */
    ASSERT_CONTAINS(rt_state("2029-06-01"), "\"secretary_general\":null");
    rt_done();
}

TEST(rule_secretary_general_acting_while_appointed_refused)
{
    rt_open(0);
    REFUSED("2026-06-01 SG acting state=RU \"Acting Person\"\n", "secretary-general");
    ASSERT_CONTAINS(rt_report(), "the post is held by Taalatbek Masadykov until 2028-12-31: no acting Secretary General");
    rt_done();
}

TEST(rule_secretary_general_extend_only_by_csc)
{
    rt_open(0);
    REFUSED("2026-06-01 CMFA extend SG to=2029-12-31\n", "secretary-general");
    ASSERT_CONTAINS(rt_report(), "only the CSC extends the Secretary General's term");
    ACCEPTED("2026-06-01 CSC extend SG to=2029-12-31\n");
    ASSERT_CONTAINS(rt_state("2026-06-01"), "\"name\":\"Taalatbek Masadykov\",\"state\":\"KG\",\"from\":\"2026-01-01\",\"to\":\"2029-12-31\"");
    rt_done();
}

/* ================================================================== */
/* request                                                              */

/* ================================================================== */
/* art4-scope                                                           */

TEST(rule_art4_scope_assistance_answers_aggression_only_before_2010_12_10)
{
    rt_open(0);
    REFUSED("2010-06-12 KG request assistance id=R1 threat=unrest\n", "art4-scope");
    ASSERT_CONTAINS(rt_report(), "KG asks for assistance against unrest on 2010-06-12: before the protocol of 10 Dec 2010");
    REFUSED("2010-12-09 KG request assistance id=R1 threat=terrorism\n", "art4-scope");
    ACCEPTED("2010-06-12 KG request assistance id=R1 threat=aggression\n");
    /* consultations (art. 2) and requests that do not say are not checked */
    ACCEPTED("2010-06-12 KG request consultations id=R2 threat=unrest\n");
    ACCEPTED("2010-06-12 KG request assistance id=R3\n");
    /* from the protocol's date, other armed attacks too */
    ACCEPTED("2010-12-10 KG request assistance id=R4 threat=unrest\n");
    rt_done();
}

TEST(rule_art4_scope_threat_is_checked_as_input)
{
    rt_open(0);
    ASSERT_EQ(rt_run("2026-03-01 KZ request assistance id=R1 threat=riot\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "threat= is aggression, armed-attack, terrorism, unrest or border-clash");
    rt_done();
}

TEST(rule_request_for_another_state_refused)
{
    /* design s.5: AM request assistance host=KZ */
    rt_open(0);
    REFUSED("2026-03-01 AM request assistance host=KZ\n", "request");
    ASSERT_CONTAINS(rt_report(), "AM cannot request assistance on KZ's territory: a state requests only for itself");
    REFUSED("2026-03-01 RU request assistance id=R1 host=KZ\n", "request");
    /* host= naming the requester itself is accepted */
    ACCEPTED("2026-03-01 KZ request assistance id=R1 host=KZ \"ok\"\n");
    const char *s = rt_state("2026-03-01");
    ASSERT_CONTAINS(s, "{\"id\":\"R1\",\"state\":\"KZ\",\"date\":\"2026-03-01\",\"kind\":\"assistance\"");
    ASSERT_CONTAINS(s, "\"status\":\"open\"");
    rt_done();
}

TEST(rule_request_deploy_needs_request)
{
    rt_open(0);
    REFUSED("2026-03-02 CSC propose deploy id=D1 force=CPKF host=KZ \"no request\"\n", "request");
    ASSERT_CONTAINS(rt_report(), "no request=: assistance is given only at the official request of the member");
    ACCEPTED(KZ_REQUEST D1_PROPOSE);
    /* the request is answered by the proposal */
    const char *s = rt_state("2026-03-02");
    ASSERT_CONTAINS(s, "\"id\":\"R1\",\"state\":\"KZ\"");
    ASSERT_CONTAINS(s, "\"status\":\"answered\"");
    ASSERT_CONTAINS(rt_why("D1"), "request: R1 by KZ on 2026-03-01, invoking treaty-4");
    rt_done();
}

TEST(rule_request_by_another_state_refused)
{
    rt_open(0);
    ACCEPTED("2026-03-01 KG request assistance id=RKG\n");
    REFUSED("2026-03-02 CSC propose deploy id=D1 force=CPKF host=KZ request=RKG\n", "request");
    ASSERT_CONTAINS(rt_report(), "request RKG is KG's, not KZ's: assistance is given only at the request of the host");
    rt_done();
}

TEST(rule_request_answered_request_reused_refused)
{
    rt_open(0);
    ACCEPTED(KZ_REQUEST D1_PROPOSE);
    REFUSED("2026-03-03 CSC propose deploy id=D2 force=CPKF host=KZ request=R1\n", "request");
    ASSERT_CONTAINS(rt_report(), "request R1 has already been answered");
    /* the built-in 2022 request too */
    REFUSED("2026-03-03 CSC propose deploy id=D3 force=CPKF host=KZ request=KZ-2022-R\n", "request");
    rt_done();
}

TEST(rule_request_by_non_member_refused)
{
    rt_open(0);
    REFUSED("2026-03-01 AZ request assistance id=RAZ\n", "members");
    ASSERT_CONTAINS(rt_report(), "only a member may request the organization's assistance");
    rt_done();
}

TEST(rule_request_article_switch)
{
    rt_open(0);
    rt_switch("request.article", "treaty-4");
    REFUSED("2026-03-01 KZ request assistance id=R1 article=treaty-2\n", "request");
    ASSERT_CONTAINS(rt_report(), "a request must invoke treaty-4 (switch request.article)");
    REFUSED("2026-03-01 KZ request assistance id=R1\n", "request");
    ACCEPTED("2026-03-01 KZ request assistance id=R1 article=treaty-4\n");
    rt_done();
}

/* ================================================================== */
/* territory                                                            */

TEST(rule_territory_non_member_needs_unsc)
{
    /* design s.5: CSC propose deploy force=CPKF host=AZ ... */
    rt_open(0);
    REFUSED("2026-03-02 CSC propose deploy id=D1 force=CPKF host=AZ days=30 \"Peacekeeping in Azerbaijan\"\n",
            "territory");
    ASSERT_CONTAINS(rt_report(), "AZ is not a member: forces act on members' territory, elsewhere only with a decision of the UN Security Council");
    rt_done();
}

TEST(rule_territory_unsc_mandate_accepted)
{
    rt_open(0);
    ACCEPTED("2026-03-01 UNSC authorize id=RES1 host=AZ \"Resolution for Azerbaijan\"\n"
             "2026-03-02 CSC propose deploy id=D1 force=CPKF host=AZ mandate=RES1 days=30 \"Peacekeeping in Azerbaijan\"\n");
    const char *d = rt_deployment("2026-03-02", "D1");
    ASSERT_CONTAINS(d, "\"host\":\"AZ\",\"force\":\"CPKF\",\"status\":\"proposed\"");
    ASSERT_CONTAINS(rt_why("D1"), "mandate: UN Security Council decision RES1 of 2026-03-01");
    ASSERT_CONTAINS(rt_why("RES1"), "RES1: UN Security Council decision of 2026-03-01 for AZ");
    rt_done();
}

TEST(rule_territory_unsc_mandate_for_another_host_refused)
{
    rt_open(0);
    ACCEPTED("2026-03-01 UNSC authorize id=RES1 host=GE \"Resolution for Georgia\"\n");
    REFUSED("2026-03-02 CSC propose deploy id=D1 force=CPKF host=AZ mandate=RES1\n", "territory");
    ASSERT_CONTAINS(rt_report(), "UN Security Council decision RES1 is for GE, not AZ");
    /* a decision dated after the proposal does not exist yet on its date: an
    ** act reads only what is dated on or before it */
    ACCEPTED("2026-03-05 UNSC authorize id=RES2 host=AZ\n");
    ASSERT_EQ(rt_run("2026-03-02 CSC propose deploy id=D1 force=CPKF host=AZ mandate=RES2\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "'RES2' is dated 2026-03-05, after this line");
    rt_done();
}

/* ================================================================== */
/* use-of-force                                                         */

TEST(rule_use_of_force_only_csc_decides)
{
    rt_open(0);
    ACCEPTED(KZ_REQUEST);
    REFUSED("2026-03-02 CMFA propose deploy id=D1 force=CPKF host=KZ request=R1\n", "use-of-force");
    ASSERT_CONTAINS(rt_report(), "the CSC decides on the use of forces, not the CMFA");
    REFUSED("2026-03-02 CMD propose deploy id=D1 force=CPKF host=KZ request=R1\n", "use-of-force");
    /* the refused proposals did not answer the request: the CSC may use it */
    ACCEPTED(D1_PROPOSE);
    ASSERT_CONTAINS(rt_why("D1"), "D1: CSC proposal to deploy the CPKF");
    rt_done();
}

TEST(rule_use_of_force_contribution_needs_decision)
{
    rt_open(0);
    ACCEPTED(KZ_REQUEST D1_PROPOSE);
    REFUSED("2026-03-02 RU contribute D1 troops=1500\n", "use-of-force");
    ASSERT_CONTAINS(rt_report(), "D1 is not an adopted deployment on 2026-03-02 (open): no contingent without a decision");
    ACCEPTED("2026-03-02 KG vote D1 no\n");
    REFUSED("2026-03-03 RU contribute D1 troops=1500\n", "use-of-force");
    ASSERT_CONTAINS(rt_report(), "(blocked)");
    rt_done();
}

TEST(rule_use_of_force_contribution_after_decision_accepted)
{
    rt_open(0);
    ACCEPTED(D1_ADOPTED "2026-03-02 RU contribute D1 troops=1500\nBY contribute D1 troops=500\n");
    const char *d = rt_deployment("2026-03-02", "D1");
    ASSERT_CONTAINS(d, "\"troops\":2000");
    ASSERT_CONTAINS(d, "{\"state\":\"RU\",\"troops\":1500,\"arrived\":null,\"left\":null}");
    ASSERT_CONTAINS(d, "{\"state\":\"BY\",\"troops\":500,\"arrived\":null,\"left\":null}");
    rt_done();
}

TEST(rule_use_of_force_arrival_without_decision_is_breach)
{
    /* a fact is never refused: the arrival is recorded and flagged */
    rt_open(0);
    ACCEPTED(KZ_REQUEST D1_PROPOSE);
    ASSERT_CONTAINS(rt_breaches("2026-03-03"), "\"breaches\":[]");
    ACCEPTED("2026-03-03 RU arrive D1\n");
    const char *b = rt_breaches("2026-03-03");
    ASSERT_CONTAINS(b, "{\"date\":\"2026-03-03\",\"rule\":\"use-of-force\",\"source\":\"Treaty art. 6\",\"deployment\":\"D1\"");
    ASSERT_CONTAINS(b, "RU forces on KZ's territory for D1 without a decision (open)");
    ASSERT_CONTAINS(rt_deployment("2026-03-03", "D1"), "{\"state\":\"RU\",\"troops\":0,\"arrived\":\"2026-03-03\",\"left\":null}");
    rt_done();
}

/* ================================================================== */
/* forces                                                               */

TEST(rule_forces_contribution_past_strength_refused)
{
    /* design s.5: RU contribute D1 troops=5000 past the CPKF's 3,600 */
    rt_open(0);
    ACCEPTED(D1_ADOPTED);
    REFUSED("2026-03-02 RU contribute D1 troops=5000\n", "forces");
    ASSERT_CONTAINS(rt_report(), "5000 more troops would bring D1 to 5000, past the CPKF's strength of 3600");
    REFUSED("2026-03-02 RU contribute D1 troops=3601\n", "forces");
    rt_done();
}

TEST(rule_forces_exactly_strength_accepted)
{
    rt_open(0);
    ACCEPTED(D1_ADOPTED "2026-03-02 RU contribute D1 troops=2000\nBY contribute D1 troops=1600\n");
    ASSERT_CONTAINS(rt_deployment("2026-03-02", "D1"), "\"troops\":3600");
    ASSERT_CONTAINS(rt_why("D1"), "deployment: 3600 troops of the CPKF's strength of 3600");
    /* the sum counts: one more soldier is refused */
    REFUSED("2026-03-03 KZ contribute D1 troops=1\n", "forces");
    ASSERT_CONTAINS(rt_report(), "1 more troops would bring D1 to 3601");
    rt_done();
}

TEST(rule_forces_other_strengths)
{
    rt_open(0);
    ACCEPTED(KZ_REQUEST
             "2026-03-02 CSC propose deploy id=D1 force=CRDF host=KZ request=R1\n" D1_VOTES
             "2026-03-02 RU contribute D1 troops=4000\n");
    REFUSED("2026-03-02 KG contribute D1 troops=1\n", "forces");
    ASSERT_CONTAINS(rt_report(), "past the CRDF's strength of 4000");
    ACCEPTED("2026-04-01 KZ request assistance id=R2\n"
             "2026-04-01 CSC propose deploy id=D2 force=CRRF host=KZ request=R2\n"
             "2026-04-01 BY vote D2 yes\nKZ vote D2 yes\nKG vote D2 yes\nRU vote D2 yes\nTJ vote D2 yes\n"
             "2026-04-01 RU contribute D2 troops=20000\n");
    REFUSED("2026-04-01 KG contribute D2 troops=1\n", "forces");
    ASSERT_CONTAINS(rt_report(), "past the CRRF's strength of 20000");
    rt_done();
}

TEST(rule_forces_force_not_yet_created_refused)
{
    /* the CRRF exist from 2010-09-10 */
    rt_open(0);
    ACCEPTED("2009-01-10 KZ request assistance id=R09\n");
    REFUSED("2009-01-11 CSC propose deploy id=D09 force=CRRF host=KZ request=R09\n", "forces");
    ASSERT_CONTAINS(rt_report(), "the CRRF do not exist on 2009-01-11");
    ACCEPTED("2009-01-11 CSC propose deploy id=D09 force=CPKF host=KZ request=R09\n");
    rt_done();
}

TEST(rule_forces_arrival_without_contribution_is_breach)
{
    rt_open(0);
    ACCEPTED(D1_ADOPTED "2026-03-02 SG notify-un D1\n2026-03-03 BY arrive D1\n");
    const char *b = rt_breaches("2026-03-03");
    ASSERT_CONTAINS(b, "\"rule\":\"forces\"");
    ASSERT_CONTAINS(b, "BY forces arrived in KZ for D1 without a contribution to the operation");
    rt_done();
}

/* ================================================================== */
/* mandate                                                              */

TEST(rule_mandate_late_leave_is_breach)
{
    /* complete on 03-10, withdrawal period of 10 days ends 03-20 */
    rt_open(0);
    ACCEPTED(D1_ON_GROUND "2026-03-10 KZ complete D1\n2026-03-21 RU leave D1\n");
    const char *b = rt_breaches("2026-03-21");
    ASSERT_CONTAINS(b, "{\"date\":\"2026-03-21\",\"rule\":\"mandate\",\"source\":\"Peacekeeping Agreement art. 3; Kazakhstan 2022 precedent\",\"deployment\":\"D1\"");
    ASSERT_CONTAINS(b, "RU's contingent left KZ on 2026-03-21, 1 day(s) after the withdrawal period ended on 2026-03-20");
    ASSERT_CONTAINS(rt_deployment("2026-03-21", "D1"), "\"status\":\"ended\"");
    rt_done();
}

TEST(rule_mandate_leave_within_period_no_breach)
{
    rt_open(0);
    ACCEPTED(D1_ON_GROUND "2026-03-10 KZ complete D1\n2026-03-20 RU leave D1\n");
    ASSERT_CONTAINS(rt_breaches("2026-03-20"), "\"breaches\":[]");
    ASSERT_CONTAINS(rt_breaches("2026-12-31"), "\"breaches\":[]");
    const char *d = rt_deployment("2026-03-15", "D1");
    ASSERT_CONTAINS(d, "\"status\":\"withdrawing\"");
    ASSERT_CONTAINS(d, "\"complete\":\"2026-03-10\"");
    /* the Kazakhstan precedent: complete 11 Jan, out 19 Jan, no breach */
    ASSERT_CONTAINS(rt_breaches("2022-02-01"), "\"breaches\":[]");
    rt_done();
}

TEST(rule_mandate_still_present_is_computed_breach)
{
    rt_open(0);
    ACCEPTED(D1_ON_GROUND "2026-03-10 KZ complete D1\n");
    ASSERT_CONTAINS(rt_breaches("2026-03-20"), "\"breaches\":[]");
    const char *b = rt_breaches("2026-04-01");
    ASSERT_CONTAINS(b, "{\"date\":\"2026-03-21\",\"rule\":\"mandate\"");
    ASSERT_CONTAINS(b, "RU contingent of D1 still on KZ's territory on 2026-04-01, 12 day(s) after the withdrawal period ended on 2026-03-20");
    ASSERT_CONTAINS(rt_deployment("2026-04-01", "D1"), "\"status\":\"withdrawing\"");
    rt_done();
}

TEST(rule_mandate_fixed_period_runs_out)
{
    /* days=30 from the decision of 03-02: the mission ends 04-01, the
    ** contingents must be out by 04-11 */
    rt_open(0);
    ACCEPTED(KZ_REQUEST
             "2026-03-02 CSC propose deploy id=D1 force=CPKF host=KZ request=R1 days=30\n" D1_VOTES
             "2026-03-02 SG notify-un D1\n"
             "2026-03-02 RU contribute D1 troops=1500\n"
             "2026-03-03 RU arrive D1\n");
    ASSERT_CONTAINS(rt_breaches("2026-04-11"), "\"breaches\":[]");
    ASSERT_CONTAINS(rt_breaches("2026-04-12"), "\"rule\":\"mandate\"");
    rt_done();
}

TEST(rule_mandate_withdrawal_days_switch)
{
    rt_open(0);
    rt_switch("mandate.withdrawal-days", "5");
    ACCEPTED(D1_ON_GROUND "2026-03-10 KZ complete D1\n2026-03-16 RU leave D1\n");
    const char *b = rt_breaches("2026-03-16");
    ASSERT_CONTAINS(b, "\"rule\":\"mandate\"");
    ASSERT_CONTAINS(b, "1 day(s) after the withdrawal period ended on 2026-03-15");
    rt_done();
    /* the same chronicle with 10 days is no breach */
    rt_open(0);
    ACCEPTED(D1_ON_GROUND "2026-03-10 KZ complete D1\n2026-03-16 RU leave D1\n");
    ASSERT_CONTAINS(rt_breaches("2026-03-16"), "\"breaches\":[]");
    rt_done();
}

TEST(rule_mandate_contribution_after_completion_refused)
{
    rt_open(0);
    ACCEPTED(D1_ON_GROUND "2026-03-10 KZ complete D1\n");
    REFUSED("2026-03-11 BY contribute D1 troops=100\n", "mandate");
    ASSERT_CONTAINS(rt_report(), "the mission D1 was declared complete on 2026-03-10");
    rt_done();
}

TEST(rule_mandate_completion_by_host_or_csc_only)
{
    rt_open(0);
    ACCEPTED(D1_ON_GROUND);
    REFUSED("2026-03-10 RU complete D1\n", "mandate");
    ASSERT_CONTAINS(rt_report(), "RU is not the host of D1: the host (KZ) or the CSC declares the mission complete");
    REFUSED("2026-03-10 CMFA complete D1\n", "mandate");
    ACCEPTED("2026-03-10 CSC complete D1\n");
    ASSERT_CONTAINS(rt_deployment("2026-03-10", "D1"), "\"complete\":\"2026-03-10\"");
    REFUSED("2026-03-11 KZ complete D1\n", "mandate");
    ASSERT_CONTAINS(rt_report(), "D1 was already declared complete on 2026-03-10");
    rt_done();
}

TEST(rule_mandate_completion_of_undecided_refused)
{
    rt_open(0);
    ACCEPTED(KZ_REQUEST D1_PROPOSE);
    REFUSED("2026-03-10 KZ complete D1\n", "mandate");
    ASSERT_CONTAINS(rt_report(), "D1 is not an adopted deployment");
    rt_done();
}

/* ================================================================== */
/* un-notice                                                            */

TEST(rule_un_notice_missing_notice_is_breach)
{
    rt_open(0);
    ACCEPTED(D1_ADOPTED "2026-03-02 RU contribute D1 troops=1500\n2026-03-03 RU arrive D1\n");
    /* un-notice.days=1: due on 03-03, a breach from 03-04 */
    ASSERT_CONTAINS(rt_breaches("2026-03-03"), "\"breaches\":[]");
    const char *b = rt_breaches("2026-03-10");
    ASSERT_CONTAINS(b, "{\"date\":\"2026-03-04\",\"rule\":\"un-notice\",\"source\":\"Peacekeeping Agreement art. 3; Treaty art. 4\",\"deployment\":\"D1\"");
    ASSERT_CONTAINS(b, "D1: the UN Security Council was not notified within 1 day(s) of the decision of 2026-03-02");
    rt_done();
}

TEST(rule_un_notice_notified_no_breach)
{
    rt_open(0);
    ACCEPTED(D1_ADOPTED "2026-03-02 SG notify-un D1\n"
                        "2026-03-02 RU contribute D1 troops=1500\n2026-03-03 RU arrive D1\n");
    ASSERT_CONTAINS(rt_breaches("2026-03-10"), "\"breaches\":[]");
    ASSERT_CONTAINS(rt_deployment("2026-03-10", "D1"), "\"un_notice\":\"2026-03-02\"");
    ASSERT_CONTAINS(rt_why("D1"), "UN Security Council notified: 2026-03-02");
    /* the 2022 deployment was notified on the day of the decision */
    ASSERT_CONTAINS(rt_deployment("2022-02-01", "KZ-2022-D"), "\"un_notice\":\"2022-01-06\"");
    rt_done();
}

TEST(rule_un_notice_days_switch_and_late_notice)
{
    rt_open(0);
    /* notified on 03-05, three days after the decision: late under the
    ** default (1 day), in time with un-notice.days=3 */
    ACCEPTED(D1_ADOPTED "2026-03-02 RU contribute D1 troops=1500\n2026-03-03 RU arrive D1\n"
                        "2026-03-05 SG notify-un D1\n");
    ASSERT_CONTAINS(rt_breaches("2026-03-10"), "\"rule\":\"un-notice\"");
    rt_switch("un-notice.days", "3");
    ASSERT_CONTAINS(rt_breaches("2026-03-10"), "\"breaches\":[]");
    rt_done();
}

TEST(rule_un_notice_of_undecided_operation_refused)
{
    rt_open(0);
    ACCEPTED(KZ_REQUEST D1_PROPOSE);
    REFUSED("2026-03-02 SG notify-un D1\n", "un-notice");
    ASSERT_CONTAINS(rt_report(), "D1 is not an adopted operation");
    rt_done();
}

/* ================================================================== */
/* transit                                                              */

TEST(rule_transit_across_members_accepted)
{
    /* TJ -> KG -> KZ: Kyrgyzstan is an active member, no consent needed */
    rt_open(0);
    ACCEPTED(D1_ADOPTED "2026-03-02 TJ contribute D1 troops=200\n");
    char d0[65], d1[65];
    ent_digest(R.db, d0);
    ACCEPTED("2026-03-03 TJ transit D1 via=KG\n");
    ent_digest(R.db, d1);
    ASSERT(strcmp(d0, d1) != 0);
    ASSERT_CONTAINS(rt_why("D1"), "2026-03-03 TJ transit D1 via=KG");
    rt_done();
}

TEST(rule_transit_non_member_must_consent)
{
    /* TJ -> UZ -> KZ: Uzbekistan (suspended) is not an active member */
    rt_open(0);
    ACCEPTED(D1_ADOPTED "2026-03-02 TJ contribute D1 troops=200\n");
    REFUSED("2026-03-03 TJ transit D1 via=UZ\n", "transit");
    ASSERT_CONTAINS(rt_report(), "UZ is not an active member and has not consented to the transit of D1 ('UZ consent D1')");
    /* RU -> CN -> KZ: a non-member */
    REFUSED("2026-03-03 RU transit D1 via=CN\n", "transit");
    ASSERT_CONTAINS(rt_report(), "CN is not an active member and has not consented");
    /* consent given: the transit is accepted */
    ACCEPTED("2026-03-03 UZ consent D1\n");
    ACCEPTED("2026-03-03 TJ transit D1 via=UZ\n");
    ASSERT_CONTAINS(rt_why("D1"), "2026-03-03 UZ consent D1");
    /* a consent dated after the transit does not cover it */
    ACCEPTED("2026-03-10 CN consent D1\n");
    REFUSED("2026-03-04 RU transit D1 via=CN\n", "transit");
    ACCEPTED("2026-03-10 RU transit D1 via=CN\n");
    rt_done();
}

TEST(rule_transit_needs_border_or_sea_link)
{
    rt_open(0);
    ACCEPTED(D1_ADOPTED);
    /* Russia and Turkey share no land border or sea link in the world */
    REFUSED("2026-03-03 RU transit D1 via=TR\n", "transit");
    ASSERT_CONTAINS(rt_report(), "no open land border or sea link from RU to TR on the route");
    /* RU -> AZ by land, AZ -> KZ across the Caspian: a sea link counts */
    ACCEPTED("2026-03-03 AZ consent D1\n2026-03-03 RU transit D1 via=AZ\n");
    rt_done();
}

TEST(rule_transit_closed_border_refused)
{
    /* 2023 (Armenia still active): a deployment to Armenia; the
    ** Armenian-Turkish border is closed */
    rt_open(0);
    ACCEPTED("2023-06-01 AM request assistance id=RA\n"
             "2023-06-02 CSC propose deploy id=DA force=CPKF host=AM request=RA\n"
             "2023-06-02 AM vote DA yes\nBY vote DA yes\nKZ vote DA yes\nKG vote DA yes\nRU vote DA yes\nTJ vote DA yes\n"
             "2023-06-03 TR consent DA\n"
             "2023-06-03 GE consent DA\n");
    REFUSED("2023-06-04 KZ transit DA via=AZ,TR\n", "transit");
    ASSERT_CONTAINS(rt_report(), "no open land border or sea link from TR to AM on the route");
    /* RU -> GE -> AM with Georgia's consent */
    ACCEPTED("2023-06-04 RU transit DA via=GE\n");
    rt_done();
}

TEST(rule_transit_without_decision_refused)
{
    rt_open(0);
    ACCEPTED(KZ_REQUEST D1_PROPOSE);
    REFUSED("2026-03-02 TJ transit D1 via=KG\n", "use-of-force");
    ASSERT_CONTAINS(rt_report(), "D1 is not an adopted deployment on 2026-03-02");
    rt_done();
}

/* ================================================================== */
/* bases                                                                */

#define B1_PROPOSE "2026-03-01 CSC propose base id=B1 host=KZ state=CN \"A Chinese base in Kazakhstan\"\n"

TEST(rule_bases_every_member_consents)
{
    rt_open(0);
    ACCEPTED(B1_PROPOSE "2026-03-01 BY vote B1 yes\nKZ vote B1 yes\nKG vote B1 yes\nRU vote B1 yes\nTJ vote B1 yes\n"
                        "2026-04-01 CN establish B1\n");
    const char *d = rt_deployment("2026-03-15", "B1");
    ASSERT_CONTAINS(d, "\"kind\":\"base\",\"host\":\"KZ\"");
    ASSERT_CONTAINS(d, "\"status\":\"consented\",\"decision\":\"adopted\"");
    ASSERT_CONTAINS(rt_deployment("2026-04-01", "B1"), "\"status\":\"established\"");
    ASSERT_CONTAINS(rt_breaches("2026-04-01"), "\"breaches\":[]");
    rt_done();
}

TEST(rule_bases_abstention_is_not_consent)
{
    /* unlike an ordinary decision, an abstention does not let the base
    ** pass in a limited format: the proposal lapses */
    rt_open(0);
    ACCEPTED(B1_PROPOSE "2026-03-01 BY vote B1 yes\nKZ vote B1 yes\nKG vote B1 abstain\nRU vote B1 yes\nTJ vote B1 yes\n");
    ASSERT_CONTAINS(rt_deployment("2026-03-01", "B1"), "\"decision\":\"lapsed\"");
    /* one objection blocks */
    ACCEPTED("2026-03-02 CSC propose base id=B2 host=KG state=CN\n2026-03-02 RU vote B2 no\n");
    ASSERT_CONTAINS(rt_deployment("2026-03-02", "B2"), "\"decision\":\"blocked\"");
    rt_done();
}

TEST(rule_bases_established_without_consent_is_breach)
{
    /* a fact: the base is recorded and flagged */
    rt_open(0);
    ACCEPTED(B1_PROPOSE "2026-03-01 BY vote B1 yes\nKZ vote B1 yes\nKG vote B1 abstain\nRU vote B1 yes\nTJ vote B1 yes\n"
                        "2026-04-01 CN establish B1\n");
    const char *b = rt_breaches("2026-04-01");
    ASSERT_CONTAINS(b, "{\"date\":\"2026-04-01\",\"rule\":\"bases\",\"source\":\"CSC decision of 20 Dec 2011\",\"deployment\":\"B1\"");
    ASSERT_CONTAINS(b, "CN base on KZ's territory without the consent of every member (B1: lapsed)");
    rt_done();
}

TEST(rule_bases_proposal_refused)
{
    rt_open(0);
    REFUSED("2026-03-01 PC propose base id=B1 host=KZ state=CN\n", "bases");
    ASSERT_CONTAINS(rt_report(), "the members' consent to a base is given in the CSC, not the PC");
    REFUSED("2026-03-01 CSC propose base id=B1 host=AZ state=CN\n", "bases");
    ASSERT_CONTAINS(rt_report(), "AZ is not a member: the rule on bases covers members' territory");
    REFUSED("2026-03-01 CSC propose base id=B1 host=KZ state=RU\n", "bases");
    ASSERT_CONTAINS(rt_report(), "RU is a member: the rule covers a third state's base");
    rt_done();
}

/* ================================================================== */
/* statuses                                                             */

TEST(rule_statuses_grant_observer_and_partner)
{
    rt_open(0);
    ASSERT_CONTAINS(rt_state("2026-01-01"), "\"observers\":[]");
    ACCEPTED("2026-03-01 CSC grant observer state=CN\n");
    ASSERT_CONTAINS(rt_state("2026-03-01"), "\"observers\":[{\"code\":\"CN\",\"name\":\"China\",\"status\":\"observer\"}]");
    ACCEPTED("2026-04-01 CSC grant partner state=CN\n");
    ASSERT_CONTAINS(rt_state("2026-04-01"), "\"observers\":[{\"code\":\"CN\",\"name\":\"China\",\"status\":\"partner\"}]");
    /* an observer or partner may still join as a member */
    ACCEPTED("2026-05-01 CN join\n");
    const char *s = rt_state("2026-05-01");
    ASSERT_CONTAINS(s, "\"observers\":[]");
    ASSERT_CONTAINS(s, "{\"code\":\"CN\",\"name\":\"China\",\"status\":\"member\"}");
    rt_done();
}

TEST(rule_statuses_grant_refused)
{
    rt_open(0);
    /* the statuses exist from the 2018 protocols' entry into force */
    REFUSED("2020-03-01 CSC grant observer state=CN\n", "statuses");
    ASSERT_CONTAINS(rt_report(), "observer and partner statuses exist from 2021-01-19");
    REFUSED("2026-03-01 PC grant observer state=CN\n", "statuses");
    ASSERT_CONTAINS(rt_report(), "the CSC grants observer and partner status, not the PC");
    REFUSED("2026-03-01 CSC grant observer state=KZ\n", "statuses");
    ASSERT_CONTAINS(rt_report(), "KZ is a member on 2026-03-01");
    REFUSED("2026-03-01 CSC grant partner state=AM\n", "statuses"); /* frozen: still a member */
    ACCEPTED("2026-03-01 CSC grant observer state=CN\n");
    REFUSED("2026-03-02 CSC grant observer state=CN\n", "statuses");
    ASSERT_CONTAINS(rt_report(), "CN already has that status");
    rt_done();
}

TEST(rule_statuses_observer_does_not_vote)
{
    rt_open(0);
    ACCEPTED("2026-02-01 CSC grant observer state=CN\n" KZ_REQUEST D1_PROPOSE);
    REFUSED("2026-03-02 CN vote D1 yes\n", "statuses");
    ASSERT_CONTAINS(rt_report(), "CN is an observer, not a member, on 2026-03-02");
    rt_done();
}

/* ================================================================== */
/* Refusals in general (named rule_refusal_*: no rule id is "refusal").  */

TEST(rule_refusal_changes_nothing)
{
    rt_open(0);
    char d0[65], d1[65];
    ent_digest(R.db, d0);
    uint64_t n0 = ent_event_count(R.db);
    const char *s0 = rt_state(NULL);
    /* valid lines around a refused one: all or nothing, nothing is stored */
    int rc = rt_run("2026-03-01 KZ request assistance id=R1\n"
                    "2026-03-01 AM request assistance host=KZ\n"
                    "2026-03-02 CSC propose deploy id=D1 force=CPKF host=KZ request=R1\n");
    ASSERT_EQ(rc, ENT_REFUSED);
    ASSERT_EQ(ent_report_refusals(R.rep), 1);
    ASSERT_CONTAINS(rt_report(), "t.chron:2: refused:");
    ent_digest(R.db, d1);
    ASSERT_STR_EQ(d1, d0);
    ASSERT_EQ(ent_event_count(R.db), n0);
    ASSERT_STR_EQ(rt_state(NULL), s0);
    /* the ids of the refused file were not taken */
    ACCEPTED("2026-03-01 KZ request assistance id=R1\n");
    ent_digest(R.db, d1);
    ASSERT(strcmp(d1, d0) != 0);
    ASSERT_EQ(ent_event_count(R.db), n0 + 1);
    /* ent_check stores nothing either, even when every line is valid */
    ent_digest(R.db, d0);
    ASSERT_EQ(rt_check("2026-03-02 CSC propose deploy id=D1 force=CPKF host=KZ request=R1\n"), ENT_OK);
    ent_digest(R.db, d1);
    ASSERT_STR_EQ(d1, d0);
    ASSERT_EQ(rt_check("2026-03-02 RU vote KZ-2022-D yes\n"), ENT_REFUSED);
    ASSERT_CONTAINS(rt_report(), rt_cite("consensus"));
    rt_done();
}

TEST(rule_refusal_einput_takes_precedence)
{
    rt_open(0);
    char d0[65], d1[65];
    ent_digest(R.db, d0);
    const char *text = "2026-03-01 AM request assistance host=KZ\n"
                       "2026-03-01 KZ frobnicate\n"
                       "2026-13-45 KZ join\n"
                       "2026-03-02 AZ vote KZ-2022-D yes\n";
    ASSERT_EQ(rt_check(text), ENT_EINPUT);
    ASSERT(ent_report_errors(R.rep) >= 2);
    ASSERT_EQ(ent_report_refusals(R.rep), 2);
    /* every diagnostic is reported, not only the first */
    ASSERT_CONTAINS(rt_report(), "t.chron:1: refused:");
    ASSERT_CONTAINS(rt_report(), rt_cite("request"));
    ASSERT_CONTAINS(rt_report(), "t.chron:2:");
    ASSERT_CONTAINS(rt_report(), "error:");
    ASSERT_CONTAINS(rt_report(), "t.chron:4: refused:");
    ASSERT_CONTAINS(rt_report(), rt_cite("members"));
    ASSERT_EQ(rt_run(text), ENT_EINPUT);
    ent_digest(R.db, d1);
    ASSERT_STR_EQ(d1, d0);
    rt_done();
}

/* Found by the property test (seed 1): a request for consultations (Treaty
** art. 2) is no basis for deploying forces. */
TEST(rule_request_consultations_are_no_basis_for_deployment)
{
    rt_open(0);
    ACCEPTED("2026-05-23 RU request consultations id=RC \"consult\"\n");
    REFUSED("2026-09-10 CSC propose deploy id=D1 force=CPKF host=RU request=RC\n", "request");
    ASSERT_CONTAINS(rt_report(), "request RC asks for consultations, not assistance");
    rt_done();
}

/* Found by the property test (seed 20220106): a host that leaves between the
** proposal and the decision is a non-member when the decision is taken. */
TEST(rule_territory_host_left_before_decision_lapses)
{
    rt_open(0);
    rt_switch("withdrawal.notice-months", "0"); /* the notice takes effect at once */
    ACCEPTED("2026-08-09 RU request assistance id=R1 article=treaty-4\n"
             "2027-07-18 CSC propose deploy id=D1 force=CRRF host=RU request=R1 days=4\n"
             "2027-07-23 KZ vote D1 yes\n"
             "2027-10-10 RU notify-withdrawal\n"
             "2027-10-20 CSC close D1\n");
    ASSERT_CONTAINS(rt_deployment("2027-10-20", "D1"), "\"decision\":\"lapsed\"");
    REFUSED("2027-10-21 KZ contribute D1 troops=10\n", "use-of-force");
    rt_done();
}

/* The 2024 transit protocols (Astana, 28 Nov 2024, without Armenia [S83]):
** a member that is not a party authorises each passage itself. The history
** records the protocols with BY, KZ, KG, RU, TJ as parties; a later protocol
** without KG shows the rule on a route that exists (KZ > KG > TJ). */
TEST(rule_transit_protocol_parties_from_history)
{
    rt_open(0);
    ACCEPTED("2026-03-01 TJ request assistance id=R1 article=treaty-4\n"
             "2026-03-02 CSC propose deploy id=D1 force=CPKF host=TJ request=R1\n"
             "BY vote D1 yes\nKZ vote D1 yes\nKG vote D1 yes\nRU vote D1 yes\nTJ vote D1 yes\n"
             "2026-03-02 KZ contribute D1 troops=100\n"
             "2026-03-02 RU contribute D1 troops=100\n");
    ACCEPTED("2026-03-03 KZ transit D1 via=KG\n");
    ACCEPTED("2026-03-04 CSC protocol transit parties=BY,KZ,RU,TJ\n");
    REFUSED("2026-03-05 RU transit D1 via=KZ,KG\n", "transit");
    ASSERT_CONTAINS(rt_report(), "KG is not a party to the transit protocols of 2026-03-04 and has not authorised the transit of D1 ('KG consent D1')");
    ACCEPTED("2026-03-05 KG consent D1\n" "2026-03-05 RU transit D1 via=KZ,KG\n");
    REFUSED("2026-03-06 CMFA protocol transit parties=KZ\n", "transit");
    ASSERT_CONTAINS(rt_report(), "the protocols are signed at the CSC, not the CMFA");
    rt_done();
}

TEST(rule_chair_convenes_the_council)
{
    rt_open(0);
    /* Russia chairs in 2026 (built-in history) */
    ACCEPTED("2026-05-01 RU convene CSC extraordinary \"Crisis\"\n");
    REFUSED("2026-05-01 KZ convene CSC extraordinary \"Crisis\"\n", "chair");
    ASSERT_CONTAINS(rt_report(), "KZ does not chair the organization on 2026-05-01 (the chair is RU): the chair convenes the CSC");
    /* by the 1 January rotation, Tajikistan chairs in 2027 */
    ACCEPTED("2027-02-01 TJ convene PC regular\n");
    REFUSED("2027-02-01 RU convene CSC\n", "chair");
    rt_done();
}
