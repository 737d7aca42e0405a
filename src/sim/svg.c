/*
** svg.c: `entente simulate --svg FILE`, the ensemble as one picture that
** reads at a glance (docs/cli.md): a headline with the crisis and, under it,
** the text summary's header (seed, runs, model, charter and its rule); the
** outcomes as one bar; four histograms (days to the decision, days to the
** first arrival, troops deployed, mission days) with their cumulative share
** drawn over them, the mean and the range of 95% of the runs marked; each
** voting member's votes as a bar; a footer that says how it was computed.
**
** It sits on the public header and the aggregate only, so it draws the same
** bytes for the same aggregate: whatever -j, whatever the split of runs. The
** numbers are those of the text summary (the same Wilson intervals, means and
** quantiles of the same exact integer histograms).
**
** The style is the timeline's (src/api/timeline.c): a system font stack, no
** external resource, ink and muted greys, widths of text estimated per
** character class so that labels judged to fit do fit, and labels that do
** not fit left out (the legend under each bar names every value).
*/
#include "shared.h"
#include "sim.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SVG_W 1200.0
#define FONT "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'DejaVu Sans', sans-serif"
#define INK "#1f2328"
#define MUTED "#59636e"
#define GRID "#e3e6ea"
#define RULE "#c8ced5"

/* outcomes and votes: teal for, red against, amber neither, grey none */
#define C_ADOPTED "#2a9d8f"
#define C_LIMITED "#94d2c8"
#define C_BLOCKED "#c1121f"
#define C_LAPSED "#e9a23b"
#define C_NOVOTE "#b8bfc7"
#define C_MISSION "#7b6fb0"
#define C_YES C_ADOPTED
#define C_NO C_BLOCKED
#define C_ABSTAIN "#e9c46a"
#define C_OUT "#d4d8dd"
/* histograms */
#define C_BAR "#9cc7e4"
#define C_CDF "#0b4f8a"
#define C_MEAN "#d55e00"
#define C_BAND "#efe8d8"

typedef struct g {
    FILE *o;
    double y; /* the next free y */
} g_t;

/* ------------------------------------------------------------------ */
/* Small helpers: text, its width, shapes.                               */

/* Width of a text in px at font size fs: a generous estimate per character
** class (the timeline's), so that a label judged to fit does fit. */
static double text_w(const char *z, double fs)
{
    double w = 0;
    for (const unsigned char *p = (const unsigned char *)z; *p; p++) {
        unsigned ch = *p;
        if ((ch & 0xc0) == 0x80) continue; /* UTF-8 continuation */
        if (ch >= 0x80) w += 0.62;
        else if (strchr("ijl.,:;'|!", (int)ch)) w += 0.3;
        else if (strchr("rtf()[] -", (int)ch)) w += 0.42;
        else if (ch >= 'A' && ch <= 'Z') w += ch == 'I' ? 0.34 : 0.72;
        else if (ch == 'm' || ch == 'w' || ch == '%') w += 0.9;
        else w += 0.62;
    }
    return w * fs;
}

/* Text for XML: the five specials escaped, control characters (which XML
** 1.0 does not allow) as spaces. */
static void xml_text(FILE *o, const char *z)
{
    for (; *z; z++) {
        switch (*z) {
        case '&': fputs("&amp;", o); break;
        case '<': fputs("&lt;", o); break;
        case '>': fputs("&gt;", o); break;
        case '"': fputs("&quot;", o); break;
        case '\'': fputs("&apos;", o); break;
        default: fputc((unsigned char)*z < 0x20 ? ' ' : *z, o);
        }
    }
}

static void text_at(g_t *g, double x, double y, double fs, const char *anchor, const char *fill, const char *weight,
                    const char *z)
{
    fprintf(g->o, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\"", x, y, fs);
    if (anchor) fprintf(g->o, " text-anchor=\"%s\"", anchor);
    if (fill && strcmp(fill, INK) != 0) fprintf(g->o, " fill=\"%s\"", fill);
    if (weight) fprintf(g->o, " font-weight=\"%s\"", weight);
    fputc('>', g->o);
    xml_text(g->o, z);
    fputs("</text>\n", g->o);
}

static void rect(g_t *g, double x, double y, double w, double h, const char *fill, const char *extra)
{
    fprintf(g->o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"%s/>\n", x, y, w, h, fill,
            extra ? extra : "");
}

static void line(g_t *g, double x1, double y1, double x2, double y2, const char *stroke, const char *extra)
{
    fprintf(g->o, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>\n", x1, y1, x2, y2, stroke,
            extra ? extra : "");
}

/* Ink that reads on a fill colour "#RRGGBB". */
static const char *ink_on(const char *fill)
{
    unsigned r, gg, bb;
    if (sscanf(fill, "#%2x%2x%2x", &r, &gg, &bb) != 3) return INK;
    return 0.299 * r + 0.587 * gg + 0.114 * bb > 150 ? INK : "#ffffff";
}

