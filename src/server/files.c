/*
** files.c: static files from the web directory (--web DIR, default
** build/web): GET and HEAD only; "/" is index.html. The path is checked by
** srv_safe_path (no "..", no hidden files, a small set of bytes) and opened
** relative to the directory's descriptor, without following a symbolic link
** at the last step; only regular files are served, by sendfile. An ETag and
** Last-Modified from the file's size and time answer If-None-Match with
** 304; HTML is revalidated each time, other files may be kept 5 minutes.
*/
#include "server.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum MHD_Result srv_static(srv *s, struct MHD_Connection *c, const char *url)
{
    char rel[512];
    if (srv_safe_path(url, rel, sizeof rel) != 0) return srv_send_error(c, 404, "no such file", NULL, NULL);
    if (s->web_fd < 0) return srv_send_error(c, 404, "no web directory (--web DIR)", NULL, NULL);
    int fd = openat(s->web_fd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return srv_send_error(c, 404, "no such file", NULL, NULL);
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return srv_send_error(c, 404, "no such file", NULL, NULL);
    }
    char etag[64], lm[64];
    snprintf(etag, sizeof etag, "\"%" PRIx64 "-%" PRIx64 "\"", (uint64_t)st.st_mtime, (uint64_t)st.st_size);
    struct tm tm;
    gmtime_r(&st.st_mtime, &tm);
    strftime(lm, sizeof lm, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    const char *type = srv_content_type(rel);
    const char *cc = strncmp(type, "text/html", 9) == 0 ? "no-cache" : "public, max-age=300";
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    struct MHD_Response *r;
    unsigned status = MHD_HTTP_OK;
    if (inm && strcmp(inm, etag) == 0) {
        close(fd);
        r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        status = MHD_HTTP_NOT_MODIFIED;
    } else {
        r = MHD_create_response_from_fd64((uint64_t)st.st_size, fd); /* MHD closes fd */
    }
    if (!r) {
        if (status == MHD_HTTP_OK) close(fd);
        return MHD_NO;
    }
    if (status == MHD_HTTP_OK) MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "ETag", etag);
    MHD_add_response_header(r, "Last-Modified", lm);
    MHD_add_response_header(r, "Cache-Control", cc);
    srv_headers(r);
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}
