/* test_parse.c: the parser and writer of the chronicle language
** (src/lang/parse.c, src/lang/write.c) and the statement helpers
** (src/core/stmt.c). */
#include "../test.h"
#include "../../../src/lang/lang.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* A parse and what it produced.                                        */

typedef struct fixture {
    ent_arena arena;
    ent_vec out;
    ent_diags diags;
    int nerr;
} fixture;

static void fx_parse(fixture *f, const char *buf, ent_date date0)
{
    memset(f, 0, sizeof *f);
    ent__vec_init(&f->out, sizeof(ent_stmt));
    ent__diags_init(&f->diags);
    f->nerr = ent__parse("t.chron", buf, strlen(buf), date0, &f->arena, &f->out, &f->diags);
}

static void fx_free(fixture *f)
{
    ent__vec_free(&f->out);
    ent__diags_free(&f->diags);
    ent__arena_free(&f->arena);
}

static ent_stmt *fx_stmt(fixture *f, size_t i)
{
    return i < f->out.len ? &ENT_VEC_AT(&f->out, ent_stmt, i) : NULL;
}

static ent_diag_item *fx_diag(fixture *f, size_t i)
{
    return i < f->diags.items.len ? &ENT_VEC_AT(&f->diags.items, ent_diag_item, i) : NULL;
}

static ent_date D(const char *s)
{
    ent_date d = ENT_DATE_NONE;
    if (ent__date_parse(s, strlen(s), &d) != 0) abort();
    return d;
}

/* ent_str as a NUL-terminated string, for ASSERT_STR_EQ (a few at a time). */
static const char *S(ent_str s)
{
    static char ring[8][512];
    static int k;
    char *b = ring[k++ & 7];
    size_t n = s.n < 511 ? s.n : 511;
    memcpy(b, s.p, n);
    b[n] = 0;
    return b;
}

/* One line that must fail: exactly one error with this message and column,
** on line 1, and no statement. */
#define ASSERT_LINE_ERROR(line_, message, column)                             \
    do {                                                                      \
        fixture f_;                                                           \
        fx_parse(&f_, (line_), ENT_DATE_NONE);                                \
        ASSERT_EQ(f_.nerr, 1);                                                \
        ASSERT_EQ(f_.out.len, 0);                                             \
        ASSERT_EQ(f_.diags.items.len, 1);                                     \
        ASSERT_STR_EQ(fx_diag(&f_, 0)->msg, (message));                       \
        ASSERT_EQ(fx_diag(&f_, 0)->line, 1);                                  \
        ASSERT_EQ(fx_diag(&f_, 0)->col, (column));                            \
        ASSERT_EQ(fx_diag(&f_, 0)->kind, ENT_DIAG_ERROR);                     \
        fx_free(&f_);                                                         \
    } while (0)

/* ------------------------------------------------------------------ */
/* The examples of the design, §5.                                       */

static const char design_example[] =
    "2022-01-05 KZ request assistance id=R1 article=treaty-4 \"Threat to sovereignty and integrity\"\n"
    "2022-01-06 CSC propose deploy id=D1 force=CPKF host=KZ request=R1 days=30 \"Protect strategic facilities\"\n"
    "           AM vote D1 yes\n"
    "           BY vote D1 yes\n"
    "           KZ vote D1 yes\n"
    "           KG vote D1 yes\n"
    "           RU vote D1 yes\n"
    "           TJ vote D1 yes        # the last vote closes it: D1 is adopted under consensus\n"
    "2022-01-06 RU contribute D1 troops=1500\n"
    "           BY contribute D1 troops=500\n"
    "2022-01-07 RU arrive D1          # a fact: the contingent is on the host's territory\n"
    "2022-01-11 KZ complete D1        # the host declares the mission complete; withdrawal begins\n"
    "2022-01-19 RU leave D1           # a fact; leaving after the withdrawal period is a breach\n";

