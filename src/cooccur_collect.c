/* cooccur_collect.c: the end of co-occurrence counting. Every worker's pairs of one source
 * (unsorted keys, sorted runs, drained dense counts; in memory or in the spill file) are
 * remapped to global ids and sorted once, then equal pairs are added up.
 *
 * The sort is an MSD radix sort on packed 64-bit elements: pass 1 remaps the keys in place and
 * counts elements per bucket (the top bits of the global key, lo << bits | hi, so buckets are
 * ranges of the first term id); pass 2 scatters (key below the bucket bits) << cb | count into
 * the buckets; each bucket is then sorted on its remaining key bits (LSD, in the cache) and
 * accumulated, buckets in parallel. A count too large for the cb bits left beside the key is
 * split over several elements, which the accumulation adds back: one element type for any
 * vocabulary size. */
#include "count_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "framescope/parallel.h"

#define SPILL_CHUNK 65536   /* records read back at a time */
#define BUCKET_BITS 10      /* at most 4,096 buckets */
#define SMALL_BUCKET 32     /* insertion sort up to this size */

typedef struct sorter {
    int bits;               /* bits of a global id */
    int lo_bits;            /* key bits below the bucket bits, sorted inside a bucket */
    int cb;                 /* count bits of an element (the low bits) */
    uint64_t maxc, lomask;
    size_t nb;              /* buckets */
    size_t *start;          /* [nb + 1]: bucket k is elements [start[k], start[k + 1]) */
    size_t *dist;           /* [nb]: distinct keys of bucket k, then its first output index */
    uint8_t *in_b;          /* [nb]: the sorted bucket is in b (else in a) */
    uint64_t *a, *b;        /* elements, scratch of the same size */
    fs_pair *out;
} sorter;

static int bits_for(uint64_t max)
{
    int b = 0;
    while (b < 64 && (max >> b))
        b++;
    return b;
}

static inline uint64_t remap(uint64_t k, const uint32_t *map, int bits)
{
    uint64_t a = map[k >> 32], b = map[k & 0xFFFFFFFFu];
    return a < b ? (a << bits) | b : (b << bits) | a;
}


/* ---------------------------------------------------------------- gathering */

/* Pass 1 counts the elements of global key `key` with `count` in its bucket; pass 2 writes
 * them at the bucket's cursor (t->start, advanced). */
static inline void put(sorter *t, int pass, uint64_t key, uint64_t count)
{
    size_t k = (size_t)(key >> t->lo_bits);
    uint64_t low = t->lo_bits ? (key & t->lomask) << t->cb : 0;
    while (count) {
        uint64_t c = count < t->maxc ? count : t->maxc;
        if (pass == 1)
            t->start[k + 1]++;
        else
            t->a[t->start[k]++] = low | c;
        count -= c;
    }
}

/* Records remapped to global keys (in place) and put. */
static void put_recs(sorter *t, int pass, cooc_rec *r, size_t n, const uint32_t *map, bool mapped)
{
    for (size_t i = 0; i < n; i++) {
        if (!mapped)
            r[i].key = remap(r[i].key, map, t->bits);
        put(t, pass, r[i].key, r[i].count);
    }
}

/* One pass over a worker's data for the source. Pass 1 remaps keys and in-memory runs in
 * place; pass 2 frees them once put. Spilled runs are read (and remapped) in both passes. */
static fs_status gather(sorter *t, int pass, cooc_state *st, cooc_src *s, const uint32_t *map,
                        cooc_rec **chunk)
{
    uint64_t *keys = s->keys;
    if (pass == 1) {
        for (size_t i = 0; i < s->n; i++) {
            uint64_t k = remap(keys[i], map, t->bits);
            keys[i] = k;
            t->start[(k >> t->lo_bits) + 1]++;
        }
    } else {
        int lb = t->lo_bits, cb = t->cb;
        uint64_t lm = t->lomask;
        size_t *pos = t->start;
        uint64_t *a = t->a;
        for (size_t i = 0; i < s->n; i++) {
            uint64_t k = keys[i];
            a[pos[k >> lb]++] = (lb ? (k & lm) << cb : 0) | 1;
        }
        free(s->keys);
        s->keys = NULL;
        s->n = s->cap = 0;
    }
    for (size_t r = 0; r < s->n_runs; r++) {
        cooc_run *run = &s->runs[r];
        if (run->off < 0) {
            put_recs(t, pass, run->r, run->n, map, pass == 2);
            if (pass == 2) {
                free(run->r);
                run->r = NULL;
            }
            continue;
        }
        if (!*chunk && !(*chunk = malloc(SPILL_CHUNK * sizeof **chunk)))
            return FS_ERR_NOMEM;
        int fd = fileno(st->spill);
        for (size_t at = 0; at < run->n; at += SPILL_CHUNK) {
            size_t m = run->n - at < SPILL_CHUNK ? run->n - at : SPILL_CHUNK;
            if (cooc_pio(fd, *chunk, m * sizeof **chunk,
                         (uint64_t)run->off + at * sizeof **chunk, false) != FS_OK)
                return FS_ERR_OUTPUT;
            put_recs(t, pass, *chunk, m, map, false);
        }
    }
    if (pass == 2)
        s->n_runs = 0;
    return FS_OK;
}

