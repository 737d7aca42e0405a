/*
** lang.h: the chronicle language, private to libentente.
**
** One statement a line:   [DATE] SUBJECT VERB ARGS...   # comment
**
** The lexer and parser are hand-written. A parse never stops at the first
** error: every malformed line of a buffer gets a diagnostic with its line and
** column, and parsing goes on at the next line. Statements that parsed are
** returned even when others did not, so a caller may report everything at once.
**
** Memory: a parse allocates from an arena (ent_arena) that the caller owns and
** frees with ent__arena_free(); statements point into the caller's source
** buffer and into the arena (for unescaped quoted text), so both must outlive
** the statements.
*/
#ifndef ENT_LANG_H
#define ENT_LANG_H

#include "../core/core.h"
#include "../util/util.h"

/* Parse a whole buffer. `file` is the name used in diagnostics (kept by
** pointer). Statements are appended to *out (an ent_vec of ent_stmt);
** diagnostics to *diags. A line without a date takes the date of the nearest
** line above it that has one (even if that line is otherwise malformed);
** `date0` is the date before the first line (ENT_DATE_NONE if none).
** Returns the number of errors found (0 = clean). */
int ent__parse(const char *file, const char *buf, size_t len, ent_date date0,
               ent_arena *arena, ent_vec *out /* of ent_stmt */, ent_diags *diags);

/* Parse exactly one line (no newline inside), e.g. an event from the journal.
** Returns 0 on success (out->file and out->line set to file and line).
** Returns -1 for a malformed or empty line, with the message (as the
** diagnostic would say it, without position) in msg and its 1-based column
** in *col; msg and col may be NULL. Only out->args[0..nargs) are set. */
int ent__parse_line(const char *file, uint32_t line, const char *buf, size_t len,
                    ent_date date0, ent_arena *arena, ent_stmt *out,
                    char *msg, size_t msgsz, uint16_t *col);

/* Append the canonical form of a statement to b:
**   YYYY-MM-DD SUBJECT VERB ARG... "text"
** Single spaces; the arguments in their original order (positional and
** key=value interleaved as written; a quoted value as key="..."); quoted
** strings escaped (\" and \\). The date is left out when with_date == 0 or
** the date is ENT_DATE_NONE. A statement from the parser parses back to the
** same statement (date, subject, verb, arguments with kinds, text). */
void ent__stmt_write(const ent_stmt *s, int with_date, ent_buf *b);

/* Append only the arguments (no date, subject, verb or text), in the same
** form; nothing when there are none. The journal stores this in its
** `arguments` column and the text in its own. */
void ent__stmt_write_args(const ent_stmt *s, ent_buf *b);

#endif /* ENT_LANG_H */