/* A whole number with thousands separators: 12,345. */
static void thousands(char *out, size_t n, long long v)
{
    char d[32];
    int len = snprintf(d, sizeof d, "%lld", v < 0 ? -v : v), k = 0;
    size_t o = 0;
    if (v < 0 && o + 1 < n) out[o++] = '-';
    for (int i = 0; i < len && o + 1 < n; i++) {
        out[o++] = d[i];
        k = len - i - 1;
        if (k > 0 && k % 3 == 0 && o + 1 < n) out[o++] = ',';
    }
    out[o] = 0;
}

/* A number with thousands separators and d decimals: 1,719.67. */
static void thousands_d(char *out, size_t n, double v, int d)
{
    char f[48], w[40];
    snprintf(f, sizeof f, "%.*f", d, fabs(v));
    char *dot = strchr(f, '.');
    thousands(w, sizeof w, strtoll(f, NULL, 10));
    snprintf(out, n, "%s%s%s", v < 0 && strspn(f, "0.") < strlen(f) ? "-" : "", w, dot ? dot : "");
}

/* Decimals for percentages of probabilities: one, or as many more (up to
** four) as a value near 0 or 1, that is not 0 or 1, needs to show a digit of
** its own (so that 1 run in 100,000 does not read as 0%, nor 99,999 as 100%). */
static int pct_decimals(int k, const double *p)
{
    int d = 1;
    for (int i = 0; i < k; i++) {
        double x = p[i] < 0.5 ? p[i] : 1 - p[i];
        int need = x < 1e-9 ? 1 : x < 1e-5 ? 4 : x < 1e-4 ? 3 : x < 1e-3 ? 2 : 1;
        if (need > d) d = need;
    }
    return d;
}

/* A probability as a percentage with d decimals, without the sign; exactly
** 0 and 1 (to within rounding) as "0" and "100". */
static void pct_num(char *out, size_t n, double p, int d)
{
    if (p < 1e-9) snprintf(out, n, "0");
    else if (p > 1 - 1e-9) snprintf(out, n, "100");
    else snprintf(out, n, "%.*f", d < 0 ? 0 : d > 4 ? 4 : d, 100 * p);
}

static void pct(char *out, size_t n, double p, int d)
{
    pct_num(out, n, p, d);
    size_t l = strlen(out);
    snprintf(out + l, n - l, "%%");
}

/* "87.3% [85.8, 88.7]": a probability and its interval, the same decimals. */
static void pct_iv(char *out, size_t n, double p, double lo, double hi)
{
    double v[3] = { p, lo, hi };
    int d = pct_decimals(3, v);
    char a[24], b[24], c[24];
    pct(a, sizeof a, p, d);
    pct_num(b, sizeof b, lo, d);
    pct_num(c, sizeof c, hi, d);
    snprintf(out, n, "%s [%s, %s]", a, b, c);
}

/* A line of text drawn in lines no wider than w: broken at spaces, after a
** ';' or ',' when that leaves the line at least half full. Returns the
** number of lines (at most 4; the last takes the rest). */
static int wrap_text(g_t *g, double x, double y, double fs, double lh, double w, const char *fill, const char *z)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", z);
    char *s = buf;
    int nl = 0;
    while (*s) {
        size_t brk = 0, punct = 0;
        if (nl < 3 && text_w(s, fs) > w) {
            char save;
            for (size_t i = 1; s[i]; i++) {
                if (s[i] != ' ') continue;
                save = s[i];
                s[i] = 0;
                double tw = text_w(s, fs);
                s[i] = save;
                if (tw > w) break;
                brk = i;
                if ((s[i - 1] == ';' || s[i - 1] == ',') && tw > w / 2) punct = i;
            }
            if (punct) brk = punct;
        }
        if (brk) s[brk] = 0;
        text_at(g, x, y + nl * lh, fs, NULL, fill, NULL, s);
        nl++;
        if (!brk) break;
        s += brk + 1;
    }
    return nl;
}

/* A step of 1, 2 or 5 times a power of ten, at least x. */
static double nice_step(double x)
{
    if (!(x > 0)) return 1;
    double p = pow(10, floor(log10(x)));
    for (int k = 0; k < 40; k++, p *= 10) {
        if (p >= x) return p;
        if (2 * p >= x) return 2 * p;
        if (5 * p >= x) return 5 * p;
    }
    return p;
}

/* ------------------------------------------------------------------ */
/* Statistics: the text summary's, from the same integers.              */