TEST(parse_design_example_lines)
{
    fixture f;
    fx_parse(&f, design_example, ENT_DATE_NONE);
    ASSERT_EQ(f.nerr, 0);
    ASSERT_EQ(f.diags.items.len, 0);
    ASSERT_EQ(f.out.len, 13);

    ent_stmt *s = fx_stmt(&f, 0);
    ASSERT_EQ(s->date, D("2022-01-05"));
    ASSERT_STR_EQ(S(s->subject), "KZ");
    ASSERT_STR_EQ(S(s->verb), "request");
    ASSERT_EQ(s->nargs, 3);
    ASSERT_STR_EQ(S(s->args[0].val), "assistance");
    ASSERT_EQ(s->args[0].key.n, 0);
    ASSERT_EQ(s->args[0].kind, ENT_ARG_WORD);
    ASSERT_EQ(s->args[0].col, 23);
    ASSERT_STR_EQ(S(s->args[1].key), "id");
    ASSERT_STR_EQ(S(s->args[1].val), "R1");
    ASSERT_EQ(s->args[1].kind, ENT_ARG_WORD);
    ASSERT_EQ(s->args[1].col, 34);
    ASSERT_STR_EQ(S(s->args[2].key), "article");
    ASSERT_STR_EQ(S(s->args[2].val), "treaty-4");
    ASSERT(s->has_text);
    ASSERT_STR_EQ(S(s->text), "Threat to sovereignty and integrity");
    ASSERT_STR_EQ(s->file, "t.chron");
    ASSERT_EQ(s->line, 1);
    ASSERT_EQ(s->col_date, 1);
    ASSERT_EQ(s->col_subject, 12);
    ASSERT_EQ(s->col_verb, 15);
    ASSERT_EQ(s->col_text, 57);

    s = fx_stmt(&f, 1);
    ASSERT_EQ(s->date, D("2022-01-06"));
    ASSERT_STR_EQ(S(s->subject), "CSC");
    ASSERT_STR_EQ(S(s->verb), "propose");
    ASSERT_EQ(s->nargs, 6);
    ASSERT_STR_EQ(S(s->args[0].val), "deploy");
    ASSERT_STR_EQ(S(s->args[2].key), "force");
    ASSERT_STR_EQ(S(s->args[2].val), "CPKF");
    ASSERT_STR_EQ(S(s->args[5].key), "days");
    ASSERT_STR_EQ(S(s->args[5].val), "30");
    ASSERT_STR_EQ(S(s->text), "Protect strategic facilities");

    static const char *const voters[] = { "AM", "BY", "KZ", "KG", "RU", "TJ" };
    for (int i = 0; i < 6; i++) {
        s = fx_stmt(&f, 2 + (size_t)i);
        ASSERT_EQ(s->date, D("2022-01-06")); /* inherited */
        ASSERT_EQ(s->col_date, 0);
        ASSERT_EQ(s->line, 3 + (uint32_t)i);
        ASSERT_STR_EQ(S(s->subject), voters[i]);
        ASSERT_EQ(s->col_subject, 12);
        ASSERT_STR_EQ(S(s->verb), "vote");
        ASSERT_EQ(s->nargs, 2);
        ASSERT_STR_EQ(S(s->args[0].val), "D1");
        ASSERT_STR_EQ(S(s->args[1].val), "yes");
        ASSERT(!s->has_text);
        ASSERT_EQ(s->text.n, 0);
    }

    s = fx_stmt(&f, 8);
    ASSERT_STR_EQ(S(s->verb), "contribute");
    ASSERT_STR_EQ(S(s->args[1].key), "troops");
    ASSERT_STR_EQ(S(s->args[1].val), "1500");
    s = fx_stmt(&f, 9);
    ASSERT_EQ(s->date, D("2022-01-06"));
    ASSERT_STR_EQ(S(s->subject), "BY");
    ASSERT_STR_EQ(S(s->args[1].val), "500");

    static const struct { const char *date, *subj, *verb; } facts[] = {
        { "2022-01-07", "RU", "arrive" },
        { "2022-01-11", "KZ", "complete" },
        { "2022-01-19", "RU", "leave" },
    };
    for (int i = 0; i < 3; i++) {
        s = fx_stmt(&f, 10 + (size_t)i);
        ASSERT_EQ(s->date, D(facts[i].date));
        ASSERT_STR_EQ(S(s->subject), facts[i].subj);
        ASSERT_STR_EQ(S(s->verb), facts[i].verb);
        ASSERT_EQ(s->nargs, 1);
        ASSERT_STR_EQ(S(s->args[0].val), "D1");
        ASSERT_EQ(s->line, 11 + (uint32_t)i);
    }
    fx_free(&f);
}

TEST(parse_design_refused_examples_are_well_formed)
{
    fixture f;
    fx_parse(&f,
             "AM request assistance host=KZ\n"
             "CSC propose deploy id=D9 force=CPKF host=AZ request=R9\n"
             "RU contribute D1 troops=5000\n"
             "UZ vote D1 yes\n",
             D("2022-01-08"));
    ASSERT_EQ(f.nerr, 0);
    ASSERT_EQ(f.out.len, 4);
    ASSERT_EQ(fx_stmt(&f, 0)->date, D("2022-01-08"));
    ASSERT_STR_EQ(S(fx_stmt(&f, 1)->args[3].val), "AZ");
    fx_free(&f);
}

TEST(parse_lists_and_quoted_values)
{
    fixture f;
    fx_parse(&f,
             "charter rotation AM,BY,KZ,KG,RU,TJ\n"
             "charter rule request source=\"Peacekeeping Agreement art. 3\" src=S68,S69 from=1992-05-15 \"x\"\n"
             "world state KZ capital=Astana lat=51.17 lon=71.45 \"Kazakhstan\"\n",
             ENT_DATE_NONE);
    ASSERT_EQ(f.nerr, 0);
    ASSERT_EQ(f.out.len, 3);
    ent_stmt *s = fx_stmt(&f, 0);
    ASSERT_EQ(s->date, ENT_DATE_NONE);
    ASSERT_EQ(s->args[0].kind, ENT_ARG_LIST);
    ASSERT_STR_EQ(S(s->args[0].val), "AM,BY,KZ,KG,RU,TJ");
    s = fx_stmt(&f, 1);
    ASSERT_EQ(s->args[1].kind, ENT_ARG_QUOTED);
    ASSERT_STR_EQ(S(s->args[1].key), "source");
    ASSERT_STR_EQ(S(s->args[1].val), "Peacekeeping Agreement art. 3");
    ASSERT_EQ(s->args[2].kind, ENT_ARG_LIST);
    ASSERT_STR_EQ(S(s->args[2].val), "S68,S69");
    ASSERT_EQ(s->args[3].kind, ENT_ARG_WORD);
    ASSERT_STR_EQ(S(s->args[3].val), "1992-05-15");
    s = fx_stmt(&f, 2);
    ASSERT_STR_EQ(S(s->args[2].val), "51.17");
    ASSERT_EQ(s->args[2].kind, ENT_ARG_WORD);
    fx_free(&f);
}

/* ------------------------------------------------------------------ */
/* Errors: message, line and column.                                    */

TEST(parse_error_dates)
{
    ASSERT_LINE_ERROR("2022-1-05 KZ join", "malformed date '2022-1-05' (want YYYY-MM-DD)", 1);
    ASSERT_LINE_ERROR("20220105 KZ join", "malformed date '20220105' (want YYYY-MM-DD)", 1);
    ASSERT_LINE_ERROR("2022-01-05x KZ join", "malformed date '2022-01-05x' (want YYYY-MM-DD)", 1);
    ASSERT_LINE_ERROR("1KZ join", "malformed date '1KZ' (want YYYY-MM-DD)", 1);
    ASSERT_LINE_ERROR("  2023-02-29 KZ join", "no such date: 2023-02-29", 3);
    ASSERT_LINE_ERROR("2022-13-01 KZ join", "no such date: 2022-13-01", 1);
    ASSERT_LINE_ERROR("0000-01-01 KZ join", "no such date: 0000-01-01", 1);
    ASSERT_LINE_ERROR("2022-01-05", "expected a subject after the date", 11);
    ASSERT_LINE_ERROR("2022-01-05   # c", "expected a subject after the date", 11);
}

