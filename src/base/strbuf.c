/* strbuf.c: growable byte buffer. */
#include "framescope/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

fs_status fs_strbuf_reserve(fs_strbuf *b, size_t extra)
{
    if (b->failed)
        return FS_ERR_NOMEM;
    if (b->cap - b->len > extra && b->data)
        return FS_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap - b->len <= extra) {
        if (cap > SIZE_MAX / 2) {
            b->failed = 1;
            return FS_ERR_NOMEM;
        }
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return FS_ERR_NOMEM;
    }
    b->data = p;
    b->cap = cap;
    return FS_OK;
}

fs_status fs_strbuf_append(fs_strbuf *b, const char *s, size_t len)
{
    if (fs_strbuf_reserve(b, len) != FS_OK)
        return FS_ERR_NOMEM;
    if (len)
        memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
    return FS_OK;
}

fs_status fs_strbuf_puts(fs_strbuf *b, const char *s)
{
    return fs_strbuf_append(b, s, strlen(s));
}

fs_status fs_strbuf_putc(fs_strbuf *b, char c)
{
    return fs_strbuf_append(b, &c, 1);
}

fs_status fs_strbuf_printf(fs_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return FS_ERR_INTERNAL;
    if ((size_t)n < sizeof small)
        return fs_strbuf_append(b, small, (size_t)n);
    if (fs_strbuf_reserve(b, (size_t)n) != FS_OK)
        return FS_ERR_NOMEM;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return FS_OK;
}

void fs_strbuf_reset(fs_strbuf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

char *fs_strbuf_detach(fs_strbuf *b)
{
    if (b->failed) {
        fs_strbuf_free(b);
        return NULL;
    }
    char *p = b->data ? b->data : calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void fs_strbuf_free(fs_strbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}