/* The smallest bin whose cumulative count reaches q of n. */
static int quantile_bin(const uint64_t *bin, int nbins, uint64_t n, double q)
{
    uint64_t want = (uint64_t)ceil(q * (double)n), acc = 0;
    if (want < 1) want = 1;
    for (int i = 0; i < nbins; i++) {
        acc += bin[i];
        if (acc >= want) return i;
    }
    return nbins - 1;
}

/* ------------------------------------------------------------------ */
/* The picture's parts.                                                  */

static void section(g_t *g, const char *title)
{
    g->y += 14;
    line(g, 16, g->y, SVG_W - 16, g->y, RULE, NULL);
    text_at(g, 16, g->y + 17, 12.5, NULL, MUTED, "700", title);
    g->y += 28;
}

/* One entry of a legend: a swatch and its words; wraps at the right edge. */
static void legend_item(g_t *g, double *x, double x0, const char *fill, const char *words)
{
    double w = 20 + text_w(words, 11) + 18;
    if (*x + w > SVG_W - 20 && *x > x0) {
        *x = x0;
        g->y += 18;
    }
    rect(g, *x, g->y - 9, 14, 10, fill, NULL);
    text_at(g, *x + 20, g->y, 11, NULL, INK, NULL, words);
    *x += w;
}

/* A stacked horizontal bar of shares; a segment shows its label, or its
** shorter label, when it fits. */
static void stacked(g_t *g, double x0, double x1, double y, double h, int nseg, const double *share,
                    const char *const *fill, char (*label)[48], char (*shortl)[48], double fs)
{
    double x = x0, w = x1 - x0;
    for (int k = 0; k < nseg; k++) {
        double sw = share[k] * w;
        if (share[k] <= 0) continue;
        if (k == nseg - 1 || x + sw > x1) sw = x1 - x;
        rect(g, x, y, sw < 0.4 ? 0.4 : sw, h, fill[k], NULL);
        const char *t = text_w(label[k], fs) + 8 <= sw                  ? label[k]
                        : shortl && text_w(shortl[k], fs) + 6 <= sw ? shortl[k]
                                                                    : NULL;
        if (t) text_at(g, x + sw / 2, y + h / 2 + fs * 0.36, fs, "middle", ink_on(fill[k]), NULL, t);
        x += sw;
    }
    rect(g, x0, y, w, h, "none", " stroke=\"" MUTED "\"");
}

static void outcomes(g_t *g, const ent_frame *f, const sim_agg *a)
{
    char head[96], n[32];
    thousands(n, sizeof n, (long long)a->runs);
    snprintf(head, sizeof head, "Outcome of the %s runs", n);
    section(g, head);
    /* the headline figure: adopted in either format */
    sim_interval pa = sim_wilson(a->outcome[1] + a->outcome[2], a->runs);
    char big[32], lo[32], hi[32], t[240];
    double v3[3] = { pa.p, pa.lo, pa.hi };
    int d = pct_decimals(3, v3);
    pct(big, sizeof big, pa.p, d);
    pct_num(lo, sizeof lo, pa.lo, d);
    pct(hi, sizeof hi, pa.hi, d);
    double top = g->y;
    text_at(g, 24, top + 26, 30, NULL, C_ADOPTED, "700", big);
    text_at(g, 24, top + 44, 12, NULL, INK, NULL, "deployment adopted");
    snprintf(t, sizeof t, "95%% interval %s\xe2\x80\x93%s", lo, hi);
    text_at(g, 24, top + 59, 11, NULL, MUTED, NULL, t);
    /* the bar */
    static const int order[SIM_OUTCOMES] = { 1, 2, 3, 4, SIM_MISSION, 0 };
    static const char *const names[SIM_OUTCOMES] = { "no vote possible", "adopted", "adopted in limited format",
                                                     "blocked", "lapsed", "mission instead" };
    static const char *const fills[SIM_OUTCOMES] = { C_NOVOTE, C_ADOPTED, C_LIMITED, C_BLOCKED, C_LAPSED, C_MISSION };
    double share[SIM_OUTCOMES];
    const char *fill[SIM_OUTCOMES];
    char label[SIM_OUTCOMES][48], shortl[SIM_OUTCOMES][48];
    sim_interval iv[SIM_OUTCOMES];
    for (int k = 0; k < SIM_OUTCOMES; k++) {
        int o = order[k];
        iv[k] = sim_wilson(a->outcome[o], a->runs);
        share[k] = iv[k].p;
        fill[k] = fills[o];
        char p[32];
        pct(p, sizeof p, iv[k].p, pct_decimals(1, &iv[k].p));
        snprintf(label[k], sizeof label[k], "%s %s", o == 2 ? "limited format" : names[o], p);
        snprintf(shortl[k], sizeof shortl[k], "%s", p);
    }
    double bx0 = 240, bx1 = SVG_W - 24;
    stacked(g, bx0, bx1, top + 4, 38, SIM_OUTCOMES, share, fill, label, shortl, 12);
    /* the legend: every outcome with its probability and interval */
    g->y = top + 62;
    double x = bx0;
    for (int k = 0; k < SIM_OUTCOMES; k++) {
        char p[96], words[200];
        pct_iv(p, sizeof p, iv[k].p, iv[k].lo, iv[k].hi);
        snprintf(words, sizeof words, "%s %s", names[order[k]], p);
        legend_item(g, &x, bx0, fill[k], words);
    }
    g->y += 20;
    sim_interval pb = sim_wilson(a->breached, a->runs);
    char p[96];
    pct_iv(p, sizeof p, pb.p, pb.lo, pb.hi);
    snprintf(t, sizeof t, "Runs with a breach the engine flags (a contingent overstays, the UN told late): %s", p);
    text_at(g, bx0, g->y, 11, NULL, MUTED, NULL, t);
    if (!f->deploy_ok) {
        g->y += 17;
        char r[400];
        snprintf(r, sizeof r, "No deployment is possible: %s", f->refusal);
        g->y += 15 * (wrap_text(g, bx0, g->y, 11.5, 15, bx1 - bx0, C_BLOCKED, r) - 1);
    }
    g->y += 8;
}

