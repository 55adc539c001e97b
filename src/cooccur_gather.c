/* cooccur_gather.c: the workers' side of the collection of one source: their unsorted keys,
 * sorted runs and drained dense counts (in memory or in the spill file) remapped to global ids
 * and counted per bucket, then scattered into the sorter's buckets, range by range. When a
 * source takes several ranges, the counting pass also cuts each worker's spilled runs by group
 * of buckets into a partition file of its own: they are read back from the spill file (and
 * remapped) once, each range then reads only its groups; data in memory is cheap to rescan. */
#include "cooccur_sort.h"

#include <stdlib.h>
#include <string.h>

#define SPILL_CHUNK 65536   /* records read back at a time */
#define PART_BUF 8192       /* records of one range buffered before a write, at most */
#define PART_BYTES (8u << 20) /* the buffers of all ranges, at most (but 256 records each) */

static inline uint64_t remap(uint64_t k, const uint32_t *map, int bits)
{
    uint64_t a = map[k >> 32], b = map[k & 0xFFFFFFFFu];
    return a < b ? (a << bits) | b : (b << bits) | a;
}

/* The counting pass adds the elements of global key `key` with `count` to cnt[bucket]; the
 * scatter pass writes those in the range at the bucket's cursor. A count too large for an
 * element is split (the same way in both passes). */
/* A pair whose rarer term is below the floor: the cap will never keep it, nor does it need
 * counting for the threshold (which only grows). */
static inline bool below(const sorter *t, uint64_t key)
{
    if (!t->floor)
        return false;
    uint8_t x = t->lg_floor[key >> t->bits];
    uint8_t y = t->lg_floor[key & (((uint64_t)1 << t->bits) - 1)];
    return (x < y ? x : y) < t->floor;
}

static inline void put(const sorter *t, size_t *cnt, bool scatter, uint64_t key, uint64_t count)
{
    size_t k = (size_t)(key >> t->lo_bits);
    if ((scatter && (k < t->b0 || k >= t->b1)) || below(t, key))
        return;
    uint64_t low = t->lo_bits ? (key & t->lomask) << t->cb : 0;
    while (count) {
        uint64_t c = count < t->maxc ? count : t->maxc;
        if (!scatter)
            cnt[k]++;
        else
            t->a[cnt[k]++ - t->base] = low | c;
        count -= c;
    }
}

/* Records counted or scattered; remapped in place first unless map is NULL. */
static void put_recs(const sorter *t, size_t *cnt, bool scatter, cooc_rec *r, size_t n,
                     const uint32_t *map)
{
    for (size_t i = 0; i < n; i++) {
        if (map)
            r[i].key = remap(r[i].key, map, t->bits);
        put(t, cnt, scatter, r[i].key, r[i].count);
    }
}

/* In-memory records scattered, those of later ranges moved to the front (see put_keys); the
 * records left. */
static size_t scatter_recs(const sorter *t, size_t *cnt, cooc_rec *r, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        size_t bk = (size_t)(r[i].key >> t->lo_bits);
        if (bk >= t->b1 && !below(t, r[i].key))
            r[m++] = r[i];
        else
            put(t, cnt, true, r[i].key, r[i].count);
    }
    return m;
}

/* Records read back, remapped in place (from raw keys, count 1 each, when keys is set). */
static void to_global(cooc_rec *r, const uint64_t *keys, size_t n, const uint32_t *map, int bits)
{
    for (size_t i = 0; i < n; i++)
        r[i] = keys ? (cooc_rec){remap(keys[i], map, bits), 1}
                    : (cooc_rec){remap(r[i].key, map, bits), r[i].count};
}

/* Calls fn on every record of worker w's spilled runs of the source, remapped, a chunk at a
 * time. */
typedef fs_status (*rec_fn)(void *user, cooc_rec *r, size_t n);

static fs_status each_spilled(const sorter *t, size_t w, rec_fn fn, void *user)
{
    cooc_state *st = t->states[w];
    cooc_src *s = &st->src[t->source];
    const uint32_t *map = t->maps[w];
    cooc_rec *chunk = NULL;
    uint64_t *keys = NULL;
    fs_status res = FS_OK;
    for (size_t r = 0; r < s->n_runs && res == FS_OK; r++) {
        const cooc_run *run = &s->runs[r];
        if (run->off < 0)
            continue;
        if (!chunk && !(chunk = malloc(SPILL_CHUNK * sizeof *chunk)))
            res = FS_ERR_NOMEM;
        if (run->raw && !keys && !(keys = malloc(SPILL_CHUNK * sizeof *keys)))
            res = FS_ERR_NOMEM;
        int fd = fileno(st->spill);
        size_t size = run->raw ? sizeof *keys : sizeof *chunk;
        uint64_t at = (uint64_t)run->off;
        for (size_t left = run->n; left && res == FS_OK;) {
            size_t m = left < SPILL_CHUNK ? left : SPILL_CHUNK;
            res = cooc_pio(fd, run->raw ? (void *)keys : (void *)chunk, m * size, at, false);
            if (res != FS_OK)
                break;
            to_global(chunk, run->raw ? keys : NULL, m, map, t->bits);
            res = fn(user, chunk, m);
            left -= m;
            at += m * size;
        }
    }
    free(chunk);
    free(keys);
    return res;
}

