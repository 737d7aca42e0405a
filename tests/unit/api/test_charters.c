/*
** test_charters.c: other charters than the built-in CSTO (docs/charters.md).
**
** The same chronicle (the same members, the same proposal to the charter's
** supreme body, the same votes) runs under the CSTO (built-in, bare), NATO
** (data/charters/nato.chron) and the Rio Treaty (data/charters/rio.chron),
** and the outcomes differ exactly where the treaties differ:
**   - Rio art. 17: two thirds adopt over an objection; one objection blocks
**     under the CSTO and NATO;
**   - Rio art. 18: a party to the dispute does not vote;
**   - NATO art. 6: no collective action outside the treaty area;
**   - CSTO: abstaining lets a decision pass in a limited format that binds
**     only those who said yes; NATO has no limited format; under Rio an
**     adopted decision binds every member (art. 20).
** Tests named rule_<id>_* cover the rules the charter files declare
** (tests/coverage/run.sh reads the charter files too).
**
** The charter files are read from the source tree: the tests run from its
** top directory (make, scripts/run-tests.sh), or from wherever __FILE__ says.
*/
#include "../test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "entente.h"

enum { CSTO = 0, NATO, RIO };
static const char *const names[] = { "csto", "nato", "rio" };
static const char *const bodies[] = { "CSC", "COUNCIL", "OC" };
static const char *const forces[] = { "CPKF", "ARMED", "ARMED" };

/* Everything a test holds, freed by the next ch_open or ch_done (a failed
** ASSERT longjmps out of the test). */
static struct {
    ent_db *db;
    ent_report *rep;
    char *text;
    char *out[32];
    int nout;
    int which;
} F;

static void ch_done(void)
{
    if (F.db) ent_close(F.db);
    if (F.rep) ent_report_free(F.rep);
    free(F.text);
    for (int i = 0; i < F.nout; i++) ent_free(F.out[i]);
    memset(&F, 0, sizeof F);
}

/* The text of data/charters/NAME.chron (malloc'd), found from __FILE__. */
static char *read_charter(const char *name, size_t *len)
{
    static const char self[] = "tests/unit/api/test_charters.c";
    char path[4096];
    size_t n = strlen(__FILE__), k = strlen(self);
    int top = n >= k && strcmp(__FILE__ + n - k, self) == 0 ? (int)(n - k) : 0;
    snprintf(path, sizeof path, "%.*sdata/charters/%s.chron", top, __FILE__, name);
    FILE *f = fopen(path, "rb");
    if (!f) TEST_FAIL_("cannot open %s (run the tests from the top of the source tree)", path);
    char *buf = malloc(1 << 20);
    if (!buf) TEST_FAIL_("out of memory");
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = 0;
    fclose(f);
    return buf;
}

/* Open a charter in memory (path NULL) or on a journal file. */
static int ch_open_at(int which, const char *path, unsigned flags)
{
    ch_done();
    F.which = which;
    F.rep = ent_report_new();
    ASSERT(F.rep);
    ent_input in = { NULL, NULL, 0 };
    if (which != CSTO) {
        F.text = read_charter(names[which], &in.len);
        in.name = which == NATO ? "nato.chron" : "rio.chron";
        in.text = F.text;
    }
    return ent_open_charter(&F.db, path, flags | ENT_OPEN_BARE, &in, which == CSTO ? 0 : 1, F.rep);
}

static void ch_open(int which)
{
    int rc = ch_open_at(which, NULL, 0);
    if (rc != ENT_OK) TEST_FAIL_("open %s: %d\n%s", names[which], rc, ent_report_text(F.rep));
}

/* Run text after writing BODY and FORCE as the charter's supreme body and
** force: the same proposal, put to each organization's deciding body. */
static int ch_run(const char *text)
{
    char buf[4096];
    size_t o = 0;
    for (const char *p = text; *p && o < sizeof buf - 16;) {
        const char *w = !strncmp(p, "BODY", 4) ? bodies[F.which] : !strncmp(p, "FORCE", 5) ? forces[F.which] : NULL;
        if (w) {
            o += (size_t)snprintf(buf + o, sizeof buf - o, "%s", w);
            p += !strncmp(p, "BODY", 4) ? 4 : 5;
        } else {
            buf[o++] = *p++;
        }
    }
    buf[o] = 0;
    ent_report_clear(F.rep);
    ent_input in = { "t.chron", buf, o };
    return ent_run(F.db, &in, 1, NULL, F.rep);
}