/* One histogram: `bin` counts values in bins of `unit` (1 day, 10 troops);
** off is where a bin's bar starts relative to its value (-0.5: a day's bar
** is centred on the day). */
typedef struct hspec {
    const char *title, *xlabel, *what, *none;
    const uint64_t *bin;
    int nbins, unit;
    double off;
    uint64_t n, sum, sum2;
} hspec;

#define PH 168.0 /* the plot's height */
#define PANEL_H 292.0

static void histogram(g_t *g, double px, double pw, const hspec *h)
{
    double y0 = g->y;
    text_at(g, px, y0 + 14, 13, NULL, INK, "700", h->title);
    double top = y0 + 58, bot = top + PH;
    if (!h->n) {
        rect(g, px, top, pw, PH, "#f6f7f8", " stroke=\"#d0d5db\"");
        text_at(g, px + pw / 2, top + PH / 2 + 4, 12, "middle", MUTED, NULL, h->none);
        return;
    }
    /* the numbers: mean with its 95% sim_interval, the 2.5%, 50%, 97.5% quantiles */
    double nn = (double)h->n, mean = (double)h->sum / nn;
    double var = h->n > 1 ? ((double)h->sum2 - nn * mean * mean) / (nn - 1) : 0;
    double half = 1.959963984540054 * sqrt(var > 0 ? var / nn : 0);
    long q025 = (long)quantile_bin(h->bin, h->nbins, h->n, 0.025) * h->unit;
    long q50 = (long)quantile_bin(h->bin, h->nbins, h->n, 0.5) * h->unit;
    long q975 = (long)quantile_bin(h->bin, h->nbins, h->n, 0.975) * h->unit;
    int first = -1, last = 0;
    for (int i = 0; i < h->nbins; i++)
        if (h->bin[i]) last = i, first = first < 0 ? i : first;
    /* the range drawn: to the largest value, unless that needs bars of more
    ** than one bin and lies beyond three times the 99.5% quantile; then to
    ** that quantile, and a note says what is left out */
    int b995 = quantile_bin(h->bin, h->nbins, h->n, 0.995);
    int cut = last < 60 || last <= 3 * b995 + 2 ? last : b995;
    /* bars of 1, 2, 5, 10... bins, at most 60; from 0 when that fits with
    ** bars of one bin, else from the first value (so that no bar is part
    ** empty because it starts below the smallest value) */
    int grp = (int)nice_step((double)(cut - first + 1) / 60.0);
    if (grp < 1) grp = 1;
    int b0 = grp == 1 && cut < 60 ? 0 : first;
    int nbars = (cut - b0) / grp + 1;
    double v0 = (b0 + h->off) * h->unit, v1 = v0 + (double)nbars * grp * h->unit; /* the x domain, in values */
    char s_n[32], s_q0[32], s_q1[32], s_q50[32], s_m[48], s_lo[48], s_hi[48], sub[320];
    thousands_d(s_m, sizeof s_m, mean, 2);
    thousands_d(s_lo, sizeof s_lo, mean - half, 2);
    thousands_d(s_hi, sizeof s_hi, mean + half, 2);
    thousands(s_n, sizeof s_n, (long long)h->n);
    thousands(s_q0, sizeof s_q0, q025);
    thousands(s_q1, sizeof s_q1, q975);
    thousands(s_q50, sizeof s_q50, q50);
    snprintf(sub, sizeof sub, "%s runs %s; mean %s [%s, %s], median %s, 95%% of runs %s\xe2\x80\x93%s", s_n, h->what,
             s_m, s_lo, s_hi, s_q50, s_q0, s_q1);
    text_at(g, px, y0 + 31, 11, NULL, MUTED, NULL, sub);
    /* counts: the left axis, nice ticks */
    uint64_t cmax = 0, acc = 0;
    for (int b = 0; b < nbars; b++) {
        uint64_t c = 0;
        for (int i = b0 + b * grp; i < b0 + (b + 1) * grp && i < h->nbins; i++) c += h->bin[i];
        if (c > cmax) cmax = c;
    }
    double ystep = nice_step((double)cmax / 5.0);
    if (ystep < 1) ystep = 1;
    double ymax = ceil((double)cmax / ystep) * ystep;
    if (ymax <= 0) ymax = 1;
    double lw = 0;
    for (double v = 0; v <= ymax + ystep / 2; v += ystep) {
        char l[32];
        thousands(l, sizeof l, (long long)v);
        if (text_w(l, 10.5) > lw) lw = text_w(l, 10.5);
    }
    double x0 = px + lw + 10, x1 = px + pw - 40;
#define XOF(v) (x0 + ((v) - v0) / (v1 - v0) * (x1 - x0))
#define YOF(c) (bot - (c) / ymax * PH)
    /* the band of 95% of the runs, under everything */
    double bl = XOF(q025 + h->off * h->unit), br = XOF(q975 + h->unit + h->off * h->unit);
    if (br > x1) br = x1;
    if (bl < x1) rect(g, bl, top, br - bl, PH, C_BAND, NULL);
    for (double v = 0; v <= ymax + ystep / 2; v += ystep) {
        char l[32];
        thousands(l, sizeof l, (long long)v);
        double y = YOF(v);
        if (v > 0) line(g, x0, y, x1, y, GRID, NULL);
        text_at(g, x0 - 6, y + 3.5, 10.5, "end", MUTED, NULL, l);
    }
    text_at(g, x0 - 6, top - 8, 10.5, "end", MUTED, NULL, "runs");
    /* the bars */
    double bw = (x1 - x0) / nbars;
    for (int b = 0; b < nbars; b++) {
        uint64_t c = 0;
        for (int i = b0 + b * grp; i < b0 + (b + 1) * grp && i < h->nbins; i++) c += h->bin[i];
        if (!c) continue;
        double y = YOF((double)c), x = x0 + b * bw;
        rect(g, x + (bw > 4 ? 0.5 : 0), y, bw > 4 ? bw - 1 : bw, bot - y < 0.5 ? 0.5 : bot - y, C_BAR, NULL);
    }
    /* the mean */
    double mx = XOF(mean);
    if (mx <= x1) {
        line(g, mx, top, mx, bot, C_MEAN, " stroke-width=\"1.5\" stroke-dasharray=\"4 3\"");
        char l[64];
        snprintf(l, sizeof l, "mean %s", s_m);
        double tw = text_w(l, 10.5), lx = mx - tw / 2;
        if (lx < x0) lx = x0;
        if (lx + tw > x1) lx = x1 - tw;
        text_at(g, lx, top - 6, 10.5, NULL, C_MEAN, NULL, l);
    }
    /* the cumulative share: a line through the bars' right edges */
    fprintf(g->o, "<path d=\"M%.1f %.1f", x0, bot);
    for (int b = 0; b < nbars; b++) {
        for (int i = b0 + b * grp; i < b0 + (b + 1) * grp && i < h->nbins; i++) acc += h->bin[i];
        fprintf(g->o, "L%.1f %.1f", x0 + (b + 1) * bw, bot - (double)acc / nn * PH);
    }
    fprintf(g->o, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" stroke-linejoin=\"round\"/>\n", C_CDF);
    /* the right axis: the cumulative share in % */
    line(g, x1, top, x1, bot, C_CDF, NULL);
    for (int k = 0; k <= 4; k++) {
        double y = bot - k * PH / 4;
        char l[8];
        snprintf(l, sizeof l, "%d%%", 25 * k);
        line(g, x1, y, x1 + 4, y, C_CDF, NULL);
        text_at(g, x1 + 7, y + 3.5, 10.5, NULL, C_CDF, NULL, l);
    }
    text_at(g, x1 + 7, top - 8, 10.5, NULL, C_CDF, NULL, "cumul.");
    /* the x axis: ticks at nice values whose labels do not touch */
    char ml[32];
    thousands(ml, sizeof ml, (long long)(v1));
    double lwx = text_w(ml, 10.5) + 14, per = (x1 - x0) / (v1 - v0);
    double xstep = nice_step(lwx / per);
    if (xstep < h->unit) xstep = h->unit;
    line(g, x0, bot, x1, bot, MUTED, NULL);
    line(g, x0, top, x0, bot, MUTED, NULL);
    for (double v = ceil(v0 / xstep) * xstep; XOF(v) <= x1 + 0.01; v += xstep) {
        double x = XOF(v);
        char l[32];
        thousands(l, sizeof l, (long long)v);
        line(g, x, bot, x, bot + 4, MUTED, NULL);
        text_at(g, x, bot + 16, 10.5, "middle", MUTED, NULL, l);
    }
    text_at(g, (x0 + x1) / 2, bot + 32, 11, "middle", MUTED, NULL, h->xlabel);
    /* what is not drawn */
    uint64_t beyond = 0;
    for (int i = b0 + nbars * grp; i < h->nbins; i++) beyond += h->bin[i];
    if (beyond) {
        char nb[32], vb[32], vm[32], p[32], l[200];
        thousands(nb, sizeof nb, (long long)beyond);
        thousands(vb, sizeof vb, (long long)(b0 + nbars * grp) * h->unit);
        thousands(vm, sizeof vm, (long long)(last + 1) * h->unit - 1);
        double share = (double)beyond / nn;
        pct(p, sizeof p, share, pct_decimals(1, &share));
        snprintf(l, sizeof l, "not drawn: %s runs (%s) at %s or more, up to %s%s", nb, p, vb, vm,
                 last == h->nbins - 1 ? " and beyond" : "");
        text_at(g, x1, bot + 48, 10.5, "end", MUTED, NULL, l);
    }
#undef XOF
#undef YOF
}

