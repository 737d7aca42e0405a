/*
** test_timeline.c: ent_timeline() (`entente timeline`): the periods and
** events of a period in text (one line each, in date order), JSON and SVG;
** the --kind filter; the picture's lanes, labels and well-formedness.
** Through the public API (rules_helper.h's fixture).
*/
#include "../core/rules_helper.h"

static const char *timeline(const char *from, const char *to, const char *kinds, int format)
{
    char **out = rt_slot();
    ent_report_clear(R.rep);
    int rc = ent_timeline(R.db, from, to, kinds, format, out, R.rep);
    if (rc != ENT_OK || !*out) TEST_FAIL_("ent_timeline: %d\n%s", rc, ent_report_text(R.rep));
    return *out;
}

/* Well-formed XML, enough for the picture: every element closed in order,
** attribute values quoted, no raw '<' or '&' in text. Returns NULL or what is
** wrong (static). */
static const char *xml_problem(const char *z)
{
    static char why[160];
    const char *stack[64];
    size_t len[64];
    int depth = 0, roots = 0;
    for (const char *p = z; *p;) {
        if (*p == '&') {
            size_t n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz#0123456789");
            if (!n || p[1 + n] != ';') return "a raw '&'";
            p += n + 2;
            continue;
        }
        if (*p != '<') {
            if (*p == '>') return "a raw '>' in text";
            p++;
            continue;
        }
        if (strncmp(p, "<?", 2) == 0) {
            const char *e = strstr(p, "?>");
            if (!e) return "an unclosed <?";
            p = e + 2;
            continue;
        }
        if (strncmp(p, "<!--", 4) == 0) {
            const char *e = strstr(p, "-->");
            if (!e) return "an unclosed comment";
            p = e + 3;
            continue;
        }
        int closing = p[1] == '/';
        const char *name = p + 1 + closing;
        size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:-_");
        if (!n) return "a tag without a name";
        const char *q = name + n;
        char quote = 0;
        for (; *q && (quote || *q != '>'); q++) {
            if (quote && *q == quote) quote = 0;
            else if (!quote && (*q == '"' || *q == '\'')) quote = *q;
            else if (!quote && *q == '<') return "a '<' inside a tag";
        }
        if (!*q) return "an unclosed tag";
        int selfclosing = q[-1] == '/';
        if (closing) {
            if (!depth || len[depth - 1] != n || strncmp(stack[depth - 1], name, n) != 0) {
                snprintf(why, sizeof why, "</%.*s> does not close <%.*s>", (int)n, name,
                         depth ? (int)len[depth - 1] : 0, depth ? stack[depth - 1] : "");
                return why;
            }
            depth--;
        } else if (!selfclosing) {
            if (depth == 0) roots++;
            if (depth == 64) return "nested too deep";
            stack[depth] = name;
            len[depth++] = n;
        } else if (depth == 0) {
            roots++;
        }
        p = q + 1;
    }
    if (depth) {
        snprintf(why, sizeof why, "<%.*s> is never closed", (int)len[depth - 1], stack[depth - 1]);
        return why;
    }
    return roots == 1 ? NULL : "not exactly one root element";
}

TEST(timeline_xml_checker_catches_what_it_should)
{
    ASSERT(xml_problem("<?xml version=\"1.0\"?>\n<svg a=\"x>y\"><g><rect/></g><text>a &amp; b</text></svg>\n") == NULL);
    ASSERT(xml_problem("<svg><g></svg>") != NULL);
    ASSERT(xml_problem("<svg><text>a & b</text></svg>") != NULL);
    ASSERT(xml_problem("<svg><text>a < b</text></svg>") != NULL);
    ASSERT(xml_problem("<svg></svg><svg></svg>") != NULL);
    ASSERT(xml_problem("<svg a=\"x></svg>") != NULL);
}

