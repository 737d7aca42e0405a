/*
** writer.c: the one writer thread. Handlers queue jobs and suspend their
** connections; the writer takes everything queued at once, turns
** registrations and comments into their chronicle lines, and puts the lot
** to ent_run_batch, which checks the tokens (from its cache, synced once a
** group) and makes one durable transaction for the group (group commit),
** each command with its own outcome. Then, still under the db mutex, it
** brings the event ring up to date (srv_refresh, from the JSON lines the
** library made of the group's events as it appended them: nothing is read
** back), stores each job's answer
** (an accepted command's written by hand, not by jansson), resumes the
** connections, and wakes the live streams. A command is acknowledged only
** after its commit. Every SRV_HEARTBEAT_S seconds it also wakes the
** streams for a heartbeat and follows the date, and every SRV_REAP_MS it
** ends the waiting streams whose peer has gone (srv_streams_reap).
*/
#include "server.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <jansson.h>

int srv_enqueue(srv *s, srv_job *j)
{
    pthread_mutex_lock(&s->q_mu);
    if (s->stopping) {
        pthread_mutex_unlock(&s->q_mu);
        return -1;
    }
    j->next = NULL;
    *s->q_tail = j;
    s->q_tail = &j->next;
    s->q_len++;
    pthread_cond_signal(&s->q_cv);
    pthread_mutex_unlock(&s->q_mu);
    return 0;
}

/* An id no one has used: PREFIX and 8 characters of Crockford base32. */
static void random_id(char *out, size_t outsz, const char *prefix)
{
    static const char b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    unsigned char r[8];
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
        /* getrandom does not fail for 8 bytes once the pool is ready */
        uint64_t t = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)out;
        memcpy(r, &t, sizeof r);
    }
    char tail[9];
    for (int i = 0; i < 8; i++) tail[i] = b32[r[i] & 31];
    tail[8] = 0;
    snprintf(out, outsz, "%s%s", prefix, tail);
}

static void set_answer(srv_job *j, unsigned http, char *json)
{
    j->http = json ? http : 500;
    j->answer = json;
}

static void set_error(srv_job *j, unsigned http, const char *msg, const char *rule, const char *source,
                      const char *report)
{
    set_answer(j, http, srv_error_json(http, msg, rule, source, report, NULL));
}

/* The answer for a command the library did not accept. */
static void answer_failure(srv_job *j, const ent_command *cmd)
{
    const char *text = cmd->rep ? ent_report_text(cmd->rep) : "";
    char rule[64], source[256], msg[512];
    if (!srv_parse_refusal(text, rule, sizeof rule, source, sizeof source, msg, sizeof msg))
        if (!srv_first_line(text, msg, sizeof msg)) snprintf(msg, sizeof msg, "%s", ent_strstatus(cmd->status));
    unsigned http = srv_http_of(cmd->status);
    if (cmd->status == ENT_EUSAGE && j->idem[0]) http = 409; /* a key reused with another body */
    set_error(j, http, msg, rule, source, text);
}

/* The confirmation code of registration rid, from `why` ("confirmation
** code: XXXX-XXXX"), into code (10 bytes); "" if none. */
static void confirmation(srv *s, const char *rid, char code[16])
{
    char *out = NULL;
    code[0] = 0;
    if (ent_why(s->db, rid, ENT_FMT_TEXT, &out, NULL) == ENT_OK && out) {
        const char *p = strstr(out, "confirmation code: ");
        if (p) {
            p += strlen("confirmation code: ");
            size_t n = strcspn(p, " \n");
            if (n < 16) {
                memcpy(code, p, n);
                code[n] = 0;
            }
        }
    }
    ent_free(out);
}

/* Build the chronicle line of a register or comment job into j->text;
** 0, or -1 with the job's answer set. */
static int make_line(srv *s, srv_job *j, const char *author)
{
    char q1[1024], q2[1024], q3[4200], id[32];
    size_t cap = 6000;
    char *t = malloc(cap);
    if (!t) {
        set_error(j, 500, "out of memory", NULL, NULL, NULL);
        return -1;
    }
    int n;
    if (j->kind == SRV_JOB_REGISTER) {
        if (srv_chron_quote(q1, sizeof q1, j->b) < 0 || srv_chron_quote(q2, sizeof q2, j->c) < 0) {
            free(t);
            set_error(j, 400, "field 'name' or 'email' holds a control character", NULL, NULL, NULL);
            return -1;
        }
        random_id(id, sizeof id, "REG-");
        n = snprintf(t, cap, "%s %s register id=%s name=%s email=%s%s%s\n", s->today, j->a, id, q1, q2,
                     j->d ? " party=" : "", j->d ? j->d : "");
        free(j->d);
        j->d = strdup(id);       /* from here on d is the registration id */
    } else {
        if (srv_chron_quote(q1, sizeof q1, author) < 0 || srv_chron_quote(q3, sizeof q3, j->c) < 0) {
            free(t);
            set_error(j, 400, "field 'text' holds a control character", NULL, NULL, NULL);
            return -1;
        }
        random_id(id, sizeof id, "CM-");
        n = snprintf(t, cap, "%s %s comment id=%s stance=%s author=%s %s\n", s->today, j->a, id, j->b, q1, q3);
        free(j->d);
        j->d = strdup(id);
    }
    if (!j->d || n < 0 || (size_t)n >= cap) {
        free(t);
        set_error(j, 500, "out of memory", NULL, NULL, NULL);
        return -1;
    }
    free(j->text);
    j->text = t;
    j->len = (size_t)n;
    return 0;
}

