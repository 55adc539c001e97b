/* cooccur_sort.h: what the two halves of the co-occurrence collection share: the sorter of
 * one source (cooccur_collect.c sorts and adds up, cooccur_gather.c feeds it the workers'
 * data) and the partition file. Not a public contract. */
#ifndef FRAMESCOPE_COOCCUR_SORT_H
#define FRAMESCOPE_COOCCUR_SORT_H

#include "count_internal.h"

/* Global keys are a << bits | b; an element is (key below the bucket bits) << cb | count. */
typedef struct sorter {
    int bits;               /* bits of a global id */
    int lo_bits;            /* key bits below the bucket bits, sorted inside a bucket */
    int cb;                 /* count bits of an element (the low bits) */
    uint64_t maxc, lomask;
    size_t nb;              /* buckets */
    size_t *start;          /* [nb + 1]: bucket k is elements [start[k], start[k + 1]) */
    size_t *off;            /* [n_states * nb]: counts per worker, then its write cursors */
    size_t *dist;           /* [nb]: kept pairs of bucket k, then its first output index */
    uint8_t *in_b;          /* [nb]: the sorted bucket is in b (else in a) */
    uint64_t *a, *b;        /* elements of the range (bucket k at start[k] - base), scratch */
    size_t base, b0, b1;    /* the range: buckets [b0, b1), its first element */
    bool last;              /* the last range: the scatter frees what it consumed */
    cooc_state *const *states;
    size_t n_states;
    const uint32_t *const *maps;
    size_t source;
    const uint8_t *lg;      /* log2 class of each term's total frequency; NULL: no cap */
    int keep;               /* pairs are kept when both classes are >= keep */
    int floor;              /* the threshold when the source began (0: none): pairs below it
                             * are dropped as they are gathered, before any sorting */
    const uint8_t *lg_floor;
    size_t *hist;           /* [lanes * CLASSES]: distinct pairs by the rarer term's class */
    fs_pair *out;
} sorter;

/* A source's records (global keys) cut by range into a temporary file, written in chunks
 * of up to `per` records, so that each range reads only its own. */
typedef struct part {
    FILE *f;                /* tmpfile(), kept from one source to the next */
    uint64_t end;
    size_t n_ranges;
    uint32_t *range_of;     /* [nb]: the range of each bucket */
    cooc_rec *buf;          /* [n_ranges * per] */
    size_t *fill;           /* [n_ranges] */
    size_t per;             /* records buffered per range */
    uint64_t *chunk;        /* per chunk: offset << 20 | records (< 2^20) */
    uint32_t *chunk_range;
    size_t n_chunks, chunk_cap;
} part;

/* Per worker w (lanes of fs_parallel_for over workers): the counting pass (counts per bucket
 * in t->off + w * nb; keys and in-memory runs remapped in place) and the scatter of the range
 * [b0, b1) (at the cursors t->off + w * nb, freeing what it consumed in the last range). */
fs_status cooc_count_fn(void *user, size_t lane, size_t begin, size_t end);
fs_status cooc_scatter_fn(void *user, size_t lane, size_t begin, size_t end);
/* Partitions every worker's data of the source by range into pt->f (open; pt->range_of set),
 * freeing it: one pass over spilled runs instead of one per range. FS_ERR_NOMEM or
 * FS_ERR_OUTPUT. */
fs_status cooc_part_write(sorter *t, part *pt);
/* Scatters range r from the partition file into t->a at cursors cur[b0, b1) (set to the
 * bucket starts). FS_ERR_NOMEM or FS_ERR_OUTPUT. */
fs_status cooc_part_read(sorter *t, part *pt, size_t r, size_t *cur);
void cooc_part_free(part *pt);

#endif
