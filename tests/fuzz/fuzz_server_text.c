/*
** fuzz_server_text.c: libFuzzer target for the crisis-room server's pure
** helpers (src/server/text.c), with their properties checked, not only their
** survival:
**   srv_safe_path     a path it accepts stays under the web directory: no
**                     "..", no hidden segment, no "//", only safe bytes;
**   srv_chron_quote   what it writes unquotes back to its input;
**   srv_redact_email  keeps the length, and every '@' and '.';
**   srv_parse_u64     what it accepts prints back to the same number;
**   srv_parse_refusal, srv_first_line, srv_arg_value: outputs stay within
**                     their buffers and are NUL-terminated.
** The first byte picks the helper; the rest is its input.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/server/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_safe_path(const char *s)
{
    char out[256];
    if (srv_safe_path(s, out, sizeof out) != 0) return;
    size_t n = strlen(out);
    if (n == 0 || n >= sizeof out || out[0] == '/' || strstr(out, "//") || strstr(out, "/.") || out[0] == '.')
        abort();
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)out[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '~' || c == '.' || c == '/'))
            abort();
    }
}

static void check_quote(const char *s)
{
    char q[512], back[512];
    int n = srv_chron_quote(q, sizeof q, s);
    if (n < 0) return;
    if ((size_t)n != strlen(q) || q[0] != '"' || q[n - 1] != '"') abort();
    size_t o = 0;
    for (int i = 1; i < n - 1; i++) {
        char c = q[i];
        if (c == '"') abort();                     /* an unescaped quote inside */
        if (c == '\\') {
            c = q[++i];
            if (c != '"' && c != '\\') abort();   /* only \" and \\ */
        }
        back[o++] = c;
    }
    back[o] = 0;
    if (strcmp(back, s) != 0) abort();
}

static void check_redact(const char *s, size_t n)
{
    char *c = malloc(n + 1);
    if (!c) return;
    memcpy(c, s, n + 1);
    srv_redact_email(c, n);
    for (size_t i = 0; i < n; i++)
        if ((s[i] == '@' || s[i] == '.' || s[i] == '"' || s[i] == '\\') && c[i] != s[i]) abort();
    if (c[n] != 0) abort();
    free(c);
}

static void check_u64(const char *s)
{
    uint64_t v;
    if (srv_parse_u64(s, &v) != 0) return;
    while (s[0] == '0' && s[1]) s++;               /* leading zeros */
    char back[32];
    snprintf(back, sizeof back, "%llu", (unsigned long long)v);
    if (strcmp(back, s) != 0) abort();
}

static void check_bounded(const char *s)
{
    char a[24], b[40], c[64];
    memset(a, 'x', sizeof a);
    memset(b, 'x', sizeof b);
    memset(c, 'x', sizeof c);
    srv_parse_refusal(s, a, sizeof a, b, sizeof b, c, sizeof c);
    if (!memchr(a, 0, sizeof a) || !memchr(b, 0, sizeof b) || !memchr(c, 0, sizeof c)) abort();
    memset(c, 'x', sizeof c);
    srv_first_line(s, c, sizeof c);
    if (!memchr(c, 0, sizeof c)) abort();
    memset(c, 'x', sizeof c);
    srv_arg_value(s, "email", c, sizeof c);
    if (!memchr(c, 0, sizeof c)) abort();
    (void)srv_valid_date(s);
    (void)srv_valid_word(s, 64);
    (void)srv_content_type(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096) return 0;
    char *s = malloc(size);
    if (!s) return 0;
    memcpy(s, data + 1, size - 1);
    s[size - 1] = 0;                               /* a C string: up to its first NUL */
    switch (data[0] % 5) {
    case 0: check_safe_path(s); break;
    case 1: check_quote(s); break;
    case 2: check_redact(s, strlen(s)); break;
    case 3: check_u64(s); break;
    default: check_bounded(s); break;
    }
    free(s);
    return 0;
}