static int follow_date(srv *s);

/* The decimal digits of v at p; the end. */
static char *put_u64(char *p, uint64_t v)
{
    char num[24];
    size_t k = sizeof num;
    do num[--k] = (char)('0' + v % 10); while ((v /= 10) != 0);
    memcpy(p, num + k, sizeof num - k);
    return p + (sizeof num - k);
}

/* An accepted command's answer, malloc'd (NULL when out of memory):
** {"accepted":true,"first_seq":N,"last_seq":N,"appended":N,"replayed":B},
** by hand (once a command: printf was a tenth of the writer's own code). */
static char *accepted_json(const ent_command *c)
{
    static const char a[] = "{\"accepted\":true,\"first_seq\":", b[] = ",\"last_seq\":", d[] = ",\"appended\":",
                      e[] = ",\"replayed\":";
    char *z = malloc(160), *p = z;
    if (!z) return NULL;
    memcpy(p, a, sizeof a - 1), p += sizeof a - 1;
    p = put_u64(p, c->first_seq);
    memcpy(p, b, sizeof b - 1), p += sizeof b - 1;
    p = put_u64(p, c->last_seq);
    memcpy(p, d, sizeof d - 1), p += sizeof d - 1;
    p = put_u64(p, (uint64_t)c->appended);
    memcpy(p, e, sizeof e - 1), p += sizeof e - 1;
    memcpy(p, c->replayed ? "true}" : "false}", c->replayed ? 6 : 7);
    return z;
}

/* One group: everything that was queued. Called without locks held. */
static void run_group(srv *s, srv_job *list)
{
    size_t n = 0;
    for (srv_job *j = list; j; j = j->next) n++;
    ent_command *cmds = calloc(n, sizeof *cmds);
    srv_job **jobs = calloc(n, sizeof *jobs);
    size_t m = 0, appended = 0;
    if (!cmds || !jobs) {
        for (srv_job *j = list; j; j = j->next) set_error(j, 503, "out of memory: try again", NULL, NULL, NULL);
        goto resume;
    }
    pthread_mutex_lock(&s->db_mu);
    for (srv_job *j = list; j; j = j->next) {
        char principal[16] = "", name[64] = "";
        /* a comment's line needs the token's name; a command's token is
        ** resolved by ent_run_batch (its cache: one check for the group) */
        if (j->kind == SRV_JOB_COMMENT && j->token[0] &&
            ent_token_who(s->db, j->token, principal, name) != ENT_OK) {
            set_error(j, 401, "unknown or revoked token", NULL, NULL, NULL);
            continue;
        }
        if (j->kind != SRV_JOB_COMMANDS && make_line(s, j, name) != 0) continue;
        ent_command *c = &cmds[m];
        c->token = j->token[0] ? j->token : NULL;
        c->in.name = "api";
        c->in.text = j->text;
        c->in.len = j->len;
        c->idem_key = j->idem[0] ? j->idem : NULL;
        c->rep = ent_report_new();
        jobs[m++] = j;
    }
    int rc = m ? ent_run_batch(s->db, cmds, (int)m) : ENT_OK;
    s->groups++;
    s->grouped += m;
    if (m > s->group_max) s->group_max = m;
    for (size_t i = 0; i < m; i++) {
        srv_job *j = jobs[i];
        ent_command *c = &cmds[i];
        if (rc != ENT_OK && c->status == ENT_OK) c->status = rc;
        if (c->status == ENT_EFORBIDDEN && c->token && !c->principal[0]) {
            set_error(j, 401, "unknown or revoked token", NULL, NULL, NULL);
            continue;
        }
        if (c->status != ENT_OK) {
            answer_failure(j, c);
            continue;
        }
        appended += c->appended;
        if (j->kind == SRV_JOB_COMMANDS) {    /* the usual answer, without jansson */
            set_answer(j, 200, accepted_json(c));
            continue;
        }
        json_t *o = json_object();
        json_object_set_new(o, "accepted", json_true());
        json_object_set_new(o, "first_seq", json_integer((json_int_t)c->first_seq));
        json_object_set_new(o, "last_seq", json_integer((json_int_t)c->last_seq));
        json_object_set_new(o, "appended", json_integer((json_int_t)c->appended));
        json_object_set_new(o, "replayed", json_boolean(c->replayed));
        if (j->kind == SRV_JOB_REGISTER) {
            char code[16], token[ENT_TOKEN_CHARS + 1], label[64];
            confirmation(s, j->d, code);
            json_object_set_new(o, "registration", json_string(j->d));
            json_object_set_new(o, "conference", json_string(j->a));
            json_object_set_new(o, "confirmation", json_string(code));
            /* the participant's token, labelled with the name they gave
            ** (and the registration, when that name is already taken) */
            ent_report *rep = ent_report_new();
            snprintf(label, sizeof label, "%.63s", j->b);
            int trc = ent_token_add(s->db, "participant", label, token, rep);
            if (trc == ENT_EUSAGE) {
                snprintf(label, sizeof label, "%.40s (%s)", j->b, j->d);
                ent_report_clear(rep);
                trc = ent_token_add(s->db, "participant", label, token, rep);
            }
            if (trc == ENT_OK) {
                json_object_set_new(o, "token", json_string(token));
                json_object_set_new(o, "name", json_string(label));
                json_object_set_new(o, "principal", json_string("participant"));
            } else {
                json_object_set_new(o, "token", json_null());
                json_object_set_new(o, "token_error", json_string(ent_report_text(rep)));
            }
            ent_report_free(rep);
        } else if (j->kind == SRV_JOB_COMMENT) {
            json_object_set_new(o, "comment", json_string(j->d));
            json_object_set_new(o, "about", json_string(j->a));
        }
        set_answer(j, 200, json_dumps(o, JSON_COMPACT));
        json_decref(o);
    }
    if (appended) {
        size_t loglen = 0;
        const char *log = rc == ENT_OK ? ent_batch_log(s->db, &loglen) : NULL;
        srv_refresh(s, log, loglen);
        follow_date(s);
    }
    pthread_mutex_unlock(&s->db_mu);
    for (size_t i = 0; i < m; i++) ent_report_free(cmds[i].rep);
resume:
    free(cmds);
    free(jobs);
    for (srv_job *j = list, *next; j; j = next) {
        next = j->next;
        if (!j->answer) set_error(j, 500, "no answer", NULL, NULL, NULL);
        MHD_resume_connection(j->conn);
    }
    if (appended) srv_streams_wake(s);
}