static void distributions(g_t *g, const sim_agg *a)
{
    section(g, "Distributions over the runs");
    /* the key, once for the four panels */
    double x = 24, ky = g->y + 6;
    rect(g, x, ky - 9, 14, 10, C_BAR, NULL);
    text_at(g, x + 20, ky, 11, NULL, INK, NULL, "runs in each bar (left axis)");
    x += 20 + text_w("runs in each bar (left axis)", 11) + 22;
    line(g, x, ky - 4, x + 16, ky - 4, C_CDF, " stroke-width=\"2\"");
    text_at(g, x + 22, ky, 11, NULL, INK, NULL, "cumulative share of the runs (right axis)");
    x += 22 + text_w("cumulative share of the runs (right axis)", 11) + 22;
    line(g, x + 8, ky - 10, x + 8, ky + 2, C_MEAN, " stroke-width=\"1.5\" stroke-dasharray=\"4 3\"");
    text_at(g, x + 20, ky, 11, NULL, INK, NULL, "mean");
    x += 20 + text_w("mean", 11) + 22;
    rect(g, x, ky - 9, 14, 10, C_BAND, NULL);
    text_at(g, x + 20, ky, 11, NULL, INK, NULL, "95% of the runs (from the 2.5% to the 97.5% quantile)");
    g->y += 24;
    hspec hs[4] = {
        { "Days to the decision", "days from the request to the vote", "with a vote", "no data: no run came to a vote",
          a->decision.bin, SIM_DAYS_MAX, 1, -0.5, a->decision.n, a->decision.sum, a->decision.sum2 },
        { "Days to the first arrival", "days from the request to the first contingent's arrival",
          "with an arrival", "no data: no contingent arrived in any run", a->arrival.bin, SIM_DAYS_MAX, 1, -0.5,
          a->arrival.n, a->arrival.sum, a->arrival.sum2 },
        { "Troops deployed", "personnel that arrived (bins of 10 and more)", "with an arrival",
          "no data: no contingent arrived in any run", a->troops_bin, SIM_TROOPS_BINS, SIM_TROOPS_BIN, 0, a->troops_n,
          a->troops_sum, a->troops_sum2 },
        { "Mission days", "days from the first arrival to completion", "with an arrival",
          "no data: no contingent arrived in any run", a->mission.bin, SIM_DAYS_MAX, 1, -0.5, a->mission.n,
          a->mission.sum, a->mission.sum2 },
    };
    double pw = (SVG_W - 48 - 48) / 2;
    for (int k = 0; k < 4; k++) {
        double y = g->y;
        histogram(g, k % 2 ? 24 + pw + 48 : 24, pw, &hs[k]);
        g->y = k % 2 ? y + PANEL_H : y;
    }
}

