/* test_world.c: states, borders, sea links and distances (src/core/world.c).
**
** The statements are built by ent_test_world_line() below, a small splitter
** that stands in for the parser: it cuts a line at blanks, keeps "quoted
** text" whole, and records the 1-based column of every part as the parser
** would. test_route.c uses it too. */
#include "../test.h"
#include "../../../src/core/core.h"

#include <stdio.h>
#include <stdlib.h>

int ent_test_world_line(ent_world *w, const char *line, ent_outcome *o);
void ent_test_world_csto(ent_world *w);

/* Split `line` into an ent_stmt that points into it (no escapes). */
static void split_line(const char *line, ent_stmt *s)
{
    memset(s, 0, sizeof *s);
    s->date = ENT_DATE_NONE;
    s->file = "test";
    s->line = 1;
    const char *p = line;
    int part = 0;
    while (*p) {
        while (*p == ' ') p++;
        if (!*p) break;
        const char *start = p;
        uint16_t col = (uint16_t)(start - line + 1);
        if (*p == '"') {
            const char *e = strchr(p + 1, '"');
            if (!e) abort();
            s->has_text = 1;
            s->text = (ent_str){ p + 1, (uint32_t)(e - p - 1) };
            s->col_text = col;
            p = e + 1;
            continue;
        }
        const char *eq = NULL;
        while (*p && *p != ' ') {
            if (*p == '=' && !eq) {
                eq = p;
                if (p[1] == '"') { /* key="quoted value" */
                    const char *e = strchr(p + 2, '"');
                    if (!e) abort();
                    p = e;
                }
            }
            p++;
        }
        ent_str tok = { start, (uint32_t)(p - start) };
        if (part == 0) {
            s->subject = tok;
            s->col_subject = col;
        } else if (part == 1) {
            s->verb = tok;
            s->col_verb = col;
        } else {
            if (s->nargs >= ENT_MAX_ARGS) abort();
            ent_arg *a = &s->args[s->nargs++];
            a->col = col;
            a->kind = ENT_ARG_WORD;
            if (eq) {
                a->key = (ent_str){ start, (uint32_t)(eq - start) };
                a->key_id = (uint8_t)ent__key_id(a->key.p, a->key.n);
                s->keys.w[a->key_id >> 6] |= (uint64_t)1 << (a->key_id & 63);
                if (a->key_id == ENT_K_SRC) s->src_at = s->nargs;
                a->val = (ent_str){ eq + 1, (uint32_t)(p - eq - 1) };
                if (eq[1] == '"') {
                    a->val.p++;
                    a->val.n -= 2;
                    a->kind = ENT_ARG_QUOTED;
                }
            } else {
                a->key = (ent_str){ NULL, 0 };
                a->key_id = ENT_K_NONE;
                a->val = tok;
                s->pos[s->npos++] = (uint8_t)(s->nargs - 1);
            }
            if (a->kind == ENT_ARG_WORD && memchr(a->val.p, ',', a->val.n)) a->kind = ENT_ARG_LIST;
        }
        part++;
    }
}

int ent_test_world_line(ent_world *w, const char *line, ent_outcome *o)
{
    ent_stmt s;
    split_line(line, &s);
    return ent__world_apply(w, &s, o);
}

