/* shard_io.h: the byte level of counts files (shard.c): the checksum, a buffered writer that
 * checksums what it hands to the file, LEB128 varints encoded and decoded a buffer at a time,
 * and the mapped input file. Private to shard.c. */
#ifndef FRAMESCOPE_SHARD_IO_H
#define FRAMESCOPE_SHARD_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "framescope/error.h"

#define SH_FNV_OFFSET 0xcbf29ce484222325ull
#define SH_FNV_PRIME 0x100000001b3ull

/* Longest varint of a 64-bit value. */
#define SH_VAR_MAX 10

/* The 8 bytes at p as a little-endian number. */
static inline uint64_t sh_le64(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t w;
    memcpy(&w, p, sizeof w); /* one load where the byte order already matches */
    return w;
#else
    uint64_t w = 0;
    for (int k = 7; k >= 0; k--)
        w = (w << 8) | p[k];
    return w;
#endif
}

/* FNV-1a-64 over 8-byte little-endian words, then the tail bytes; fed in pieces whose lengths
 * are multiples of 8 except the last one. */
uint64_t sh_checksum(uint64_t h, const unsigned char *p, size_t n);

/* Writes v at p (SH_VAR_MAX bytes of room) and returns the end. Most values in a counts file
 * are below 128: that case is one store. */
static inline unsigned char *sh_put(unsigned char *p, uint64_t v)
{
    if (v < 0x80) {
        *p = (unsigned char)v;
        return p + 1;
    }
    do {
        *p++ = (unsigned char)(v | 0x80);
        v >>= 7;
    } while (v >= 0x80);
    *p++ = (unsigned char)v;
    return p;
}

/* Reads a varint at p, which has SH_VAR_MAX readable bytes; NULL when it runs longer. Bits past
 * the 64th are dropped, as the checked reader does. */
static inline const unsigned char *sh_get(const unsigned char *p, uint64_t *v)
{
    uint64_t x = *p++;
    if (x < 0x80) {
        *v = x;
        return p;
    }
    x &= 0x7F;
    for (unsigned shift = 7; shift < 64; shift += 7) {
        uint64_t b = *p++;
        x |= (b & 0x7F) << shift;
        if (!(b & 0x80)) {
            *v = x;
            return p;
        }
    }
    return NULL;
}

/* ---- writing: bytes gather in a buffer; whole 8-byte words of it go to the file, checksummed
 * on the way, whenever a request for room does not fit. With a helper thread (sh_writer_start)
 * the checksum and the write of one buffer overlap the encoding of the next. */
#define SH_WBUF ((size_t)1 << 20)

typedef struct sh_pipe sh_pipe;

typedef struct sh_writer {
    FILE *fp;
    uint64_t hash, bytes; /* over the bytes handed to fp (with a pipe: once it has stopped) */
    unsigned char *buf;   /* SH_WBUF bytes being filled */
    size_t n;
    bool failed;
    sh_pipe *pipe;        /* NULL: buffers are written by the caller's thread */
} sh_writer;

/* Opens a writer on fp with its buffers and, when it can be started, the helper thread.
 * false: out of memory. */
bool sh_writer_start(sh_writer *w, FILE *fp);
/* Hands over the rest, waits for the helper and frees the buffers; afterwards w->hash,
 * w->bytes and w->failed are final. */
void sh_writer_stop(sh_writer *w);

/* Hands the buffer to the file: all of it when `last`, else its whole words (the rest, under
 * 8 bytes, moves to the front of the next buffer). */
void sh_flush(sh_writer *w, bool last);

/* Room for `need` bytes (at most SH_WBUF / 2) at the returned pointer; sh_done takes the end. */
static inline unsigned char *sh_room(sh_writer *w, size_t need)
{
    if (w->n + need > SH_WBUF)
        sh_flush(w, false);
    return w->buf + w->n;
}

static inline void sh_done(sh_writer *w, const unsigned char *end)
{
    w->n = (size_t)(end - w->buf);
}

void sh_bytes(sh_writer *w, const void *p, size_t n);

/* ---- reading: a counts file through a read-only mapping (or the heap) whose pages are
 * dropped behind the reader, a step at a time. */
typedef struct sh_infile {
    unsigned char *map;  /* the mapping, or NULL */
    char *heap;          /* or the heap copy */
    const unsigned char *u;
    size_t len, dropped; /* bytes before `dropped` have left the resident set */
} sh_infile;

fs_status sh_infile_open(const char *path, sh_infile *f, fs_error *err);
/* Drops the whole steps before `upto` from the resident set (read back if touched again). */
void sh_infile_drop(sh_infile *f, const unsigned char *upto);
void sh_infile_close(sh_infile *f);

#endif