TEST(parse_error_subject_and_verb)
{
    ASSERT_LINE_ERROR("KZ", "expected a verb after 'KZ'", 3);
    ASSERT_LINE_ERROR("2022-01-05 KZ   # c", "expected a verb after 'KZ'", 14);
    ASSERT_LINE_ERROR("KZ 1500", "expected a verb after 'KZ', found '1500'", 4);
    ASSERT_LINE_ERROR("KZ \"x\"", "expected a verb after 'KZ', found quoted text", 4);
    ASSERT_LINE_ERROR("KZ id=1", "expected a verb after 'KZ', found 'id=1'", 4);
    ASSERT_LINE_ERROR("2022-01-05 a,b join", "expected a subject, found 'a,b'", 12);
    ASSERT_LINE_ERROR("_KZ join", "expected a subject, found '_KZ'", 1);
    ASSERT_LINE_ERROR("K.Z join", "expected a subject, found 'K.Z'", 1);
    ASSERT_LINE_ERROR("\"KZ\" join", "expected a subject, found quoted text", 1);
    ASSERT_LINE_ERROR("  id=1 join", "expected a subject, found 'id=1'", 3);
    ASSERT_LINE_ERROR("2022-01-05 2022-01-06 KZ join", "expected a subject, found '2022-01-06'", 12);
}

TEST(parse_error_arguments)
{
    ASSERT_LINE_ERROR("KZ vote D1 yes#", "unexpected '#'", 15);
    ASSERT_LINE_ERROR("KZ request id=", "missing value after 'id='", 15);
    ASSERT_LINE_ERROR("KZ request Id=R1", "malformed key 'Id' (want [a-z][a-z0-9_.-]*)", 12);
    ASSERT_LINE_ERROR("KZ request id=R1 id=R2", "duplicate argument 'id='", 18);
    ASSERT_LINE_ERROR("KZ request zz=1 zy=2 zz=3", "duplicate argument 'zz='", 22); /* keys outside ENT_KEYS too */
    ASSERT_LINE_ERROR("charter rotation AM,,BY", "empty item in list", 21);
    ASSERT_LINE_ERROR("charter rotation ,AM", "empty item in list", 18);
    ASSERT_LINE_ERROR("charter rotation AM,", "empty item in list", 20);
    ASSERT_LINE_ERROR("KZ x src=S1,,S2", "empty item in list", 13);
    ASSERT_LINE_ERROR("KZ vote (D1)", "unexpected character '('", 9);
    ASSERT_LINE_ERROR("KZ vote D1;", "unexpected character ';'", 11);
    ASSERT_LINE_ERROR("KZ vote 'D1'", "unexpected character '''", 9);
    ASSERT_LINE_ERROR("KZ vote \xD0\x94\xD0\x90", "unexpected byte 0xD0", 9);
    ASSERT_LINE_ERROR("KZ vote D1\x01", "unexpected byte 0x01", 11);
}

TEST(parse_error_quoted_text)
{
    ASSERT_LINE_ERROR("KZ x \"abc", "unterminated quoted text", 6);
    ASSERT_LINE_ERROR("KZ x \"a\\tb\"", "invalid escape '\\t' in quoted text (only \\\" and \\\\)", 8);
    ASSERT_LINE_ERROR("KZ x \"one\" \"two\"", "only one quoted text per line", 12);
    ASSERT_LINE_ERROR("KZ x \"one\" k=\"v\" \"two\"", "only one quoted text per line", 18);
    ASSERT_LINE_ERROR("KZ x \"caf\xE9\"", "invalid UTF-8 in quoted text", 10);
    ASSERT_LINE_ERROR("KZ x \"a\x02\"", "control character 0x02 in quoted text", 8);
}

TEST(parse_error_too_many_arguments)
{
    char line[256];
    size_t n = (size_t)snprintf(line, sizeof line, "KZ x");
    int col25 = 0;
    for (int i = 1; i <= ENT_MAX_ARGS + 2; i++) {
        if (i == ENT_MAX_ARGS + 1) col25 = (int)n + 2;
        n += (size_t)snprintf(line + n, sizeof line - n, " a%d", i);
    }
    ASSERT_LINE_ERROR(line, "too many arguments (at most 24)", col25);

    /* exactly ENT_MAX_ARGS, and a text on top, is fine */
    n = (size_t)snprintf(line, sizeof line, "KZ x");
    for (int i = 1; i <= ENT_MAX_ARGS; i++) n += (size_t)snprintf(line + n, sizeof line - n, " k%d=%d", i, i);
    snprintf(line + n, sizeof line - n, " \"t\"");
    fixture f;
    fx_parse(&f, line, ENT_DATE_NONE);
    ASSERT_EQ(f.nerr, 0);
    ASSERT_EQ(fx_stmt(&f, 0)->nargs, ENT_MAX_ARGS);
    ASSERT_STR_EQ(S(fx_stmt(&f, 0)->args[23].val), "24");
    ASSERT(fx_stmt(&f, 0)->has_text);
    fx_free(&f);
}

TEST(parse_error_line_too_long)
{
    size_t n = 5000;
    char *buf = malloc(n + 1);
    ASSERT(buf);
    memset(buf, 'a', n);
    memcpy(buf, "KZ x ", 5);
    buf[n] = 0;
    fixture f;
    fx_parse(&f, buf, ENT_DATE_NONE);
    free(buf);
    ASSERT_EQ(f.nerr, 1);
    ASSERT_EQ(f.out.len, 0);
    ASSERT_STR_EQ(fx_diag(&f, 0)->msg, "line too long (5000 bytes; at most 4096)");
    ASSERT_EQ(fx_diag(&f, 0)->col, 4097);
    fx_free(&f);

    /* 4096 bytes is fine */
    buf = malloc(4097);
    ASSERT(buf);
    memset(buf, 'a', 4096);
    memcpy(buf, "KZ x ", 5);
    buf[4096] = 0;
    fx_parse(&f, buf, ENT_DATE_NONE);
    free(buf);
    ASSERT_EQ(f.nerr, 0);
    ASSERT_EQ(f.out.len, 1);
    ASSERT_EQ(fx_stmt(&f, 0)->args[0].val.n, 4091);
    fx_free(&f);
}