typedef struct put_ctx {
    const sorter *t;
    size_t *cnt;
    bool scatter;
} put_ctx;

static fs_status put_chunk(void *user, cooc_rec *r, size_t n)
{
    const put_ctx *pc = user;
    put_recs(pc->t, pc->cnt, pc->scatter, r, n, NULL);
    return FS_OK;
}

/* Frees worker w's data of the source once consumed. */
static void release(const sorter *t, size_t w)
{
    cooc_src *s = &t->states[w]->src[t->source];
    free(s->keys);
    s->keys = NULL;
    s->n = s->cap = 0;
    for (size_t r = 0; r < s->n_runs; r++) {
        free(s->runs[r].r);
        free(s->runs[r].k);
        s->runs[r].r = NULL;
        s->runs[r].k = NULL;
    }
    s->n_runs = 0;
}

/* Keys (count 1 each) counted and remapped in place (returns n), or scattered. A scatter
 * keeps the keys of later ranges, moved to the front, and returns how many: each range reads
 * only what earlier ranges left, not everything again. */
static size_t put_keys(const sorter *t, size_t *cnt, bool scatter, uint64_t *keys, size_t n,
                       const uint32_t *map)
{
    int lb = t->lo_bits, cb = t->cb, bits = t->bits;
    if (!scatter) {
        for (size_t i = 0; i < n; i++) {
            uint64_t k = remap(keys[i], map, bits);
            keys[i] = k;
            cnt[k >> lb] += !below(t, k);
        }
        return n;
    }
    uint64_t lm = t->lomask, *a = t->a;
    size_t b0 = t->b0, b1 = t->b1, base = t->base;
    if (b0 == 0 && b1 == t->nb && !t->floor) { /* the common case: everything, one range */
        for (size_t i = 0; i < n; i++) {
            uint64_t k = keys[i];
            a[cnt[k >> lb]++ - base] = (lb ? (k & lm) << cb : 0) | 1;
        }
        return 0;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = keys[i];
        size_t bk = (size_t)(k >> lb);
        if (below(t, k))
            continue;
        if (bk >= b1)
            keys[m++] = k;
        else if (bk >= b0)
            a[cnt[bk]++ - base] = (lb ? (k & lm) << cb : 0) | 1;
    }
    return m;
}

static fs_status part_count(const sorter *t, size_t w, size_t *cnt);
static fs_status part_read(const sorter *t, size_t w, size_t *cnt);

/* One pass over worker w's data: counting (remapping in memory, in place) or scattering. */
static fs_status gather(sorter *t, size_t w, bool scatter)
{
    cooc_src *s = &t->states[w]->src[t->source];
    const uint32_t *map = t->maps[w];
    size_t *cnt = t->off + w * t->nb;
    s->n = put_keys(t, cnt, scatter, s->keys, s->n, map);
    for (size_t r = 0; r < s->n_runs; r++) {
        cooc_run *run = &s->runs[r];
        if (run->off >= 0)
            continue;
        if (run->raw)
            run->n = put_keys(t, cnt, scatter, run->k, run->n, map);
        else if (scatter)
            run->n = scatter_recs(t, cnt, run->r, run->n);
        else
            put_recs(t, cnt, false, run->r, run->n, map);
    }
    put_ctx pc = {t, cnt, scatter};
    fs_status st = !t->parted ? each_spilled(t, w, put_chunk, &pc)
                   : scatter  ? part_read(t, w, cnt)
                              : part_count(t, w, cnt);
    if (st == FS_OK && scatter && t->last)
        release(t, w);
    return st;
}

fs_status cooc_count_fn(void *user, size_t lane, size_t begin, size_t end)
{
    (void)lane;
    for (size_t w = begin; w < end; w++) {
        fs_status st = gather(user, w, false);
        if (st != FS_OK)
            return st;
    }
    return FS_OK;
}

