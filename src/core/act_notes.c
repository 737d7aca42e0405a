/*
** act_notes.c: dated facts that no rule of the charter governs.
**
**   WHO note [about=ID] src=TAGS "text"
**
** The sources record acts that matter to an analyst but that the charter
** neither allows nor forbids: a member's note that it suspends its
** participation (Uzbekistan, 20 Jun 2012 [S64]), a member that stops paying
** its share (Armenia, 8 May 2024 [S31]), a member's request to change the
** Charter (Kyrgyzstan, 7 Oct 2022 [S112]), the signing of an agreement
** before it is in force (the CRRF agreement, 14 Jun 2009 [S75]), a body's
** appointment of a commander (the CMD, Jan 2022 [S104]). A note keeps such
** a fact on its date with its sources: WHO is a state of the world, a body
** of the organization or SG; about= links it to a record dated on or before
** it; the text (1 to 500 bytes) says what happened. A note changes no
** standing and is never refused by a rule; it is checked only as input.
*/
#include "act.h"
#include "portal.h"

#include <string.h>

#define NOTE_TEXT_MAX 500

void ent__notes_digest(const ent_inst *s, void *g)
{
    if (!s->notes.len) return; /* only when there are any: the digests of older states stay */
    ent__dg_text(g, "notes");
    ent__dg_int(g, (int64_t)s->notes.len);
    for (size_t i = 0; i < s->notes.len; i++) {
        const ent_note *n = &ENT_VEC_AT(&s->notes, ent_note, i);
        ent__dg_int(g, n->date), ent__dg_text(g, ent__sym_str(s, n->who));
        ent__dg_text(g, ent__sym_str(s, n->about)), ent__dg_text(g, ent__sym_str(s, n->text));
    }
}

static int do_note(ent_ctx *c)
{
    ent_str sj = c->st->subject;
    if (ent__act_check_keys(c, "about") || ent__act_max_pos(c, 0)) return c->o->verdict;
    if (!ent__str_eq(sj, "SG") && ent__charter_body(c->s->charter, sj) < 0 && ent__world_find(c->s->world, sj) < 0)
        return ent__act_err(c, c->st->col_subject, "'%.*s note': the subject must be a state, a body of the organization or SG",
                            (int)sj.n, sj.p);
    const ent_arg *a = ent__stmt_key(c->st, ENT_K_ABOUT);
    int kind;
    int32_t idx;
    if (a && ent__portal_any_record(c, a, &kind, &idx)) return c->o->verdict;
    if (!c->st->has_text || !c->st->text.n) return ent__act_err(c, 0, "missing the \"text\" of the note");
    if (c->st->text.n > NOTE_TEXT_MAX)
        return ent__act_err(c, c->st->col_text, "the note is too long: %u bytes (at most %d)", c->st->text.n, NOTE_TEXT_MAX);
    ent_sym who = ent__sym(c->s, sj.p, sj.n), about = a ? ent__sym(c->s, a->val.p, a->val.n) : 0;
    ent_sym text = ent__act_text_sym(c);
    if (!who || (a && !about) || !text) return ent__act_nomem(c);
    ent_note *n = ent__vec_push(&c->s->notes);
    if (!n) return ent__act_nomem(c);
    *n = (ent_note){ c->d, who, about, text };
    return ENT_V_OK;
}

const ent_verb ent__verbs_notes[] = {
    ENT_VERB("note", do_note),
    { NULL, 0, NULL },
};
