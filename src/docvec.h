/* docvec.h: per-document term vectors as varints, kept in a spool (spool.h).
 *
 * Counting keeps one sparse (term, count) vector per document for the dispersion statistics;
 * on a large corpus these outnumber everything else the engine holds, and as two uint32 arrays
 * they grew with the corpus. As LEB128 varints (7 bits a byte, low first, as in the shard file)
 * an entry takes about 3 bytes, and in a spool the bytes live in a file whose pages leave the
 * resident set behind each sequential pass (dv_store evicts every chunk it has filled).
 *
 * Two layouts of n entries, both varint pairs:
 *   worker   (local id, count): ids in the order the worker met them, absolute
 *   sorted   (id - previous id, count): ids strictly ascending, the first from 0; byte for byte
 *            the term-vector layout of the shard file (shard.c), so saving copies bytes
 * Decoders trust their input (it was encoded here); the shard loader validates file data
 * before encoding it. Private to the counting engine. */
#ifndef FRAMESCOPE_DOCVEC_H
#define FRAMESCOPE_DOCVEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "framescope/spool.h"

/* Room an n-entry vector may need: two varints of at most 5 bytes an entry. */
#define DV_MAX_BYTES(n) ((size_t)(n) * 10u)

static inline uint8_t *dv_put(uint8_t *p, uint32_t v)
{
    while (v >= 0x80) {
        *p++ = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    *p++ = (uint8_t)v;
    return p;
}

static inline const uint8_t *dv_get(const uint8_t *p, uint32_t *v)
{
    uint32_t x = *p++;
    if (x >= 0x80) { /* most counts and many ids take one byte: keep that path short */
        x &= 0x7F;
        uint32_t b;
        unsigned shift = 7;
        do {
            b = *p++;
            x |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) && shift < 35);
    }
    *v = x;
    return p;
}

/* Sorted layout: writes n entries (terms strictly ascending) at p and returns the end. */
uint8_t *dv_encode_sorted(uint8_t *p, const uint32_t *terms, const uint32_t *counts, size_t n);
/* Sorted layout: reads n entries into terms[] and counts[]; returns the end of the encoding. */
const uint8_t *dv_decode_sorted(const uint8_t *p, size_t n, uint32_t *terms, uint32_t *counts);
/* Bytes of an n-entry encoding at p (either layout). */
size_t dv_size(const uint8_t *p, size_t n);

/* An append-only run of encoded vectors in chunks of a spool. Vectors never straddle chunks,
 * so each is one pointer; a filled chunk is evicted from the resident set when the next one
 * starts, which bounds what the writer keeps resident to about one chunk. Start zeroed, with
 * `sp` set to a spool to share (several stores may share one, e.g. one per thread) or NULL:
 * the store then creates and owns one. One thread per store. */
typedef struct dv_store {
    fs_spool *sp;
    bool owned;
    uint8_t *chunk, *at; /* the current chunk, the next free byte */
    size_t left;         /* bytes free at `at` */
} dv_store;

uint8_t *dv_grow(dv_store *s, size_t need);

/* Room for `need` bytes at the returned pointer (s->at, or the start of a new chunk). The
 * caller writes there and hands the end to dv_commit. NULL: out of memory or temporary disk
 * space. */
static inline uint8_t *dv_room(dv_store *s, size_t need)
{
    return s->at && s->left >= need ? s->at : dv_grow(s, need);
}

static inline void dv_commit(dv_store *s, uint8_t *end)
{
    s->left -= (size_t)(end - s->at);
    s->at = end;
}

/* Drops the current chunk from the resident set too (after the last vector of a pass). */
void dv_store_evict(dv_store *s);
/* Frees the spool when the store owns it; the store can be used again (zeroed). */
void dv_store_free(dv_store *s);

/* Evicts [lo, hi) of `sp` from the resident set, given as the lowest and highest addresses a
 * pass touched (hi exclusive; both NULL: nothing). Helps readers evict per batch. */
void dv_evict_span(fs_spool *sp, const uint8_t *lo, const uint8_t *hi);

#endif
