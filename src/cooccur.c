/* cooccur.c: windowed co-occurrence in sparse form, sort-based (after GloVe's cooccur), the
 * worker side.
 *
 * A worker appends one 64-bit key (a << 32 | b, local ids, a < b) per pair occurrence to a
 * buffer per source; pairs of its most frequent terms are counted in place in dense tables.
 * Keys are kept unsorted to the end while they fit a quarter of the worker's share of
 * analysis.cooc_memory_mb: they are sorted once, in global ids, by the collection
 * (cooccur_collect.c). Past that, the buffers are flushed into runs: as they are (raw, 8 bytes
 * a key), or radix-sorted and compressed into (key, count) records of 16 bytes when that
 * merges enough repeats to pay (checked every eighth flush); sorted runs of similar size are
 * merged. When the runs outgrow the worker's share they are written to a temporary file
 * (tmpfile()) instead: no pair is ever dropped while counting.
 *
 * The memory cap proper is applied by the collection, so it is a function of the whole corpus:
 * when the pairs would exceed the cap, pairs of terms rarer than a power of two (total
 * frequency over all sources) are dropped, the smallest such threshold that fits. */
#include "count_internal.h"
#include "framescope/vec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FLUSH_KEYS_MIN 4096u
#define DENSE_BYTES_MAX (16u << 20) /* dense tables of one worker, all sources */
#define DENSE_K_MAX 2048u
#define KEYS_RESERVE_MAX ((size_t)8 << 20) /* keys a source buffer reserves at first, at most */

/* Keys a source's buffer reserves when it starts: a whole flush's worth (with room for the
 * document that crosses it), so it is not regrown by doubling on the way; only the pages
 * written are ever backed by memory. */
static size_t keys_reserve(const cooc_state *c)
{
    size_t n = c->flush_keys + c->flush_keys / 16;
    return n < KEYS_RESERVE_MAX ? n : KEYS_RESERVE_MAX;
}

/* ---------------------------------------------------------------- radix sort */

static int bits_for(uint64_t max)
{
    int b = 0;
    while (b < 64 && (max >> b))
        b++;
    return b;
}

/* Two-level radix sort by the low `bits` bits of the keys: one pass on the top MSD_BITS
 * scatters `a` into `tmp` by bucket; then each bucket, most of which fit in the cache, is sorted
 * on the remaining bits (LSD passes of at most LSD_BITS between tmp and a; insertion sort when
 * small). Three passes over the whole array become one. Returns the array with the result. */
#define MSD_BITS 12
#define LSD_BITS 11
#define SMALL_BUCKET 48

#define DEFINE_RADIX(name, T, KEY)                                                            \
    static T *name(T *a, T *tmp, size_t n, int bits, int kb)                                  \
    {                                                                                         \
        (void)kb;                                                                             \
        if (bits == 0 || n < 2)                                                               \
            return a;                                                                         \
        int hi = bits > MSD_BITS ? MSD_BITS : bits, lo = bits - hi;                           \
        int passes = (lo + LSD_BITS - 1) / LSD_BITS;                                          \
        int db = passes ? (lo + passes - 1) / passes : 0;                                     \
        size_t nb = (size_t)1 << hi, dmask = ((size_t)1 << db) - 1;                           \
        size_t start[(1 << MSD_BITS) + 1], cnt[1 << LSD_BITS];                                \
        memset(start, 0, sizeof start);                                                       \
        for (size_t i = 0; i < n; i++)                                                        \
            start[(KEY(a[i]) >> lo) + 1]++;                                                   \
        for (size_t k = 0; k < nb; k++)                                                       \
            start[k + 1] += start[k];                                                         \
        size_t pos[1 << MSD_BITS];                                                            \
        memcpy(pos, start, nb * sizeof *pos);                                                 \
        for (size_t i = 0; i < n; i++)                                                        \
            tmp[pos[KEY(a[i]) >> lo]++] = a[i];                                               \
        T *res = passes % 2 ? a : tmp;                                                        \
        for (size_t k = 0; k < nb && passes; k++) {                                           \
            size_t s = start[k], e = start[k + 1];                                            \
            if (e - s <= SMALL_BUCKET) {                                                      \
                for (size_t i = s + 1; i < e; i++) {                                          \
                    T x = tmp[i];                                                             \
                    size_t j = i;                                                             \
                    for (; j > s && KEY(tmp[j - 1]) > KEY(x); j--)                            \
                        tmp[j] = tmp[j - 1];                                                  \
                    tmp[j] = x;                                                               \
                }                                                                             \
                if (res != tmp)                                                               \
                    memcpy(res + s, tmp + s, (e - s) * sizeof *tmp);                          \
                continue;                                                                     \
            }                                                                                 \
            T *src = tmp, *dst = a;                                                           \
            for (int p = 0; p < passes; p++) {                                                \
                int sh = p * db;                                                              \
                memset(cnt, 0, ((size_t)1 << db) * sizeof *cnt);                              \
                for (size_t i = s; i < e; i++)                                                \
                    cnt[(KEY(src[i]) >> sh) & dmask]++;                                       \
                size_t sum = s;                                                               \
                for (size_t d = 0; d <= dmask; d++) {                                         \
                    size_t x = cnt[d];                                                        \
                    cnt[d] = sum;                                                             \
                    sum += x;                                                                 \
                }                                                                             \
                for (size_t i = s; i < e; i++)                                                \
                    dst[cnt[(KEY(src[i]) >> sh) & dmask]++] = src[i];                         \
                T *x = src;                                                                   \
                src = dst;                                                                    \
                dst = x;                                                                      \
            }                                                                                 \
        }                                                                                     \
        return res;                                                                           \
    }