TEST(parse_reports_every_error_and_keeps_good_lines)
{
    fixture f;
    fx_parse(&f,
             "2022-01-05 KZ request assistance id=R1\n" /* 1 ok */
             "2022-02-30 KZ join\n"                     /* 2 no such date */
             "\n"                                       /* 3 blank */
             "AM vote R1 (yes)\n"                       /* 4 unexpected ( */
             "BY vote R1 yes\n"                         /* 5 ok */
             "# comment\n"                              /* 6 */
             "KG\n"                                     /* 7 missing verb */
             "RU vote R1 \"a\" \"b\"\n"                 /* 8 two texts */
             "TJ vote R1 yes",                          /* 9 ok, no newline */
             ENT_DATE_NONE);
    ASSERT_EQ(f.nerr, 4);
    ASSERT_EQ(f.diags.nerrors, 4);
    ASSERT_EQ(f.diags.items.len, 4);
    ASSERT_EQ(fx_diag(&f, 0)->line, 2);
    ASSERT_STR_EQ(fx_diag(&f, 0)->msg, "no such date: 2022-02-30");
    ASSERT_EQ(fx_diag(&f, 0)->col, 1);
    ASSERT_STR_EQ(fx_diag(&f, 0)->src_line, "2022-02-30 KZ join");
    ASSERT_EQ(fx_diag(&f, 1)->line, 4);
    ASSERT_STR_EQ(fx_diag(&f, 1)->msg, "unexpected character '('");
    ASSERT_EQ(fx_diag(&f, 1)->col, 12);
    ASSERT_EQ(fx_diag(&f, 2)->line, 7);
    ASSERT_STR_EQ(fx_diag(&f, 2)->msg, "expected a verb after 'KG'");
    ASSERT_EQ(fx_diag(&f, 2)->col, 3);
    ASSERT_EQ(fx_diag(&f, 3)->line, 8);
    ASSERT_STR_EQ(fx_diag(&f, 3)->msg, "only one quoted text per line");
    ASSERT_EQ(fx_diag(&f, 3)->col, 16);
    ASSERT_STR_EQ(fx_diag(&f, 3)->file, "t.chron");

    ASSERT_EQ(f.out.len, 3);
    ASSERT_EQ(fx_stmt(&f, 0)->line, 1);
    ASSERT_EQ(fx_stmt(&f, 1)->line, 5);
    ASSERT_STR_EQ(S(fx_stmt(&f, 1)->subject), "BY");
    ASSERT_EQ(fx_stmt(&f, 1)->date, D("2022-01-05"));
    ASSERT_EQ(fx_stmt(&f, 2)->line, 9);
    ASSERT_STR_EQ(S(fx_stmt(&f, 2)->args[1].val), "yes");
    fx_free(&f);
}

TEST(parse_rendered_diagnostic)
{
    fixture f;
    fx_parse(&f, "2022-01-05 KZ join\n  AM vote D1 (yes)\n\tBY vote D1 yes;\n", ENT_DATE_NONE);
    ASSERT_EQ(f.nerr, 2);
    ent_buf out = { 0 };
    ent__diags_render(&f.diags, &out);
    ASSERT_STR_EQ(out.p,
                  "t.chron:2:14: error: unexpected character '('\n"
                  "      AM vote D1 (yes)\n"
                  "                 ^\n"
                  "t.chron:3:16: error: unexpected character ';'\n"
                  "    \tBY vote D1 yes;\n"
                  "    \t              ^\n");
    ent__buf_free(&out);
    fx_free(&f);
}

/* ------------------------------------------------------------------ */
/* Dates, comments, line ends.                                          */

TEST(parse_date_inheritance)
{
    fixture f;
    fx_parse(&f,
             "KZ a\n"
             "2022-01-05 KZ b\n"
             "\n"
             "# 2023-01-01 is in a comment\n"
             "KZ c\n"
             "2022-03-01 KZ (\n"  /* error after a good date: the date still counts */
             "KZ d\n"
             "2022-02-30 KZ e\n"  /* a bad date does not */
             "KZ f\n",
             D("2020-01-01"));
    ASSERT_EQ(f.nerr, 2);
    ASSERT_EQ(f.out.len, 5);
    ASSERT_EQ(fx_stmt(&f, 0)->date, D("2020-01-01"));
    ASSERT_EQ(fx_stmt(&f, 1)->date, D("2022-01-05"));
    ASSERT_EQ(fx_stmt(&f, 2)->date, D("2022-01-05"));
    ASSERT_EQ(fx_stmt(&f, 3)->date, D("2022-03-01"));
    ASSERT_STR_EQ(S(fx_stmt(&f, 3)->verb), "d");
    ASSERT_EQ(fx_stmt(&f, 4)->date, D("2022-03-01"));
    fx_free(&f);

    fx_parse(&f, "charter organization CSTO\nKZ join\n", ENT_DATE_NONE);
    ASSERT_EQ(f.nerr, 0);
    ASSERT_EQ(fx_stmt(&f, 0)->date, ENT_DATE_NONE);
    ASSERT_EQ(fx_stmt(&f, 1)->date, ENT_DATE_NONE);
    fx_free(&f);

    fx_parse(&f, "2024-02-29 AM freeze\n", ENT_DATE_NONE); /* a leap day */
    ASSERT_EQ(f.nerr, 0);
    ASSERT_EQ(fx_stmt(&f, 0)->date, D("2024-02-29"));
    fx_free(&f);
}