/* The members and their neighbours, with the real land borders and the
** Caspian links (all pairs of the five littoral states). */
void ent_test_world_csto(ent_world *w)
{
    static const char *const lines[] = {
        "world state AM capital=Yerevan lat=40.1792 lon=44.4991 src=S136 \"Armenia\"",
        "world state BY capital=Minsk lat=53.9045 lon=27.5615 src=S138 \"Belarus\"",
        "world state KZ capital=Astana lat=51.1605 lon=71.4704 src=S139 \"Kazakhstan\"",
        "world state KG capital=Bishkek lat=42.8746 lon=74.5698 src=S139 \"Kyrgyzstan\"",
        "world state RU capital=Moscow lat=55.7558 lon=37.6173 src=S141 \"Russia\"",
        "world state TJ capital=Dushanbe lat=38.5598 lon=68.7870 src=S140 \"Tajikistan\"",
        "world state GE capital=Tbilisi lat=41.7151 lon=44.8271 \"Georgia\"",
        "world state AZ capital=Baku lat=40.4093 lon=49.8671 \"Azerbaijan\"",
        "world state IR capital=Tehran lat=35.6892 lon=51.3890 \"Iran\"",
        "world state TR capital=Ankara lat=39.9334 lon=32.8597 \"Turkey\"",
        "world state UZ capital=Tashkent lat=41.2995 lon=69.2401 \"Uzbekistan\"",
        "world state TM capital=Ashgabat lat=37.9601 lon=58.3261 \"Turkmenistan\"",
        "world state CN capital=Beijing lat=39.9042 lon=116.4074 \"China\"",
        "world border AM GE src=S136",
        "world border AM AZ src=S136",
        "world border AM IR src=S136",
        "world border AM TR closed src=S136",
        "world border RU BY src=S141",
        "world border RU KZ src=S141",
        "world border RU GE src=S141",
        "world border RU AZ src=S141",
        "world border RU CN src=S141",
        "world border KZ KG src=S139",
        "world border KZ UZ src=S139",
        "world border KZ TM src=S139",
        "world border KZ CN src=S139",
        "world border KG UZ src=S139",
        "world border KG TJ src=S139",
        "world border KG CN src=S139",
        "world border TJ UZ src=S140",
        "world border TJ CN src=S140",
        "world border GE AZ",
        "world border GE TR",
        "world border AZ IR",
        "world border AZ TR",
        "world border IR TR",
        "world border IR TM",
        "world border UZ TM",
        "world sea RU KZ sea=Caspian src=S142",
        "world sea RU AZ sea=Caspian src=S142",
        "world sea RU TM sea=Caspian src=S142",
        "world sea RU IR sea=Caspian src=S142",
        "world sea KZ AZ sea=Caspian src=S142",
        "world sea KZ TM sea=Caspian src=S142",
        "world sea KZ IR sea=Caspian src=S142",
        "world sea AZ TM sea=Caspian src=S142",
        "world sea AZ IR sea=Caspian src=S142",
        "world sea TM IR sea=Caspian src=S142",
    };
    ent__world_init(w);
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        ent_outcome o;
        if (ent_test_world_line(w, lines[i], &o) != ENT_V_OK) {
            fprintf(stderr, "world line failed: %s: %s\n", lines[i], o.msg);
            abort();
        }
    }
}

static ent_state_id id_of(const ent_world *w, const char *code)
{
    return ent__world_find(w, (ent_str){ code, (uint32_t)strlen(code) });
}

/* Column of the first occurrence of needle in line (1-based). */
static int col_of(const char *line, const char *needle)
{
    const char *p = strstr(line, needle);
    return p ? (int)(p - line + 1) : -1;
}

/* Expect line to fail at the column of `at` with a message containing msg. */
#define EXPECT_ERROR(w, line, at, want)                                       \
    do {                                                                      \
        ent_outcome o_;                                                       \
        int n0_ = (w)->nstates, l0_ = (w)->nlinks;                            \
        ASSERT_EQ(ent_test_world_line((w), (line), &o_), ENT_V_ERROR);        \
        ASSERT_EQ(o_.verdict, ENT_V_ERROR);                                   \
        if (at) ASSERT_EQ(o_.col, col_of((line), (at)));                      \
        ASSERT_CONTAINS(o_.msg, (want));                                      \
        ASSERT_EQ((w)->nstates, n0_);                                         \
        ASSERT_EQ((w)->nlinks, l0_);                                          \
    } while (0)

TEST(world_state_declared)
{
    ent_world w;
    ent_outcome o;
    ent__world_init(&w);
    ASSERT_EQ(ent_test_world_line(&w,
        "world state KZ capital=Astana lat=51.1605 lon=71.4704 src=S139 \"Kazakhstan\"", &o),
        ENT_V_OK);
    ASSERT_EQ(o.verdict, ENT_V_OK);
    ASSERT_EQ(w.nstates, 1);
    ASSERT_STR_EQ(w.states[0].code, "KZ");
    ASSERT_STR_EQ(w.states[0].name, "Kazakhstan");
    ASSERT_STR_EQ(w.states[0].capital, "Astana");
    ASSERT_STR_EQ(w.states[0].src, "S139");
    ASSERT_NEAR(w.states[0].lat, 51.1605, 1e-12);
    ASSERT_NEAR(w.states[0].lon, 71.4704, 1e-12);
    ASSERT_EQ(id_of(&w, "KZ"), 0);
    ASSERT_EQ(id_of(&w, "RU"), -1);
    ASSERT_EQ(id_of(&w, "K"), -1);
    /* quoted values, negative coordinates, a list of sources */
    ASSERT_EQ(ent_test_world_line(&w,
        "world state XS capital=\"Port South\" lat=-33.5 lon=-70.25 src=S1,S2 \"Southland\"", &o),
        ENT_V_OK);
    ASSERT_STR_EQ(w.states[1].capital, "Port South");
    ASSERT_STR_EQ(w.states[1].src, "S1,S2");
    ASSERT_NEAR(w.states[1].lat, -33.5, 0);
    ASSERT_NEAR(w.states[1].lon, -70.25, 0);
}