TEST(timeline_text_2020_2025)
{
    rt_open(0);
    const char *t = timeline("2020-01-01", "2025-12-31", NULL, ENT_FMT_TEXT);
    ASSERT_CONTAINS(t, "CSTO timeline from 2020-01-01 to 2025-12-31 (an end of \"...\": still so on 2025-12-31)\n"
                       "1992-05-15  2024-02-21  membership  AM Armenia: member\n");
    ASSERT_CONTAINS(t, "2012-12-19  ...         membership  UZ Uzbekistan: suspended\n");
    ASSERT_CONTAINS(t, "2020-01-01  2020-12-31  chair       RU Russia\n"
                       "2020-01-01  2022-12-31  sg          Stanislav Zas (BY)\n");
    ASSERT_CONTAINS(t, "2021-01-01  2021-09-15  chair       TJ Tajikistan\n");
    ASSERT_CONTAINS(t, "2021-09-16  2022-12-31  chair       AM Armenia\n");
    ASSERT_CONTAINS(t, "2022-01-06  2022-01-19  deployment  KZ-2022-D: CPKF in KZ, 2030 troops");
    ASSERT_CONTAINS(t, ", complete 2022-01-11\n");
    ASSERT_CONTAINS(t, "2022-09-16  ...         dispute     KG-TJ-2022: KG-TJ, Kyrgyz-Tajik clashes of September 2022, 104 dead; "
                       "contact 2022-09-16\n");
    ASSERT_CONTAINS(t, "2022-10-10  2022-10-14  exercise    IB-2022: Indestructible Brotherhood-2022, indestructible-brotherhood "
                       "in KG at Balykchy, cancelled on 2022-10-09\n");
    ASSERT_CONTAINS(t, "2024-02-22  ...         membership  AM Armenia: frozen\n");
    ASSERT_CONTAINS(t, "2025-01-01  ...         chair       KG Kyrgyzstan\n");
    /* a former member whose leaving is before the period does not show */
    ASSERT(!strstr(t, "AZ Azerbaijan"));
    /* nothing after the period: Masadykov's term begins in 2026 */
    ASSERT(!strstr(t, "Masadykov"));
    /* lines in date order */
    const char *prev = NULL;
    for (const char *l = strchr(t, '\n') + 1; *l; l = strchr(l, '\n') + 1) {
        if (prev) ASSERT(strncmp(prev, l, 10) <= 0);
        prev = l;
    }
    rt_done();
}

TEST(timeline_as_the_record_stands_on_the_last_day)
{
    rt_open(0);
    /* on 2022-01-15 the contingents have not left yet: the deployment goes on */
    const char *t = timeline("2022-01-01", "2022-01-15", "deployments", ENT_FMT_TEXT);
    ASSERT_CONTAINS(t, "2022-01-05  2022-01-05  request     KZ-2022-R: KZ requests assistance under treaty-4\n"
                       "2022-01-06  ...         deployment  KZ-2022-D: CPKF in KZ, 2030 troops");
    /* the SG whose planned term ends on the last day is still in office on it */
    ASSERT_CONTAINS(timeline("2025-01-01", "2025-12-31", "sg", ENT_FMT_TEXT),
                    "2023-01-01  ...         sg          Imangali Tasmagambetov (KZ)\n");
    ASSERT_CONTAINS(timeline("2025-01-01", "2026-06-30", "sg", ENT_FMT_TEXT),
                    "2023-01-01  2025-12-31  sg          Imangali Tasmagambetov (KZ)\n"
                    "2026-01-01  ...         sg          Taalatbek Masadykov (KG)\n");
    rt_done();
}

