/*
** act_articles.c: articles and comments on the organization's portal, and
** their moderation (portal.h).
**
**   SG article id=A1 author="..." [about=ID|STATE] title="..." "text"
**   A1 comment id=C1 stance=for|against|neutral author="..." "text"
**   SG moderate C1 hide|restore reason="..."
**
** An article is published by a body, SG or a state (its subject); about=
** names the record (a deployment, a conference, a relation...) or the state
** it is about. A comment's subject is the record it comments on: any record
** dated on or before it (an article, a conference, a comment for a reply),
** except a hidden comment. Both only grow: the state keeps their ids, dates,
** what they refer to, a comment's stance and whether it is hidden; the
** author, title and text stay in the journal (`why` reads them back).
**
** Moderation (rule `moderation`, the organization's portal terms, a model
** rule): only SG, for the Secretariat, hides or restores a comment. A hidden
** comment stays in the journal and is flagged hidden; every hide and
** restore is kept in the public moderation log with its date and reason.
**
** Limits (bytes): author 200, title 300, article text 3000, comment text
** 2000, reason 500 (a chronicle line is at most 4096 bytes).
*/
#include "act.h"
#include "portal.h"

#include <string.h>


static const char *const stance_names[] = { "for", "against", "neutral" };

const char *ent__stance_name(int stance) { return stance >= 0 && stance < 3 ? stance_names[stance] : "?"; }

static int do_article(ent_ctx *c)
{
    ent_sym id, by, about = 0;
    ent_str author, title, text;
    ent_str sj = c->st->subject;
    if (!ent__str_eq(sj, "SG") && ent__charter_body(c->s->charter, sj) < 0 && ent__world_find(c->s->world, sj) < 0)
        return ent__act_err(c, c->st->col_subject, "'%.*s article': the subject must be a body, SG or a state",
                            (int)sj.n, sj.p);
    if (ent__act_check_keys(c, "id author about title") || ent__act_max_pos(c, 0) ||
        ent__portal_field(c, ENT_K_AUTHOR, 1, 200, &author) || ent__portal_field(c, ENT_K_TITLE, 1, 300, &title) ||
        ent__portal_field(c, ENT_K_NONE, 1, 3000, &text))
        return c->o->verdict;
    const ent_arg *aa = ent__stmt_key(c->st, ENT_K_ABOUT);
    if (aa && ent__world_find(c->s->world, aa->val) < 0) {
        int kind;
        int32_t idx;
        if (ent__portal_any_record(c, aa, &kind, &idx)) return c->o->verdict;
    }
    if (ent__act_new_id(c, &id)) return c->o->verdict;
    by = ent__sym(c->s, sj.p, sj.n);
    if (aa) about = ent__sym(c->s, aa->val.p, aa->val.n);
    if (!by || (aa && !about)) return ent__act_nomem(c);
    ent_article *a = ent__vec_push(&c->s->articles);
    if (!a) return ent__act_nomem(c);
    *a = (ent_article){ id, c->d, by, about };
    if (ent__inst_add_record(c->s, id, ENT_REC_ARTICLE, (int32_t)(c->s->articles.len - 1))) return ent__act_nomem(c);
    return ENT_V_OK;
}