TEST(parse_comments_and_blank_lines)
{
    fixture f;
    fx_parse(&f,
             "# a chronicle\n"
             "   # indented comment\n"
             "\t\n"
             "\n"
             "KZ join # joins \"unterminated in a comment\n"
             "KZ note \"# is text here\" # and a comment here\n"
             "KZ note k=\"a#b\"#\n",
             ENT_DATE_NONE);
    ASSERT_EQ(f.nerr, 1);
    ASSERT_EQ(fx_diag(&f, 0)->line, 7);
    ASSERT_STR_EQ(fx_diag(&f, 0)->msg, "unexpected '#'");
    ASSERT_EQ(fx_diag(&f, 0)->col, 16);
    ASSERT_EQ(f.out.len, 2);
    ASSERT_EQ(fx_stmt(&f, 0)->line, 5);
    ASSERT_EQ(fx_stmt(&f, 0)->nargs, 0);
    ASSERT_STR_EQ(S(fx_stmt(&f, 1)->text), "# is text here");
    fx_free(&f);

    fx_parse(&f, "", ENT_DATE_NONE);
    ASSERT_EQ(f.nerr, 0);
    ASSERT_EQ(f.out.len, 0);
    fx_free(&f);
}

TEST(parse_crlf)
{
    fixture f;
    fx_parse(&f,
             "2022-01-05 KZ request assistance \"t\"\r\n"
             "\r\n"
             "  RU vote D1 yes\r\n"
             "RU vote D1 (\r\n"
             "RU vote D1 no\r",
             ENT_DATE_NONE);
    ASSERT_EQ(f.nerr, 1);
    ASSERT_EQ(f.out.len, 3);
    ASSERT_STR_EQ(S(fx_stmt(&f, 0)->text), "t");
    ASSERT_EQ(fx_stmt(&f, 1)->line, 3);
    ASSERT_STR_EQ(S(fx_stmt(&f, 1)->args[1].val), "yes");
    ASSERT_EQ(fx_stmt(&f, 1)->date, D("2022-01-05"));
    ASSERT_STR_EQ(S(fx_stmt(&f, 2)->args[1].val), "no");
    ASSERT_EQ(fx_diag(&f, 0)->line, 4);
    ASSERT_EQ(fx_diag(&f, 0)->col, 12);
    ASSERT_STR_EQ(fx_diag(&f, 0)->src_line, "RU vote D1 (");
    fx_free(&f);

    /* a CR that does not end a line is an error */
    ASSERT_LINE_ERROR("KZ join\rKZ x", "unexpected byte 0x0D", 8);
}

TEST(parse_text_points_into_buffer_unless_unescaped)
{
    const char *buf = "KZ note k=\"plain\" j=\"a\\\"b\" \"x\\\\y\"";
    fixture f;
    fx_parse(&f, buf, ENT_DATE_NONE);
    ASSERT_EQ(f.nerr, 0);
    ent_stmt *s = fx_stmt(&f, 0);
    ASSERT(s->args[0].val.p == buf + 11);
    ASSERT_STR_EQ(S(s->args[1].val), "a\"b");
    ASSERT(s->args[1].val.p < buf || s->args[1].val.p > buf + strlen(buf));
    ASSERT_STR_EQ(S(s->text), "x\\y");
    ASSERT(s->text.p < buf || s->text.p > buf + strlen(buf));
    fx_free(&f);
}

/* ------------------------------------------------------------------ */
/* ent__parse_line                                                       */

TEST(parse_line_one_event)
{
    ent_arena a = { 0 };
    ent_stmt st;
    char msg[128];
    uint16_t col = 99;
    const char *z = "RU vote D123 yes";
    ASSERT_EQ(ent__parse_line("journal", 42, z, strlen(z), D("2022-01-06"), &a, &st, msg,
                              sizeof msg, &col), 0);
    ASSERT_EQ(col, 0);
    ASSERT_STR_EQ(msg, "");
    ASSERT_EQ(st.date, D("2022-01-06"));
    ASSERT_STR_EQ(S(st.subject), "RU");
    ASSERT_STR_EQ(S(st.verb), "vote");
    ASSERT_EQ(st.nargs, 2);
    ASSERT_STR_EQ(S(st.args[0].val), "D123");
    ASSERT_STR_EQ(st.file, "journal");
    ASSERT_EQ(st.line, 42);

    z = "2022-01-07 RU arrive D1 \"a \\\"b\\\"\"";
    ASSERT_EQ(ent__parse_line("journal", 1, z, strlen(z), ENT_DATE_NONE, &a, &st, NULL, 0, NULL), 0);
    ASSERT_EQ(st.date, D("2022-01-07"));
    ASSERT_STR_EQ(S(st.text), "a \"b\"");

    z = "KZ";
    ASSERT_EQ(ent__parse_line("journal", 1, z, strlen(z), ENT_DATE_NONE, &a, &st, msg, sizeof msg,
                              &col), -1);
    ASSERT_STR_EQ(msg, "expected a verb after 'KZ'");
    ASSERT_EQ(col, 3);

    z = "  # nothing";
    ASSERT_EQ(ent__parse_line("journal", 1, z, strlen(z), ENT_DATE_NONE, &a, &st, msg, sizeof msg,
                              &col), -1);
    ASSERT_STR_EQ(msg, "expected a statement, found an empty line");
    ASSERT_EQ(col, 1);

    z = "KZ x\ny z";
    ASSERT_EQ(ent__parse_line("journal", 1, z, strlen(z), ENT_DATE_NONE, &a, &st, msg, 8, &col), -1);
    ASSERT_STR_EQ(msg, "unexpec"); /* cut to the buffer, NUL-terminated */
    ASSERT_EQ(col, 5);
    ent__arena_free(&a);
}

/* ------------------------------------------------------------------ */
/* Writing and the round trip.                                          */