/* Pair keys a << 32 | b are sorted as a << kb | b: only the bits in use, fewer passes. */
#define KEY_PACKED(x) ((((x) >> 32) << kb) | ((x) & 0xFFFFFFFFu))
DEFINE_RADIX(radix_keys, uint64_t, KEY_PACKED)

/* ---------------------------------------------------------------- runs */

static size_t run_bytes(const cooc_run *r)
{
    return r->n * (r->raw ? sizeof(uint64_t) : sizeof(cooc_rec));
}

/* Merges sorted runs x and y (in memory) into one, adding counts of equal keys. */
static fs_status merge_runs(cooc_run *x, const cooc_run *y)
{
    cooc_rec *m = malloc((x->n + y->n) * sizeof *m);
    if (!m)
        return FS_ERR_NOMEM;
    size_t i = 0, j = 0, n = 0;
    const cooc_rec *a = x->r, *b = y->r;
    while (i < x->n && j < y->n) {
        if (a[i].key < b[j].key)
            m[n++] = a[i++];
        else if (a[i].key > b[j].key)
            m[n++] = b[j++];
        else {
            m[n] = a[i++];
            m[n++].count += b[j++].count;
        }
    }
    while (i < x->n)
        m[n++] = a[i++];
    while (j < y->n)
        m[n++] = b[j++];
    cooc_rec *shrunk = realloc(m, (n ? n : 1) * sizeof *m);
    free(x->r);
    free(y->r);
    x->r = shrunk ? shrunk : m;
    x->n = n;
    return FS_OK;
}

/* Appends run `run` to source `s`, then merges trailing sorted in-memory runs of similar
 * size. */
static fs_status add_run(cooc_state *c, cooc_src *s, cooc_run run)
{
    if (s->n_runs == s->runs_cap) {
        size_t cap = s->runs_cap ? s->runs_cap * 2 : 8;
        cooc_run *x = realloc(s->runs, cap * sizeof *x);
        if (!x)
            return FS_ERR_NOMEM;
        s->runs = x;
        s->runs_cap = cap;
    }
    s->runs[s->n_runs++] = run;
    c->mem_runs += run_bytes(&run);
    while (s->n_runs >= 2) {
        cooc_run *x = &s->runs[s->n_runs - 2], *y = &s->runs[s->n_runs - 1];
        if (x->off >= 0 || !x->sorted || !y->sorted || x->n > 2 * y->n)
            break;
        size_t before = run_bytes(x) + run_bytes(y);
        if (merge_runs(x, y) != FS_OK)
            return FS_ERR_NOMEM;
        s->n_runs--;
        c->mem_runs = c->mem_runs - before + run_bytes(x);
    }
    return FS_OK;
}

