/**
 * strbuf.h: growable byte buffer, always NUL-terminated once anything was added.
 * The struct is public so that it can live on the stack; initialise with FS_STRBUF_INIT.
 * fs_strbuf_detach hands the bytes to the caller, who frees them with free().
 */
#ifndef FRAMESCOPE_STRBUF_H
#define FRAMESCOPE_STRBUF_H

#include <stddef.h>
#include "framescope/error.h"

typedef struct fs_strbuf {
    char *data;
    size_t len;
    size_t cap;
    int failed; /* sticky: an allocation failed, content is incomplete */
} fs_strbuf;

#define FS_STRBUF_INIT {NULL, 0, 0, 0}

/** Ensures room for `extra` more bytes plus NUL. Returns FS_ERR_NOMEM and sets `failed` on OOM. */
fs_status fs_strbuf_reserve(fs_strbuf *b, size_t extra);
fs_status fs_strbuf_append(fs_strbuf *b, const char *s, size_t len);
fs_status fs_strbuf_puts(fs_strbuf *b, const char *s);
fs_status fs_strbuf_putc(fs_strbuf *b, char c);
fs_status fs_strbuf_printf(fs_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fs_strbuf_reset(fs_strbuf *b);
/** Returns the buffer (an empty string is allocated when nothing was added) and empties `b`.
 * When `failed`, frees the bytes and returns NULL instead. */
char *fs_strbuf_detach(fs_strbuf *b);
void fs_strbuf_free(fs_strbuf *b);

#endif
