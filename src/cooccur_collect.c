/* cooccur_collect.c: the end of co-occurrence counting. Every worker's pairs of one source
 * (unsorted keys, raw and sorted runs, drained dense counts; in memory or in the spill file)
 * are remapped to global ids and sorted, then equal pairs are added up, under the memory cap.
 * Sources go one after the other, the work inside a source on ctx->threads threads.
 *
 * The sort is an MSD radix sort on packed 64-bit elements: a counting pass remaps the keys in
 * place and counts elements per bucket (the top bits of the global key, lo << bits | hi, so
 * buckets are ranges of the first term id); buckets are then taken in ranges of at most
 * `range_max` elements (a quarter of the cap in all), so the sort scratch is bounded whatever
 * the corpus size; with several ranges the counting pass also cuts the spilled runs by group
 * of buckets into a temporary file a worker (cooccur_gather.c). For a range, a
 * scatter pass (a lane a worker, each at its own cursors) writes (key below the bucket bits)
 * << cb | count into its buckets; each bucket is sorted on its remaining key bits (LSD, in the
 * cache) and accumulated, buckets in parallel. A count too large for the cb bits left beside
 * the key is split over several elements, which the accumulation adds back: one element type
 * for any vocabulary size.
 *
 * The cap (analysis.cooc_memory_mb) keeps, once all pairs of all sources exceed it, only pairs
 * whose two terms both have a total frequency >= 2^k, the smallest k >= 1 that fits. The
 * threshold for the pairs seen so far can only grow as more pairs come, so it is recomputed
 * after each range and pairs below it are dropped at once (never stored): the stored pairs stay
 * within the cap plus one range, and the last threshold is exactly the rule's k (cooccur_cap.c
 * keeps the histogram and the stored pairs under it). */
#include "cooccur_sort.h"

#include <stdlib.h>
#include <string.h>
#include "framescope/parallel.h"
#include "framescope/vec.h"

#define BUCKET_BITS 10      /* buckets when one range holds the source */
#define BUCKET_BITS_MAX 16  /* buckets when ranges must be cut finer */
#define SMALL_BUCKET 32     /* insertion sort up to this size */
#define DIGIT_MAX 12        /* bits of an LSD digit, at most */
#define PASSES_MAX 6        /* 64 bits of 12 */
#define RANGE_MIN 65536     /* elements of a range, at least */

static int bits_for(uint64_t max)
{
    int b = 0;
    while (b < 64 && (max >> b))
        b++;
    return b;
}

/* ---------------------------------------------------------------- buckets */