TEST(world_border_and_sea_declared)
{
    ent_world w;
    ent_test_world_csto(&w);
    ASSERT_EQ(w.nstates, 13);
    ent_state_id am = id_of(&w, "AM"), tr = id_of(&w, "TR"), ru = id_of(&w, "RU"),
                 kz = id_of(&w, "KZ"), ir = id_of(&w, "IR"), by = id_of(&w, "BY");
    int l = ent__world_adjacent(&w, am, tr);
    ASSERT(l >= 0);
    ASSERT_EQ(w.links[l].closed, 1);
    ASSERT_EQ(w.links[l].sea, 0);
    ASSERT_EQ(ent__world_adjacent(&w, tr, am), l);
    /* Russia and Kazakhstan: the open land border comes before the Caspian. */
    l = ent__world_adjacent(&w, ru, kz);
    ASSERT(l >= 0);
    ASSERT_EQ(w.links[l].sea, 0);
    ASSERT_EQ(w.links[l].closed, 0);
    l = ent__world_adjacent(&w, ir, ru);
    ASSERT(l >= 0);
    ASSERT_EQ(w.links[l].sea, 1);
    ASSERT_STR_EQ(w.links[l].sea_name, "Caspian");
    ASSERT_EQ(ent__world_adjacent(&w, by, am), -1);
}

TEST(world_km_haversine)
{
    ent_world w;
    ent_test_world_csto(&w);
    ent_state_id ru = id_of(&w, "RU"), am = id_of(&w, "AM");
    double km = ent__world_km(&w, ru, am);
    ASSERT_NEAR(km, 1790.0, 17.9); /* within 1% */
    ASSERT_NEAR(km, ent__world_km(&w, am, ru), 1e-9);
    ASSERT_NEAR(ent__world_km(&w, ru, ru), 0.0, 0);
    ASSERT_NEAR(ent__world_km(&w, ru, -1), -1.0, 0);
    ASSERT_NEAR(ent__world_km(&w, ru, (ent_state_id)w.nstates), -1.0, 0);

    /* A quarter of a great circle: pole to equator is pi/2 * R. */
    ent_world g;
    ent_outcome o;
    ent__world_init(&g);
    ASSERT_EQ(ent_test_world_line(&g, "world state NP capital=N lat=90 lon=0 \"North\"", &o), 0);
    ASSERT_EQ(ent_test_world_line(&g, "world state EQ capital=E lat=0 lon=123 \"Equator\"", &o), 0);
    ASSERT_EQ(ent_test_world_line(&g, "world state AP capital=A lat=0 lon=-57 \"Antipode\"", &o), 0);
    ASSERT_NEAR(ent__world_km(&g, 0, 1), 3.14159265358979 / 2 * 6371.0088, 1e-6);
    /* antipodal points: half a great circle */
    ASSERT_NEAR(ent__world_km(&g, 1, 2), 3.14159265358979 * 6371.0088, 1e-6);
}

TEST(world_error_bad_code)
{
    ent_world w;
    ent__world_init(&w);
    EXPECT_ERROR(&w, "world state kz capital=Astana lat=51 lon=71 \"Kazakhstan\"", "kz",
                 "bad state code 'kz'");
    EXPECT_ERROR(&w, "world state KAZ capital=Astana lat=51 lon=71 \"Kazakhstan\"", "KAZ",
                 "bad state code 'KAZ'");
    EXPECT_ERROR(&w, "world state K1 capital=Astana lat=51 lon=71 \"Kazakhstan\"", "K1",
                 "two upper-case letters");
    EXPECT_ERROR(&w, "world state capital=Astana lat=51 lon=71 \"Kazakhstan\"", "state",
                 "missing state code");
    EXPECT_ERROR(&w, "world state KZ KG capital=Astana lat=51 lon=71 \"Kazakhstan\"", "KG",
                 "unexpected argument 'KG'");
}

