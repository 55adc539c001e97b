/* cooccur_sort.h: what the two halves of the co-occurrence collection share: the sorter of
 * one source (cooccur_collect.c sorts and adds up, cooccur_gather.c feeds it the workers'
 * data) and the partition file. Not a public contract. */
#ifndef FRAMESCOPE_COOCCUR_SORT_H
#define FRAMESCOPE_COOCCUR_SORT_H

#include "count_internal.h"

#define CLASSES 65          /* log2 classes of a term frequency */

/* One worker's spilled records of a source (global keys) cut by group of buckets into its own
 * temporary file as the counting pass reads them back, in chunks of up to `per` records, so
 * that each range reads only its own groups. One file a worker: the workers' data are cut and
 * read back on parallel lanes. */
#define PART_GROUP_BITS 10  /* groups of the partition file: 1,024 at most */
typedef struct part {
    FILE *f;                /* tmpfile(), kept from one source to the next */
    uint64_t end;
    cooc_rec *buf;          /* [n_groups * per] */
    size_t *fill;           /* [n_groups] */
    size_t per;             /* records buffered per group */
    uint64_t *chunk;        /* per chunk: offset << 20 | records (< 2^20) */
    uint32_t *chunk_group;
    size_t n_chunks, chunk_cap;
} part;

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
    bool parted;            /* the spilled runs go through the partition files */
    part *parts;            /* [n_states]: those files */
    int gshift;             /* a group of the partition file: buckets k >> gshift */
} sorter;

/* Per worker w (lanes of fs_parallel_for over workers): the counting pass (counts per bucket
 * in t->off + w * nb; keys and in-memory runs remapped in place; with t->parted, the spilled
 * runs cut into t->parts[w] on the way) and the scatter of the range [b0, b1) (at the cursors
 * t->off + w * nb, the spilled runs from the partition file when parted, freeing what it
 * consumed in the last range). FS_ERR_NOMEM or FS_ERR_OUTPUT. */
fs_status cooc_count_fn(void *user, size_t lane, size_t begin, size_t end);
fs_status cooc_scatter_fn(void *user, size_t lane, size_t begin, size_t end);
void cooc_part_free(part *pt);

/* The memory cap over all sources (cooccur_cap.c). */
typedef struct capper {
    const uint8_t *lg;      /* NULL: no cap */
    size_t cap_pairs;
    size_t total;           /* distinct pairs seen, all sources */
    size_t hist[CLASSES];   /* valid once counting (the cap was exceeded) */
    bool counting;
    int keep;               /* 0 until the cap is exceeded */
    fs_pair **pairs;
    size_t *n_pairs, n_sources;
    size_t stored;          /* sum of n_pairs */
    size_t cur;             /* the source being collected: its array is reserved ahead */
    size_t out_cap;         /* pairs that array holds */
    cooc_stats stats;
} capper;
/* After `added` new distinct pairs (hist_add: their classes, when counting): the threshold
 * for every pair so far, applied to the stored ones when it rose. */
void cooc_cap_update(capper *p, size_t added, const size_t *hist_add);

#endif
