/*
** rules_helper.h: a fixture for the charter-rule tests (test_rules.c). It
** drives the library only through the public API (include/entente.h): it
** opens the built-in CSTO in memory, feeds chronicle text to ent_run or
** ent_check, and reads the organization back with ent_state and ent_why.
**
** Every resource of a test (the db, the report, the strings rendered for it)
** is held in one fixture, R, so a test frees everything with rt_done(), and
** a test that failed half-way (ASSERT longjmps out of it) has its leftovers
** freed by the next rt_open().
**
** REFUSED(text, rule) runs the text with ent_run and asserts what a refusal
** must be: status ENT_REFUSED, no malformed-input error, "refused:" and
** "[rule; source]" in the report, where source is the rule's source= in
** data/charter.chron (rt_source below), and nothing changed: the state
** digest and the number of journal events are those of before.
*/
#ifndef ENT_RULES_HELPER_H
#define ENT_RULES_HELPER_H

#include "../test.h"
#include "entente.h"

#include <stdlib.h>
#include <string.h>

#define RT_MAX_OUT 64

typedef struct rt_fixture {
    ent_db *db;
    ent_report *rep;
    char *out[RT_MAX_OUT];               /* rendered by the library: ent_free */
    int nout;
    char *own[RT_MAX_OUT];               /* copies made here: free */
    int nown;
    char cite[256];
} rt_fixture;

static rt_fixture R;

