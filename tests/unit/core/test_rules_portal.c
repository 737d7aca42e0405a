/*
** test_rules_portal.c: external relations, dialogues and meetings;
** conferences, invitations and registrations with the rule `conferences`
** (capacity, deadline, dates not set); articles, comments and the rule
** `moderation`; through the public API only (rules_helper.h).
*/
#include "rules_helper.h"

/* A conference of 2026 with two places and a deadline. */
#define CONF                                                                                          \
    "2026-03-01 CSC conference id=CONF-1 organizer=BY city=Minsk venue=\"Palace of Independence\" "  \
    "address=\"Pobediteley Ave 11\" start=2026-10-26T10:00 end=2026-10-27T18:00 tz=Europe/Minsk "    \
    "capacity=2 deadline=2026-10-20 terms=\"Delegations of members and partners\" \"Eurasian security\"\n"

/* ================================================================== */
/* Relations                                                            */

TEST(portal_relations_built_in_history)
{
    rt_open(0);
    const char *s = rt_state("2023-06-01");
    ASSERT_CONTAINS(s, "{\"id\":\"CSTO-UN\",\"party\":\"UN\",\"kind\":\"organization\",\"status\":\"reports-to-unsc\"");
    ASSERT_CONTAINS(s, "\"dialogues\":[{\"id\":\"CSTO-CN\",\"party\":\"CN\",\"kind\":\"state\",\"status\":\"planned\"");
    ASSERT_CONTAINS(s, "{\"id\":\"CSTO-IN\",\"party\":\"IN\",\"kind\":\"state\",\"status\":\"planned\"");
    ASSERT_CONTAINS(s, "{\"id\":\"MINSK-2023\",\"title\":\"High-level international conference on Eurasian security "
                       "issues\",\"organizer\":\"BY\",\"city\":\"Minsk\",\"status\":\"planned\",\"year\":2023");
    /* before the seed's plans: only the UN relation */
    s = rt_state("2022-06-01");
    ASSERT_CONTAINS(s, "\"dialogues\":[]");
    ASSERT_CONTAINS(s, "\"conferences\":[]");
    ASSERT_CONTAINS(rt_why("CSTO-CN"), "CSTO-CN: dialogue with CN China (state), recorded by BY on 2023-01-01");
    rt_done();
}

TEST(portal_relation_dialogue_meeting)
{
    rt_open(0);
    ACCEPTED("2026-03-01 CSC relation id=REL-SCO party=SCO status=cooperation \"Memorandum with the SCO\"\n"
             "2026-03-02 SG meeting id=M1 with=REL-SCO \"Consultations of the secretariats\"\n"
             "2026-03-03 BY meeting id=M2 with=CSTO-CN \"Expert round\"\n");
    const char *s = rt_state("2026-03-03");
    ASSERT_CONTAINS(s, "{\"id\":\"REL-SCO\",\"party\":\"SCO\",\"kind\":\"organization\",\"status\":\"cooperation\","
                       "\"since\":\"2026-03-01\",\"by\":\"CSC\",\"text\":\"Memorandum with the SCO\",\"meetings\":1,"
                       "\"last_meeting\":\"2026-03-02\"}");
    ASSERT_CONTAINS(s, "\"meetings\":1,\"last_meeting\":\"2026-03-03\"");
    ASSERT_CONTAINS(rt_state("2026-03-01"), "\"meetings\":0,\"last_meeting\":null");
    ASSERT_CONTAINS(rt_why("M1"), "M1: meeting of SG with SCO (relation REL-SCO) on 2026-03-02");
    /* the meeting's text is read back from the journal */
    ASSERT_CONTAINS(rt_why("M1"), "\"Consultations of the secretariats\"");
    rt_done();
}