fs_status cooc_scatter_fn(void *user, size_t lane, size_t begin, size_t end)
{
    (void)lane;
    for (size_t w = begin; w < end; w++) {
        fs_status st = gather(user, w, true);
        if (st != FS_OK)
            return st;
    }
    return FS_OK;
}

/* ---------------------------------------------------------------- the partition file */

/* Writes group r's buffered records as one chunk. */
static fs_status part_flush(part *pt, size_t r)
{
    size_t n = pt->fill[r];
    if (n == 0)
        return FS_OK;
    if (pt->n_chunks == pt->chunk_cap) {
        size_t cap = pt->chunk_cap ? 2 * pt->chunk_cap : 256;
        uint64_t *c = realloc(pt->chunk, cap * sizeof *c);
        if (c)
            pt->chunk = c;
        uint32_t *cr = realloc(pt->chunk_group, cap * sizeof *cr);
        if (cr)
            pt->chunk_group = cr;
        if (!c || !cr)
            return FS_ERR_NOMEM;
        pt->chunk_cap = cap;
    }
    if (cooc_pio(fileno(pt->f), pt->buf + r * pt->per, n * sizeof(cooc_rec), pt->end, true) !=
        FS_OK)
        return FS_ERR_OUTPUT;
    pt->chunk[pt->n_chunks] = pt->end << 20 | n;
    pt->chunk_group[pt->n_chunks++] = (uint32_t)r;
    pt->end += n * sizeof(cooc_rec);
    pt->fill[r] = 0;
    return FS_OK;
}

typedef struct part_ctx {
    const sorter *t;
    part *pt;
    size_t *cnt;
} part_ctx;

/* Counted like put_chunk, and buffered (then written) by group. */
static fs_status part_chunk(void *user, cooc_rec *r, size_t n)
{
    const part_ctx *pc = user;
    const sorter *t = pc->t;
    part *pt = pc->pt;
    for (size_t i = 0; i < n; i++) {
        if (below(t, r[i].key))
            continue;
        put(t, pc->cnt, false, r[i].key, r[i].count);
        size_t g = (size_t)(r[i].key >> t->lo_bits) >> t->gshift;
        pt->buf[g * pt->per + pt->fill[g]++] = r[i];
        if (pt->fill[g] == pt->per) {
            fs_status st = part_flush(pt, g);
            if (st != FS_OK)
                return st;
        }
    }
    return FS_OK;
}

static fs_status part_count(const sorter *t, size_t w, size_t *cnt)
{
    part *pt = &t->parts[w];
    size_t groups = t->nb >> t->gshift;
    pt->end = 0;
    pt->n_chunks = 0;
    free(pt->buf);
    free(pt->fill);
    pt->per = PART_BYTES / sizeof(cooc_rec) / groups;
    pt->per = pt->per < 256 ? 256 : pt->per > PART_BUF ? PART_BUF : pt->per;
    pt->buf = malloc(groups * pt->per * sizeof *pt->buf);
    pt->fill = calloc(groups, sizeof *pt->fill);
    if (!pt->buf || !pt->fill)
        return FS_ERR_NOMEM;
    part_ctx pc = {t, pt, cnt};
    fs_status st = each_spilled(t, w, part_chunk, &pc);
    for (size_t g = 0; g < groups && st == FS_OK; g++)
        st = part_flush(pt, g);
    return st;
}

/* The chunks of the groups of range [b0, b1) scattered (a group across two ranges is read
 * by both, each taking its own buckets). */
static fs_status part_read(const sorter *t, size_t w, size_t *cnt)
{
    const part *pt = &t->parts[w];
    size_t g0 = t->b0 >> t->gshift, g1 = (t->b1 - 1) >> t->gshift;
    cooc_rec *chunk = pt->buf; /* the write buffers are free again */
    for (size_t c = 0; c < pt->n_chunks; c++) {
        if (pt->chunk_group[c] < g0 || pt->chunk_group[c] > g1)
            continue;
        size_t n = (size_t)(pt->chunk[c] & ((1u << 20) - 1));
        if (cooc_pio(fileno(pt->f), chunk, n * sizeof *chunk, pt->chunk[c] >> 20, false) != FS_OK)
            return FS_ERR_OUTPUT;
        put_recs(t, cnt, true, chunk, n, NULL);
    }
    return FS_OK;
}

void cooc_part_free(part *pt)
{
    if (pt->f)
        fclose(pt->f);
    free(pt->buf);
    free(pt->fill);
    free(pt->chunk);
    free(pt->chunk_group);
    memset(pt, 0, sizeof *pt);
}
