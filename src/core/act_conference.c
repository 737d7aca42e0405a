/*
** act_conference.c: conferences and events of the organization, their
** invitations and registrations (portal.h).
**
**   CSC conference id=MINSK-2023 [organizer=BY] city=Minsk [venue="..."] [address="..."]
**       start=2023-10-26T10:00 end=2023-10-27T18:00 tz=Europe/Minsk
**       [capacity=300] [deadline=2023-10-20] [terms="..."] "title"
**   BY conference id=MINSK-2023 organizer=BY city=Minsk year=2023 "title"   (only the year known)
**   MINSK-2023 invite party=UN
**   MINSK-2023 register id=REG-1 name="..." email="..." [party=UN]
**
** start= and end= are local date-times, YYYY-MM-DDTHH:MM, in the zone tz=,
** an IANA time zone name (Europe/Minsk, Asia/Almaty, UTC). Only the shape of
** the name is checked: the model loads no time zone database, and compares
** start and end as local times of the one zone. A conference known only by
** its year (year=, as the seed article gives the Minsk conference of 2023) is
** "planned" and takes no registrations.
**
** A registration gets a confirmation code derived from the line's content
** only (BLAKE2b of the conference id, the registration id, its date, name,
** e-mail and party), so replaying the journal gives the same code. The rule
** `conferences` (the organization's conference terms, a model rule) refuses
** a registration when the conference is full (capacity=), after the
** deadline (deadline=, inclusive; without one, from the conference's first
** day on), or for a conference whose dates are not set.
**
** Limits (bytes): title 300, city 100, venue 200, address 300, tz 64,
** terms 4000, name 200, email 254 with exactly one @, party 16.
*/
#include "act.h"
#include "portal.h"

#include <sodium.h>
#include <string.h>


/* ------------------------------------------------------------------ */
/* Local date-times and zone names.                                     */

static int digits(const char *p, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return -1;
        *v = *v * 10 + (p[i] - '0');
    }
    return 0;
}

/* "YYYY-MM-DDTHH:MM" -> local minutes; -1 wrong shape, -2 no such time. */
static int lt_parse(ent_str v, int64_t *out)
{
    int hh, mm;
    ent_date d;
    if (v.n != 16 || v.p[10] != 'T' || v.p[13] != ':') return -1;
    int r = ent__date_parse(v.p, 10, &d);
    if (r) return r;
    if (digits(v.p + 11, 2, &hh) || digits(v.p + 14, 2, &mm)) return -1;
    if (hh > 23 || mm > 59) return -2;
    *out = (int64_t)d * 1440 + hh * 60 + mm;
    return 0;
}

const char *ent__lt_format(int64_t lt, char buf[17])
{
    if (lt == ENT_LT_NONE) {
        buf[0] = 0;
        return buf;
    }
    int64_t d = lt >= 0 ? lt / 1440 : -((-lt + 1439) / 1440);
    int m = (int)(lt - d * 1440);
    ent__date_format((ent_date)d, buf);
    buf[10] = 'T';
    buf[11] = (char)('0' + m / 600), buf[12] = (char)('0' + m / 60 % 10), buf[13] = ':';
    buf[14] = (char)('0' + m % 60 / 10), buf[15] = (char)('0' + m % 10), buf[16] = 0;
    return buf;
}

/* An IANA zone name's shape: "UTC", or Area/Location[/Sub], each part
** starting with a capital letter, then letters, digits, _ + -. */
static int tz_ok(ent_str v)
{
    if (ent__str_eq(v, "UTC")) return 1;
    int parts = 0;
    uint32_t i = 0;
    while (i < v.n) {
        if (!(v.p[i] >= 'A' && v.p[i] <= 'Z')) return 0;
        i++;
        while (i < v.n && v.p[i] != '/') {
            char ch = v.p[i++];
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                  ch == '-' || ch == '+'))
                return 0;
        }
        parts++;
        if (i < v.n && ++i == v.n) return 0; /* trailing '/' */
    }
    return parts >= 2 && parts <= 3;
}

static int64_t day_start(ent_date d) { return (int64_t)d * 1440; }
/* The day of a local time (floor division: days before 1970 are negative). */
static ent_date lt_day(int64_t lt) { return (ent_date)(lt >= 0 ? lt / 1440 : -((-lt + 1439) / 1440)); }

