/* test_lex.c: the lexer of the chronicle language (src/lang/lex.c). */
#include "../test.h"
#include "../../../src/lang/lex.h"

#include <string.h>

/* Lex line z (NUL-terminated) into toks[], at most max; returns the number of
** tokens before END or ERROR, and the kind that ended it in *last. */
static int lex_all(ent_lexer *lx, const char *z, ent_arena *a, ent_token *toks, int max, int *last)
{
    int n = 0, k;
    ent__lex_init(lx, z, strlen(z), a);
    while ((k = ent__lex_next(lx, &toks[n])) != ENT_TOK_END && k != ENT_TOK_ERROR) {
        if (++n == max) break;
    }
    *last = k;
    return n;
}

static int str_is(ent_str s, const char *z) { return ent__str_eq(s, z); }

/* Lex z, expecting an error; check message and column. */
#define ASSERT_LEX_ERROR(z, message, column)                                  \
    do {                                                                      \
        ent_lexer lx_;                                                        \
        ent_token t_[32];                                                     \
        ent_arena ar_ = { 0 };                                                \
        int last_;                                                            \
        lex_all(&lx_, (z), &ar_, t_, 32, &last_);                              \
        ASSERT_EQ(last_, ENT_TOK_ERROR);                                      \
        ASSERT_STR_EQ(lx_.err, (message));                                    \
        ASSERT_EQ(lx_.err_col, (column));                                     \
        ent__arena_free(&ar_);                                                 \
    } while (0)

TEST(lex_class_table_matches_its_definition)
{
    for (int c = 0; c < 256; c++) {
        int alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        int digit = c >= '0' && c <= '9';
        int lower = c >= 'a' && c <= 'z';
        uint8_t want = 0;
        if (alpha) want |= ENT_C_WSTART;
        if (alpha || digit || c == '_' || c == '-') want |= ENT_C_WORD;
        if (lower) want |= ENT_C_KSTART;
        if (lower || digit || c == '_' || c == '.' || c == '-') want |= ENT_C_KEY;
        if (alpha || digit || (c && strchr("_.:+/-,", c))) want |= ENT_C_BARE;
        if (c == ',') want |= ENT_C_COMMA;
        if (c == ' ' || c == '\t') want |= ENT_C_BLANK;
        if (c == '\t' || (c >= 0x20 && c <= 0x7E && c != '"' && c != '\\')) want |= ENT_C_QPLAIN;
        ASSERT_EQ(ent__lex_class[c], want);
    }
}

TEST(lex_tokens_of_a_request_line)
{
    const char *z = "2022-01-05 KZ request assistance id=R1 article=treaty-4 \"Threat to sovereignty\"";
    ent_lexer lx;
    ent_token t[16];
    ent_arena a = { 0 };
    int last, n = lex_all(&lx, z, &a, t, 16, &last);
    ASSERT_EQ(last, ENT_TOK_END);
    ASSERT_EQ(n, 7);
    ASSERT_EQ(t[0].kind, ENT_TOK_BARE);
    ASSERT(str_is(t[0].val, "2022-01-05"));
    ASSERT_EQ(t[0].flags, 0);
    ASSERT_EQ(t[0].col, 1);
    ASSERT_EQ(t[1].kind, ENT_TOK_BARE);
    ASSERT_EQ(t[1].flags, ENT_TF_WORD);
    ASSERT(str_is(t[1].val, "KZ"));
    ASSERT_EQ(t[1].col, 12);
    ASSERT(str_is(t[2].val, "request"));
    ASSERT(str_is(t[3].val, "assistance"));
    ASSERT_EQ(t[4].kind, ENT_TOK_KEYVAL);
    ASSERT(str_is(t[4].key, "id"));
    ASSERT(str_is(t[4].val, "R1"));
    ASSERT(str_is(t[4].raw, "id=R1"));
    ASSERT_EQ(t[4].flags, 0);
    ASSERT_EQ(t[4].col, 34);
    ASSERT(str_is(t[5].key, "article"));
    ASSERT(str_is(t[5].val, "treaty-4"));
    ASSERT_EQ(t[6].kind, ENT_TOK_QUOTED);
    ASSERT(str_is(t[6].val, "Threat to sovereignty"));
    ASSERT(str_is(t[6].raw, "\"Threat to sovereignty\""));
    ASSERT_EQ(t[6].col, 57);
    /* no escape: the text points into the line */
    ASSERT(t[6].val.p == z + 57);
    ASSERT(a.head == NULL);
    /* the lexer stays at the end */
    ASSERT_EQ(ent__lex_next(&lx, &t[0]), ENT_TOK_END);
}