static void votes(g_t *g, const ent_frame *f, const sim_model *m, const sim_agg *a)
{
    uint64_t voted = a->runs - a->outcome[0] - a->outcome[SIM_MISSION], stopped = 0;
    char head[128], n[32];
    thousands(n, sizeof n, (long long)voted);
    if (voted) snprintf(head, sizeof head, "How each member votes (the %s runs that came to a vote)", n);
    else snprintf(head, sizeof head, "How each member votes");
    section(g, head);
    if (!m->nvoters || !voted) {
        text_at(g, 24, g->y + 4, 12, NULL, MUTED, NULL, "no data: no run came to a vote");
        g->y += 12;
        return;
    }
    static const char *const vnames[4] = { "yes", "no", "abstain", "out (takes no part)" };
    static const char *const vfill[4] = { C_YES, C_NO, C_ABSTAIN, C_OUT };
    double x = 24, lw = 0;
    g->y += 4;
    for (int k = 0; k < 4; k++) legend_item(g, &x, 24, vfill[k], vnames[k]);
    g->y += 14;
    char lab[ENT_FRAME_MAX][64];
    for (int k = 0; k < m->nvoters; k++) {
        const ent_frame_state *s = &f->states[m->voters[k].state];
        char nm[48];
        snprintf(nm, sizeof nm, "%s", s->name[0] ? s->name : s->code);
        /* names longer than 200 px are cut, with an ellipsis */
        while (text_w(nm, 12) > 200 && strlen(nm) > 4) {
            size_t l = strlen(nm) - 1;
            while (l > 0 && ((unsigned char)nm[l] & 0xc0) == 0x80) l--;
            nm[l] = 0;
            if (text_w(nm, 12) <= 188) {
                strcat(nm, "\xe2\x80\xa6");
                break;
            }
        }
        snprintf(lab[k], sizeof lab[k], "%s (%s)", nm, s->code);
        if (text_w(lab[k], 12) > lw) lw = text_w(lab[k], 12);
    }
    double bx0 = 24 + lw + 14, bx1 = SVG_W - 110;
    if (bx0 < 240) bx0 = 240;
    for (int k = 0; k < m->nvoters; k++) {
        int i = m->voters[k].state;
        uint64_t tot = a->votes[i][1] + a->votes[i][2] + a->votes[i][3] + a->votes[i][4];
        stopped += a->votes[i][0];
        double share[4];
        const char *fill[4];
        char label[4][48];
        for (int v = 0; v < 4; v++) {
            share[v] = tot ? (double)a->votes[i][v + 1] / (double)tot : 0;
            fill[v] = vfill[v];
            pct(label[v], sizeof label[v], share[v], pct_decimals(1, &share[v]));
        }
        double y = g->y;
        text_at(g, 24, y + 13, 12, NULL, INK, NULL, lab[k]);
        if (tot) stacked(g, bx0, bx1, y, 18, 4, share, fill, label, NULL, 11);
        char c[32], l[48];
        thousands(c, sizeof c, (long long)tot);
        snprintf(l, sizeof l, "%s runs", c);
        text_at(g, bx1 + 8, y + 13, 10.5, NULL, MUTED, NULL, l);
        g->y += 26;
    }
    if (stopped)
        text_at(g, bx0, g->y + 4, 10.5, NULL, MUTED, NULL,
                "Under consensus the vote stops at the first objection: a member whose turn did not come is left out "
                "of its bar's runs.");
    g->y += stopped ? 12 : 0;
}