const char *ent__conference_status(const ent_conference *k, ent_date d)
{
    if (k->start == ENT_LT_NONE) return "planned";
    int64_t now = day_start(d);
    if (now > k->end) return "held";
    if (now + 1439 >= k->start) return "under-way";
    ent_date close = k->deadline != ENT_DATE_NONE ? k->deadline : lt_day(k->start) - 1;
    return d <= close ? "registration-open" : "registration-closed";
}

/* ------------------------------------------------------------------ */
/* Handlers.                                                            */

static int intern(ent_ctx *c, ent_str v, ent_sym *out)
{
    *out = 0;
    if (!v.n) return 0;
    *out = ent__sym(c->s, v.p, v.n);
    return *out ? 0 : ent__act_nomem(c);
}

static int key_lt(ent_ctx *c, int kid, int64_t *out)
{
    const char *key = ent__key_name(kid);
    const ent_arg *a = ent__stmt_key(c->st, kid);
    *out = ENT_LT_NONE;
    if (!a) return 0;
    int r = lt_parse(a->val, out);
    if (r == -1) return ent__act_err(c, a->col, "%s= wants a local date-time YYYY-MM-DDTHH:MM", key);
    if (r) return ent__act_err(c, a->col, "no such date-time: %.*s", (int)a->val.n, a->val.p);
    return 0;
}

static int do_conference(ent_ctx *c)
{
    ent_sym by, id;
    ent_str title, city, venue, address, tz, terms;
    long year = 0, cap = -1;
    ent_date deadline;
    int64_t start, end;
    if (ent__act_check_keys(c, "id organizer city venue address start end tz year capacity deadline terms") ||
        ent__act_max_pos(c, 0) || ent__portal_subject(c, 1, &by) || ent__portal_field(c, ENT_K_NONE, 1, 300, &title) ||
        ent__portal_field(c, ENT_K_CITY, 1, 100, &city) || ent__portal_field(c, ENT_K_VENUE, 0, 200, &venue) ||
        ent__portal_field(c, ENT_K_ADDRESS, 0, 300, &address) || ent__portal_field(c, ENT_K_TERMS, 0, 4000, &terms) ||
        ent__portal_field(c, ENT_K_TZ, 0, 64, &tz) || key_lt(c, ENT_K_START, &start) || key_lt(c, ENT_K_END, &end) ||
        ent__act_key_int(c, ENT_K_YEAR, 0, 1, 9999, &year) || ent__act_key_int(c, ENT_K_CAPACITY, 0, 1, 10000000, &cap) ||
        ent__act_key_date(c, ENT_K_DEADLINE, 0, &deadline))
        return c->o->verdict;
    const ent_arg *oa = ent__stmt_key(c->st, ENT_K_ORGANIZER);
    if (oa && ent__world_find(c->s->world, oa->val) < 0 && ent__charter_body(c->s->charter, oa->val) < 0 &&
        !ent__str_eq(oa->val, "SG"))
        return ent__act_err(c, oa->col, "organizer= wants a state, a body of the organization or SG: '%.*s'",
                            (int)oa->val.n, oa->val.p);
    if (year) {
        int bad = start != ENT_LT_NONE ? ENT_K_START : end != ENT_LT_NONE ? ENT_K_END
                  : deadline != ENT_DATE_NONE ? ENT_K_DEADLINE : cap >= 0 ? ENT_K_CAPACITY : ENT_K_NONE;
        if (bad)
            return ent__act_err(c, ent__stmt_key(c->st, bad)->col,
                                "year= records a conference known only by its year: no %s= with it", ent__key_name(bad));
    } else {
        if (start == ENT_LT_NONE) return ent__act_err(c, 0, "missing start=YYYY-MM-DDTHH:MM (or year=YYYY)");
        if (end == ENT_LT_NONE) return ent__act_err(c, 0, "missing end=YYYY-MM-DDTHH:MM");
        if (!tz.n) return ent__act_err(c, 0, "missing tz=ZONE (an IANA time zone name, such as Europe/Minsk)");
        if (end <= start) return ent__act_err(c, ent__stmt_key(c->st, ENT_K_END)->col, "end= is not after start=");
        if (deadline != ENT_DATE_NONE && deadline >= lt_day(start))
            return ent__act_err(c, ent__stmt_key(c->st, ENT_K_DEADLINE)->col,
                                "deadline= must be before the conference's first day");
    }
    if (tz.n && !tz_ok(tz))
        return ent__act_err(c, ent__stmt_key(c->st, ENT_K_TZ)->col,
                            "tz= wants an IANA time zone name (Area/Location, such as Europe/Minsk, or UTC): '%.*s'",
                            (int)tz.n, tz.p);
    ent_sym org, ti, ci, tzs;
    if (intern(c, oa ? oa->val : (ent_str){ NULL, 0 }, &org) || intern(c, city, &ci) || intern(c, tz, &tzs))
        return c->o->verdict;
    if (ent__act_new_id(c, &id)) return c->o->verdict;
    ti = ent__text(c->s, title.p, title.n);
    if (!ti) return ent__act_nomem(c);
    ent_conference *k = ent__vec_push(&c->s->conferences);
    if (!k) return ent__act_nomem(c);
    *k = (ent_conference){ id, c->d, by, org, ti, ci, tzs, (int32_t)year, start, end, (int32_t)cap, deadline, 0, 0 };
    if (ent__inst_add_record(c->s, id, ENT_REC_CONFERENCE, (int32_t)(c->s->conferences.len - 1)))
        return ent__act_nomem(c);
    return ENT_V_OK;
}