fs_status cooc_pio(int fd, void *p, size_t n, uint64_t off, bool write)
{
    char *b = p;
    while (n) {
        ssize_t k = write ? pwrite(fd, b, n, (off_t)off) : pread(fd, b, n, (off_t)off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return FS_ERR_OUTPUT;
        b += k;
        n -= (size_t)k;
        off += (uint64_t)k;
    }
    return FS_OK;
}

/* Moves every in-memory run to the spill file. Without a temporary file, runs stay in memory
 * (more memory, same result). */
static fs_status spill(cooc_state *c)
{
    if (!c->spill) {
        c->spill = tmpfile();
        if (!c->spill)
            return FS_OK;
    }
    int fd = fileno(c->spill);
    for (size_t s = 0; s < c->n_sources; s++)
        for (size_t k = 0; k < c->src[s].n_runs; k++) {
            cooc_run *r = &c->src[s].runs[k];
            if (r->off >= 0)
                continue;
            void *data = r->raw ? (void *)r->k : (void *)r->r;
            if (cooc_pio(fd, data, run_bytes(r), c->spill_end, true) != FS_OK)
                return FS_ERR_OUTPUT;
            r->off = (long long)c->spill_end;
            c->spill_end += run_bytes(r);
            c->mem_runs -= run_bytes(r);
            free(data);
            r->r = NULL;
            r->k = NULL;
        }
    c->spilled = true;
    return FS_OK;
}

/* Turns the dense counts into one unsorted run per source and zeroes them (the collection
 * sorts everything in global ids anyway). */
static fs_status drain_dense(cooc_state *c)
{
    uint32_t k = c->dense_k;
    for (size_t si = 0; si < c->n_sources && k; si++) {
        cooc_src *s = &c->src[si];
        if (!s->dense)
            continue;
        size_t m = 0;
        size_t cells = (size_t)k * (k - 1) / 2;
        for (size_t i = 0; i < cells; i++)
            m += s->dense[i] != 0;
        if (m == 0)
            continue;
        cooc_rec *r = malloc(m * sizeof *r);
        if (!r)
            return FS_ERR_NOMEM;
        size_t j = 0;
        for (uint64_t b = 1; b < k; b++) {
            uint32_t *row = &s->dense[b * (b - 1) / 2];
            for (uint64_t a = 0; a < b; a++) {
                if (!row[a])
                    continue;
                uint64_t x = c->slot_id ? c->slot_id[a] : a, y = c->slot_id ? c->slot_id[b] : b;
                r[j++] = (cooc_rec){x < y ? (x << 32) | y : (y << 32) | x, row[a]};
                row[a] = 0;
            }
        }
        if (add_run(c, s, (cooc_run){r, m, -1, false, false, NULL}) != FS_OK) {
            free(r);
            return FS_ERR_NOMEM;
        }
    }
    c->dense_adds = 0;
    return FS_OK;
}

/* Hands every source's buffered keys over as a raw run, sorted once in global ids by the
 * collection; or sorts and compresses them into a run of records. A record takes two keys'
 * bytes, so sorting pays only when it merges more than half the keys: every eighth flush sorts
 * to find out (repeats grow with the corpus), and the flushes after it sort if it paid. */
static fs_status flush(cooc_state *c, size_t n_ids)
{
    int b = bits_for(n_ids ? n_ids - 1 : 0);
    unsigned nth = c->flushes++;
    bool raw = c->raw && nth % 8 != 7;
    size_t keys_in = 0, recs_out = 0;
    for (size_t si = 0; si < c->n_sources; si++) {
        cooc_src *s = &c->src[si];
        size_t n = s->n;
        if (n == 0) { /* idle since the last flush (documents come source by source) */
            free(s->keys);
            s->keys = NULL;
            s->cap = 0;
            continue;
        }
        if (raw) { /* a fresh buffer of the same size: no regrowth by copies */
            uint64_t *fresh = fs_alloc_large(s->cap * sizeof *fresh, false);
            if (!fresh || add_run(c, s, (cooc_run){NULL, n, -1, false, true, s->keys}) != FS_OK) {
                free(fresh);
                return FS_ERR_NOMEM;
            }
            s->keys = fresh;
            s->n = 0;
            continue;
        }
        if (c->tmp_cap < n) {
            uint64_t *t = realloc(c->tmp, n * sizeof *t);
            if (!t)
                return FS_ERR_NOMEM;
            c->tmp = t;
            c->tmp_cap = n;
        }
        uint64_t *k = radix_keys(s->keys, c->tmp, n, 2 * b, b);
        size_t m = 1;
        for (size_t i = 1; i < n; i++)
            m += k[i] != k[i - 1];
        cooc_rec *r = malloc(m * sizeof *r);
        if (!r)
            return FS_ERR_NOMEM;
        size_t j = 0;
        r[0] = (cooc_rec){k[0], 1};
        for (size_t i = 1; i < n; i++) {
            if (k[i] == r[j].key)
                r[j].count++;
            else
                r[++j] = (cooc_rec){k[i], 1};
        }
        s->n = 0;
        keys_in += n;
        recs_out += m;
        if (add_run(c, s, (cooc_run){r, m, -1, true, false, NULL}) != FS_OK) {
            free(r);
            return FS_ERR_NOMEM;
        }
    }
    if (!raw)
        c->raw = recs_out * sizeof(cooc_rec) >= keys_in * sizeof(uint64_t);
    c->buffered = 0;
    if (c->dense_adds > UINT32_MAX - c->flush_keys && drain_dense(c) != FS_OK)
        return FS_ERR_NOMEM; /* a cell could overflow before the next flush */
    /* Until the next flush the worker adds at most flush_keys keys; a sorting flush also needs
     * their radix scratch. Raw flushes need no scratch: counting it would spill at twice the
     * rate for nothing (at 100 MB, a worker's second flush went to the file). */
    bool sorts_next = !c->raw || c->flushes % 8 == 7;
    size_t held = c->mem_runs + c->flush_keys * sizeof(uint64_t) * (sorts_next ? 2 : 1);
    if (held > c->budget)
        return spill(c);
    return FS_OK;
}

/* ---------------------------------------------------------------- worker side */

fs_status cooc_init(cooc_state *c, size_t n_sources, size_t budget)
{
    memset(c, 0, sizeof *c);
    c->src = calloc(n_sources + 1, sizeof *c->src);
    if (!c->src)
        return FS_ERR_NOMEM;
    c->n_sources = n_sources;
    c->budget = budget;
    /* Keys and their sort scratch at a sorting flush: half the budget; the runs the other
     * half. */
    size_t fk = budget / 4 / sizeof(uint64_t);
    c->flush_keys = fk < FLUSH_KEYS_MIN ? FLUSH_KEYS_MIN : fk;
    c->raw = true;
    /* Dense tables for pairs of the first-seen (mostly the most frequent) terms: k^2 / 2 cells
     * of 4 bytes per source, within a quarter of the budget. */
    size_t dense_bytes = budget / 4 < DENSE_BYTES_MAX ? budget / 4 : DENSE_BYTES_MAX;
    size_t k = DENSE_K_MAX;
    while (k > 16 && (size_t)k * k * 2 * n_sources > dense_bytes)
        k /= 2;
    if (k > 16) {
        c->dense_k = (uint32_t)k;
        for (size_t s = 0; s < n_sources; s++)
            if (!(c->src[s].dense = calloc(k * (k - 1) / 2, sizeof *c->src[s].dense)))
                return FS_ERR_NOMEM;
    }
    return FS_OK;
}

void cooc_free(cooc_state *c)
{
    if (!c || !c->src)
        return;
    for (size_t s = 0; s < c->n_sources; s++) {
        for (size_t k = 0; k < c->src[s].n_runs; k++) {
            free(c->src[s].runs[k].r);
            free(c->src[s].runs[k].k);
        }
        free(c->src[s].runs);
        free(c->src[s].keys);
        free(c->src[s].dense);
    }
    free(c->src);
    c->src = NULL;
    free(c->slot_of);
    free(c->slot_id);
    free(c->tslot);
    c->slot_of = c->slot_id = c->tslot = NULL;
    free(c->tmp);
    c->tmp = NULL;
    if (c->spill)
        fclose(c->spill);
    c->spill = NULL;
}

fs_status cooc_add_doc(cooc_state *c, size_t source, const uint32_t *ids, const uint32_t *sent,
                       size_t n, int window, bool by_sentence, size_t n_ids)
{
    size_t w = window > 0 ? (size_t)window : 1;
    if (n < 2)
        return FS_OK;
    cooc_src *s = &c->src[source];
    size_t need = s->n + (n - 1) * w;
    if (need > s->cap) {
        size_t cap = s->cap ? s->cap : keys_reserve(c);
        while (cap < need)
            cap *= 2;
        uint64_t *k = s->keys ? realloc(s->keys, cap * sizeof *k)
                              : fs_alloc_large(cap * sizeof *k, false);
        if (!k)
            return FS_ERR_NOMEM;
        s->keys = k;
        s->cap = cap;
    }
    uint64_t *keys = s->keys + s->n;
    uint32_t *dense = s->dense;
    uint64_t dk = c->dense_k;
    size_t m = 0, nd = 0;
    if (c->slot_of) {
        if (n_ids > c->slot_cap) { /* ids new since cooc_set_dense: sparse */
            size_t cap = c->slot_cap * 2 > n_ids ? c->slot_cap * 2 : n_ids;
            uint32_t *p = realloc(c->slot_of, cap * sizeof *p);
            if (!p)
                return FS_ERR_NOMEM;
            memset(p + c->slot_cap, 0, (cap - c->slot_cap) * sizeof *p);
            c->slot_of = p;
            c->slot_cap = cap;
        }
        if (n > c->tslot_cap) {
            uint32_t *p = realloc(c->tslot, n * sizeof *p);
            if (!p)
                return FS_ERR_NOMEM;
            c->tslot = p;
            c->tslot_cap = n;
        }
        uint32_t *ts = c->tslot;
        for (size_t j = 0; j < n; j++)
            ts[j] = c->slot_of[ids[j]];
        for (size_t j = 1; j < n; j++) {
            size_t lo = j > w ? j - w : 0;
            uint64_t b = ids[j];
            uint32_t sb = ts[j];
            for (size_t i = lo; i < j; i++) {
                uint64_t a = ids[i];
                if (a == b || (by_sentence && sent[i] != sent[j]))
                    continue;
                uint32_t sa = ts[i];
                if (sa && sb) {
                    uint64_t x = (sa < sb ? sa : sb) - 1, y = (sa < sb ? sb : sa) - 1;
                    dense[y * (y - 1) / 2 + x]++;
                    nd++;
                } else {
                    keys[m++] = a < b ? (a << 32) | b : (b << 32) | a;
                }
            }
        }
    } else {
        for (size_t j = 1; j < n; j++) {
            size_t lo = j > w ? j - w : 0;
            uint64_t b = ids[j];
            for (size_t i = lo; i < j; i++) {
                uint64_t a = ids[i];
                if (a == b || (by_sentence && sent[i] != sent[j]))
                    continue; /* a term with itself is not a collocation */
                uint64_t x = a < b ? a : b, y = a < b ? b : a;
                if (y < dk) {
                    dense[y * (y - 1) / 2 + x]++;
                    nd++;
                } else {
                    keys[m++] = (x << 32) | y;
                }
            }
        }
    }
    s->n += m;
    c->dense_adds += nd;
    c->buffered += m;
    if (c->buffered >= c->flush_keys)
        return flush(c, n_ids);
    return FS_OK;
}

fs_status cooc_set_dense(cooc_state *c, const uint32_t *ids, size_t n, size_t n_ids)
{
    if (!c->dense_k || n > c->dense_k)
        return FS_OK;
    if (drain_dense(c) != FS_OK)
        return FS_ERR_NOMEM;
    size_t cap = n_ids ? n_ids : 1;
    uint32_t *slot_of = calloc(cap, sizeof *slot_of);
    uint32_t *slot_id = calloc(c->dense_k, sizeof *slot_id);
    if (!slot_of || !slot_id) {
        free(slot_of);
        free(slot_id);
        return FS_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        slot_of[ids[i]] = (uint32_t)i + 1;
        slot_id[i] = ids[i];
    }
    free(c->slot_of);
    free(c->slot_id);
    c->slot_of = slot_of;
    c->slot_id = slot_id;
    c->slot_cap = cap;
    return FS_OK;
}

fs_status cooc_finish(cooc_state *c, size_t n_ids)
{
    (void)n_ids;
    fs_status st = drain_dense(c);
    for (size_t s = 0; s < c->n_sources; s++) {
        cooc_src *src = &c->src[s];
        free(src->dense);
        src->dense = NULL;
        /* The buffer grew by doubling: give back the unused part until the collection. */
        if (src->cap > src->n) {
            uint64_t *k = src->n ? realloc(src->keys, src->n * sizeof *k) : NULL;
            if (k || !src->n) {
                if (!src->n)
                    free(src->keys);
                src->keys = k;
                src->cap = src->n;
            }
        }
    }
    free(c->tmp);
    c->tmp = NULL;
    c->tmp_cap = 0;
    return st;
}