/* ---------------------------------------------------------------- buckets */

/* Sorts x[0..n) by the lo_bits key bits above the cb count bits, y as scratch. True when the
 * result is in y. */
static bool sort_bucket(uint64_t *x, uint64_t *y, size_t n, int cb, int lo_bits)
{
    if (n <= SMALL_BUCKET) {
        for (size_t i = 1; i < n; i++) {
            uint64_t v = x[i], key = v >> cb;
            size_t j = i;
            for (; j > 0 && (x[j - 1] >> cb) > key; j--)
                x[j] = x[j - 1];
            x[j] = v;
        }
        return false;
    }
    int d = n < 2048 ? 8 : 11;
    int passes = (lo_bits + d - 1) / d;
    d = (lo_bits + passes - 1) / passes;
    size_t cnt[1 << 11], dmask = ((size_t)1 << d) - 1;
    uint64_t *src = x, *dst = y;
    for (int p = 0; p < passes; p++) {
        int sh = cb + p * d;
        memset(cnt, 0, (dmask + 1) * sizeof *cnt);
        for (size_t i = 0; i < n; i++)
            cnt[(src[i] >> sh) & dmask]++;
        size_t sum = 0;
        for (size_t k = 0; k <= dmask; k++) {
            size_t c = cnt[k];
            cnt[k] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[cnt[(src[i] >> sh) & dmask]++] = src[i];
        uint64_t *tmp = src;
        src = dst;
        dst = tmp;
    }
    return src == y;
}

static fs_status sort_buckets(void *user, size_t lane, size_t begin, size_t end)
{
    (void)lane;
    sorter *t = user;
    int cb = t->cb;
    for (size_t k = begin; k < end; k++) {
        size_t s = t->start[k], n = t->start[k + 1] - s;
        bool in_b = n > 1 && t->lo_bits && sort_bucket(t->a + s, t->b + s, n, cb, t->lo_bits);
        const uint64_t *r = (in_b ? t->b : t->a) + s;
        size_t d = n ? 1 : 0;
        for (size_t i = 1; i < n; i++)
            d += (r[i] >> cb) != (r[i - 1] >> cb);
        t->dist[k] = d;
        t->in_b[k] = in_b;
    }
    return FS_OK;
}

static fs_status emit_buckets(void *user, size_t lane, size_t begin, size_t end)
{
    (void)lane;
    sorter *t = user;
    int cb = t->cb, bits = t->bits;
    uint64_t idmask = ((uint64_t)1 << bits) - 1;
    for (size_t k = begin; k < end; k++) {
        size_t s = t->start[k], n = t->start[k + 1] - s;
        const uint64_t *r = (t->in_b[k] ? t->b : t->a) + s;
        fs_pair *o = t->out + t->dist[k];
        uint64_t high = (uint64_t)k << t->lo_bits;
        for (size_t i = 0; i < n;) {
            uint64_t key = r[i] >> cb, cnt = 0;
            for (; i < n && (r[i] >> cb) == key; i++)
                cnt += r[i] & t->maxc;
            uint64_t full = t->lo_bits ? high | key : high;
            *o++ = (fs_pair){(uint32_t)(full >> bits), (uint32_t)(full & idmask), cnt};
        }
    }
    return FS_OK;
}

static fs_status run_buckets(const fs_ctx *ctx, size_t nb, fs_range_fn fn, sorter *t)
{
    if (!ctx || ctx->threads <= 1)
        return fn(t, 0, 0, nb);
    return fs_parallel_for(ctx, nb, 64, fn, t);
}

/* ---------------------------------------------------------------- collecting */

void cooc_scratch_free(cooc_scratch *s)
{
    free(s->a);
    free(s->b);
    s->a = s->b = NULL;
    s->cap_a = s->cap_b = 0;
}

fs_status cooc_collect(cooc_state *const *states, size_t n_states, const uint32_t *const *maps,
                       size_t n_terms, size_t source, const fs_ctx *ctx, cooc_scratch *scratch,
                       fs_pair **out, size_t *n_out)
{
    fs_status st = FS_ERR_NOMEM;
    cooc_rec *chunk = NULL;
    cooc_scratch local = {NULL, NULL, 0, 0};
    sorter t;
    memset(&t, 0, sizeof t);
    *out = NULL;
    *n_out = 0;
    size_t est = 0, m = 0; /* elements in, pairs out */
    for (size_t w = 0; w < n_states; w++) {
        const cooc_src *s = &states[w]->src[source];
        est += s->n;
        for (size_t k = 0; k < s->n_runs; k++)
            est += s->runs[k].n;
    }
    t.bits = bits_for(n_terms ? n_terms - 1 : 0);
    int kbits = 2 * t.bits, hi = kbits < BUCKET_BITS ? kbits : BUCKET_BITS;
    while (hi > 4 && (est >> hi) < 64) /* small inputs: fewer, fuller buckets */
        hi--;
    t.lo_bits = kbits - hi;
    t.cb = t.lo_bits ? 64 - t.lo_bits : 63;
    t.maxc = ((uint64_t)1 << t.cb) - 1;
    t.lomask = t.lo_bits ? ((uint64_t)1 << t.lo_bits) - 1 : 0;
    t.nb = (size_t)1 << hi;
    t.start = calloc(t.nb + 1, sizeof *t.start);
    t.dist = malloc(t.nb * sizeof *t.dist);
    t.in_b = malloc(t.nb * sizeof *t.in_b);
    if (!t.start || !t.dist || !t.in_b)
        goto done;

    for (size_t w = 0; w < n_states; w++)
        if ((st = gather(&t, 1, states[w], &states[w]->src[source], maps[w], &chunk)) != FS_OK)
            goto done;
    for (size_t k = 0; k < t.nb; k++)
        t.start[k + 1] += t.start[k];
    size_t n = t.start[t.nb];
    st = FS_ERR_NOMEM;
    if (n == 0) { /* keep t.a NULL out of the sort */
        if (!(t.out = malloc(sizeof *t.out)))
            goto done;
        goto emitted;
    }
    if (!scratch)
        scratch = &local;
    /* `b` is only needed once the keys are consumed (pass 2 frees them): at most about the
     * worker keys' memory again is held at any time. No realloc: nothing to keep. */
    if (n > scratch->cap_b) {
        free(scratch->b);
        scratch->b = NULL;
        scratch->cap_b = 0;
    }
    if (n > scratch->cap_a) {
        free(scratch->a);
        scratch->cap_a = 0;
        if (!(scratch->a = malloc(n * sizeof *scratch->a)))
            goto done;
        scratch->cap_a = n;
    }
    t.a = scratch->a;
    /* Pass 2 advances start[k] to the end of bucket k, that is start[k + 1] before the pass;
     * shifting the array back afterwards restores the starts. */
    for (size_t w = 0; w < n_states; w++)
        if ((st = gather(&t, 2, states[w], &states[w]->src[source], maps[w], &chunk)) != FS_OK)
            goto done;
    memmove(t.start + 1, t.start, t.nb * sizeof *t.start);
    t.start[0] = 0;
    free(chunk);
    chunk = NULL;
    st = FS_ERR_NOMEM;
    if (n > scratch->cap_b) {
        if (!(scratch->b = malloc(n * sizeof *scratch->b)))
            goto done;
        scratch->cap_b = n;
    }
    t.b = scratch->b;

    if ((st = run_buckets(ctx, t.nb, sort_buckets, &t)) != FS_OK)
        goto done;
    for (size_t k = 0; k < t.nb; k++) {
        size_t d = t.dist[k];
        t.dist[k] = m;
        m += d;
    }
    st = FS_ERR_NOMEM;
    t.out = malloc((m ? m : 1) * sizeof *t.out);
    if (!t.out)
        goto done;
    if ((st = run_buckets(ctx, t.nb, emit_buckets, &t)) != FS_OK)
        goto done;
emitted:
    *out = t.out;
    *n_out = m;
    t.out = NULL;
    st = FS_OK;
done:
    free(chunk);
    free(t.start);
    free(t.dist);
    free(t.in_b);
    cooc_scratch_free(&local);
    free(t.out);
    return st;
}