#define OK_RUN(text)                                                                                 \
    do {                                                                                             \
        int rc_ = ch_run(text);                                                                      \
        if (rc_ != ENT_OK) TEST_FAIL_("%s: expected accepted, got %d:\n%s", names[F.which], rc_, ent_report_text(F.rep)); \
    } while (0)

/* Refused by `cite` ("[rule; source]"), and nothing changed. */
#define REFUSED_BY(text, cite)                                                                       \
    do {                                                                                             \
        char d0_[65], d1_[65];                                                                       \
        ent_digest(F.db, d0_);                                                                       \
        uint64_t n0_ = ent_event_count(F.db);                                                        \
        int rc_ = ch_run(text);                                                                      \
        if (rc_ != ENT_REFUSED) TEST_FAIL_("%s: expected refused, got %d:\n%s", names[F.which], rc_, ent_report_text(F.rep)); \
        ASSERT_EQ(ent_report_errors(F.rep), 0);                                                      \
        ASSERT_CONTAINS(ent_report_text(F.rep), cite);                                               \
        ent_digest(F.db, d1_);                                                                       \
        ASSERT_STR_EQ(d1_, d0_);                                                                     \
        ASSERT_EQ(ent_event_count(F.db), n0_);                                                       \
    } while (0)

static const char *ch_state(void)
{
    ASSERT(F.nout < 32);
    char **out = &F.out[F.nout++];
    ent_report_clear(F.rep);
    ASSERT_EQ(ent_state(F.db, NULL, ENT_FMT_JSON, out, F.rep), ENT_OK);
    return *out;
}

static const char *ch_why(const char *id)
{
    ASSERT(F.nout < 32);
    char **out = &F.out[F.nout++];
    ent_report_clear(F.rep);
    ASSERT_EQ(ent_why(F.db, id, ENT_FMT_TEXT, out, F.rep), ENT_OK);
    return *out;
}

/* Five members, the same under every charter (states of the built-in world,
** which every charter file extends), and a request for assistance. */
static const char members[] = "2026-01-05 NO join\n"
                              "PL join\n"
                              "TR join\n"
                              "FI join\n"
                              "EE join\n"
                              "2026-02-01 TR request assistance id=R1 \"threat\"\n";
static const char proposal[] = "2026-02-02 BODY propose deploy id=D1 force=FORCE host=TR request=R1 \"assist\"\n";

static void scenario(int which, const char *votes)
{
    ch_open(which);
    OK_RUN(members);
    OK_RUN(proposal);
    OK_RUN(votes);
}

/* ------------------------------------------------------------------ */
/* The same proposal and votes, three outcomes.                         */

static const char one_objection[] = "2026-02-02 NO vote D1 yes\nPL vote D1 yes\nTR vote D1 yes\nFI vote D1 yes\nEE vote D1 no\n";

TEST(charters_objection_blocks_under_csto_and_nato_not_under_rio)
{
    scenario(CSTO, one_objection);
    ASSERT_CONTAINS(ch_state(), "\"id\":\"D1\",\"kind\":\"deploy\",\"host\":\"TR\",\"force\":\"CPKF\",\"status\":\"blocked\",\"decision\":\"blocked\"");
    ASSERT_CONTAINS(ch_state(), "\"binds\":[]");
    scenario(NATO, one_objection);
    ASSERT_CONTAINS(ch_state(), "\"status\":\"blocked\",\"decision\":\"blocked\"");
    ASSERT_CONTAINS(ch_why("D1"), "consensus          NATO decision-making by consensus");
    scenario(RIO, one_objection);
    ASSERT_CONTAINS(ch_state(), "\"status\":\"adopted\",\"decision\":\"adopted\"");
    ASSERT_CONTAINS(ch_state(), "\"binds\":[\"NO\",\"FI\",\"EE\",\"PL\",\"TR\"]");
    ch_done();
}