static void assert_same_stmt(const ent_stmt *a, const ent_stmt *b)
{
    ASSERT_EQ(a->date, b->date);
    ASSERT_STR_EQ(S(a->subject), S(b->subject));
    ASSERT_STR_EQ(S(a->verb), S(b->verb));
    ASSERT_EQ(a->nargs, b->nargs);
    for (int i = 0; i < a->nargs; i++) {
        ASSERT(ent__str_same(a->args[i].key, b->args[i].key));
        ASSERT(ent__str_same(a->args[i].val, b->args[i].val));
        ASSERT_EQ(a->args[i].kind, b->args[i].kind);
    }
    ASSERT_EQ(a->has_text, b->has_text);
    ASSERT(ent__str_same(a->text, b->text));
}

/* Parse line, write it (with date), parse that, compare; the written form
** must also be a fixed point. Returns the written form in *w (caller frees). */
static void round_trip(const char *line, ent_date date0, ent_buf *w)
{
    ent_arena a = { 0 };
    ent_stmt s1, s2;
    char msg[256];
    uint16_t col;
    int r = ent__parse_line("rt", 1, line, strlen(line), date0, &a, &s1, msg, sizeof msg, &col);
    if (r) fprintf(stderr, "  round trip input: %s: %s (col %u)\n", line, msg, col);
    ASSERT_EQ(r, 0);
    ent__stmt_write(&s1, 1, w);
    ASSERT(!w->oom);
    r = ent__parse_line("rt", 1, w->p, w->len, ENT_DATE_NONE, &a, &s2, msg, sizeof msg, &col);
    if (r) fprintf(stderr, "  round trip output: %s: %s (col %u)\n", w->p, msg, col);
    ASSERT_EQ(r, 0);
    assert_same_stmt(&s1, &s2);
    ent_buf w2 = { 0 };
    ent__stmt_write(&s2, 1, &w2);
    ASSERT_STR_EQ(w2.p, w->p);
    ent__buf_free(&w2);
    ent__arena_free(&a);
}

TEST(write_canonical_form)
{
    ent_buf w = { 0 };
    round_trip("2022-01-05   KZ  request\tassistance id=R1 article=treaty-4   \"Threat \\\"x\\\"\"  # c",
               ENT_DATE_NONE, &w);
    ASSERT_STR_EQ(w.p, "2022-01-05 KZ request assistance id=R1 article=treaty-4 \"Threat \\\"x\\\"\"");
    ent__buf_reset(&w);

    /* the order of the arguments is kept; the text goes last */
    round_trip("KZ x \"t\" a=1 b c=\"q r\" d,e", D("2022-01-06"), &w);
    ASSERT_STR_EQ(w.p, "2022-01-06 KZ x a=1 b c=\"q r\" d,e \"t\"");
    ent__buf_reset(&w);

    /* a date-less statement is written without a date */
    round_trip("charter rotation AM,BY,KZ,KG,RU,TJ", ENT_DATE_NONE, &w);
    ASSERT_STR_EQ(w.p, "charter rotation AM,BY,KZ,KG,RU,TJ");
    ent__buf_free(&w);

    /* with_date == 0, and ent__stmt_write_args */
    ent_arena a = { 0 };
    ent_stmt s;
    const char *z = "2022-01-05 KZ request assistance id=R1 src=S1,S2 why=\"a \\\\ b\" \"text\"";
    ASSERT_EQ(ent__parse_line("w", 1, z, strlen(z), ENT_DATE_NONE, &a, &s, NULL, 0, NULL), 0);
    ent__stmt_write(&s, 0, &w);
    ASSERT_STR_EQ(w.p, "KZ request assistance id=R1 src=S1,S2 why=\"a \\\\ b\" \"text\"");
    ent__buf_reset(&w);
    ent__stmt_write_args(&s, &w);
    ASSERT_STR_EQ(w.p, "assistance id=R1 src=S1,S2 why=\"a \\\\ b\"");
    ent__buf_free(&w);

    z = "RU arrive \"only text\"";
    ASSERT_EQ(ent__parse_line("w", 1, z, strlen(z), ENT_DATE_NONE, &a, &s, NULL, 0, NULL), 0);
    ent__stmt_write_args(&s, &w);
    ASSERT(w.p != NULL);
    ASSERT_STR_EQ(w.p, "");
    ASSERT_EQ(w.len, 0);
    ent__buf_free(&w);
    ent__arena_free(&a);
}

TEST(write_keyed_values_that_are_not_bare)
{
    /* statements built by hand (not by the parser) */
    ent_stmt s;
    memset(&s, 0, sizeof s);
    s.date = ENT_DATE_NONE;
    s.subject = ENT_STR_LIT("SG");
    s.verb = ENT_STR_LIT("acting");
    s.nargs = 3;
    s.args[0] = (ent_arg){ ENT_STR_LIT("state"), ENT_STR_LIT(""), ENT_ARG_WORD, 0 };
    s.args[1] = (ent_arg){ ENT_STR_LIT("name"), ENT_STR_LIT("A \"B\" C"), ENT_ARG_WORD, 0 };
    s.args[2] = (ent_arg){ ENT_STR_LIT("list"), ENT_STR_LIT("a,,b"), ENT_ARG_LIST, 0 };
    ent_buf w = { 0 };
    ent__stmt_write(&s, 1, &w);
    ASSERT_STR_EQ(w.p, "SG acting state=\"\" name=\"A \\\"B\\\" C\" list=\"a,,b\"");

    ent_arena a = { 0 };
    ent_stmt s2;
    ASSERT_EQ(ent__parse_line("w", 1, w.p, w.len, ENT_DATE_NONE, &a, &s2, NULL, 0, NULL), 0);
    for (int i = 0; i < 3; i++) ASSERT(ent__str_same(s.args[i].val, s2.args[i].val));
    ent__arena_free(&a);
    ent__buf_free(&w);
}