TEST(timeline_kinds_filter_the_lanes)
{
    rt_open(0);
    const char *t = timeline("2008-01-01", "2012-12-31", "chair", ENT_FMT_TEXT);
    ASSERT_CONTAINS(t, "2008-09-05  2009-06-13  chair       AM Armenia\n"
                       "2009-06-14  2010-12-09  chair       RU Russia (temporary)\n"
                       "2010-12-10  2011-12-19  chair       BY Belarus\n");
    ASSERT(!strstr(t, "membership"));
    ASSERT(!strstr(t, "  sg  "));
    const char *u = timeline("2017-01-01", "2019-12-31", "sg,membership", ENT_FMT_TEXT);
    ASSERT_CONTAINS(u, "2017-01-01  2017-04-30  sg          acting deputy Secretary General (name unconfirmed), acting\n");
    ASSERT_CONTAINS(u, "2017-05-01  2018-11-01  sg          Yuri Khachaturov (AM)\n");
    ASSERT_CONTAINS(u, "2018-11-02  ...         sg          Valery Semerikov (RU), acting\n");
    ASSERT_CONTAINS(u, "membership  UZ Uzbekistan: suspended\n");
    ASSERT(!strstr(u, "chair "));
    /* unknown kinds, a bad date, from after to, another format */
    char *out = NULL;
    ASSERT_EQ(ent_timeline(R.db, NULL, NULL, "chair,treaties", ENT_FMT_TEXT, &out, R.rep), ENT_EUSAGE);
    ASSERT_CONTAINS(rt_report(), "unknown kind 'treaties'");
    ASSERT_EQ(ent_timeline(R.db, "2020-02-30", NULL, NULL, ENT_FMT_TEXT, &out, R.rep), ENT_EUSAGE);
    ASSERT_EQ(ent_timeline(R.db, "2021-01-01", "2020-01-01", NULL, ENT_FMT_TEXT, &out, R.rep), ENT_EUSAGE);
    ASSERT_EQ(ent_timeline(R.db, NULL, NULL, NULL, ENT_FMT_CSV, &out, R.rep), ENT_EUSAGE);
    ASSERT(out == NULL);
    rt_done();
}

TEST(timeline_json)
{
    rt_open(0);
    const char *j = timeline("2022-01-01", "2022-12-31", "chair,exercises", ENT_FMT_JSON);
    ASSERT_CONTAINS(j, "{\"organization\":\"CSTO\",\"from\":\"2022-01-01\",\"to\":\"2022-12-31\","
                       "\"lanes\":[\"chair\",\"exercises\"],\"items\":[");
    ASSERT_CONTAINS(j, "{\"lane\":\"chair\",\"kind\":\"chair\",\"from\":\"2021-09-16\",\"to\":null,\"state\":\"AM\","
                       "\"id\":null,\"temporary\":false,\"text\":\"AM Armenia\"}");
    ASSERT_CONTAINS(j, "{\"lane\":\"exercises\",\"kind\":\"exercise\",\"from\":\"2022-10-10\",\"to\":\"2022-10-14\","
                       "\"state\":\"KG\",\"id\":\"IB-2022\",\"cancelled\":true,");
    ASSERT_CONTAINS(j, "{\"lane\":\"exercises\",\"kind\":\"operation\",\"from\":\"2017-01-01\",\"to\":null,"
                       "\"state\":null,\"id\":\"NELEGAL\",");
    ASSERT(j[strlen(j) - 1] == '\n' && j[strlen(j) - 2] == '}');
    rt_done();
}

TEST(timeline_of_a_chronicle_on_a_bare_journal)
{
    rt_open(ENT_OPEN_BARE);
    ACCEPTED("1992-05-15 AM join\nKZ join\nKG join\nRU join\nTJ join\n"
             "1993-12-31 BY join\n"
             "2008-09-05 AM chair\n"
             "2009-06-14 RU chair temporary \"Belarus boycotts the session\"\n"
             "2010-01-01 KZ incident id=I1 category=mass-unrest\n"
             "2010-01-02 KZ request assistance id=R1 article=treaty-4\n"
             "2010-01-03 CSC propose deploy id=D1 force=CPKF host=KZ request=R1\n"
             "AM vote D1 yes\nBY vote D1 yes\nKZ vote D1 yes\nKG vote D1 yes\nRU vote D1 yes\nTJ vote D1 yes\n"
             "2010-01-04 RU contribute D1 troops=1500\n"
             "2010-01-05 RU arrive D1\n");
    const char *t = timeline(NULL, "2010-06-30", NULL, ENT_FMT_TEXT);
    /* without --from: from the first record */
    ASSERT_CONTAINS(t, "CSTO timeline from 1992-05-15 to 2010-06-30");
    ASSERT_CONTAINS(t, "2009-06-14  ...         chair       RU Russia (temporary)\n");
    ASSERT_CONTAINS(t, "2010-01-03  ...         deployment  D1: CPKF in KZ, 1500 troops (RU)\n");
    ASSERT(!strstr(t, "  sg  "));
    const char *svg = timeline(NULL, "2010-06-30", NULL, ENT_FMT_SVG);
    const char *why = xml_problem(svg);
    if (why) TEST_FAIL_("the SVG is not well-formed: %s", why);
    ASSERT_CONTAINS(svg, ">Secretary General</text>\n<text x=\"190.0\"");
    ASSERT_CONTAINS(svg, ">none in this period</text>");
    rt_done();
}