TEST(lex_bare_shapes)
{
    const char *z = "KZ-2022-D 51.16 -71.45 a,b,c src=S1,S2 x_y 2022-01-06 lon=-71.45 t:1/2+3";
    ent_lexer lx;
    ent_token t[16];
    ent_arena a = { 0 };
    int last, n = lex_all(&lx, z, &a, t, 16, &last);
    ASSERT_EQ(last, ENT_TOK_END);
    ASSERT_EQ(n, 9);
    ASSERT_EQ(t[0].flags, ENT_TF_WORD);
    ASSERT_EQ(t[1].flags, 0);            /* a number is no id */
    ASSERT_EQ(t[2].flags, 0);
    ASSERT_EQ(t[3].kind, ENT_TOK_BARE);
    ASSERT_EQ(t[3].flags, ENT_TF_LIST);
    ASSERT(str_is(t[3].val, "a,b,c"));
    ASSERT_EQ(t[4].kind, ENT_TOK_KEYVAL);
    ASSERT_EQ(t[4].flags, ENT_TF_LIST);
    ASSERT(str_is(t[4].val, "S1,S2"));
    ASSERT_EQ(t[5].flags, ENT_TF_WORD);
    ASSERT_EQ(t[6].flags, 0);
    ASSERT(str_is(t[7].val, "-71.45"));
    ASSERT(str_is(t[8].val, "t:1/2+3"));
    ASSERT_EQ(t[8].flags, 0);
}

TEST(lex_keys_may_hold_dots_and_quoted_values)
{
    const char *z = "mandate.withdrawal-days=10 source=\"Treaty art. 4\" k_2=\"\"";
    ent_lexer lx;
    ent_token t[8];
    ent_arena a = { 0 };
    int last, n = lex_all(&lx, z, &a, t, 8, &last);
    ASSERT_EQ(last, ENT_TOK_END);
    ASSERT_EQ(n, 3);
    ASSERT(str_is(t[0].key, "mandate.withdrawal-days"));
    ASSERT(str_is(t[0].val, "10"));
    ASSERT_EQ(t[1].flags, ENT_TF_QUOTED);
    ASSERT(str_is(t[1].val, "Treaty art. 4"));
    ASSERT_EQ(t[1].col, 28);
    ASSERT_EQ(t[2].flags, ENT_TF_QUOTED);
    ASSERT_EQ(t[2].val.n, 0);
}

TEST(lex_quoted_escapes_are_unescaped_into_the_arena)
{
    const char *z = "\"say \\\"no\\\" to a\\\\b # not a comment\"\t\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\ttab\"";
    ent_lexer lx;
    ent_token t[4];
    ent_arena a = { 0 };
    int last, n = lex_all(&lx, z, &a, t, 4, &last);
    ASSERT_EQ(last, ENT_TOK_END);
    ASSERT_EQ(n, 2);
    ASSERT(str_is(t[0].val, "say \"no\" to a\\b # not a comment"));
    ASSERT(a.head != NULL);
    ASSERT(t[0].val.p < z || t[0].val.p > z + strlen(z)); /* a copy */
    ASSERT_EQ(t[0].val.p[t[0].val.n], 0);
    ASSERT(str_is(t[1].val, "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\ttab"));
    ent__arena_free(&a);
}