TEST(round_trip_tricky_text)
{
    static const char *const lines[] = {
        "KZ note \"\"",
        "KZ note \"\\\"\"",
        "KZ note \"\\\\\"",
        "KZ note \"\\\\\\\"\"",
        "KZ note \"ends with a backslash \\\\\"",
        "KZ note k=\"# nor this\" \"# not a comment\"",
        "KZ note \"caf\xC3\xA9 \xD0\x9A\xD0\xB0\xD0\xB7\xD0\xB0\xD1\x85\xD1\x81\xD1\x82\xD0\xB0\xD0\xBD \xE2\x82\xAC \xF0\x9F\x98\x80\"",
        "KZ note k=\"a\tb\" \"tab\there\"",
        "KZ note \"key=value, a,,b 'single' (paren) ;\"",
        "KZ note k=\"\\\"quoted\\\" key\" j=\"\"",
        "2024-02-29 AM freeze \"leap day\"",
        "0001-01-01 A b 9999-12-31",
        "KZ-2022-D vote KZ-2022-D yes lon=-71.45 t:1/2+3 x_y",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        ent_buf w = { 0 };
        round_trip(lines[i], ENT_DATE_NONE, &w);
        ASSERT_STR_EQ(w.p, lines[i]); /* these are already canonical */
        ent__buf_free(&w);
    }
}

/* A small deterministic generator of canonical statements. */
static uint64_t rng_state;
static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