TEST(rule_two_thirds_short_of_two_thirds_lapses_and_an_objection_does_not_close)
{
    ch_open(RIO);
    OK_RUN(members);
    OK_RUN(proposal);
    OK_RUN("2026-02-02 NO vote D1 no\nPL vote D1 yes\n");
    /* under two-thirds an objection does not close the vote */
    ASSERT_CONTAINS(ch_state(), "\"proposals\":[{\"id\":\"D1\"");
    OK_RUN("2026-02-02 TR vote D1 yes\nFI vote D1 yes\nEE vote D1 no\n");
    /* 3 of 5 is less than two thirds */
    ASSERT_CONTAINS(ch_state(), "\"decision\":\"lapsed\"");
    ASSERT_CONTAINS(ch_why("D1"), "outcome: lapsed on 2026-02-02 (3 yes, 2 no, 0 abstain, 0 out)");
    /* the same votes under the CSTO: the first objection blocks at once */
    ch_open(CSTO);
    OK_RUN(members);
    OK_RUN(proposal);
    OK_RUN("2026-02-02 NO vote D1 no\n");
    ASSERT_CONTAINS(ch_state(), "\"decision\":\"blocked\"");
    REFUSED_BY("2026-02-02 PL vote D1 yes\n", "[consensus; CSC rules of procedure]");
    ch_done();
}

TEST(rule_two_thirds_refuses_a_vote_on_a_closed_proposal)
{
    scenario(RIO, one_objection);
    REFUSED_BY("2026-02-03 OC close D1\n", "[two-thirds; Rio Treaty art. 17]");
    REFUSED_BY("2026-02-03 NO vote D1 no\n", "[two-thirds; Rio Treaty art. 17]");
    ch_done();
}

TEST(rule_two_thirds_exactly_two_thirds_adopts)
{
    /* three members taking part, two say yes: 2/3 is enough */
    ch_open(RIO);
    OK_RUN("2026-01-05 NO join\nPL join\nTR join\n2026-02-01 TR request assistance id=R1\n");
    OK_RUN(proposal);
    OK_RUN("2026-02-02 NO vote D1 yes\nPL vote D1 no\nTR vote D1 yes\n");
    ASSERT_CONTAINS(ch_state(), "\"decision\":\"adopted\"");
    ch_done();
}

static const char one_abstention[] = "2026-02-02 NO vote D1 yes\nPL vote D1 yes\nTR vote D1 yes\nFI vote D1 yes\nEE vote D1 abstain\n";

TEST(charters_limited_format_exists_under_csto_only)
{
    scenario(CSTO, one_abstention);
    ASSERT_CONTAINS(ch_state(), "\"decision\":\"adopted-limited\"");
    /* a limited format binds only those who said yes */
    ASSERT_CONTAINS(ch_state(), "\"binds\":[\"NO\",\"FI\",\"PL\",\"TR\"]");
    scenario(NATO, one_abstention);
    ASSERT_CONTAINS(ch_state(), "\"decision\":\"lapsed\"");
    ASSERT_CONTAINS(ch_state(), "\"binds\":[]");
    scenario(RIO, one_abstention);
    ASSERT_CONTAINS(ch_state(), "\"decision\":\"adopted\"");
    ASSERT_CONTAINS(ch_state(), "\"binds\":[\"NO\",\"FI\",\"EE\",\"PL\",\"TR\"]");
    ch_done();
}