TEST(portal_relation_errors)
{
    rt_open(0);
    ASSERT_EQ(rt_run("2026-03-01 CSC relation id=R1 party=UN\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "a relation with UN exists: CSTO-UN");
    ASSERT_EQ(rt_run("2026-03-01 CSC relation id=R1 party=KZ\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "KZ is a member on this date");
    ASSERT_EQ(rt_run("2026-03-01 CSC relation id=R1\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "missing party=");
    ASSERT_EQ(rt_run("2026-03-01 CSC relation id=R1 party=un\n"), ENT_EINPUT);
    ASSERT_EQ(rt_run("2026-03-01 CSC relation id=R1 party=IND kind=state\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "two letters");
    ASSERT_EQ(rt_run("2026-03-01 CSC relation id=R1 party=OSCE kind=club\n"), ENT_EINPUT);
    ASSERT_EQ(rt_run("2026-03-01 XX relation id=R1 party=OSCE\n"), ENT_EINPUT);
    ASSERT_EQ(rt_run("2026-03-01 SG meeting id=M1 with=KANAL\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "not a relation or a dialogue");
    /* a frozen member does not act for the organization */
    REFUSED("2026-03-01 AM relation id=R1 party=OSCE\n", "consensus");
    rt_done();
}

/* ================================================================== */
/* Conferences                                                          */

TEST(portal_conference_and_registration_code)
{
    rt_open(0);
    ACCEPTED(CONF "2026-03-02 CONF-1 invite party=UN\n"
                  "2026-03-03 CONF-1 register id=REG-1 name=\"Jane Doe\" email=\"jane@example.org\" party=UN\n");
    const char *s = rt_state("2026-03-03");
    ASSERT_CONTAINS(s, "{\"id\":\"CONF-1\",\"title\":\"Eurasian security\",\"organizer\":\"BY\",\"city\":\"Minsk\","
                       "\"status\":\"registration-open\",\"year\":null,\"start\":\"2026-10-26T10:00\","
                       "\"end\":\"2026-10-27T18:00\",\"tz\":\"Europe/Minsk\",\"capacity\":2,\"registered\":1,"
                       "\"deadline\":\"2026-10-20\",\"invited\":[\"UN\"]}");
    ASSERT_CONTAINS(rt_state("2026-10-21"), "\"status\":\"registration-closed\"");
    ASSERT_CONTAINS(rt_state("2026-10-26"), "\"status\":\"under-way\"");
    ASSERT_CONTAINS(rt_state("2026-10-28"), "\"status\":\"held\"");
    /* the code is the same on every replay and in a second database */
    const char *w = rt_why("REG-1");
    ASSERT_CONTAINS(w, "REG-1: registration for CONF-1 on 2026-03-03");
    const char *c = strstr(w, "confirmation code: ");
    ASSERT(c != NULL);
    char code[10];
    memcpy(code, c + 19, 9);
    code[9] = 0;
    ASSERT_EQ(code[4], '-');
    ASSERT_CONTAINS(w, "name=\"Jane Doe\" email=\"jane@example.org\""); /* from the journal */
    rt_open(0);
    ACCEPTED(CONF "2026-03-02 CONF-1 invite party=UN\n"
                  "2026-03-03 CONF-1 register id=REG-1 name=\"Jane Doe\" email=\"jane@example.org\" party=UN\n");
    ASSERT_CONTAINS(rt_why("REG-1"), code);
    /* another name gives another code */
    rt_open(0);
    ACCEPTED(CONF "2026-03-03 CONF-1 register id=REG-1 name=\"Jane Roe\" email=\"jane@example.org\" party=UN\n");
    ASSERT(strstr(rt_why("REG-1"), code) == NULL);
    rt_done();
}

TEST(portal_conference_malformed)
{
    rt_open(0);
    ASSERT_EQ(rt_run("2026-03-01 CSC conference id=K city=Minsk start=2026-10-26T10:00 end=2026-10-27T18:00 "
                     "tz=Europe/Minsk\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "missing the \"text\"");
    ASSERT_EQ(rt_run("2026-03-01 CSC conference id=K start=2026-10-26T10:00 end=2026-10-27T18:00 tz=UTC \"T\"\n"),
              ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "missing city=");
    ASSERT_EQ(rt_run("2026-03-01 CSC conference id=K city=Minsk end=2026-10-27T18:00 tz=UTC \"T\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "missing start=");
    ASSERT_EQ(rt_run("2026-03-01 CSC conference id=K city=Minsk start=2026-10-26T10:00 end=2026-10-27T18:00 \"T\"\n"),
              ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "missing tz=");
    ASSERT_EQ(rt_run("2026-03-01 CSC conference id=K city=Minsk start=2026-10-26 end=2026-10-27T18:00 tz=UTC \"T\"\n"),
              ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "start= wants a local date-time YYYY-MM-DDTHH:MM");
    ASSERT_EQ(rt_run("2026-03-01 CSC conference id=K city=Minsk start=2026-02-30T10:00 end=2026-10-27T18:00 tz=UTC "
                     "\"T\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "no such date-time");
    ASSERT_EQ(rt_run("2026-03-01 CSC conference id=K city=Minsk start=2026-10-27T10:00 end=2026-10-27T09:00 tz=UTC "
                     "\"T\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "end= is not after start=");
    ASSERT_EQ(rt_run("2026-03-01 CSC conference id=K city=Minsk start=2026-10-26T10:00 end=2026-10-27T18:00 "
                     "tz=Minsk \"T\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "IANA time zone name");
    ASSERT_EQ(rt_run("2026-03-01 CSC conference id=K city=Minsk year=2027 capacity=5 \"T\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "no capacity= with it");
    ASSERT_EQ(rt_run("2026-03-01 CSC conference id=K city=Minsk start=2026-10-26T10:00 end=2026-10-27T18:00 "
                     "tz=UTC deadline=2026-10-26 \"T\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "deadline= must be before");
    /* oversized fields name the field and the limit */
    char line[4200];
    char terms[4002];
    memset(terms, 'x', 4001);
    terms[4001] = 0;
    snprintf(line, sizeof line, "2026-03-01 CSC conference id=K city=Minsk year=2027 terms=\"%s\" \"T\"\n", terms);
    ASSERT_EQ(rt_run(line), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "terms is too long: 4001 bytes (at most 4000)");
    terms[4000] = 0;
    snprintf(line, sizeof line, "2026-03-01 CSC conference id=K city=Minsk year=2027 terms=\"%s\" \"T\"\n", terms);
    ACCEPTED(line);
    ASSERT_CONTAINS(rt_why("K"), terms); /* the terms: from the journal */
    /* invitations */
    ASSERT_EQ(rt_run("2026-03-02 K invite party=UN\n2026-03-02 K invite party=UN\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "UN is already invited");
    ASSERT_EQ(rt_run("2026-03-02 CSTO-UN invite party=UN\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "'CSTO-UN' is not a conference");
    rt_done();
}

TEST(portal_registration_malformed)
{
    rt_open(0);
    ACCEPTED(CONF);
    ASSERT_EQ(rt_run("2026-03-02 CONF-1 register id=R1 email=\"a@b.c\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "missing name=");
    ASSERT_EQ(rt_run("2026-03-02 CONF-1 register id=R1 name=\"A\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "missing email=");
    ASSERT_EQ(rt_run("2026-03-02 CONF-1 register id=R1 name=\"A\" email=\"a.b.c\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "exactly one @");
    ASSERT_EQ(rt_run("2026-03-02 CONF-1 register id=R1 name=\"A\" email=\"a@b@c\"\n"), ENT_EINPUT);
    ASSERT_EQ(rt_run("2026-03-02 CONF-1 register id=R1 name=\"A\" email=\"@b.c\"\n"), ENT_EINPUT);
    ASSERT_EQ(rt_run("2026-03-02 CONF-1 register id=R1 name=\"A\" email=\"a @b.c\"\n"), ENT_EINPUT);
    ASSERT_EQ(rt_run("2026-03-02 CONF-1 register id=R1 name=\"\" email=\"a@b.c\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "name is empty");
    char line[600], big[256];
    memset(big, 'n', 201);
    big[201] = 0;
    snprintf(line, sizeof line, "2026-03-02 CONF-1 register id=R1 name=\"%s\" email=\"a@b.c\"\n", big);
    ASSERT_EQ(rt_run(line), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "name is too long: 201 bytes (at most 200)");
    memset(big, 'e', 251);
    big[251] = 0;
    snprintf(line, sizeof line, "2026-03-02 CONF-1 register id=R1 name=\"A\" email=\"%s@b.c\"\n", big);
    ASSERT_EQ(rt_run(line), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "email is too long: 255 bytes (at most 254)");
    big[250] = 0; /* 254 bytes: the limit */
    snprintf(line, sizeof line, "2026-03-02 CONF-1 register id=R1 name=\"A\" email=\"%s@b.c\"\n", big);
    ACCEPTED(line);
    rt_done();
}

TEST(rule_conferences_capacity)
{
    rt_open(0);
    ACCEPTED(CONF "2026-03-02 CONF-1 register id=R1 name=\"A\" email=\"a@example.org\"\n"
                  "2026-03-02 CONF-1 register id=R2 name=\"B\" email=\"b@example.org\"\n");
    REFUSED("2026-03-03 CONF-1 register id=R3 name=\"C\" email=\"c@example.org\"\n", "conferences");
    ASSERT_CONTAINS(rt_report(), "CONF-1 is full: 2 of 2 places taken");
    ASSERT_CONTAINS(rt_state("2026-03-03"), "\"capacity\":2,\"registered\":2");
    rt_done();
}

TEST(rule_conferences_deadline)
{
    rt_open(0);
    ACCEPTED(CONF "2026-10-20 CONF-1 register id=R1 name=\"A\" email=\"a@example.org\"\n"); /* inclusive */
    REFUSED("2026-10-21 CONF-1 register id=R2 name=\"B\" email=\"b@example.org\"\n", "conferences");
    ASSERT_CONTAINS(rt_report(), "registration for CONF-1 closed on 2026-10-20 (deadline): too late on 2026-10-21");
    /* without a deadline, registration closes the day before the first day */
    ACCEPTED("2026-03-01 CSC conference id=CONF-2 city=Astana start=2026-11-10T09:00 end=2026-11-10T17:00 "
             "tz=Asia/Almaty \"Seminar\"\n"
             "2026-11-09 CONF-2 register id=R3 name=\"C\" email=\"c@example.org\"\n");
    REFUSED("2026-11-10 CONF-2 register id=R4 name=\"D\" email=\"d@example.org\"\n", "conferences");
    ASSERT_CONTAINS(rt_report(), "CONF-2 starts at 2026-11-10T09:00 (Asia/Almaty)");
    rt_done();
}

TEST(rule_conferences_dates_not_set_and_missing_fields)
{
    rt_open(0);
    /* the seed's Minsk conference is known only by its year: no registration */
    REFUSED("2023-03-01 MINSK-2023 register id=R1 name=\"A\" email=\"a@example.org\"\n", "conferences");
    ASSERT_CONTAINS(rt_report(), "MINSK-2023 is planned for 2023 without dates: registration is not open");
    /* missing fields are input errors, before any rule */
    ACCEPTED(CONF);
    ASSERT_EQ(rt_run("2026-03-02 CONF-1 register name=\"A\" email=\"a@example.org\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "missing id=ID");
    /* a registration dated before its conference: the conference is not known yet */
    ASSERT_EQ(rt_run("2026-02-01 CONF-1 register id=R1 name=\"A\" email=\"a@example.org\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "after this line");
    rt_done();
}

/* ================================================================== */
/* Articles, comments, moderation                                       */

#define ART                                                                                             \
    "2026-03-01 SG article id=A1 author=\"Press office\" about=KZ-2022-D title=\"Four years on\" "     \
    "\"The mission of January 2022 in review.\"\n"                                                      \
    "2026-03-02 A1 comment id=C1 stance=for author=\"Reader\" \"Well done\"\n"                         \
    "2026-03-02 A1 comment id=C2 stance=against author=\"Troll\" \"Rude words\"\n"                     \
    "2026-03-03 C1 comment id=C3 stance=neutral author=\"Other\" \"A reply\"\n"

TEST(portal_articles_and_comments)
{
    rt_open(0);
    ACCEPTED(ART);
    const char *s = rt_state("2026-03-03");
    ASSERT_CONTAINS(s, "\"articles\":1,\"comments\":3,\"comments_hidden\":0,\"moderation\":[]");
    ASSERT_CONTAINS(rt_state("2026-03-01"), "\"articles\":1,\"comments\":0");
    ASSERT_CONTAINS(rt_why("A1"), "A1: article published by SG on 2026-03-01, about KZ-2022-D");
    ASSERT_CONTAINS(rt_why("A1"), "title=\"Four years on\""); /* the texts: from the journal */
    ASSERT_CONTAINS(rt_why("C3"), "C3: comment on C1, neutral, on 2026-03-03");
    rt_done();
}

TEST(portal_articles_and_comments_malformed)
{
    rt_open(0);
    ASSERT_EQ(rt_run("2026-03-01 SG article id=A1 title=\"T\" \"x\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "missing author=");
    ASSERT_EQ(rt_run("2026-03-01 SG article id=A1 author=\"A\" \"x\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "missing title=");
    ASSERT_EQ(rt_run("2026-03-01 SG article id=A1 author=\"A\" title=\"T\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "missing the \"text\"");
    ASSERT_EQ(rt_run("2026-03-01 SG article id=A1 author=\"A\" title=\"T\" about=NOPE \"x\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "unknown id 'NOPE'");
    ASSERT_EQ(rt_run("2026-03-01 Mr article id=A1 author=\"A\" title=\"T\" \"x\"\n"), ENT_EINPUT);
    ACCEPTED("2026-03-01 KZ article id=A1 author=\"MFA\" about=AM title=\"T\" \"x\"\n");
    ASSERT_EQ(rt_run("2026-03-02 A1 comment id=C1 author=\"R\" \"x\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "missing stance=for|against|neutral");
    ASSERT_EQ(rt_run("2026-03-02 A1 comment id=C1 stance=maybe author=\"R\" \"x\"\n"), ENT_EINPUT);
    ASSERT_EQ(rt_run("2026-03-02 A1 comment id=C1 stance=for \"x\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "missing author=");
    ASSERT_EQ(rt_run("2026-03-02 A9 comment id=C1 stance=for author=\"R\" \"x\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "unknown id 'A9'");
    char line[2200], big[2002];
    memset(big, 't', 2001);
    big[2001] = 0;
    snprintf(line, sizeof line, "2026-03-02 A1 comment id=C1 stance=for author=\"R\" \"%s\"\n", big);
    ASSERT_EQ(rt_run(line), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "text is too long: 2001 bytes (at most 2000)");
    ASSERT_CONTAINS(rt_state("2026-03-02"), "\"comments\":0");
    rt_done();
}

TEST(rule_moderation_sg_hides_and_logs)
{
    rt_open(0);
    ACCEPTED(ART "2026-03-04 SG moderate C2 hide reason=\"Insults\"\n");
    const char *s = rt_state("2026-03-04");
    ASSERT_CONTAINS(s, "\"comments\":3,\"comments_hidden\":1,\"moderation\":[{\"comment\":\"C2\",\"date\":"
                       "\"2026-03-04\",\"action\":\"hide\",\"reason\":\"Insults\"}]");
    ASSERT_CONTAINS(rt_state("2026-03-03"), "\"comments_hidden\":0,\"moderation\":[]");
    /* hidden, not deleted: still in the journal */
    const char *w = rt_why("C2");
    ASSERT_CONTAINS(w, "hidden by moderation on 2026-03-04: Insults");
    ASSERT_CONTAINS(w, "\"Rude words\"");
    ASSERT_CONTAINS(w, "now: hidden (kept in the journal)");
    /* no replies to a hidden comment; hide twice is an error; restore is logged */
    ASSERT_EQ(rt_run("2026-03-05 C2 comment id=C4 stance=for author=\"R\" \"x\"\n"), ENT_EINPUT);
    ASSERT_EQ(rt_run("2026-03-05 SG moderate C2 hide reason=\"again\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "C2 is already hidden");
    ACCEPTED("2026-03-06 SG moderate C2 restore reason=\"On appeal\"\n");
    ASSERT_CONTAINS(rt_state("2026-03-06"), "\"comments_hidden\":0,\"moderation\":[{\"comment\":\"C2\"");
    ASSERT_CONTAINS(rt_state("2026-03-06"), "{\"comment\":\"C2\",\"date\":\"2026-03-06\",\"action\":\"restore\"");
    ASSERT_CONTAINS(rt_state("2026-03-05"), "\"comments_hidden\":1");
    rt_done();
}

TEST(rule_moderation_refused_for_others_and_malformed)
{
    rt_open(0);
    ACCEPTED(ART);
    REFUSED("2026-03-04 KZ moderate C2 hide reason=\"x\"\n", "moderation");
    ASSERT_CONTAINS(rt_report(), "only SG, for the Secretariat, moderates comments, not KZ");
    REFUSED("2026-03-04 CSC moderate C2 hide reason=\"x\"\n", "moderation");
    ASSERT_EQ(rt_run("2026-03-04 SG moderate C2 hide\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "missing reason=");
    ASSERT_EQ(rt_run("2026-03-04 SG moderate C2 delete reason=\"x\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "moderate wants hide or restore");
    ASSERT_EQ(rt_run("2026-03-04 SG moderate A1 hide reason=\"x\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "'A1' is not a comment");
    ASSERT_EQ(rt_run("2026-03-04 SG moderate C1 restore reason=\"x\"\n"), ENT_EINPUT);
    ASSERT_CONTAINS(rt_report(), "C1 is not hidden");
    ASSERT_CONTAINS(rt_state("2026-03-04"), "\"moderation\":[]");
    rt_done();
}