TEST(world_error_duplicate_state)
{
    ent_world w;
    ent_outcome o;
    ent__world_init(&w);
    ASSERT_EQ(ent_test_world_line(&w, "world state KZ capital=Astana lat=51 lon=71 \"Kazakhstan\"",
                                  &o), 0);
    EXPECT_ERROR(&w, "world state KZ capital=Almaty lat=43 lon=76 \"Kazakhstan\"", "KZ",
                 "state 'KZ' declared twice");
    ASSERT_STR_EQ(w.states[0].capital, "Astana");
}

TEST(world_error_unknown_state)
{
    ent_world w;
    ent_test_world_csto(&w);
    EXPECT_ERROR(&w, "world border KZ XX", "XX", "unknown state 'XX'");
    EXPECT_ERROR(&w, "world border XY KZ", "XY", "unknown state 'XY'");
    EXPECT_ERROR(&w, "world sea QQ RU sea=Caspian", "QQ", "unknown state 'QQ'");
    EXPECT_ERROR(&w, "world sea RU QQ sea=Caspian", "QQ", "unknown state 'QQ'");
    EXPECT_ERROR(&w, "world border KZ ru", "ru", "bad state code 'ru'");
    EXPECT_ERROR(&w, "world border KZ", "border", "needs two state codes");
}

TEST(world_error_lat_lon)
{
    ent_world w;
    ent__world_init(&w);
    EXPECT_ERROR(&w, "world state KZ capital=Astana lat=90.5 lon=71 \"Kazakhstan\"", "lat=",
                 "bad latitude '90.5'");
    EXPECT_ERROR(&w, "world state KZ capital=Astana lat=-91 lon=71 \"Kazakhstan\"", "lat=",
                 "bad latitude");
    EXPECT_ERROR(&w, "world state KZ capital=Astana lat=51 lon=180.01 \"Kazakhstan\"", "lon=",
                 "bad longitude '180.01'");
    EXPECT_ERROR(&w, "world state KZ capital=Astana lat=51 lon=-181 \"Kazakhstan\"", "lon=",
                 "bad longitude");
    EXPECT_ERROR(&w, "world state KZ capital=Astana lat=north lon=71 \"Kazakhstan\"", "lat=",
                 "bad latitude 'north'");
    EXPECT_ERROR(&w, "world state KZ capital=Astana lat=51.1x lon=71 \"Kazakhstan\"", "lat=",
                 "bad latitude");
    EXPECT_ERROR(&w, "world state KZ capital=Astana lat=nan lon=71 \"Kazakhstan\"", "lat=",
                 "bad latitude");
    EXPECT_ERROR(&w, "world state KZ capital=Astana lat=0x10 lon=71 \"Kazakhstan\"", "lat=",
                 "bad latitude");
    EXPECT_ERROR(&w, "world state KZ capital=Astana lat=51 lon=1e999 \"Kazakhstan\"", "lon=",
                 "bad longitude");
    /* the bounds themselves are allowed */
    ent_outcome o;
    ASSERT_EQ(ent_test_world_line(&w, "world state SP capital=X lat=-90 lon=-180 \"South\"", &o), 0);
    ASSERT_EQ(ent_test_world_line(&w, "world state NP capital=Y lat=90 lon=180 \"North\"", &o), 0);
}

TEST(world_error_missing_keys)
{
    ent_world w;
    ent__world_init(&w);
    EXPECT_ERROR(&w, "world state KZ lat=51 lon=71 \"Kazakhstan\"", "state", "missing capital=");
    EXPECT_ERROR(&w, "world state KZ capital=Astana lon=71 \"Kazakhstan\"", "state",
                 "missing lat=");
    EXPECT_ERROR(&w, "world state KZ capital=Astana lat=51 \"Kazakhstan\"", "state",
                 "missing lon=");
    EXPECT_ERROR(&w, "world state KZ capital=Astana lat=51 lon=71", "state", "missing name");
    EXPECT_ERROR(&w, "world state KZ capital=Astana lat=51 lon=71 \"\"", "state", "missing name");
    EXPECT_ERROR(&w, "world state KZ capital= lat=51 lon=71 \"Kazakhstan\"", "capital=",
                 "empty capital=");
    ent_outcome o;
    ASSERT_EQ(ent_test_world_line(&w, "world state KZ capital=Astana lat=51 lon=71 \"Kazakhstan\"",
                                  &o), 0);
    ASSERT_EQ(ent_test_world_line(&w, "world state RU capital=Moscow lat=55 lon=37 \"Russia\"", &o),
              0);
    EXPECT_ERROR(&w, "world sea KZ RU", "sea", "missing sea=");
}