TEST(lex_comments)
{
    ent_lexer lx;
    ent_token t[8];
    ent_arena a = { 0 };
    int last;
    ASSERT_EQ(lex_all(&lx, "# only a comment", &a, t, 8, &last), 0);
    ASSERT_EQ(last, ENT_TOK_END);
    ASSERT_EQ(lex_all(&lx, "   \t  ", &a, t, 8, &last), 0);
    ASSERT_EQ(last, ENT_TOK_END);
    ASSERT_EQ(lex_all(&lx, "", &a, t, 8, &last), 0);
    ASSERT_EQ(lex_all(&lx, "TJ vote D1 yes        # the last vote closes it", &a, t, 8, &last), 4);
    ASSERT_EQ(last, ENT_TOK_END);
    ASSERT(str_is(t[3].val, "yes"));
    /* a comment may follow a quoted text after a blank */
    ASSERT_EQ(lex_all(&lx, "KZ x \"a # b\" #c", &a, t, 8, &last), 3);
    ASSERT(str_is(t[2].val, "a # b"));
}

TEST(lex_end_column_is_after_the_last_token)
{
    ent_lexer lx;
    ent_token t;
    ent__lex_init(&lx, "KZ   # c", 8, NULL);
    ASSERT_EQ(ent__lex_next(&lx, &t), ENT_TOK_BARE);
    ASSERT_EQ(ent__lex_next(&lx, &t), ENT_TOK_END);
    ASSERT_EQ(t.col, 3);
    ent__lex_init(&lx, "", 0, NULL);
    ASSERT_EQ(ent__lex_next(&lx, &t), ENT_TOK_END);
    ASSERT_EQ(t.col, 1);
}

TEST(lex_errors_outside_quotes)
{
    ASSERT_LEX_ERROR("KZ vote D1 yes#", "unexpected '#'", 15);
    ASSERT_LEX_ERROR("KZ a#b", "unexpected '#'", 5);
    ASSERT_LEX_ERROR("KZ \"x\"#c", "unexpected '#'", 7);
    ASSERT_LEX_ERROR("KZ id=#", "unexpected '#'", 7);
    ASSERT_LEX_ERROR("KZ vote (D1)", "unexpected character '('", 9);
    ASSERT_LEX_ERROR("KZ vote D1;", "unexpected character ';'", 11);
    ASSERT_LEX_ERROR("KZ vote 'D1'", "unexpected character '''", 9);
    ASSERT_LEX_ERROR("KZ vote D1\"x\"", "unexpected character '\"'", 11);
    ASSERT_LEX_ERROR("KZ \"x\"y", "unexpected character 'y'", 7);
    ASSERT_LEX_ERROR("KZ =x", "unexpected character '='", 4);
    ASSERT_LEX_ERROR("KZ a=b=c", "unexpected character '='", 7);
    ASSERT_LEX_ERROR("KZ \xD0\x9A", "unexpected byte 0xD0", 4);
    ASSERT_LEX_ERROR("KZ ab\x7F", "unexpected byte 0x7F", 6);
    ASSERT_LEX_ERROR("KZ a\rb", "unexpected byte 0x0D", 5);
}

TEST(lex_errors_in_keys_and_lists)
{
    ASSERT_LEX_ERROR("KZ x id=", "missing value after 'id='", 9);
    ASSERT_LEX_ERROR("KZ x id= y", "missing value after 'id='", 9);
    ASSERT_LEX_ERROR("KZ x Id=1", "malformed key 'Id' (want [a-z][a-z0-9_.-]*)", 6);
    ASSERT_LEX_ERROR("KZ x 1d=1", "malformed key '1d' (want [a-z][a-z0-9_.-]*)", 6);
    ASSERT_LEX_ERROR("KZ x a:b=1", "malformed key 'a:b' (want [a-z][a-z0-9_.-]*)", 6);
    ASSERT_LEX_ERROR("KZ x a,,b", "empty item in list", 8);
    ASSERT_LEX_ERROR("KZ x ,a", "empty item in list", 6);
    ASSERT_LEX_ERROR("KZ x a,", "empty item in list", 7);
    ASSERT_LEX_ERROR("KZ x ,", "empty item in list", 6);
    ASSERT_LEX_ERROR("KZ x src=S1,", "empty item in list", 12);
}