TEST(charters_switch_decision_rule_majority_and_consensus)
{
    /* the switch decision.rule of a charter file: majority adopts 3 of 5 */
    ch_open(RIO);
    ASSERT_EQ(ent_set_switch(F.db, "decision.rule", "majority", F.rep), ENT_OK);
    OK_RUN(members);
    OK_RUN(proposal);
    OK_RUN("2026-02-02 NO vote D1 no\nPL vote D1 yes\nTR vote D1 yes\nFI vote D1 yes\nEE vote D1 no\n");
    ASSERT_CONTAINS(ch_state(), "\"decision\":\"adopted\"");
    /* consensus under the Rio charter: one objection blocks */
    ch_open(RIO);
    ASSERT_EQ(ent_set_switch(F.db, "decision.rule", "consensus", F.rep), ENT_OK);
    OK_RUN(members);
    OK_RUN(proposal);
    OK_RUN("2026-02-02 NO vote D1 no\n");
    ASSERT_CONTAINS(ch_state(), "\"decision\":\"blocked\"");
    /* the CSTO charter decides by consensus; majority is a counterfactual
    ** it declares for the simulator: the same votes, adopted */
    ch_open(CSTO);
    OK_RUN(members);
    OK_RUN(proposal);
    OK_RUN("2026-02-02 NO vote D1 no\n");
    ASSERT_CONTAINS(ch_state(), "\"decision\":\"blocked\"");
    ch_open(CSTO);
    ASSERT_EQ(ent_set_switch(F.db, "decision.rule", "majority", F.rep), ENT_OK);
    ASSERT_EQ(ent_set_switch(F.db, "decision.rule", "unanimity", F.rep), ENT_EUSAGE);
    OK_RUN(members);
    OK_RUN(proposal);
    OK_RUN("2026-02-02 NO vote D1 no\nPL vote D1 yes\nTR vote D1 yes\nFI vote D1 yes\nEE vote D1 no\n");
    ASSERT_CONTAINS(ch_state(), "\"decision\":\"adopted\"");
    ch_done();
}

/* ------------------------------------------------------------------ */
/* Parties to the dispute (Rio art. 18).                                */

static const char with_parties[] =
    "2026-02-02 BODY propose deploy id=D1 force=FORCE host=TR request=R1 parties=TR,EE \"assist\"\n";

TEST(rule_parties_a_party_to_the_dispute_does_not_vote_under_rio)
{
    ch_open(RIO);
    OK_RUN(members);
    OK_RUN(with_parties);
    REFUSED_BY("2026-02-02 EE vote D1 no\n", "[parties; Rio Treaty art. 18]");
    REFUSED_BY("2026-02-02 TR vote D1 yes\n", "refused: TR is a party to the dispute in D1: the parties to the dispute do not vote");
    /* the three others decide; the decision binds the parties too (art. 20) */
    OK_RUN("2026-02-02 NO vote D1 yes\nPL vote D1 yes\nFI vote D1 no\n");
    ASSERT_CONTAINS(ch_state(), "\"decision\":\"adopted\"");
    ASSERT_CONTAINS(ch_state(), "\"binds\":[\"NO\",\"FI\",\"EE\",\"PL\",\"TR\"],\"parties\":[\"EE\",\"TR\"]");
    const char *w = ch_why("D1");
    ASSERT_CONTAINS(w, "EE Estonia      does not vote (party to the dispute)");
    ASSERT_CONTAINS(w, "outcome: adopted on 2026-02-02 (2 yes, 1 no, 0 abstain, 0 out)");
    ch_done();
}

TEST(rule_parties_the_same_vote_is_accepted_under_csto_and_nato)
{
    for (int which = CSTO; which <= NATO; which++) {
        ch_open(which);
        OK_RUN(members);
        OK_RUN(with_parties);
        OK_RUN("2026-02-02 EE vote D1 yes\nTR vote D1 yes\n");
        ASSERT_CONTAINS(ch_state(), "\"parties\":[\"EE\",\"TR\"]");
    }
    /* and under Rio with decision.parties-vote=yes */
    ch_open(RIO);
    ASSERT_EQ(ent_set_switch(F.db, "decision.parties-vote", "yes", F.rep), ENT_OK);
    OK_RUN(members);
    OK_RUN(with_parties);
    OK_RUN("2026-02-02 EE vote D1 yes\n");
    ch_done();
}

TEST(rule_parties_bad_state_is_an_input_error)
{
    ch_open(RIO);
    OK_RUN(members);
    ASSERT_EQ(ch_run("2026-02-02 OC propose deploy id=D1 force=ARMED host=TR parties=TR,XX\n"), ENT_EINPUT);
    ASSERT_CONTAINS(ent_report_text(F.rep), "unknown state 'XX'");
    ch_done();
}

/* ------------------------------------------------------------------ */
/* The NATO area (art. 6).                                              */

static const char out_of_area[] = "2026-02-01 UNSC authorize id=RES1 host=AF \"mandate\"\n"
                                  "2026-02-02 BODY propose deploy id=D2 force=FORCE host=AF mandate=RES1 \"out of area\"\n";