/* The server's date: --today, else the clock's (UTC), but never before the
** last event's date (an exercise may run ahead of the calendar). Under
** db_mu; 1 when it changed. */
static int follow_date(srv *s)
{
    char d[11];
    if (s->today_opt) {
        snprintf(d, sizeof d, "%s", s->today_opt);
    } else {
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(d, sizeof d, "%Y-%m-%d", &tm);
        pthread_mutex_lock(&s->ring_mu);
        if (s->last_date[0] && strcmp(s->last_date, d) > 0) memcpy(d, s->last_date, sizeof d);
        pthread_mutex_unlock(&s->ring_mu);
    }
    if (strcmp(d, s->today) == 0) return 0;
    pthread_mutex_lock(&s->cache_mu);
    memcpy(s->today, d, sizeof d);
    pthread_mutex_unlock(&s->cache_mu);
    ent_set_today(s->db, s->today);
    return 1;
}

int srv_follow_date(srv *s) { return follow_date(s); }

/* t + ms */
static struct timespec after_ms(struct timespec t, long ms)
{
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

static int before(struct timespec a, struct timespec b)
{
    return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

static void *writer_main(void *arg)
{
    srv *s = arg;
    struct timespec next_hb, next_reap;
    clock_gettime(CLOCK_REALTIME, &next_hb);
    next_reap = after_ms(next_hb, SRV_REAP_MS);
    next_hb.tv_sec += SRV_HEARTBEAT_S;
    for (;;) {
        pthread_mutex_lock(&s->q_mu);
        int timed_out = 0;
        while (!s->q_head && !s->stopping && !timed_out)
            timed_out = pthread_cond_timedwait(&s->q_cv, &s->q_mu, &next_reap) == ETIMEDOUT;
        srv_job *list = s->q_head;
        s->q_head = NULL;
        s->q_tail = &s->q_head;
        s->q_len = 0;
        int stopping = s->stopping;
        pthread_mutex_unlock(&s->q_mu);
        if (list) run_group(s, list);
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        if (!before(now, next_reap)) {
            next_reap = after_ms(now, SRV_REAP_MS);
            srv_streams_reap(s);
        }
        if (now.tv_sec >= next_hb.tv_sec) {
            next_hb.tv_sec = now.tv_sec + SRV_HEARTBEAT_S;
            pthread_mutex_lock(&s->db_mu);
            follow_date(s);
            pthread_mutex_unlock(&s->db_mu);
            pthread_mutex_lock(&s->ring_mu);
            s->heartbeat++;
            pthread_mutex_unlock(&s->ring_mu);
            srv_streams_wake(s);
        }
        if (!list && stopping) break;
    }
    return NULL;
}

int srv_writer_start(srv *s)
{
    s->q_head = NULL;
    s->q_tail = &s->q_head;
    if (pthread_create(&s->writer, NULL, writer_main, s) != 0) return -1;
    s->writer_started = 1;
    return 0;
}

/* Stop taking work, let the writer finish what is queued, and join it. */
void srv_writer_stop(srv *s)
{
    pthread_mutex_lock(&s->q_mu);
    s->stopping = 1;
    pthread_cond_signal(&s->q_cv);
    pthread_mutex_unlock(&s->q_mu);
    if (s->writer_started) pthread_join(s->writer, NULL);
    s->writer_started = 0;
}
