/*
** portal.h: the organization's outward face, private to libentente:
** external relations, dialogues and meetings (act_relations.c), conferences
** with invitations and registrations (act_conference.c), articles and
** comments with their moderation (act_articles.c).
**
** What is kept here (design s.4). Records that only grow (meetings,
** registrations, articles, comments) keep in the state only what validation
** and the state's summary need: the id, the date, what the record refers to
** (a conference, a record, a relation), counters and flags (a comment's
** stance and whether it is hidden), and a registration's confirmation code.
** Their texts (an article's author, title and text; a registrant's name and
** e-mail; a comment's author and text; a conference's venue, address and
** terms; a meeting's text) are NOT copied into the state: they stay in the
** journal, and `why ID` reads them back from it. The state keeps the few
** texts its summary prints: a relation's status and text, a conference's
** title, city and time zone, and the moderation log's reasons (the log is
** public: `state --json` "moderation").
*/
#ifndef ENT_PORTAL_H
#define ENT_PORTAL_H

#include "state.h"

/* ------------------------------------------------------------------ */
/* External relations (act_relations.c).                                */

typedef struct ent_relation {
    ent_sym id;
    ent_date date;
    ent_sym by;                          /* the subject as written: CSC, SG, BY */
    uint8_t dialogue;                    /* 1: a dialogue (the `dialogue` verb) */
    uint8_t is_state;                    /* the party is a state (else an organization) */
    ent_state_id state;                  /* the party in the model's world, -1 if not in it */
    ent_sym party;                       /* the party's code as written: UN, CN, IN */
    ent_sym status;                      /* status=WORD, 0 if none */
    ent_sym text;
    int32_t meetings;                    /* meetings recorded with= it */
    ent_date last_meeting;               /* NONE if none */
} ent_relation;

typedef struct ent_meeting {             /* only grows: its text is in the journal */
    ent_sym id;
    ent_date date;
    ent_sym by;
    int32_t relation;                    /* index into relations */
} ent_meeting;

/* ------------------------------------------------------------------ */
/* Conferences (act_conference.c).                                      */

#define ENT_LT_NONE INT64_MIN            /* no local date-time */

typedef struct ent_conference {
    ent_sym id;
    ent_date date;                       /* announced on */
    ent_sym by;                          /* the subject as written */
    ent_sym organizer;                   /* organizer= (a state code or a body), 0 none */
    ent_sym title, city, tz;             /* tz: an IANA zone name, 0 if none */
    int32_t year;                        /* year= (only the year is known), 0 if dated */
    int64_t start, end;                  /* local minutes since 1970-01-01T00:00, ENT_LT_NONE */
    int32_t capacity;                    /* -1: not limited */
    ent_date deadline;                   /* registration deadline (inclusive), NONE */
    int32_t registered;
    int32_t invited;
} ent_conference;

typedef struct ent_invite {
    int32_t conference;
    ent_date date;
    ent_sym party;
} ent_invite;

typedef struct ent_registration {        /* only grows: name and e-mail stay in the journal */
    ent_sym id;
    ent_date date;
    int32_t conference;
    uint64_t code;                       /* confirmation code (40 bits), from the line's content */
} ent_registration;

/* The confirmation code as text, "XXXX-XXXX" (Crockford base32): buf[10]. */
const char *ent__registration_code(uint64_t code, char buf[10]);
/* "YYYY-MM-DDTHH:MM" of a local time (buf[17]); "" for ENT_LT_NONE. */
const char *ent__lt_format(int64_t lt, char buf[17]);
/* A conference's status on d: "planned" (only its year is known),
** "registration-open", "registration-closed", "under-way", "held". */
const char *ent__conference_status(const ent_conference *k, ent_date d);

/* ------------------------------------------------------------------ */
/* Articles and comments (act_articles.c).                              */

enum ent_stance { ENT_STANCE_FOR = 0, ENT_STANCE_AGAINST, ENT_STANCE_NEUTRAL };
const char *ent__stance_name(int stance);

typedef struct ent_article {             /* only grows: author, title, text in the journal */
    ent_sym id;
    ent_date date;
    ent_sym by;                          /* the publisher: a body, SG or a state */
    ent_sym about;                       /* about=ID (a record or a state), 0 none */
} ent_article;

typedef struct ent_comment {             /* only grows: author and text in the journal */
    ent_sym id;
    ent_date date;
    ent_sym on;                          /* the record commented on */
    uint8_t stance;                      /* enum ent_stance */
    uint8_t hidden;                      /* hidden by moderation (stays in the journal) */
} ent_comment;

typedef struct ent_modlog {              /* the public moderation log */
    int32_t comment;                     /* index into comments */
    ent_date date;
    uint8_t hide;                        /* 1 hidden, 0 restored */
    ent_sym reason;
} ent_modlog;

/* Set up the vectors (init) and hash the records (digest). */
void ent__portal_init(ent_inst *s);
void ent__portal_digest(const ent_inst *s, void *g);

/* The date a portal record was made (for "an act reads only what is dated
** on or before it"); NONE if kind is not a portal kind. */
ent_date ent__portal_record_date(const ent_inst *s, int kind, int32_t idx);

/* ------------------------------------------------------------------ */
/* Helpers shared by the three handlers' files (act_relations.c).       */

struct ent_ctx;
/* The subject acts for the organization: a body, SG, or (allow_member) a
** state that is an active member on the act's date (else refused by the
** rule that says why: members, consensus, statuses). *by: the subject. */
int ent__portal_subject(struct ent_ctx *c, int allow_member, ent_sym *by);
/* A text from key= (a word or "quoted"), or the line's "text" for key NULL:
** missing (when required), empty or longer than max bytes is an error
** naming the field and the limit. *out is {NULL, 0} when absent. */
int ent__portal_field(struct ent_ctx *c, int key, int required, size_t max, ent_str *out);
/* The record named by an argument's value, of any kind, dated on or before
** the act: its kind (enum ent_rec_kind) and index; an error otherwise. */
int ent__portal_any_record(struct ent_ctx *c, const ent_arg *a, int *kind, int32_t *idx);

#endif /* ENT_PORTAL_H */