/* The source= of each rule of data/charter.chron: the citation a refusal
** must print after the rule id. */
static inline const char *rt_source(const char *rule)
{
    static const char *const tab[][2] = {
        { "members", "Treaty (1992); Charter art. 19; CSC rules of 2004" },
        { "consensus", "CSC rules of procedure" },
        { "chair", "Charter art. 13; CSC rules of procedure" },
        { "secretary-general", "Charter as amended 2010; CSC decision of 2015" },
        { "joint-staff", "CSC decisions on the Joint Staff (2003, 2018)" },
        { "art4-scope", "Treaty art. 4 (before the protocol of 10 Dec 2010)" },
        { "request", "Peacekeeping Agreement art. 3; Treaty art. 4" },
        { "territory", "Peacekeeping Agreement art. 3; Treaty art. 6" },
        { "use-of-force", "Treaty art. 6" },
        { "forces", "Peacekeeping Agreement (2007); CRRF Agreement (2009)" },
        { "mandate", "Peacekeeping Agreement art. 3; Kazakhstan 2022 precedent" },
        { "transit", "Transit agreement of 15 Sep 2015; Astana protocols (2024)" },
        { "un-notice", "Peacekeeping Agreement art. 3; Treaty art. 4" },
        { "bases", "CSC decision of 20 Dec 2011" },
        { "statuses", "Charter arts. 4, 21 (Protocols of 8 Nov 2018)" },
        { "disputes", "Treaty art. 1" },
        { "bodies", "Charter art. 11; CSC rules of procedure (2004)" },
        { "exercises", "CSTO practice: regular exercises and operations; hosts rotate each year" },
        { "conferences", "the organization's conference terms (model rule)" },
        { "moderation", "the organization's portal terms (model rule)" },
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (strcmp(tab[i][0], rule) == 0) return tab[i][1];
    TEST_FAIL_("rt_source: no rule '%s' in the table", rule);
    return NULL;
}

/* "[rule; source]" as a refusal prints it. */
static inline const char *rt_cite(const char *rule)
{
    snprintf(R.cite, sizeof R.cite, "[%s; %s]", rule, rt_source(rule));
    return R.cite;
}

static inline void rt_free_all(void)
{
    for (int i = 0; i < R.nout; i++) ent_free(R.out[i]);
    for (int i = 0; i < R.nown; i++) free(R.own[i]);
    if (R.db) ent_close(R.db);
    if (R.rep) ent_report_free(R.rep);
    memset(&R, 0, sizeof R);
}

/* flags: 0 (the built-in CSTO with its history) or ENT_OPEN_BARE. */
static inline void rt_open(unsigned flags)
{
    rt_free_all();
    R.rep = ent_report_new();
    if (!R.rep) TEST_FAIL_("ent_report_new failed");
    int rc = ent_open(&R.db, NULL, flags, R.rep);
    if (rc != ENT_OK) TEST_FAIL_("ent_open: %d\n%s", rc, ent_report_text(R.rep));
}

static inline void rt_done(void) { rt_free_all(); }

static inline void rt_switch(const char *name, const char *value)
{
    ent_report_clear(R.rep);
    int rc = ent_set_switch(R.db, name, value, R.rep);
    if (rc != ENT_OK) TEST_FAIL_("ent_set_switch(%s, %s): %d\n%s", name, value, rc, ent_report_text(R.rep));
}

static inline int rt_run(const char *text)
{
    ent_report_clear(R.rep);
    ent_input in = { "t.chron", text, strlen(text) };
    return ent_run(R.db, &in, 1, NULL, R.rep);
}

static inline int rt_check(const char *text)
{
    ent_report_clear(R.rep);
    ent_input in = { "t.chron", text, strlen(text) };
    return ent_check(R.db, &in, 1, R.rep);
}

static inline const char *rt_report(void) { return ent_report_text(R.rep); }

/* A new slot of R.out for a string the library renders (rendered straight
** into the fixture, so that no local's address escapes). */
static inline char **rt_slot(void)
{
    if (R.nout == RT_MAX_OUT) TEST_FAIL_("rules_helper: more than %d strings in one test", RT_MAX_OUT);
    R.out[R.nout] = NULL;
    return &R.out[R.nout++];
}

/* The state on a date (NULL: the default date), as JSON. */
static inline const char *rt_state(const char *date)
{
    char **out = rt_slot();
    ent_report_clear(R.rep);
    int rc = ent_state(R.db, date, ENT_FMT_JSON, out, R.rep);
    if (rc != ENT_OK || !*out) TEST_FAIL_("ent_state(%s): %d\n%s", date ? date : "NULL", rc, ent_report_text(R.rep));
    return *out;
}

/* The breaches part of the state on a date: from "breaches":[ to the end. */
static inline const char *rt_breaches(const char *date)
{
    const char *b = strstr(rt_state(date), "\"breaches\":[");
    if (!b) TEST_FAIL_("no \"breaches\" in the state of %s", date);
    return b;
}

/* One deployment of the state on a date: its JSON object, from {"id":"ID",
** to the end of its contingents (a copy, freed by rt_done). Record ids are
** unique, so a request's object never has a deployment's id. */
static inline const char *rt_deployment(const char *date, const char *id)
{
    char key[128];
    const char *s = rt_state(date);
    snprintf(key, sizeof key, "{\"id\":\"%s\",", id);
    const char *p = strstr(s, key);
    if (!p) TEST_FAIL_("no deployment %s in the state of %s:\n%s", id, date, s);
    const char *e = strstr(p, "]}");
    size_t n = e ? (size_t)(e - p) + 2 : strlen(p);
    if (R.nown == RT_MAX_OUT) TEST_FAIL_("rules_helper: more than %d copies in one test", RT_MAX_OUT);
    char *copy = malloc(n + 1);
    if (!copy) TEST_FAIL_("out of memory");
    memcpy(copy, p, n);
    copy[n] = 0;
    R.own[R.nown++] = copy;
    return copy;
}

static inline const char *rt_why(const char *id)
{
    char **out = rt_slot();
    ent_report_clear(R.rep);
    int rc = ent_why(R.db, id, ENT_FMT_TEXT, out, R.rep);
    if (rc != ENT_OK || !*out) TEST_FAIL_("ent_why(%s): %d\n%s", id, rc, ent_report_text(R.rep));
    return *out;
}

/* The text runs without a refusal or an error. */
#define ACCEPTED(text)                                                              \
    do {                                                                            \
        const char *t_ = (text);                                                    \
        int rc_ = rt_run(t_);                                                       \
        if (rc_ != ENT_OK)                                                          \
            TEST_FAIL_("expected accepted, got %s:\n%s\n  report:\n%s",             \
                       ent_status_name(rc_), t_, rt_report());                      \
    } while (0)

/* The text is refused by `rule`, cites its source, and changes nothing. */
#define REFUSED(text, rule)                                                         \
    do {                                                                            \
        const char *t_ = (text);                                                    \
        char d0_[65], d1_[65];                                                      \
        ent_digest(R.db, d0_);                                                      \
        uint64_t n0_ = ent_event_count(R.db);                                       \
        int rc_ = rt_run(t_);                                                       \
        if (rc_ != ENT_REFUSED)                                                     \
            TEST_FAIL_("expected REFUSED by %s, got %s:\n%s\n  report:\n%s", (rule), \
                       ent_status_name(rc_), t_, rt_report());                      \
        ASSERT_EQ(ent_report_errors(R.rep), 0);                                     \
        ASSERT(ent_report_refusals(R.rep) >= 1);                                    \
        ASSERT_CONTAINS(rt_report(), "refused:");                                   \
        ASSERT_CONTAINS(rt_report(), rt_cite(rule));                                \
        ent_digest(R.db, d1_);                                                      \
        ASSERT_STR_EQ(d1_, d0_);                                                    \
        ASSERT_EQ(ent_event_count(R.db), n0_);                                      \
    } while (0)

#endif /* ENT_RULES_HELPER_H */