TEST(rule_area_nato_refuses_action_outside_the_area)
{
    ch_open(NATO);
    OK_RUN(members);
    REFUSED_BY(out_of_area, "[area; North Atlantic Treaty art. 6]");
    ASSERT_CONTAINS(ent_report_text(F.rep), "AF is outside the treaty area");
    /* in the area but not a party: refused too */
    REFUSED_BY("2026-02-02 COUNCIL propose deploy id=D3 force=ARMED host=UA \"not a party\"\n",
               "[area; North Atlantic Treaty art. 6]");
    ASSERT_CONTAINS(ent_report_text(F.rep), "UA is not a party");
    /* a party in the area: accepted */
    OK_RUN(proposal);
    ch_done();
}

TEST(rule_area_the_same_proposal_is_accepted_under_csto_and_rio)
{
    for (int which = CSTO; which <= RIO; which += RIO - CSTO) {
        ch_open(which);
        OK_RUN(members);
        OK_RUN(out_of_area);
        ASSERT_CONTAINS(ch_state(), "\"id\":\"D2\"");
    }
    /* without the mandate the CSTO refuses by its own rule (territory) */
    ch_open(CSTO);
    OK_RUN(members);
    REFUSED_BY("2026-02-02 CSC propose deploy id=D2 force=CPKF host=AF\n",
               "[territory; Peacekeeping Agreement art. 3; Treaty art. 6]");
    ch_done();
}

/* ------------------------------------------------------------------ */
/* Rio art. 20: binding on all, armed force by consent.                 */

TEST(rule_force_consent_binds_every_member_and_contributions_are_voluntary)
{
    scenario(RIO, one_objection);
    /* EE objected, is bound, and may still contribute of its own accord */
    OK_RUN("2026-02-03 EE contribute D1 troops=100\n");
    const char *w = ch_why("D1");
    ASSERT_CONTAINS(w, "decision rule: two-thirds; binds: NO FI EE PL TR");
    ASSERT_CONTAINS(w, "armed force only with each state's consent (forces.consent=required): contributions are voluntary");
    ASSERT_CONTAINS(w, "force-consent      Rio Treaty art. 20");
    ASSERT_CONTAINS(w, "deployment: 100 troops of the ARMED\n");
    /* no one who did not contribute is in breach */
    ASSERT_CONTAINS(ch_state(), "\"breaches\":[]");
    ch_done();
}

TEST(rule_force_consent_switch_off_drops_the_line)
{
    ch_open(RIO);
    ASSERT_EQ(ent_set_switch(F.db, "forces.consent", "not-required", F.rep), ENT_OK);
    OK_RUN(members);
    OK_RUN(proposal);
    OK_RUN(one_objection);
    ASSERT(!strstr(ch_why("D1"), "armed force only with"));
    ch_done();
}

/* ------------------------------------------------------------------ */
/* Opening under a charter.                                             */

TEST(charters_open_names_the_organization_and_has_no_history)
{
    ch_open(NATO);
    ASSERT_EQ(ent_event_count(F.db), 0);
    const char *s = ch_state();
    ASSERT_CONTAINS(s, "\"organization\":\"NATO\",\"organization_name\":\"North Atlantic Treaty Organization\"");
    ASSERT_CONTAINS(s, "\"members\":[]");
    /* the charter's world extends the built-in one */
    OK_RUN("2026-01-05 US join\nKZ join\n");
    ch_open(RIO);
    ASSERT_CONTAINS(ch_state(), "\"organization\":\"TIAR\"");
    OK_RUN("2026-01-05 BR join\nAR join\n");
    /* ncharter == 0 is the built-in CSTO with its history */
    ch_done();
    ent_db *db;
    ASSERT_EQ(ent_open_charter(&db, NULL, 0, NULL, 0, NULL), ENT_OK);
    ASSERT(ent_event_count(db) > 50);
    ent_close(db);
}

