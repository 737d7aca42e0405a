/*
** oom.c: allocation failure through the library's allocator hook
** (ent_set_allocator). A scenario (open the built-in organization with its
** history, check and run a crisis, query it, write it to a file journal and
** open that again) is played again and again; in play k the k-th allocation
** fails, and every later one too (a process out of memory stays so), or, with
** --once, only the k-th. Each play must end in ENT_OK or ENT_ENOMEM (or, for
** the file journal, a clean error status), never crash, and leak nothing
** (every block allocated is freed: counted here, and checked by ASan in the
** sanitizer build). A play with no failure is compared with the first one's
** digest. Usage: fault-oom [--once] [--step N] [--max K] [TMPDIR]
** Ends with "oom: N passed, M failed".
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "entente.h"

static long long nalloc, fail_at, live;
static int once;

static void *hook(void *ud, void *ptr, size_t nsize)
{
    (void)ud;
    if (nsize == 0) {
        if (ptr) live--;
        free(ptr);
        return NULL;
    }
    nalloc++;
    if (fail_at > 0 && (once ? nalloc == fail_at : nalloc >= fail_at)) return NULL;
    void *p = realloc(ptr, nsize);
    if (p && !ptr) live++;
    return p;
}

static const char crisis[] =
    "2026-12-01 KZ request assistance id=R9 article=treaty-4 threat=unrest \"unrest\"\n"
    "2026-12-01 CSC propose deploy id=D9 force=CPKF host=KZ request=R9 \"deploy\"\n"
    "2026-12-02 BY vote D9 yes\n"
    "2026-12-02 KZ vote D9 yes\n"
    "2026-12-02 KG vote D9 yes\n"
    "2026-12-02 RU vote D9 yes\n"
    "2026-12-02 TJ vote D9 yes\n"
    "2026-12-03 RU contribute D9 troops=500\n"
    "2026-12-03 KZ note about=D9 \"a note\"\n";

static int ok_or_nomem(int rc) { return rc == ENT_OK || rc == ENT_ENOMEM; }

/* The outputs of a play that met no failure are hashed (FNV-1a) and must
** equal the reference play's: a failure swallowed must not change an answer. */
static uint64_t outhash;
static int all_ok;
static void take(int rc, const char *out)
{
    if (rc != ENT_OK) {
        all_ok = 0;
        return;
    }
    for (const unsigned char *p = (const unsigned char *)(out ? out : ""); *p; p++)
        outhash = (outhash ^ *p) * 1099511628211ull;
    outhash = (outhash ^ 0xff) * 1099511628211ull;
}