TEST(timeline_svg_lanes_labels_and_form)
{
    rt_open(0);
    const char *svg = timeline("2020-01-01", "2025-12-31", NULL, ENT_FMT_SVG);
    const char *why = xml_problem(svg);
    if (why) TEST_FAIL_("the SVG is not well-formed: %s", why);
    ASSERT(strncmp(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\"", 91) == 0);
    ASSERT_CONTAINS(svg, "viewBox=\"0 0 1200 ");
    ASSERT_CONTAINS(svg, "<title id=\"tl-title\">Collective Security Treaty Organization, 2020\xe2\x80\x93" "2025</title>");
    /* no external resource */
    ASSERT(!strstr(svg, "href"));
    ASSERT(!strstr(svg, "@import"));
    /* the lanes */
    const char *lanes[] = { ">Members</text>", ">Chair of the Collective Security Council</text>", ">Secretary General</text>",
                            ">Requests and deployments</text>", ">Exercises and standing operations</text>",
                            ">Disputes between members</text>" };
    for (size_t i = 0; i < sizeof lanes / sizeof lanes[0]; i++) ASSERT_CONTAINS(svg, lanes[i]);
    /* labels: states, chairs, Secretaries General, events; the year axis */
    const char *labels[] = { ">Armenia</text>", ">Uzbekistan</text>", ">frozen</text>", ">suspended</text>",
                             ">Tajikistan</text>", ">Kyrgyzstan</text>", ">Stanislav Zas</text>",
                             ">Imangali Tasmagambetov</text>", ">CPKF in Kazakhstan, 2,030 troops</text>",
                             ">AM asks for assistance (Art. 4)</text>", ">Cobalt-2021, TJ</text>",
                             ">KG\xe2\x80\x93TJ 2022, 104 dead</text>", ">2020</text>", ">2025</text>" };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) ASSERT_CONTAINS(svg, labels[i]);
    ASSERT(!strstr(svg, ">2026</text>"));
    /* hover titles name what a bar is */
    ASSERT_CONTAINS(svg, "<title>2024-02-22 to ...: AM Armenia: frozen</title>");
    /* the font stack and the legend */
    ASSERT_CONTAINS(svg, "font-family=\"system-ui, ");
    ASSERT_CONTAINS(svg, ">request by a member</text>");
    rt_done();
}

TEST(timeline_svg_kinds_and_long_periods)
{
    rt_open(0);
    const char *svg = timeline("1992-01-01", "2026-12-31", "chair,sg", ENT_FMT_SVG);
    ASSERT(xml_problem(svg) == NULL);
    ASSERT(!strstr(svg, ">Members</text>"));
    ASSERT(!strstr(svg, ">Exercises and standing operations</text>"));
    ASSERT_CONTAINS(svg, ">Nikolai Bordyuzha</text>");
    /* a narrow segment gets its state's code, or no label at all, never one
    ** wider than itself: Zas's three years get his surname */
    ASSERT_CONTAINS(svg, ">Zas</text>");
    ASSERT(!strstr(svg, ">Stanislav Zas</text>"));
    /* every 2nd year labelled on the axis */
    ASSERT_CONTAINS(svg, ">1992</text>");
    ASSERT_CONTAINS(svg, ">2026</text>");
    ASSERT(!strstr(svg, ">1993</text>"));
    /* the whole picture: exercises of a year share a bar where it is narrow */
    const char *all = timeline("1992-01-01", "2026-12-31", NULL, ENT_FMT_SVG);
    ASSERT(xml_problem(all) == NULL);
    ASSERT_CONTAINS(all, ">Interaction, Search, Echelon, BY</text>");
    rt_done();
}