TEST(world_error_too_long)
{
    ent_world w;
    ent__world_init(&w);
    EXPECT_ERROR(&w,
        "world state KZ capital=Astana lat=51 lon=71 "
        "\"Kazakhstan Kazakhstan Kazakhstan Kazakhstan Kazakhstan\"",
        "\"Kaz", "name too long");
    EXPECT_ERROR(&w,
        "world state KZ capital=AstanaAstanaAstanaAstanaAstanaAstana lat=51 lon=71 \"Kazakhstan\"",
        "capital=", "capital too long");
    EXPECT_ERROR(&w,
        "world state KZ capital=Astana lat=51 lon=71 src=S101,S102,S103,S104,S105,S106,S107 \"Kazakhstan\"",
        "src=", "src too long");
    ent_outcome o;
    ASSERT_EQ(ent_test_world_line(&w, "world state KZ capital=Astana lat=51 lon=71 \"Kazakhstan\"",
                                  &o), 0);
    ASSERT_EQ(ent_test_world_line(&w, "world state RU capital=Moscow lat=55 lon=37 \"Russia\"", &o),
              0);
    EXPECT_ERROR(&w, "world sea KZ RU sea=CaspianCaspianCaspian", "sea=", "sea name too long");
}

TEST(world_error_duplicate_border)
{
    ent_world w;
    ent_test_world_csto(&w);
    EXPECT_ERROR(&w, "world border KZ RU", "KZ", "border KZ-RU declared twice");
    EXPECT_ERROR(&w, "world border RU KZ", "RU", "border RU-KZ declared twice");
    EXPECT_ERROR(&w, "world border TR AM", "TR", "declared twice");
    EXPECT_ERROR(&w, "world sea IR RU sea=Caspian", "IR", "sea link IR-RU declared twice");
    EXPECT_ERROR(&w, "world border KZ KZ", NULL, "cannot border itself");
    ent_outcome o;
    ASSERT_EQ(ent_test_world_line(&w, "world border KZ KZ", &o), ENT_V_ERROR);
    ASSERT_EQ(o.col, 17); /* the second KZ */
    /* a land border and a sea link between the same pair are two links */
    ASSERT_EQ(ent_test_world_line(&w, "world border BY GE", &o), 0);
    ASSERT_EQ(ent_test_world_line(&w, "world sea BY GE sea=Black", &o), 0);
}

TEST(world_error_other)
{
    ent_world w;
    ent_test_world_csto(&w);
    EXPECT_ERROR(&w, "world river KZ RU", "river", "unknown verb 'world river'");
    EXPECT_ERROR(&w, "world border KZ RU open", "open", "unexpected argument 'open'");
    EXPECT_ERROR(&w, "world sea KZ RU closed sea=Caspian", "closed", "unexpected argument");
    EXPECT_ERROR(&w, "world border KZ BY km=5", "km=", "unknown key 'km'");
    EXPECT_ERROR(&w, "world state XA capital=X capital=Y lat=1 lon=1 \"X\"", "capital=Y",
                 "key 'capital' given twice");
    EXPECT_ERROR(&w, "KZ border KZ BY", "KZ", "not a world declaration");
}

TEST(world_error_table_full)
{
    static ent_world w; /* big: keep it off the stack */
    ent_outcome o;
    char line[128];
    ent__world_init(&w);
    for (int i = 0; i < ENT_MAX_STATES; i++) {
        snprintf(line, sizeof line, "world state %c%c capital=C lat=%d lon=%d \"S%d\"",
                 'A' + i / 26, 'A' + i % 26, i % 90, i, i);
        ASSERT_EQ(ent_test_world_line(&w, line, &o), ENT_V_OK);
    }
    EXPECT_ERROR(&w, "world state ZZ capital=C lat=0 lon=0 \"Z\"", "ZZ", "too many states");
    int nlinks = (int)(sizeof w.links / sizeof w.links[0]), k = 0;
    for (int a = 0; a < ENT_MAX_STATES && k < nlinks; a++)
        for (int b = a + 1; b < ENT_MAX_STATES && k < nlinks; b++, k++) {
            snprintf(line, sizeof line, "world border %s %s", w.states[a].code, w.states[b].code);
            ASSERT_EQ(ent_test_world_line(&w, line, &o), ENT_V_OK);
        }
    ASSERT_EQ(w.nlinks, nlinks);
    snprintf(line, sizeof line, "world sea %s %s sea=X", w.states[0].code, w.states[1].code);
    EXPECT_ERROR(&w, line, NULL, "too many borders and sea links");
}