/* One play: returns 0 if every call ended cleanly; *digest gets the final
** state's digest when the whole scenario ran. */
static int play(const char *dir, char digest[65], int *complete)
{
    ent_report *rep = ent_report_new();   /* may be NULL under OOM: allowed */
    ent_db *db = NULL;
    ent_input in = { "crisis.chron", crisis, sizeof crisis - 1 };
    char *out = NULL, path[512];
    int rc;
    *complete = 0;
    outhash = 1469598103934665603ull;
    all_ok = 1;
    rc = ent_open(&db, NULL, 0, rep);
    if (!ok_or_nomem(rc)) goto bad;
    if (rc != ENT_OK) goto done;
    ent_set_today(db, "2026-12-05");
    rc = ent_check(db, &in, 1, rep);
    if (!ok_or_nomem(rc)) goto bad;
    rc = ent_run(db, &in, 1, NULL, rep);
    if (!ok_or_nomem(rc)) goto bad;
    if (rc != ENT_OK) goto done;
    static const int fmts[] = { ENT_FMT_TEXT, ENT_FMT_JSON };
    for (int f = 0; f < 2; f++) {
        rc = ent_state(db, NULL, fmts[f], &out, rep);
        if (!ok_or_nomem(rc)) goto bad;
        take(rc, out);
        ent_free(out);
        out = NULL;
        rc = ent_why(db, "D9", fmts[f], &out, rep);
        if (!ok_or_nomem(rc)) goto bad;
        take(rc, out);
        ent_free(out);
        out = NULL;
        rc = ent_route(db, "RU", "KZ", NULL, fmts[f], &out, rep);
        if (!ok_or_nomem(rc)) goto bad;
        take(rc, out);
        ent_free(out);
        out = NULL;
    }
    rc = ent_log_after(db, 100, 0, ENT_FMT_JSONL, &out);
    if (!ok_or_nomem(rc)) goto bad;
    take(rc, out);
    ent_free(out);
    out = NULL;
    ent_digest(db, digest);
    ent_close(db);
    db = NULL;
    if (!all_ok) goto done;   /* the file journal part needs the whole first part */

    /* a file journal: made with the history, the crisis appended, reopened */
    snprintf(path, sizeof path, "%s/entente-oom-%ld.db", dir, (long)getpid());
    unlink(path);
    rc = ent_open(&db, path, 0, rep);
    if (rc != ENT_OK && rc != ENT_ENOMEM && rc != ENT_EIO) goto bad;
    if (rc == ENT_OK) {
        rc = ent_run(db, &in, 1, NULL, rep);
        if (rc != ENT_OK && rc != ENT_ENOMEM && rc != ENT_EIO) goto bad;
        ent_close(db);
        db = NULL;
        char d2[65];
        rc = ent_open(&db, path, ENT_OPEN_READONLY | ENT_OPEN_NOCREATE, rep);
        if (rc != ENT_OK && rc != ENT_ENOMEM && rc != ENT_EIO) goto bad;
        if (rc == ENT_OK) {
            rc = ent_verify(db, d2, rep);
            if (!ok_or_nomem(rc)) goto bad;
            *complete = rc == ENT_OK && strcmp(d2, digest) == 0 && all_ok;
        }
    }
done:
    if (db) ent_close(db);
    ent_report_free(rep);
    snprintf(path, sizeof path, "%s/entente-oom-%ld.db", dir, (long)getpid());
    unlink(path);
    strcat(path, "-wal");
    unlink(path);
    path[strlen(path) - 4] = 0;
    strcat(path, "-shm");
    unlink(path);
    return 0;
bad:
    fprintf(stderr, "oom: allocation %lld failed; a call returned %d (%s): %s\n", fail_at, rc, ent_status_name(rc),
            rep ? ent_report_text(rep) : "");
    if (db) ent_close(db);
    ent_report_free(rep);
    return 1;
}

int main(int argc, char **argv)
{
    long long step = 1, max = 0;
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--once") == 0) once = 1;
        else if (strcmp(argv[i], "--step") == 0 && i + 1 < argc) step = atoll(argv[++i]);
        else if (strcmp(argv[i], "--max") == 0 && i + 1 < argc) max = atoll(argv[++i]);
        else dir = argv[i];
    }
    ent_set_allocator(hook, NULL);
    char want[65] = "", got[65];
    int complete = 0, pass = 0, fail = 0;
    /* the reference play: nothing fails */
    fail_at = 0;
    nalloc = 0;
    if (play(dir, want, &complete) || !complete) {
        fprintf(stderr, "oom: the play without failures did not complete\n");
        printf("oom: 0 passed, 1 failed\n");
        return 1;
    }
    long long total = nalloc;
    uint64_t want_out = outhash;
    long long plays = 0, completed = 0;
    for (long long k = 1; k <= total && (!max || plays < max); k += step) {
        fail_at = k;
        nalloc = 0;
        live = 0;
        got[0] = 0;
        int r = play(dir, got, &complete);
        plays++;
        if (r) {
            fail++;
            continue;
        }
        if (live != 0) {
            fprintf(stderr, "oom: allocation %lld failed: %lld blocks not freed\n", k, live);
            fail++;
            continue;
        }
        if (complete) {
            completed++;
            if (strcmp(got, want) != 0 || outhash != want_out) {
                fprintf(stderr, "oom: allocation %lld failed, yet the play completed with another state or answer\n", k);
                fail++;
                continue;
            }
        }
        pass++;
    }
    printf("ok oom: %lld allocations in the play; %lld plays (%s, step %lld), %lld completed despite the failure\n",
           total, plays, once ? "the k-th fails" : "the k-th and every later one fail", step, completed);
    printf("oom: %d passed, %d failed\n", pass, fail);
    return fail ? 1 : 0;
}
