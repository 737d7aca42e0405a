/*
** limit.c: per-client rate limits for the open endpoints (registration,
** comments): a token bucket per (address, kind) that holds per_min tokens
** and refills per_min a minute. The table has a fixed size; a slot is
** found by hashing and, when taken by another address, given up if that
** one has been quiet for ten minutes (else the two share it: a limit that
** errs on the strict side, never a growing table).
*/
#include "server.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LIMIT_SLOTS 4096

typedef struct slot {
    char key[66];                  /* kind digit + address */
    double tokens;
    double last;                   /* seconds, monotonic */
} slot;

struct srv_limits {
    pthread_mutex_t mu;
    slot slots[LIMIT_SLOTS];
};

struct srv_limits *srv_limits_new(void)
{
    struct srv_limits *l = calloc(1, sizeof *l);
    if (l) pthread_mutex_init(&l->mu, NULL);
    return l;
}

void srv_limits_free(struct srv_limits *l)
{
    if (!l) return;
    pthread_mutex_destroy(&l->mu);
    free(l);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

unsigned srv_limit_take(struct srv_limits *l, const char *ip, int kind, unsigned per_min)
{
    if (!per_min || !l) return 0;
    char key[66];
    key[0] = (char)('0' + kind);
    size_t n = strlen(ip);
    if (n > 63) n = 63;
    memcpy(key + 1, ip, n);
    key[n + 1] = 0;
    uint32_t h = 2166136261u;
    for (const char *p = key; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
    double t = now_s(), rate = per_min / 60.0;
    unsigned wait = 0;
    pthread_mutex_lock(&l->mu);
    slot *sl = &l->slots[h % LIMIT_SLOTS];
    if (strcmp(sl->key, key) != 0 && (sl->key[0] == 0 || t - sl->last > 600)) {
        memcpy(sl->key, key, n + 2);
        sl->tokens = per_min;
        sl->last = t;
    }
    sl->tokens += (t - sl->last) * rate;
    if (sl->tokens > per_min) sl->tokens = per_min;
    sl->last = t;
    if (sl->tokens >= 1.0) sl->tokens -= 1.0;
    else wait = (unsigned)((1.0 - sl->tokens) / rate) + 1;
    pthread_mutex_unlock(&l->mu);
    return wait;
}