/* ------------------------------------------------------------------ */
/* The picture.                                                          */

static void headline(char *out, size_t n, const ent_frame *f, const sim_model *m)
{
    static const char *const mon[] = { "January", "February", "March",     "April",   "May",      "June",
                                       "July",    "August",   "September", "October", "November", "December" };
    int y = 0, mo = 0, d = 0;
    char date[32];
    if (sscanf(f->date, "%d-%d-%d", &y, &mo, &d) == 3 && mo >= 1 && mo <= 12)
        snprintf(date, sizeof date, "%d %s %d", d, mon[mo - 1], y);
    else snprintf(date, sizeof date, "%s", f->date);
    const ent_frame_state *h = &f->states[f->host];
    char kind[128];
    static const char *const kinds[4] = { "unrest", "aggression", "border clash", "terrorism" };
    const char *k = f->kind >= 0 && f->kind < 4 ? kinds[f->kind] : "crisis";
    if (f->adversary >= 0) {
        const ent_frame_state *x = &f->states[f->adversary];
        const char *rel = f->kind == 1 ? "by" : f->kind == 2 ? "with" : "against";
        snprintf(kind, sizeof kind, "%s %s %s (%s)", k, rel, x->name, x->code);
    } else snprintf(kind, sizeof kind, "%s", k);
    snprintf(out, n, "%s (%s) asks the %s for help: %s, severity %.2f, on %s", h->name[0] ? h->name : h->code, h->code,
             f->org, kind, m->severity, date);
}

