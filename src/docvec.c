/* docvec.c: the sorted-layout codec and the spool-backed store of docvec.h. */
#include "docvec.h"

#include <stdint.h>
#include <stdlib.h>

/* Chunk of a store: large enough that reserving and evicting are rare next to the vectors
 * written, small enough that a writer's resident part stays a few MiB. */
#define DV_CHUNK ((size_t)4 << 20)

/* Bytes of w with the high bit clear (a multiply adds the eight 0/1 bytes into the top one;
 * no popcount instruction is assumed). */
static size_t ends_in(uint64_t w)
{
    return (size_t)((((~w & 0x8080808080808080ull) >> 7) * 0x0101010101010101ull) >> 56);
}

uint8_t *dv_encode_sorted(uint8_t *p, const uint32_t *terms, const uint32_t *counts, size_t n)
{
    uint32_t prev = 0;
    for (size_t k = 0; k < n; k++) {
        p = dv_put(p, terms[k] - prev);
        p = dv_put(p, counts[k]);
        prev = terms[k];
    }
    return p;
}

const uint8_t *dv_decode_sorted(const uint8_t *p, size_t n, uint32_t *terms, uint32_t *counts)
{
    uint32_t t = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t delta;
        p = dv_get(p, &delta);
        p = dv_get(p, &counts[k]);
        t += delta;
        terms[k] = t;
    }
    return p;
}

/* Each varint ends in the one byte with the high bit clear. While at least 8 ends are still
 * to come, the next 8 bytes all belong to the encoding: count their ends a word at a time. */
size_t dv_size(const uint8_t *p, size_t n)
{
    const uint8_t *q = p;
    size_t ends = 2 * n;
    while (ends >= 8) {
        uint64_t w = 0;
        for (int k = 7; k >= 0; k--) /* the order does not matter: only bits are counted */
            w = (w << 8) | q[k];
        ends -= ends_in(w);
        q += 8;
    }
    for (; ends; ends--)
        while (*q++ & 0x80)
            ;
    return (size_t)(q - p);
}

uint8_t *dv_grow(dv_store *s, size_t need)
{
    if (!s->sp) {
        if (fs_spool_create(false, &s->sp) != FS_OK)
            return NULL;
        s->owned = true;
    }
    size_t cap = need > DV_CHUNK ? need : DV_CHUNK;
    uint8_t *p = (uint8_t *)fs_spool_reserve(s->sp, cap);
    if (!p)
        return NULL;
    dv_store_evict(s);
    s->chunk = s->at = p;
    s->left = cap;
    return p;
}

void dv_store_evict(dv_store *s)
{
    if (s->chunk && s->at > s->chunk)
        fs_spool_evict(s->sp, s->chunk, (size_t)(s->at - s->chunk));
}

void dv_store_free(dv_store *s)
{
    if (s->owned)
        fs_spool_free(s->sp);
    *s = (dv_store){0};
}

void dv_evict_span(fs_spool *sp, const uint8_t *lo, const uint8_t *hi)
{
    if (sp && lo && hi && (uintptr_t)hi > (uintptr_t)lo)
        fs_spool_evict(sp, lo, (size_t)((uintptr_t)hi - (uintptr_t)lo));
}