static int do_comment(ent_ctx *c)
{
    ent_sym id, on;
    ent_str author, text;
    int kind;
    int32_t idx;
    ent_arg sa = { { NULL, 0 }, c->st->subject, ENT_ARG_WORD, c->st->col_subject };
    if (ent__portal_any_record(c, &sa, &kind, &idx) || ent__act_check_keys(c, "id stance author") ||
        ent__act_max_pos(c, 0) || ent__portal_field(c, ENT_K_AUTHOR, 1, 200, &author) ||
        ent__portal_field(c, ENT_K_NONE, 1, 2000, &text))
        return c->o->verdict;
    if (kind == ENT_REC_COMMENT && ENT_VEC_AT(&c->s->comments, ent_comment, idx).hidden)
        return ent__act_err(c, sa.col, "%.*s is hidden by moderation: no replies to it", (int)sa.val.n, sa.val.p);
    const ent_arg *st = ent__stmt_key(c->st, ENT_K_STANCE);
    if (!st) return ent__act_err(c, 0, "missing stance=for|against|neutral");
    int stance = -1;
    for (int i = 0; i < 3; i++)
        if (ent__str_is(st->val, stance_names[i])) stance = i;
    if (stance < 0) return ent__act_err(c, st->col, "stance= wants for, against or neutral");
    if (ent__act_new_id(c, &id)) return c->o->verdict;
    on = ent__sym(c->s, sa.val.p, sa.val.n);
    if (!on) return ent__act_nomem(c);
    ent_comment *k = ent__vec_push(&c->s->comments);
    if (!k) return ent__act_nomem(c);
    *k = (ent_comment){ id, c->d, on, (uint8_t)stance, 0 };
    if (ent__inst_add_record(c->s, id, ENT_REC_COMMENT, (int32_t)(c->s->comments.len - 1))) return ent__act_nomem(c);
    return ENT_V_OK;
}

static int do_moderate(ent_ctx *c)
{
    ent_str reason;
    int kind;
    int32_t idx;
    if (ent__act_check_keys(c, "reason") || ent__act_max_pos(c, 2)) return c->o->verdict;
    const ent_arg *ca = ent__stmt_pos(c->st, 0), *aa = ent__stmt_pos(c->st, 1);
    if (!ca) return ent__act_err(c, 0, "missing the id of a comment");
    if (ent__portal_any_record(c, ca, &kind, &idx)) return c->o->verdict;
    if (kind != ENT_REC_COMMENT) return ent__act_err(c, ca->col, "'%.*s' is not a comment", (int)ca->val.n, ca->val.p);
    if (!aa) return ent__act_err(c, 0, "missing hide or restore");
    int hide = ent__str_eq(aa->val, "hide") ? 1 : ent__str_eq(aa->val, "restore") ? 0 : -1;
    if (hide < 0) return ent__act_err(c, aa->col, "moderate wants hide or restore, not '%.*s'", (int)aa->val.n, aa->val.p);
    if (ent__portal_field(c, ENT_K_REASON, 1, 500, &reason)) return c->o->verdict;
    if (c->st->has_text) return ent__act_err(c, c->st->col_text, "moderate takes reason=\"...\", not a \"text\"");
    ent_str sj = c->st->subject;
    if (!ent__str_eq(sj, "SG") && ent__charter_body(c->s->charter, sj) < 0 && ent__world_find(c->s->world, sj) < 0)
        return ent__act_err(c, c->st->col_subject, "'%.*s moderate': the subject must be SG", (int)sj.n, sj.p);
    if (!ent__str_eq(sj, "SG") && ent__act_in_force(c, "moderation"))
        return ent__act_refuse(c, "moderation", "only SG, for the Secretariat, moderates comments, not %.*s",
                               (int)c->st->subject.n, c->st->subject.p);
    ent_comment *k = &ENT_VEC_AT(&c->s->comments, ent_comment, idx);
    if (k->hidden == hide)
        return ent__act_err(c, aa->col, "%s is %s", ent__sym_str(c->s, k->id), hide ? "already hidden" : "not hidden");
    ent_sym rs = ent__text(c->s, reason.p, reason.n);
    if (!rs) return ent__act_nomem(c);
    ent_modlog *m = ent__vec_push(&c->s->modlog);
    if (!m) return ent__act_nomem(c);
    *m = (ent_modlog){ idx, c->d, (uint8_t)hide, rs };
    k->hidden = (uint8_t)hide;
    return ENT_V_OK;
}

const ent_verb ent__verbs_articles[] = {
    ENT_VERB("article", do_article),
    ENT_VERB("comment", do_comment),
    ENT_VERB("moderate", do_moderate),
    { NULL, 0, NULL }
};