TEST(charters_journal_refuses_another_charter)
{
    char path[] = "/tmp/entente-charters-XXXXXX";
    int fd = mkstemp(path);
    ASSERT(fd >= 0);
    close(fd);
    unlink(path);
    ASSERT_EQ(ch_open_at(NATO, path, 0), ENT_OK);
    OK_RUN(members);
    ch_done();
    /* under the CSTO, under Rio: refused */
    int rc = ch_open_at(CSTO, path, ENT_OPEN_NOCREATE | ENT_OPEN_READONLY);
    ASSERT_EQ(rc, ENT_EINPUT);
    ASSERT_CONTAINS(ent_report_text(F.rep), "the journal was made under the NATO charter, not CSTO");
    rc = ch_open_at(RIO, path, ENT_OPEN_NOCREATE | ENT_OPEN_READONLY);
    ASSERT_EQ(rc, ENT_EINPUT);
    ASSERT_CONTAINS(ent_report_text(F.rep), "the journal was made under the NATO charter, not TIAR");
    /* under another text of the NATO charter: refused */
    ch_done();
    size_t n;
    char *text = read_charter("nato", &n);
    char *edited = malloc(n + 64);
    ASSERT(edited);
    memcpy(edited, text, n);
    n += (size_t)sprintf(edited + n, "charter body PC2 \"another body\"\n");
    ent_input in = { "nato-edited.chron", edited, n };
    ent_report *rep = ent_report_new();
    ent_db *db = NULL;
    rc = ent_open_charter(&db, path, ENT_OPEN_NOCREATE | ENT_OPEN_READONLY, &in, 1, rep);
    int ok = rc == ENT_EINPUT && strstr(ent_report_text(rep), "another text of the NATO charter");
    ent_report_free(rep);
    free(edited);
    free(text);
    /* under the same text: opens and replays */
    if (ok) ASSERT_EQ(ch_open_at(NATO, path, ENT_OPEN_NOCREATE | ENT_OPEN_READONLY), ENT_OK);
    if (ok) ASSERT_EQ(ent_event_count(F.db), 6);
    ch_done();
    unlink(path);
    ASSERT(ok);
}

TEST(charters_csto_journal_refuses_a_charter_file)
{
    char path[] = "/tmp/entente-charters-XXXXXX";
    int fd = mkstemp(path);
    ASSERT(fd >= 0);
    close(fd);
    unlink(path);
    ASSERT_EQ(ch_open_at(CSTO, path, 0), ENT_OK);
    ch_done();
    int rc = ch_open_at(RIO, path, ENT_OPEN_NOCREATE | ENT_OPEN_READONLY);
    unlink(path);
    ASSERT_EQ(rc, ENT_EINPUT);
    ASSERT_CONTAINS(ent_report_text(F.rep), "the journal was made under the CSTO charter, not TIAR");
    ch_done();
}

TEST(charters_malformed_charter_file_is_input_error)
{
    static const char bad[] = "charter organization X \"X\"\ncharter body B \"b\"\ncharter rule r \"no source\"\n";
    ent_input in = { "bad.chron", bad, sizeof bad - 1 };
    ent_report *rep = ent_report_new();
    ent_db *db = NULL;
    int rc = ent_open_charter(&db, NULL, 0, &in, 1, rep);
    int ok = rc == ENT_EINPUT && strstr(ent_report_text(rep), "bad.chron:3:");
    ent_report_free(rep);
    ASSERT(ok);
    /* no organization: refused too */
    static const char empty[] = "# nothing\n";
    ent_input e = { "empty.chron", empty, sizeof empty - 1 };
    rep = ent_report_new();
    rc = ent_open_charter(&db, NULL, 0, &e, 1, rep);
    ok = rc == ENT_EINPUT && strstr(ent_report_text(rep), "a charter file declares its organization");
    ent_report_free(rep);
    ASSERT(ok);
    /* a dated act is not a declaration */
    static const char act[] = "charter organization X \"X\"\ncharter body B \"b\"\n2026-01-01 KZ join\n";
    ent_input a = { "act.chron", act, sizeof act - 1 };
    rep = ent_report_new();
    rc = ent_open_charter(&db, NULL, 0, &a, 1, rep);
    ok = rc == ENT_EINPUT && strstr(ent_report_text(rep), "only declarations");
    ent_report_free(rep);
    ASSERT(ok);
}