TEST(lex_errors_inside_quotes)
{
    ASSERT_LEX_ERROR("KZ x \"abc", "unterminated quoted text", 6);
    ASSERT_LEX_ERROR("KZ x \"abc\\", "unterminated quoted text", 6);
    ASSERT_LEX_ERROR("KZ x \"abc\\\"", "unterminated quoted text", 6);
    ASSERT_LEX_ERROR("KZ x k=\"abc", "unterminated quoted text", 8);
    ASSERT_LEX_ERROR("KZ x \"a\\nb\"", "invalid escape '\\n' in quoted text (only \\\" and \\\\)", 8);
    ASSERT_LEX_ERROR("KZ x \"a\\\xC3\xA9\"", "invalid escape in quoted text (only \\\" and \\\\)", 8);
    ASSERT_LEX_ERROR("KZ x \"a\x01\"", "control character 0x01 in quoted text", 8);
    ASSERT_LEX_ERROR("KZ x \"a\x7F\"", "control character 0x7F in quoted text", 8);
    ASSERT_LEX_ERROR("KZ x \"a\rb\"", "control character 0x0D in quoted text", 8);
    ASSERT_LEX_ERROR("KZ x \"\x80\"", "invalid UTF-8 in quoted text", 7);        /* lone continuation */
    ASSERT_LEX_ERROR("KZ x \"\xC0\x80\"", "invalid UTF-8 in quoted text", 7);    /* overlong */
    ASSERT_LEX_ERROR("KZ x \"\xE0\x80\x80\"", "invalid UTF-8 in quoted text", 7);/* overlong */
    ASSERT_LEX_ERROR("KZ x \"\xED\xA0\x80\"", "invalid UTF-8 in quoted text", 7);/* surrogate */
    ASSERT_LEX_ERROR("KZ x \"\xF4\x90\x80\x80\"", "invalid UTF-8 in quoted text", 7); /* > U+10FFFF */
    ASSERT_LEX_ERROR("KZ x \"\xF5\x80\x80\x80\"", "invalid UTF-8 in quoted text", 7);
    ASSERT_LEX_ERROR("KZ x \"ab\xC3\"", "invalid UTF-8 in quoted text", 9);     /* cut short */
    ASSERT_LEX_ERROR("KZ x \"ab\xE2\x82", "invalid UTF-8 in quoted text", 9);   /* cut at the end */
}

TEST(lex_error_ends_the_line)
{
    ent_lexer lx;
    ent_token t;
    ent__lex_init(&lx, "a ( b c", 7, NULL);
    ASSERT_EQ(ent__lex_next(&lx, &t), ENT_TOK_BARE);
    ASSERT_EQ(ent__lex_next(&lx, &t), ENT_TOK_ERROR);
    ASSERT_EQ(ent__lex_next(&lx, &t), ENT_TOK_END);
    ASSERT_STR_EQ(lx.err, "unexpected character '('");
}

TEST(lex_show_cuts_long_tokens)
{
    char buf[48];
    ASSERT_STR_EQ(ent__lex_show(ENT_STR_LIT("short"), buf, sizeof buf), "short");
    ASSERT_STR_EQ(ent__lex_show(ENT_STR_LIT("0123456789012345678901234567890123456789"), buf,
                                sizeof buf),
                  "0123456789012345678901234567890123456789");
    ASSERT_STR_EQ(ent__lex_show(ENT_STR_LIT("0123456789012345678901234567890123456789X"), buf,
                                sizeof buf),
                  "0123456789012345678901234567890123456789...");
    /* a UTF-8 sequence across the cut is left out whole */
    ASSERT_STR_EQ(ent__lex_show(ENT_STR_LIT("012345678901234567890123456789012345678\xC3\xA9"),
                                buf, sizeof buf),
                  "012345678901234567890123456789012345678...");
}