/* The subject names a conference dated on or before the act. */
static int subject_conference(ent_ctx *c, int32_t *ki)
{
    ent_arg a = { { NULL, 0 }, c->st->subject, ENT_ARG_WORD, c->st->col_subject };
    int kind;
    if (ent__inst_record(c->s, a.val.p, a.val.n, ki) == ENT_REC_NONE)
        return ent__act_err(c, a.col, "'%.*s' is not a conference", (int)a.val.n, a.val.p);
    if (ent__portal_any_record(c, &a, &kind, ki)) return c->o->verdict;
    if (kind != ENT_REC_CONFERENCE) return ent__act_err(c, a.col, "'%.*s' is not a conference", (int)a.val.n, a.val.p);
    return 0;
}

static int party_of(ent_ctx *c, int required, ent_str *out)
{
    const ent_arg *a = ent__stmt_key(c->st, ENT_K_PARTY);
    *out = (ent_str){ NULL, 0 };
    if (!a) return required ? ent__act_err(c, 0, "missing party=STATE|ORGANIZATION") : 0;
    int ok = a->val.n >= 2 && a->val.n <= 16;
    for (uint32_t i = 0; ok && i < a->val.n; i++)
        ok = (a->val.p[i] >= 'A' && a->val.p[i] <= 'Z') || (a->val.p[i] >= '0' && a->val.p[i] <= '9') ||
             a->val.p[i] == '-';
    if (!ok) return ent__act_err(c, a->col, "party= wants a state code or an organization's code in capitals (UN)");
    *out = a->val;
    return 0;
}

static int do_invite(ent_ctx *c)
{
    int32_t ki;
    ent_str party;
    ent_sym ps;
    if (ent__act_check_keys(c, "party") || ent__act_max_pos(c, 0) || subject_conference(c, &ki) ||
        party_of(c, 1, &party) || intern(c, party, &ps))
        return c->o->verdict;
    const ent_invite *v = c->s->invites.p;
    for (size_t i = 0; i < c->s->invites.len; i++)
        if (v[i].conference == ki && v[i].party == ps)
            return ent__act_err(c, ent__stmt_key(c->st, ENT_K_PARTY)->col, "%.*s is already invited", (int)party.n,
                                party.p);
    ent_invite *n = ent__vec_push(&c->s->invites);
    if (!n) return ent__act_nomem(c);
    *n = (ent_invite){ ki, c->d, ps };
    ENT_VEC_AT(&c->s->conferences, ent_conference, ki).invited++;
    return ENT_V_OK;
}

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

const char *ent__registration_code(uint64_t code, char buf[10])
{
    for (int i = 0, j = 0; i < 8; i++, j++) {
        if (i == 4) buf[j++] = '-';
        buf[j] = crockford[(code >> (35 - 5 * i)) & 31];
    }
    buf[9] = 0;
    return buf;
}