int sim_svg(FILE *out, const char *header, const ent_frame *f, const sim_model *m, const sim_agg *a)
{
    char *body = NULL;
    size_t blen = 0;
    FILE *o = open_memstream(&body, &blen);
    if (!o) return errno ? errno : ENOMEM;
    g_t g = { o, 0 };
    char title[400];
    headline(title, sizeof title, f, m);
    /* on one line, smaller if need be (bold is some 12% wider than text_w
    ** estimates); else on two, after "for help:" */
    double tw = SVG_W - 32, fs = 21;
    while (text_w(title, fs) * 1.12 > tw && fs > 17) fs -= 1;
    g.y = 54;
    char *colon = strstr(title, ": ");
    if (text_w(title, fs) * 1.12 <= tw || !colon) {
        text_at(&g, 16, 32, fs, NULL, INK, "700", title);
    } else {
        *colon = 0;
        text_at(&g, 16, 32, 21, NULL, INK, "700", title);
        *colon = ':';
        fs = 21;
        while (text_w(colon + 2, fs) * 1.12 > tw && fs > 10) fs -= 1;
        text_at(&g, 16, 58, fs, NULL, INK, "700", colon + 2);
        g.y += 26;
    }
    /* the text summary's header, but for its first line (the crisis, drawn
    ** above from the frame): seed, runs, model, parameters; the charter */
    const char *p = header ? strchr(header, '\n') : NULL;
    while (p && p[1]) {
        const char *e = strchr(p + 1, '\n');
        char ln[1024];
        size_t l = e ? (size_t)(e - p - 1) : strlen(p + 1);
        if (l >= sizeof ln) l = sizeof ln - 1;
        memcpy(ln, p + 1, l);
        ln[l] = 0;
        g.y += 16 * wrap_text(&g, 16, g.y, 12.5, 16, SVG_W - 32, MUTED, ln);
        p = e;
    }
    outcomes(&g, f, a);
    distributions(&g, a);
    votes(&g, f, m, a);
    g.y += 30;
    char foot[400], n[32];
    thousands(n, sizeof n, (long long)a->runs);
    snprintf(foot, sizeof foot,
             "Source: entente %s simulate, %s runs of the %s model played through the charter's rule engine; "
             "the same seed gives the same picture, whatever -j.",
             ENT_VERSION, n, m->model ? "interest" : "baseline");
    text_at(&g, 16, g.y, 10.5, NULL, MUTED, NULL, foot);
    text_at(&g, 16, g.y + 15, 10.5, NULL, MUTED, NULL,
            "Probabilities with Wilson 95% intervals, means with their 95% intervals; histograms and quantiles from "
            "exact counts by day (troops: by 10 personnel).");
    double H = ceil(g.y + 32);
    if (fclose(o) != 0 || !body) {
        free(body);
        return ENOMEM;
    }
    fprintf(out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
            "font-family=\"%s\" fill=\"%s\" role=\"img\" aria-labelledby=\"sim-title\">\n",
            SVG_W, H, SVG_W, H, FONT, INK);
    fputs("<title id=\"sim-title\">", out);
    xml_text(out, title);
    fputs("</title>\n", out);
    fprintf(out, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n", SVG_W, H);
    fwrite(body, 1, blen, out);
    fputs("</svg>\n", out);
    int e = ferror(out) ? (errno ? errno : EIO) : 0;
    free(body);
    return e;
}

/* ------------------------------------------------------------------ */
/* The picture's file: a temporary file beside it, renamed at the end, so  */
/* that a failure leaves nothing half-written (and an older file intact).  */
/* A path that is there and is not a regular file (a device, a pipe, a     */
/* symbolic link) is written as it is: renaming would replace it.          */

int sim_svg_open(const char *path, FILE **f, char **tmp)
{
    *f = NULL;
    *tmp = NULL;
    if (strcmp(path, "-") == 0) {
        *f = stdout;
        return 0;
    }
    struct stat st;
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        *f = fopen(path, "w");
        return *f ? 0 : errno ? errno : EIO;
    }
    size_t n = strlen(path) + 16;
    char *t = malloc(n);
    if (!t) return ENOMEM;
    snprintf(t, n, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(t);
    FILE *o = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!o) {
        int e = errno ? errno : EIO;
        if (fd >= 0) {
            close(fd);
            unlink(t);
        }
        free(t);
        return e;
    }
    *f = o;
    *tmp = t;
    return 0;
}

int sim_svg_close(FILE *f, char *tmp, const char *path, int ok)
{
    int e = 0;
    if (!tmp) { /* standard output, or a path written as it is */
        if (ok && (fflush(f) != 0 || ferror(f))) e = errno ? errno : EIO;
        if (f != stdout && fclose(f) != 0 && ok && !e) e = errno ? errno : EIO;
        return e;
    }
    if (ok && ferror(f)) e = errno ? errno : EIO;
    if (fclose(f) != 0 && ok && !e) e = errno ? errno : EIO;
    if (ok && !e) {
        /* mkstemp makes the file 0600: give it the mode fopen would */
        mode_t mask = umask(0);
        umask(mask);
        if (chmod(tmp, 0666 & ~mask) != 0 || rename(tmp, path) != 0) e = errno ? errno : EIO;
    }
    if (!ok || e) unlink(tmp);
    free(tmp);
    return e;
}