static void gen_word(ent_buf *b)
{
    static const char first[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static const char rest[] = "ABCXYZabcxyz0189_-";
    ent__buf_putc(b, first[rnd(sizeof first - 1)]);
    for (uint32_t n = rnd(7); n > 0; n--) ent__buf_putc(b, rest[rnd(sizeof rest - 1)]);
}

static void gen_bare(ent_buf *b)
{
    static const char bare[] = "Aa09_.:+/-";
    uint32_t items = rnd(3) == 0 ? 2 + rnd(3) : 1;
    for (uint32_t i = 0; i < items; i++) {
        if (i) ent__buf_putc(b, ',');
        for (uint32_t n = 1 + rnd(6); n > 0; n--) ent__buf_putc(b, bare[rnd(sizeof bare - 1)]);
    }
}

static void gen_quoted(ent_buf *b)
{
    static const char *const pieces[] = { "a", "Z", " ", "\t", "\\\"", "\\\\", "#", "=", ",",
                                          "'", "(", "\xC3\xA9", "\xE2\x82\xAC",
                                          "\xF0\x9F\x98\x80", "\xD0\x9A", "0", "." };
    ent__buf_putc(b, '"');
    for (uint32_t n = rnd(12); n > 0; n--)
        ent__buf_puts(b, pieces[rnd(sizeof pieces / sizeof pieces[0])]);
    ent__buf_putc(b, '"');
}

static void gen_key(ent_buf *b)
{
    static const char first[] = "abkz";
    static const char rest[] = "az09_.-";
    ent__buf_putc(b, first[rnd(sizeof first - 1)]);
    for (uint32_t n = rnd(5); n > 0; n--) ent__buf_putc(b, rest[rnd(sizeof rest - 1)]);
}

TEST(round_trip_random_statements)
{
    rng_state = 0x9E3779B97F4A7C15ull;
    ent_buf line = { 0 }, w = { 0 };
    for (int iter = 0; iter < 3000; iter++) {
        ent__buf_reset(&line);
        if (rnd(2)) {
            char d[11];
            ent__buf_puts(&line, ent__date_format((ent_date)rnd(40000), d));
            ent__buf_putc(&line, ' ');
        }
        gen_word(&line);
        ent__buf_putc(&line, ' ');
        gen_word(&line);
        uint32_t nargs = rnd(ENT_MAX_ARGS + 1);
        char keys[ENT_MAX_ARGS][8]; /* a key appears once per line */
        int nkeys = 0;
        for (uint32_t i = 0; i < nargs; i++) {
            ent__buf_putc(&line, ' ');
            int kind = (int)rnd(4);
            if (kind == 1 || kind == 2) {
                ent_buf k = { 0 };
                int dup;
                do {
                    ent__buf_reset(&k);
                    gen_key(&k);
                    dup = 0;
                    for (int j = 0; j < nkeys; j++) dup |= strcmp(keys[j], k.p) == 0;
                } while (dup);
                snprintf(keys[nkeys++], sizeof keys[0], "%s", k.p);
                ent__buf_puts(&line, k.p);
                ent__buf_free(&k);
                ent__buf_putc(&line, '=');
            }
            switch (kind) {
            case 0: gen_bare(&line); break;
            case 1: gen_bare(&line); break;
            case 2: gen_quoted(&line); break;
            default: gen_word(&line); break;
            }
        }
        if (rnd(2)) {
            ent__buf_putc(&line, ' ');
            gen_quoted(&line);
        }
        ASSERT(!line.oom);
        ent__buf_reset(&w);
        round_trip(line.p, ENT_DATE_NONE, &w);
        ASSERT_STR_EQ(w.p, line.p);
    }
    ent__buf_free(&line);
    ent__buf_free(&w);
}

/* ------------------------------------------------------------------ */
/* Helpers of core.h implemented in src/core/stmt.c.                      */

TEST(stmt_helpers)
{
    ent_arena a = { 0 };
    ent_stmt s;
    const char *z = "KZ x p1 host=v p2 days=w id=\"q\" zz=1";
    ASSERT_EQ(ent__parse_line("h", 1, z, strlen(z), ENT_DATE_NONE, &a, &s, NULL, 0, NULL), 0);
    ASSERT_EQ(ent__stmt_npos(&s), 2);
    ASSERT_STR_EQ(S(ent__stmt_pos(&s, 0)->val), "p1");
    ASSERT_STR_EQ(S(ent__stmt_pos(&s, 1)->val), "p2");
    ASSERT(ent__stmt_pos(&s, 2) == NULL);
    ASSERT(ent__stmt_pos(&s, -1) == NULL);
    ASSERT_STR_EQ(S(ent__stmt_key(&s, ENT_K_HOST)->val), "v");
    ASSERT_STR_EQ(S(ent__stmt_key(&s, ENT_K_DAYS)->val), "w");
    ASSERT_EQ(ent__stmt_key(&s, ENT_K_ID)->kind, ENT_ARG_QUOTED);
    ASSERT(ent__stmt_key(&s, ENT_K_FORCE) == NULL);
    ASSERT_EQ(ent__stmt_pos(&s, 0)->key_id, ENT_K_NONE);
    ASSERT_EQ(s.args[5].key_id, ENT_K_UNKNOWN); /* zz= is no key of the language */
    ASSERT_STR_EQ(S(s.args[5].key), "zz");
    ASSERT(ent__str_eq(s.subject, "KZ"));
    ASSERT(!ent__str_eq(s.subject, "K"));
    ASSERT(!ent__str_eq(s.subject, "KZZ"));
    ASSERT(ent__str_eq(s.text, ""));
    ASSERT(!ent__str_same(s.args[1].key, s.args[3].key));
    ASSERT(ent__str_same(s.args[1].key, ENT_STR_LIT("host")));
    ASSERT(!ent__str_same(s.args[1].val, s.args[3].val));
    ASSERT(ent__str_same(ENT_STR_LIT(""), s.text));
    ent__arena_free(&a);
}

/* Every key of ENT_KEYS is found by its name and named by its id. */
TEST(key_ids)
{
    for (int k = ENT_K_UNKNOWN + 1; k < ENT_K_COUNT; k++) {
        const char *z = ent__key_name(k);
        ASSERT(z[0] != 0);
        ASSERT_EQ(ent__key_id(z, strlen(z)), k);
    }
    ASSERT_EQ(ent__key_id("", 0), ENT_K_NONE);
    ASSERT_EQ(ent__key_id("forc", 4), ENT_K_UNKNOWN);
    ASSERT_EQ(ent__key_id("forces", 6), ENT_K_UNKNOWN);
    ASSERT_EQ(ent__key_id("force", 5), ENT_K_FORCE);
    ASSERT_STR_EQ(ent__key_name(ENT_K_NONE), "");
    ASSERT_STR_EQ(ent__key_name(ENT_K_COUNT), "");
}

/* ------------------------------------------------------------------ */
/* docs/language.md, "Errors": every row that shows a line is checked.   */

/* The path of docs/language.md, found from this file's own path (the build
** compiles from the top of the tree). */
static const char *doc_path(char *buf, size_t size)
{
    const char *me = __FILE__, *tail = strstr(me, "tests/unit/lang/test_parse.c");
    size_t n = tail ? (size_t)(tail - me) : 0;
    snprintf(buf, size, "%.*sdocs/language.md", (int)n, me);
    return buf;
}

/* Copy the text of the code span that starts at *p (at a backquote) into
** out; advance *p past it. Returns 0 if *p is not at a code span. */
static int code_span(const char **p, char *out, size_t size)
{
    const char *s = *p, *e;
    if (*s != '`' || !(e = strchr(s + 1, '`'))) return 0;
    size_t n = (size_t)(e - s - 1);
    if (n >= size) return 0;
    memcpy(out, s + 1, n);
    out[n] = 0;
    *p = e + 1;
    return 1;
}

TEST(parse_docs_error_table)
{
    char path[1024];
    FILE *fp = fopen(doc_path(path, sizeof path), "rb");
    if (!fp) TEST_FAIL_("cannot open %s", path);
    static char doc[65536];
    size_t len = fread(doc, 1, sizeof doc - 1, fp);
    fclose(fp);
    doc[len] = 0;
    const char *sec = strstr(doc, "### Errors");
    ASSERT(sec != NULL);
    const char *end = strstr(sec + 1, "\n#");
    int checked = 0;
    for (const char *p = sec; p && (!end || p < end); p = strchr(p, '\n')) {
        p += *p == '\n';
        if (strncmp(p, "| `", 3) != 0) continue;
        char line[256], msg[256];
        const char *q = p + 2;
        ASSERT(code_span(&q, line, sizeof line));
        int col = 0;
        ASSERT_EQ(sscanf(q, " | %d |", &col), 1);
        q = strchr(q + 1, '|');
        ASSERT(q);
        q = strchr(q + 1, '`');
        ASSERT(q && code_span(&q, msg, sizeof msg));
        fixture f;
        fx_parse(&f, line, ENT_DATE_NONE);
        if (f.nerr != 1 || !fx_diag(&f, 0) || strcmp(fx_diag(&f, 0)->msg, msg) != 0 ||
            fx_diag(&f, 0)->col != col)
            TEST_FAIL_("docs: `%s`: want %d: %s; got %d error(s), %d: %s", line, col, msg, f.nerr,
                       fx_diag(&f, 0) ? fx_diag(&f, 0)->col : 0,
                       fx_diag(&f, 0) ? fx_diag(&f, 0)->msg : "");
        ASSERT_EQ(f.out.len, 0);
        fx_free(&f);
        checked++;
    }
    ASSERT(checked >= 15);

    /* and the rendered example above the table */
    const char *ex = strstr(sec, "```\n");
    ASSERT(ex != NULL);
    ex += 4;
    const char *exend = strstr(ex, "```");
    ASSERT(exend != NULL);
    fixture f;
    fx_parse(&f, "2022-01-05 KZ join\n  AM vote D1 (yes)\n", ENT_DATE_NONE);
    ent_buf out = { 0 };
    ent__diags_render(&f.diags, &out);
    ASSERT(out.p != NULL && strncmp(out.p, "t.chron", 7) == 0);
    ASSERT_EQ((long long)strlen(out.p + 7), (long long)(exend - ex - 7));
    ASSERT(strncmp(out.p + 7, ex + 7, (size_t)(exend - ex - 7)) == 0); /* after "f.chron" */
    ent__buf_free(&out);
    fx_free(&f);
}
