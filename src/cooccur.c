/* cooccur.c: windowed co-occurrence in sparse form. Each worker counts pairs of its local term
 * ids in one open-addressing table per source; at the end the tables are remapped to global
 * (byte-ordered) ids, sorted and accumulated into (a, b, count) triples. A memory budget per
 * worker bounds the tables: when growing would exceed it, pairs involving rare terms are dropped
 * and such terms are skipped from then on (the result is flagged as pruned). */
#include "count_internal.h"

#include <stdlib.h>
#include <string.h>

#define ENTRY_BYTES (sizeof(cooc_entry))
/* How many pairs ahead cooc_add_doc prefetches table slots: the tables are far larger than the
 * caches, so nearly every bump is a memory access; issuing them early overlaps the misses. */
#define PREFETCH_AHEAD 12

static inline uint64_t key_of(const cooc_entry *e)
{
    return ((uint64_t)e->a << 32) | e->b;
}

static inline size_t slot_of(uint64_t key, size_t mask)
{
    return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

static fs_status table_init(cooc_table *t, size_t cap)
{
    t->e = calloc(cap, sizeof *t->e);
    if (!t->e)
        return FS_ERR_NOMEM;
    t->cap = cap;
    t->n = 0;
    return FS_OK;
}

static void table_free(cooc_table *t)
{
    free(t->e);
    memset(t, 0, sizeof *t);
}

/* Rebuilds `t` with capacity `cap`, keeping entries that `keep` accepts (NULL: all). */
static fs_status table_rebuild(cooc_table *t, size_t cap, const uint64_t *tf_all, uint64_t min_tf)
{
    cooc_table fresh;
    if (table_init(&fresh, cap) != FS_OK)
        return FS_ERR_NOMEM;
    size_t mask = cap - 1;
    for (size_t i = 0; i < t->cap; i++) {
        uint64_t k = key_of(&t->e[i]);
        if (!k)
            continue;
        if (tf_all && (tf_all[k >> 32] < min_tf || tf_all[k & 0xFFFFFFFFu] < min_tf))
            continue;
        size_t s = slot_of(k, mask);
        while (fresh.e[s].b)
            s = (s + 1) & mask;
        fresh.e[s] = t->e[i];
        fresh.n++;
    }
    table_free(t);
    *t = fresh;
    return FS_OK;
}

fs_status cooc_init(cooc_state *c, size_t n_sources, size_t budget)
{
    memset(c, 0, sizeof *c);
    c->tabs = calloc(n_sources, sizeof *c->tabs);
    if (!c->tabs)
        return FS_ERR_NOMEM;
    c->n_sources = n_sources;
    c->budget = budget;
    c->min_tf = 0;
    for (size_t s = 0; s < n_sources; s++)
        if (table_init(&c->tabs[s], 1024) != FS_OK)
            return FS_ERR_NOMEM;
    return FS_OK;
}

void cooc_free(cooc_state *c)
{
    if (!c || !c->tabs)
        return;
    for (size_t s = 0; s < c->n_sources; s++)
        table_free(&c->tabs[s]);
    free(c->tabs);
    c->tabs = NULL;
    free(c->buf);
    c->buf = NULL;
}

static size_t held_bytes(const cooc_state *c)
{
    size_t b = 0;
    for (size_t s = 0; s < c->n_sources; s++)
        b += c->tabs[s].cap * ENTRY_BYTES;
    return b;
}

/* Makes room in table `t` (of source `src`): grows it when the budget allows, otherwise prunes
 * every table of this worker at a rising frequency threshold until `t` is at most 40% full. */
static fs_status make_room(cooc_state *c, cooc_table *t, const uint64_t *tf_all)
{
    size_t after = held_bytes(c) + t->cap * ENTRY_BYTES * 2; /* old and new table coexist */
    if (after <= c->budget || t->cap < 4096)
        return table_rebuild(t, t->cap * 2, NULL, 0);
    c->pruned = true;
    uint64_t thr = c->min_tf < 2 ? 2 : c->min_tf * 2;
    for (;;) {
        for (size_t s = 0; s < c->n_sources; s++) {
            cooc_table *x = &c->tabs[s];
            if (table_rebuild(x, x->cap, tf_all, thr) != FS_OK)
                return FS_ERR_NOMEM;
        }
        c->min_tf = thr;
        if (t->n * 10 <= t->cap * 4)
            return FS_OK;
        thr *= 2;
    }
}

/* Adds one to pair `key` ((a << 32) | b, a < b, so b != 0). */
static inline fs_status bump(cooc_state *c, cooc_table *t, uint64_t key, const uint64_t *tf_all)
{
    size_t mask = t->cap - 1, s = slot_of(key, mask);
    uint32_t a = (uint32_t)(key >> 32), b = (uint32_t)key;
    for (;;) {
        cooc_entry *e = &t->e[s];
        if (e->b == b && e->a == a) {
            e->val++;
            return FS_OK;
        }
        if (!e->b)
            break;
        s = (s + 1) & mask;
    }
    if ((t->n + 1) * 4 > t->cap * 3) {
        fs_status st = make_room(c, t, tf_all);
        if (st != FS_OK)
            return st;
        if (c->min_tf && (tf_all[key >> 32] < c->min_tf || tf_all[key & 0xFFFFFFFFu] < c->min_tf))
            return FS_OK;
        mask = t->cap - 1;
        s = slot_of(key, mask);
        while (t->e[s].b)
            s = (s + 1) & mask;
    }
    t->e[s] = (cooc_entry){a, b, 1};
    t->n++;
    return FS_OK;
}

fs_status cooc_add_doc(cooc_state *c, size_t source, const uint32_t *ids, const uint32_t *sent,
                       size_t n, int window, bool by_sentence, const uint64_t *tf_all)
{
    cooc_table *t = &c->tabs[source];
    size_t w = window > 0 ? (size_t)window : 1;
    if (n < 2)
        return FS_OK;
    /* First the document's pair keys, then the table updates with slots prefetched ahead. */
    size_t need = (n - 1) * w;
    if (need > c->buf_cap) {
        size_t cap = need + need / 2 + 64;
        uint64_t *nb = realloc(c->buf, cap * sizeof *nb);
        if (!nb)
            return FS_ERR_NOMEM;
        c->buf = nb;
        c->buf_cap = cap;
    }
    uint64_t *keys = c->buf;
    size_t m = 0;
    for (size_t j = 1; j < n; j++) {
        size_t lo = j > w ? j - w : 0;
        uint32_t b = ids[j];
        for (size_t i = lo; i < j; i++) {
            if (by_sentence && sent[i] != sent[j])
                continue;
            uint32_t a = ids[i];
            if (a == b)
                continue; /* a term with itself is not a collocation */
            if (c->min_tf && (tf_all[a] < c->min_tf || tf_all[b] < c->min_tf))
                continue;
            keys[m++] = a < b ? ((uint64_t)a << 32) | b : ((uint64_t)b << 32) | a;
        }
    }
    for (size_t k = 0; k < m; k++) {
        if (k + PREFETCH_AHEAD < m)
            __builtin_prefetch(&t->e[slot_of(keys[k + PREFETCH_AHEAD], t->cap - 1)], 1);
        uint64_t key = keys[k];
        if (c->min_tf && (tf_all[key >> 32] < c->min_tf || tf_all[key & 0xFFFFFFFFu] < c->min_tf))
            continue; /* pruning started inside this document */
        fs_status st = bump(c, t, key, tf_all);
        if (st != FS_OK)
            return st;
    }
    return FS_OK;
}

static int cmp_pair(const void *x, const void *y)
{
    const fs_pair *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    if (a->b != b->b)
        return a->b < b->b ? -1 : 1;
    return 0;
}

/* LSD radix sort by (a, b), 16 bits per pass, only over the bits in use: pair lists run to
 * tens of millions and a comparison sort dominated the count stage. */
static fs_status sort_pairs(fs_pair *p, size_t n)
{
    if (n < 1024) {
        qsort(p, n, sizeof *p, cmp_pair);
        return FS_OK;
    }
    uint32_t maxa = 0, maxb = 0;
    for (size_t i = 0; i < n; i++) {
        maxa |= p[i].a;
        maxb |= p[i].b;
    }
    fs_pair *tmp = malloc(n * sizeof *tmp);
    size_t *cnt = malloc(65536 * sizeof *cnt);
    if (!tmp || !cnt) {
        free(tmp);
        free(cnt);
        return FS_ERR_NOMEM;
    }
    fs_pair *src = p, *dst = tmp;
    for (int field = 0; field < 2; field++) { /* b first, then a: stable passes */
        uint32_t max = field == 0 ? maxb : maxa;
        for (int shift = 0; shift < 32 && (shift == 0 || (max >> shift)); shift += 16) {
            memset(cnt, 0, 65536 * sizeof *cnt);
            for (size_t i = 0; i < n; i++)
                cnt[((field ? src[i].a : src[i].b) >> shift) & 0xFFFF]++;
            size_t sum = 0;
            for (size_t k = 0; k < 65536; k++) {
                size_t c = cnt[k];
                cnt[k] = sum;
                sum += c;
            }
            for (size_t i = 0; i < n; i++)
                dst[cnt[((field ? src[i].a : src[i].b) >> shift) & 0xFFFF]++] = src[i];
            fs_pair *x = src;
            src = dst;
            dst = x;
        }
    }
    if (src != p)
        memcpy(p, src, n * sizeof *p);
    free(tmp);
    free(cnt);
    return FS_OK;
}

fs_status cooc_collect(cooc_state *const *states, size_t n_states, const uint32_t *const *maps,
                       size_t source, fs_pair **out, size_t *n_out)
{
    size_t total = 0;
    for (size_t w = 0; w < n_states; w++)
        total += states[w]->tabs[source].n;
    fs_pair *p = malloc((total ? total : 1) * sizeof *p);
    if (!p)
        return FS_ERR_NOMEM;
    size_t n = 0;
    for (size_t w = 0; w < n_states; w++) {
        cooc_table *t = &states[w]->tabs[source];
        for (size_t i = 0; i < t->cap; i++) {
            uint64_t k = key_of(&t->e[i]);
            if (!k)
                continue;
            uint32_t a = maps[w][k >> 32], b = maps[w][k & 0xFFFFFFFFu];
            if (a > b) {
                uint32_t x = a;
                a = b;
                b = x;
            }
            p[n++] = (fs_pair){a, b, t->e[i].val};
        }
        table_free(t);
    }
    if (sort_pairs(p, n) != FS_OK) {
        free(p);
        return FS_ERR_NOMEM;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && p[m - 1].a == p[i].a && p[m - 1].b == p[i].b)
            p[m - 1].count += p[i].count;
        else
            p[m++] = p[i];
    }
    *out = p;
    *n_out = m;
    return FS_OK;
}

fs_status cooc_merge_sorted(const fs_pair *a, size_t na, const fs_pair *b, size_t nb,
                            fs_pair **out, size_t *n_out)
{
    fs_pair *p = malloc((na + nb > 0 ? na + nb : 1) * sizeof *p);
    if (!p)
        return FS_ERR_NOMEM;
    size_t i = 0, j = 0, n = 0;
    while (i < na || j < nb) {
        int c = i == na ? 1 : j == nb ? -1 : cmp_pair(&a[i], &b[j]);
        if (c < 0)
            p[n++] = a[i++];
        else if (c > 0)
            p[n++] = b[j++];
        else {
            p[n] = a[i++];
            p[n++].count += b[j++].count;
        }
    }
    *out = p;
    *n_out = n;
    return FS_OK;
}