/* sort_bucket for a bucket too large for 32-bit counters: 8-bit digits, a table a pass. */
static bool sort_huge(uint64_t *x, uint64_t *y, size_t n, int cb, int lo_bits)
{
    int passes = (lo_bits + 7) / 8, d = (lo_bits + passes - 1) / passes;
    size_t cnt[1 << 8], dmask = ((size_t)1 << d) - 1;
    uint64_t *src = x, *dst = y;
    for (int p = 0; p < passes; p++) {
        int sh = cb + p * d;
        memset(cnt, 0, sizeof cnt);
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

/* Sorts x[0..n) by the lo_bits key bits above the cb count bits, y as scratch. True when the
 * result is in y. LSD passes of up to 12 bits (a 16 KB table) from 2,048 elements: two passes
 * instead of three for the usual 24 bits, about a fifth faster there (measured); 8 bits below,
 * where a larger table costs more than the pass it saves. The tables of all passes are filled
 * in one read, and a pass whose digit is the same for every element is skipped. */
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
    int d = n >= 2048 ? DIGIT_MAX : 8;
    int passes = (lo_bits + d - 1) / d;
    d = (lo_bits + passes - 1) / passes;
    if (n > UINT32_MAX || passes > PASSES_MAX)
        return sort_huge(x, y, n, cb, lo_bits);
    uint32_t cnt[PASSES_MAX][1 << DIGIT_MAX];
    size_t dmask = ((size_t)1 << d) - 1;
    for (int p = 0; p < passes; p++)
        memset(cnt[p], 0, (dmask + 1) * sizeof cnt[p][0]);
    if (passes == 2) { /* the usual cases, unrolled */
        for (size_t i = 0; i < n; i++) {
            uint64_t v = x[i] >> cb;
            cnt[0][v & dmask]++;
            cnt[1][(v >> d) & dmask]++;
        }
    } else if (passes == 3) {
        for (size_t i = 0; i < n; i++) {
            uint64_t v = x[i] >> cb;
            cnt[0][v & dmask]++;
            cnt[1][(v >> d) & dmask]++;
            cnt[2][(v >> 2 * d) & dmask]++;
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            uint64_t v = x[i] >> cb;
            for (int p = 0; p < passes; p++)
                cnt[p][(v >> (p * d)) & dmask]++;
        }
    }
    uint64_t *src = x, *dst = y;
    for (int p = 0; p < passes; p++) {
        int sh = cb + p * d;
        uint32_t *c = cnt[p];
        if (c[(src[0] >> sh) & dmask] == n)
            continue;
        uint32_t sum = 0;
        for (size_t k = 0; k <= dmask; k++) {
            uint32_t m = c[k];
            c[k] = sum;
            sum += m;
        }
        for (size_t i = 0; i < n; i++)
            dst[c[(src[i] >> sh) & dmask]++] = src[i];
        uint64_t *tmp = src;
        src = dst;
        dst = tmp;
    }
    return src == y;
}

static inline int pair_class(const sorter *t, uint64_t full)
{
    uint8_t x = t->lg[full >> t->bits], y = t->lg[full & (((uint64_t)1 << t->bits) - 1)];
    return x < y ? x : y;
}

/* Sorts buckets b0 + [begin, end) and counts their distinct pairs (dist: those kept at the
 * current threshold; with a cap, every distinct pair also goes to the lane's histogram). */
static fs_status sort_buckets(void *user, size_t lane, size_t begin, size_t end)
{
    sorter *t = user;
    int cb = t->cb;
    size_t *hist = t->lg ? t->hist + lane * CLASSES : NULL;
    for (size_t k = t->b0 + begin; k < t->b0 + end; k++) {
        size_t s = t->start[k] - t->base, n = t->start[k + 1] - t->start[k];
        bool in_b = n > 1 && t->lo_bits && sort_bucket(t->a + s, t->b + s, n, cb, t->lo_bits);
        const uint64_t *r = (in_b ? t->b : t->a) + s;
        size_t d = 0;
        if (!hist) {
            d = n ? 1 : 0;
            for (size_t i = 1; i < n; i++)
                d += (r[i] >> cb) != (r[i - 1] >> cb);
        } else {
            uint64_t high = (uint64_t)k << t->lo_bits;
            for (size_t i = 0; i < n; i++) {
                if (i && (r[i] >> cb) == (r[i - 1] >> cb))
                    continue;
                int c = pair_class(t, t->lo_bits ? high | (r[i] >> cb) : high);
                hist[c]++;
                d += c >= t->keep;
            }
        }
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
    for (size_t k = t->b0 + begin; k < t->b0 + end; k++) {
        size_t s = t->start[k] - t->base, n = t->start[k + 1] - t->start[k];
        const uint64_t *r = (t->in_b[k] ? t->b : t->a) + s;
        fs_pair *o = t->out + t->dist[k];
        uint64_t high = (uint64_t)k << t->lo_bits;
        for (size_t i = 0; i < n;) {
            uint64_t key = r[i] >> cb, cnt = 0;
            for (; i < n && (r[i] >> cb) == key; i++)
                cnt += r[i] & t->maxc;
            uint64_t full = t->lo_bits ? high | key : high;
            if (t->lg && pair_class(t, full) < t->keep)
                continue;
            *o++ = (fs_pair){(uint32_t)(full >> bits), (uint32_t)(full & idmask), cnt};
        }
    }
    return FS_OK;
}

static fs_status run_par(const fs_ctx *ctx, size_t n, size_t chunk, fs_range_fn fn, sorter *t)
{
    if (!ctx || ctx->threads <= 1)
        return fn(t, 0, 0, n);
    return fs_parallel_for(ctx, n, chunk, fn, t);
}

/* ---------------------------------------------------------------- collecting */

/* Sort buffers reused from one range and source to the next: no fresh pages to fault in. */
typedef struct scratch {
    uint64_t *a, *b;
    size_t cap;
} scratch;

static void scratch_free(scratch *s)
{
    free(s->a);
    free(s->b);
    s->a = s->b = NULL;
    s->cap = 0;
}

typedef struct collector {
    cooc_state *const *states;
    size_t n_states;
    const uint32_t *const *maps;
    size_t n_terms, range_max, lanes;
    const fs_ctx *ctx;
    scratch scratch;
    size_t *hist;           /* [lanes * CLASSES] */
    part *parts;            /* [n_states]: when a source takes several ranges */
    uint32_t *range_of;     /* [nb]: the range of each bucket of the source */
    bool no_part;           /* no temporary file: every range scans the workers' data */
} collector;

/* Grows the scratch to n elements each (contents need not survive: no realloc). */
static fs_status reserve(scratch *s, size_t n)
{
    if (n <= s->cap && s->a)
        return FS_OK;
    scratch_free(s);
    n = n ? n : 1;
    /* Not advised onto huge pages: the scatter would miss the TLB less, but faulting and
     * zeroing 2 MiB pages made the whole count command slower (A/B on the 100 MB bench). */
    s->a = fs_alloc_large(n * sizeof *s->a, false);
    s->b = fs_alloc_large(n * sizeof *s->b, false);
    if (!s->a || !s->b) {
        scratch_free(s);
        return FS_ERR_NOMEM;
    }
    s->cap = n;
    return FS_OK;
}

/* The range, buckets [b0, b1): scattered (spilled runs from the partition files when
 * parted), sorted, counted, appended to out under the cap. */
static fs_status collect_range(collector *co, capper *p, sorter *t, fs_pair **out,
                               size_t *n_out)
{
    fs_status st = reserve(&co->scratch, t->start[t->b1] - t->base);
    if (st != FS_OK)
        return st;
    t->a = co->scratch.a;
    t->b = co->scratch.b;
    st = run_par(co->ctx, co->n_states, 1, cooc_scatter_fn, t);
    if (st != FS_OK)
        return st;
    t->lg = p->counting ? p->lg : NULL;
    t->keep = p->counting ? p->keep : 0;
    memset(co->hist, 0, co->lanes * CLASSES * sizeof *co->hist);
    if ((st = run_par(co->ctx, t->b1 - t->b0, 64, sort_buckets, t)) != FS_OK)
        return st;
    size_t m = 0;
    for (size_t k = t->b0; k < t->b1; k++) {
        size_t d = t->dist[k];
        t->dist[k] = m;
        m += d;
    }
    size_t hist[CLASSES] = {0}, added = m;
    if (t->lg) {
        added = 0;
        for (size_t l = 0; l < co->lanes; l++)
            for (int c = 0; c < CLASSES; c++) {
                hist[c] += co->hist[l * CLASSES + c];
                added += co->hist[l * CLASSES + c];
            }
    }
    if (m) {
        if (*n_out + m > p->out_cap) { /* beyond the reservation (a bucket over range_max) */
            size_t cap = 2 * p->out_cap > *n_out + m ? 2 * p->out_cap : *n_out + m;
            fs_pair *grown = realloc(*out, cap * sizeof *grown);
            if (!grown)
                return FS_ERR_NOMEM;
            *out = grown;
            p->out_cap = cap;
        }
        t->out = *out + *n_out;
        if ((st = run_par(co->ctx, t->b1 - t->b0, 64, emit_buckets, t)) != FS_OK)
            return st;
        *n_out += m;
        p->stored += m;
    }
    size_t elems = t->start[t->b1] - t->base;
    p->stats.ranges++;
    p->stats.most_elems = elems > p->stats.most_elems ? elems : p->stats.most_elems;
    p->stats.most_pairs = p->stored > p->stats.most_pairs ? p->stored : p->stats.most_pairs;
    cooc_cap_update(p, added, hist);
    return FS_OK;
}

/* Every worker's pairs of `source`, appended to out in ranges of at most range_max elements. */
static fs_status collect_source(collector *co, capper *p, size_t source, fs_pair **out,
                                size_t *n_out)
{
    fs_status st = FS_ERR_NOMEM;
    size_t nw = co->n_states, est = 0, spilled = 0;
    for (size_t w = 0; w < nw; w++) {
        const cooc_src *s = &co->states[w]->src[source];
        est += s->n;
        for (size_t k = 0; k < s->n_runs; k++) {
            est += s->runs[k].n;
            spilled += s->runs[k].off >= 0 ? s->runs[k].n : 0;
        }
    }
    sorter t;
    memset(&t, 0, sizeof t);
    t.states = co->states;
    t.n_states = nw;
    t.floor = p->counting ? p->keep : 0;
    t.lg_floor = p->lg;
    t.maps = co->maps;
    t.source = source;
    t.hist = co->hist;
    t.bits = bits_for(co->n_terms ? co->n_terms - 1 : 0);
    int kbits = 2 * t.bits, hi = kbits < BUCKET_BITS ? kbits : BUCKET_BITS;
    while (hi < kbits && hi < BUCKET_BITS_MAX && (est >> hi) > co->range_max / 16)
        hi++; /* ranges are cut at bucket bounds: about 16 buckets a range */
    while (hi > 4 && (est >> hi) < 64) /* small inputs: fewer, fuller buckets */
        hi--;
    t.lo_bits = kbits - hi;
    t.cb = t.lo_bits ? 64 - t.lo_bits : 63;
    t.maxc = ((uint64_t)1 << t.cb) - 1;
    t.lomask = t.lo_bits ? ((uint64_t)1 << t.lo_bits) - 1 : 0;
    t.nb = (size_t)1 << hi;
    t.start = calloc(t.nb + 1, sizeof *t.start);
    t.off = calloc(nw * t.nb + 1, sizeof *t.off);
    t.dist = malloc(t.nb * sizeof *t.dist);
    t.in_b = malloc(t.nb * sizeof *t.in_b);
    if (!t.start || !t.off || !t.dist || !t.in_b)
        goto done;
    /* The partition file costs a write and a read of the spilled runs, scanning them again per
     * range costs reading back (and remapping) them again: decided on the ranges the elements
     * would take at most (the counts come with the partitioning, in the same read). */
    size_t ranges_at_most = est / co->range_max + 1;
    bool part_pays = ranges_at_most > 1 && spilled * (ranges_at_most - 1) > est;
    for (size_t w = 0; w < nw && part_pays && !co->no_part; w++)
        if (!co->parts[w].f && !(co->parts[w].f = tmpfile()))
            co->no_part = true;
    t.parted = part_pays && !co->no_part;
    t.parts = co->parts;
    /* Groups of buckets in the partition file: about 8 a range (fewer, larger chunks to write
     * and read, while a group that two ranges cut is read by both: a small part of either). */
    t.gshift = 0;
    while (t.gshift < hi && (t.nb >> (t.gshift + 1)) >= 8 * ranges_at_most)
        t.gshift++;
    while ((t.nb >> t.gshift) > ((size_t)1 << PART_GROUP_BITS))
        t.gshift++;
    if ((st = run_par(co->ctx, nw, 1, cooc_count_fn, &t)) != FS_OK)
        goto done;
    p->stats.parted += t.parted;
    /* Bucket starts, then each worker's cursor in each bucket (workers in order). */
    for (size_t k = 0; k < t.nb; k++) {
        size_t pos = t.start[k];
        for (size_t w = 0; w < nw; w++) {
            size_t c = t.off[w * t.nb + k];
            t.off[w * t.nb + k] = pos;
            pos += c;
        }
        t.start[k + 1] = pos;
    }
    /* Ranges: consecutive buckets of at most range_max elements (or one bucket). */
    uint32_t *range_of = realloc(co->range_of, t.nb * sizeof *range_of);
    if (!range_of)
        goto done;
    co->range_of = range_of;
    size_t n_ranges = 0;
    for (size_t b0 = 0, b1; b0 < t.nb; b0 = b1, n_ranges++) {
        for (b1 = b0 + 1; b1 < t.nb && t.start[b1 + 1] - t.start[b0] <= co->range_max; b1++)
            ;
        for (size_t k = b0; k < b1; k++)
            range_of[k] = (uint32_t)n_ranges;
    }
    /* Memory reserved once for the whole source, so that ranges and sources do not each fault
     * in fresh pages: the sort scratch for the largest range (range_max under a cap, which
     * serves every later source too), and the output for every pair the source can add (all
     * its elements, or under a cap what may be stored at once). Only pages written count. */
    size_t largest = 0, elems = t.start[t.nb];
    for (size_t b0 = 0, b1; b0 < t.nb; b0 = b1) {
        for (b1 = b0 + 1; b1 < t.nb && range_of[b1] == range_of[b0]; b1++)
            ;
        size_t n = t.start[b1] - t.start[b0];
        largest = n > largest ? n : largest;
    }
    if (p->lg && co->range_max > largest)
        largest = co->range_max;
    if ((st = reserve(&co->scratch, largest)) != FS_OK)
        goto done;
    p->cur = source;
    p->out_cap = *n_out;
    size_t resv = p->lg && p->cap_pairs + co->range_max < elems ? p->cap_pairs + co->range_max
                                                                : elems;
    if (!*out && resv) {
        st = (*out = fs_alloc_large(resv * sizeof **out, false)) ? FS_OK : FS_ERR_NOMEM;
        if (st != FS_OK)
            goto done;
        p->out_cap = resv;
    }
    for (size_t b0 = 0, b1, r = 0; b0 < t.nb; b0 = b1, r++) {
        for (b1 = b0 + 1; b1 < t.nb && range_of[b1] == r; b1++)
            ;
        t.b0 = b0;
        t.b1 = b1;
        t.base = t.start[b0];
        t.last = b1 == t.nb;
        if (t.start[b1] == t.base && !t.last)
            continue;
        if ((st = collect_range(co, p, &t, out, n_out)) != FS_OK)
            goto done;
    }
    st = FS_OK;
    if (*out && *n_out < p->out_cap) { /* give back the reservation's unused end */
        fs_pair *shrunk = realloc(*out, (*n_out ? *n_out : 1) * sizeof *shrunk);
        *out = shrunk ? shrunk : *out;
    }
done:
    p->out_cap = 0;
    p->cur = SIZE_MAX;
    free(t.start);
    free(t.off);
    free(t.dist);
    free(t.in_b);
    return st;
}

static fs_status collector_init(collector *co, cooc_state *const *states, size_t n_states,
                                const uint32_t *const *maps, size_t n_terms, size_t range_max,
                                const fs_ctx *ctx)
{
    memset(co, 0, sizeof *co);
    co->states = states;
    co->n_states = n_states;
    co->maps = maps;
    co->n_terms = n_terms;
    co->range_max = range_max < RANGE_MIN ? RANGE_MIN : range_max;
    co->ctx = ctx;
    co->lanes = ctx && ctx->threads > 1 ? (size_t)ctx->threads : 1;
    co->lanes = co->lanes > 256 ? 256 : co->lanes;
    co->hist = calloc(co->lanes * CLASSES, sizeof *co->hist);
    co->parts = calloc(n_states ? n_states : 1, sizeof *co->parts);
    return co->hist && co->parts ? FS_OK : FS_ERR_NOMEM;
}

static void collector_free(collector *co)
{
    scratch_free(&co->scratch);
    for (size_t w = 0; co->parts && w < co->n_states; w++)
        cooc_part_free(&co->parts[w]);
    free(co->parts);
    free(co->range_of);
    free(co->hist);
}

fs_status cooc_collect(cooc_state *const *states, size_t n_states, const uint32_t *const *maps,
                       size_t n_terms, size_t source, const fs_ctx *ctx, size_t range_max,
                       fs_pair **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    collector co;
    fs_status st = collector_init(&co, states, n_states, maps, n_terms,
                                  range_max ? range_max : SIZE_MAX, ctx);
    co.no_part = true;
    capper p = {.lg = NULL, .pairs = out, .n_pairs = n_out, .n_sources = 1};
    if (st == FS_OK)
        st = collect_source(&co, &p, source, out, n_out);
    collector_free(&co);
    if (st == FS_OK && !*out && !(*out = malloc(sizeof **out)))
        st = FS_ERR_NOMEM;
    if (st != FS_OK) {
        free(*out);
        *out = NULL;
        *n_out = 0;
    }
    return st;
}

size_t cooc_range_max(size_t cap_bytes)
{
    size_t n = cap_bytes / 4 / (2 * sizeof(uint64_t) + sizeof(fs_pair));
    return n < RANGE_MIN ? RANGE_MIN : n;
}

fs_status cooc_collect_all(cooc_state *const *states, size_t n_states,
                           const uint32_t *const *maps, const uint64_t *tf, size_t n_sources,
                           size_t n_terms, size_t cap_bytes, const fs_ctx *ctx, fs_pair **pairs,
                           size_t *n_pairs, uint64_t *min_tf, cooc_stats *stats)
{
    *min_tf = 0;
    uint8_t *lg = malloc(n_terms ? n_terms : 1);
    if (!lg)
        return FS_ERR_NOMEM;
    for (size_t t = 0; t < n_terms; t++) {
        uint64_t f = 0;
        for (size_t s = 0; s < n_sources; s++)
            f += tf[s * n_terms + t];
        lg[t] = (uint8_t)(63 - __builtin_clzll(f | 1));
    }
    collector co;
    fs_status st = collector_init(&co, states, n_states, maps, n_terms, cooc_range_max(cap_bytes),
                                  ctx);
    capper p = {.lg = lg, .cap_pairs = cap_bytes / sizeof(fs_pair), .pairs = pairs,
                .n_pairs = n_pairs, .n_sources = n_sources};
    for (size_t s = 0; s < n_sources && st == FS_OK; s++)
        st = collect_source(&co, &p, s, &pairs[s], &n_pairs[s]);
    collector_free(&co);
    for (size_t s = 0; s < n_sources && st == FS_OK; s++)
        if (!pairs[s] && !(pairs[s] = malloc(sizeof *pairs[s])))
            st = FS_ERR_NOMEM;
    free(lg);
    if (st == FS_OK && p.keep)
        *min_tf = (uint64_t)1 << p.keep;
    if (stats)
        *stats = p.stats;
    return st;
}