static void feed(crypto_generichash_state *h, const char *p, size_t n)
{
    crypto_generichash_update(h, (const unsigned char *)p, n);
    crypto_generichash_update(h, (const unsigned char *)"", 1); /* a NUL between fields */
}

static int do_register(ent_ctx *c)
{
    int32_t ki;
    ent_sym id;
    ent_str name, email, party;
    char b[11], b2[11], x[17];
    if (ent__act_check_keys(c, "id name email party") || ent__act_max_pos(c, 0) || subject_conference(c, &ki) ||
        ent__portal_field(c, ENT_K_NAME, 1, 200, &name) || ent__portal_field(c, ENT_K_EMAIL, 1, 254, &email) ||
        party_of(c, 0, &party))
        return c->o->verdict;
    if (c->st->has_text) return ent__act_err(c, c->st->col_text, "a registration takes no \"text\"");
    const char *at = memchr(email.p, '@', email.n);
    uint16_t ecol = ent__stmt_key(c->st, ENT_K_EMAIL)->col;
    if (!at || at == email.p || at == email.p + email.n - 1 || memchr(at + 1, '@', (size_t)(email.p + email.n - at - 1)))
        return ent__act_err(c, ecol, "email= wants one address with exactly one @: '%.*s'", (int)email.n, email.p);
    for (uint32_t i = 0; i < email.n; i++)
        if ((unsigned char)email.p[i] <= ' ' || email.p[i] == 0x7f)
            return ent__act_err(c, ecol, "email= has a space or a control character");
    const ent_conference *k = &ENT_VEC_AT(&c->s->conferences, ent_conference, ki);
    const char *kid = ent__sym_str(c->s, k->id);
    int terms = ent__act_in_force(c, "conferences"); /* not in the charter: no conference terms */
    if (terms && k->start == ENT_LT_NONE)
        return ent__act_refuse(c, "conferences", "%s is planned for %d without dates: registration is not open", kid,
                               k->year);
    ent_date close = k->deadline != ENT_DATE_NONE ? k->deadline : lt_day(k->start) - 1;
    if (terms && c->d > close) {
        if (k->deadline != ENT_DATE_NONE)
            return ent__act_refuse(c, "conferences", "registration for %s closed on %s (deadline): too late on %s", kid,
                                   ent__act_day(k->deadline, b), ent__act_day(c->d, b2));
        return ent__act_refuse(c, "conferences", "%s starts at %s (%s): registration closes the day before", kid,
                               ent__lt_format(k->start, x), ent__sym_str(c->s, k->tz));
    }
    if (terms && k->capacity >= 0 && k->registered >= k->capacity)
        return ent__act_refuse(c, "conferences", "%s is full: %d of %d places taken", kid, k->registered, k->capacity);
    if (ent__act_new_id(c, &id)) return c->o->verdict;
    /* the confirmation code: from the line's content only, so replay gives it again */
    unsigned char h[16];
    crypto_generichash_state g;
    crypto_generichash_init(&g, NULL, 0, sizeof h);
    feed(&g, "entente-registration-1", 22);
    feed(&g, kid, strlen(kid));
    feed(&g, ent__sym_str(c->s, id), strlen(ent__sym_str(c->s, id)));
    ent__act_day(c->d, b);
    feed(&g, b, 10);
    feed(&g, name.p, name.n);
    feed(&g, email.p, email.n);
    feed(&g, party.p ? party.p : "", party.n);
    crypto_generichash_final(&g, h, sizeof h);
    uint64_t code = 0;
    for (int i = 0; i < 5; i++) code = code << 8 | h[i];
    ent_registration *r = ent__vec_push(&c->s->registrations);
    if (!r) return ent__act_nomem(c);
    *r = (ent_registration){ id, c->d, ki, code };
    ENT_VEC_AT(&c->s->conferences, ent_conference, ki).registered++;
    if (ent__inst_add_record(c->s, id, ENT_REC_REGISTRATION, (int32_t)(c->s->registrations.len - 1)))
        return ent__act_nomem(c);
    return ENT_V_OK;
}

const ent_verb ent__verbs_conference[] = {
    ENT_VERB("conference", do_conference),
    ENT_VERB("invite", do_invite),
    ENT_VERB("register", do_register),
    { NULL, 0, NULL }
};
