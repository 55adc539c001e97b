/* dedup.c: near-duplicate detection on cleaned text. Word k-shingles are hashed; up to
 * CLEAN_DEDUP_EXACT_MAX documents every pair is compared by exact Jaccard, beyond that MinHash
 * signatures with LSH banding propose candidate pairs, which are then verified exactly, so the
 * reported similarity is always the exact one. Same-source duplicates are merged (the longer
 * clean text is kept); cross-source pairs are reported and kept unless configured otherwise.
 * The words and shingles themselves are hashed in dedup_words.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clean_internal.h"
#include "framescope/parallel.h"
#include "framescope/vec.h"

#define MINHASH_PERMS 128
/* A bucket larger than this (many copies of one text) is linked as a star around its first
 * member instead of all pairs: the merge is the same, the pair count stays linear. */
#define LSH_BUCKET_ALL_PAIRS 64

/* ---- shingles ------------------------------------------------------------------------------ */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorts v ascending: LSD radix sort of 64-bit keys, 16 bits per pass, or qsort when small. */
static fs_status sort_u64(uint64_t *v, size_t n)
{
    /* Four passes over 65536 counters only pay off on large arrays. */
    if (n < 8192) {
        qsort(v, n, sizeof *v, cmp_u64);
        return FS_OK;
    }
    uint64_t *tmp = malloc(n * sizeof *tmp);
    size_t *cnt = malloc(65536 * sizeof *cnt);
    if (!tmp || !cnt) {
        free(tmp);
        free(cnt);
        return FS_ERR_NOMEM;
    }
    uint64_t *src = v, *dst = tmp;
    for (int shift = 0; shift < 64; shift += 16) {
        memset(cnt, 0, 65536 * sizeof *cnt);
        for (size_t i = 0; i < n; i++)
            cnt[(src[i] >> shift) & 0xFFFF]++;
        size_t sum = 0;
        for (size_t k = 0; k < 65536; k++) {
            size_t c = cnt[k];
            cnt[k] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[cnt[(src[i] >> shift) & 0xFFFF]++] = src[i];
        uint64_t *x = src;
        src = dst;
        dst = x;
    }
    /* four passes: the sorted data is back in v */
    free(tmp);
    free(cnt);
    return FS_OK;
}

/* Sorts and deduplicates buf[0..n) into a new exact-size set. */
static fs_status make_set(uint64_t *buf, size_t n, uint64_t **out, size_t *m_out)
{
    *out = NULL;
    *m_out = 0;
    if (n == 0)
        return FS_OK;
    if (sort_u64(buf, n) != FS_OK)
        return FS_ERR_NOMEM;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || buf[i] != buf[m - 1])
            buf[m++] = buf[i];
    uint64_t *set = malloc(m * sizeof *set);
    if (!set)
        return FS_ERR_NOMEM;
    memcpy(set, buf, m * sizeof *set);
    *out = set;
    *m_out = m;
    return FS_OK;
}

fs_status clean_shingles(const char *text, size_t len, int k, uint64_t **out, size_t *n)
{
    uint64_t *buf = NULL;
    size_t cap = 0, ns = 0;
    fs_status st = clean_shingle_hashes(text, len, k, &buf, &cap, &ns);
    *out = NULL;
    *n = 0;
    if (st == FS_OK)
        st = make_set(buf, ns, out, n);
    free(buf);
    return st;
}

double clean_jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, inter = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j]) {
            inter++;
            i++;
            j++;
        } else if (a[i] < b[j]) {
            i++;
        } else {
            j++;
        }
    }
    size_t uni = na + nb - inter;
    return uni ? (double)inter / (double)uni : 0.0;
}

/* ---- candidate pairs ----------------------------------------------------------------------- */

typedef struct cand {
    size_t a, b;
} cand;

typedef struct cand_vec {
    cand *v;
    size_t n, cap;
} cand_vec;

static int cand_push(cand_vec *c, size_t a, size_t b)
{
    cand *nv = fs_vec_grow(c->v, c->n, &c->cap, sizeof *nv, 256);
    if (!nv)
        return -1;
    c->v = nv;
    c->v[c->n++] = a < b ? (cand){a, b} : (cand){b, a};
    return 0;
}

static int cmp_cand(const void *x, const void *y)
{
    const cand *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return p->b < q->b ? -1 : p->b > q->b;
}

/* splitmix64's finalizer: a fast bijective mix, so that x -> mix(x ^ seed) acts as one random
 * permutation of the shingle hashes per seed. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    x ^= x >> 31;
    return x;
}

/* Rows per band: the largest power of two whose banding still proposes a pair at the threshold
 * similarity with probability >= 0.99 (1 - (1 - t^r)^(128/r)); larger r means fewer false
 * candidates to verify. */
static size_t lsh_rows(double t)
{
    size_t best = 1;
    for (size_t r = 1; r <= MINHASH_PERMS; r *= 2) {
        double p = 1.0 - pow(1.0 - pow(t, (double)r), (double)(MINHASH_PERMS / r));
        if (p >= 0.99)
            best = r;
    }
    return best;
}

/* One-permutation MinHash: each shingle hash goes to one of MINHASH_PERMS bins by its top bits
 * and each bin keeps its minimum (low 32 bits), one hash evaluation per shingle instead of one
 * per shingle and permutation. Empty bins borrow the next non-empty bin's value, mixed with the
 * distance (rotation densification, Shrivastava & Li 2014), which keeps
 * P(bin equal) = Jaccard. Candidates are verified exactly, so the hashing only decides recall. */
static void minhash_signature(const uint64_t *sh, size_t n, uint32_t *sig)
{
    uint64_t seen[2] = {0, 0}; /* bit p: bin p holds a shingle */
    for (size_t p = 0; p < MINHASH_PERMS; p++)
        sig[p] = UINT32_MAX;
    for (size_t i = 0; i < n; i++) {
        size_t bin = (size_t)(sh[i] >> 57); /* 7 bits: MINHASH_PERMS == 128 */
        uint32_t v = (uint32_t)sh[i], old = sig[bin];
        seen[bin >> 6] |= 1ull << (bin & 63);
        /* Unconditional (a conditional move): whether a new minimum turns up is a coin toss
         * early on, a branch on it mispredicts. */
        sig[bin] = v < old ? v : old;
    }
    if (n == 0)
        return;
    for (size_t p = 0; p < MINHASH_PERMS; p++) {
        if (seen[p >> 6] >> (p & 63) & 1)
            continue;
        size_t q = p, dist = 0;
        while (!(seen[q >> 6] >> (q & 63) & 1)) {
            q = (q + 1) % MINHASH_PERMS;
            dist++;
        }
        sig[p] = (uint32_t)mix64(((uint64_t)sig[q] << 8) | dist);
    }
}

/* LSH banding over the band keys of the active documents (keys[doc * bands + band]). Each band's
 * buckets are found with a hash table rather than by sorting: nearly every bucket holds one
 * document and costs one probe. A bucket's documents are chained in active order (increasing
 * document), so its pairs are those a sort by (key, document) gives; only their order in `out`
 * differs, and the caller sorts the candidates. Bands are shared out among the threads. */
typedef struct lsh_worker {
    uint32_t *slot;   /* 1 + active index of a bucket's first document, 0 empty */
    uint32_t *next;   /* per active index: the next document of its bucket, UINT32_MAX none */
    uint32_t *tail;   /* per bucket head: its last document */
    uint32_t *size;   /* per active index: its bucket's size when it heads one, else 0 */
    cand_vec c;
} lsh_worker;

typedef struct lsh_job {
    const uint64_t *keys;
    size_t bands, mask;
    const size_t *active;
    size_t n_active;
    lsh_worker *w;
} lsh_job;

static fs_status lsh_band_range(void *user, size_t worker, size_t begin, size_t end)
{
    lsh_job *j = user;
    lsh_worker *w = &j->w[worker];
    size_t n = j->n_active, bands = j->bands;
    for (size_t b = begin; b < end; b++) {
        memset(w->slot, 0, (j->mask + 1) * sizeof *w->slot);
        for (size_t a = 0; a < n; a++) {
            uint64_t key = j->keys[j->active[a] * bands + b];
            size_t s = (size_t)(key ^ (key >> 32)) & j->mask;
            while (w->slot[s] && j->keys[j->active[w->slot[s] - 1] * bands + b] != key)
                s = (s + 1) & j->mask;
            w->next[a] = UINT32_MAX;
            if (!w->slot[s]) {
                w->slot[s] = (uint32_t)(a + 1);
                w->tail[a] = (uint32_t)a;
                w->size[a] = 1;
            } else {
                uint32_t h = w->slot[s] - 1;
                w->next[w->tail[h]] = (uint32_t)a;
                w->tail[h] = (uint32_t)a;
                w->size[h]++;
                w->size[a] = 0;
            }
        }
        for (size_t a = 0; a < n; a++) {
            if (w->size[a] < 2)
                continue;
            bool all = w->size[a] <= LSH_BUCKET_ALL_PAIRS;
            for (uint32_t x = (uint32_t)a; x != UINT32_MAX; x = all ? w->next[x] : UINT32_MAX)
                for (uint32_t y = w->next[x]; y != UINT32_MAX; y = w->next[y])
                    if (cand_push(&w->c, j->active[x], j->active[y]) != 0)
                        return FS_ERR_NOMEM;
        }
    }
    return FS_OK;
}

static fs_status minhash_candidates(const fs_ctx *ctx, const uint64_t *keys, size_t bands,
                                    const size_t *active, size_t n_active, cand_vec *out)
{
    if (n_active < 2)
        return FS_OK;
    if (n_active >= UINT32_MAX / 2)
        return FS_ERR_NOMEM; /* 32-bit indexes; far beyond any corpus held in memory */
    size_t cap = 16;
    while (cap < 2 * n_active)
        cap *= 2;
    size_t nw = fs_parallel_workers(ctx, bands, 1);
    lsh_job j = {keys, bands, cap - 1, active, n_active, calloc(nw, sizeof *j.w)};
    fs_status st = j.w ? FS_OK : FS_ERR_NOMEM;
    for (size_t k = 0; k < nw && st == FS_OK; k++) {
        lsh_worker *w = &j.w[k];
        w->slot = malloc(cap * sizeof *w->slot);
        w->next = malloc(3 * n_active * sizeof *w->next);
        w->tail = w->next ? w->next + n_active : NULL;
        w->size = w->next ? w->next + 2 * n_active : NULL;
        if (!w->slot || !w->next)
            st = FS_ERR_NOMEM;
    }
    if (st == FS_OK)
        st = fs_parallel_for(ctx, bands, 1, lsh_band_range, &j);
    for (size_t k = 0; j.w && k < nw; k++) {
        const lsh_worker *w = &j.w[k];
        for (size_t i = 0; i < w->c.n && st == FS_OK; i++)
            if (cand_push(out, w->c.v[i].a, w->c.v[i].b) != 0)
                st = FS_ERR_NOMEM;
        free(w->slot);
        free(w->next);
        free(w->c.v);
    }
    free(j.w);
    return st;
}

/* ---- per-document data ---------------------------------------------------------------------- */

fs_status clean_dedup_init(clean_dedup_data *dd, const fs_config *cfg, size_t n_docs,
                           size_t exact_max)
{
    memset(dd, 0, sizeof *dd);
    double t = cfg->clean.dedup_threshold > 0 ? cfg->clean.dedup_threshold : 0.8;
    dd->n_docs = n_docs;
    dd->exact_max = exact_max;
    dd->k = cfg->clean.shingle_size > 0 ? cfg->clean.shingle_size : 5;
    dd->rows = lsh_rows(t);
    dd->bands = MINHASH_PERMS / dd->rows;
    /* Whether the exact path is taken depends on how many documents survive cleaning, known
     * only at the end; with at most exact_max documents in all it is certain. */
    dd->sets_mode = n_docs <= exact_max;
    size_t n = n_docs ? n_docs : 1;
    dd->sets = calloc(n, sizeof *dd->sets);
    dd->ns = calloc(n, sizeof *dd->ns);
    dd->given = calloc(n, sizeof *dd->given);
    /* The band keys alone (8 bytes per band) rather than the signature (4 bytes per
     * permutation): half the size at the default threshold, and all LSH needs. */
    if (!dd->sets_mode)
        dd->keys = malloc(n * dd->bands * sizeof *dd->keys);
    if (!dd->sets || !dd->ns || !dd->given || (!dd->sets_mode && !dd->keys)) {
        clean_dedup_data_free(dd);
        return FS_ERR_NOMEM;
    }
    return FS_OK;
}

void clean_dedup_data_free(clean_dedup_data *dd)
{
    if (dd->sets)
        for (size_t i = 0; i < dd->n_docs; i++)
            free(dd->sets[i]);
    free(dd->sets);
    free(dd->ns);
    free(dd->given);
    free(dd->keys);
    memset(dd, 0, sizeof *dd);
}

/* The exact set of document i (sets mode, or a candidate on the MinHash path). */
static fs_status doc_set(clean_dedup_data *dd, size_t i, const char *text, size_t len,
                         uint64_t **scratch, size_t *cap)
{
    size_t n;
    fs_status st = clean_shingle_hashes(text, len, dd->k, scratch, cap, &n);
    free(dd->sets[i]);
    dd->sets[i] = NULL;
    dd->ns[i] = 0;
    return st == FS_OK ? make_set(*scratch, n, &dd->sets[i], &dd->ns[i]) : st;
}

fs_status clean_dedup_doc(clean_dedup_data *dd, size_t i, const char *text, size_t len,
                          uint64_t **scratch, size_t *scratch_cap)
{
    dd->given[i] = true;
    if (dd->sets_mode)
        return doc_set(dd, i, text, len, scratch, scratch_cap);
    size_t n;
    if (clean_shingle_hashes(text, len, dd->k, scratch, scratch_cap, &n) != FS_OK)
        return FS_ERR_NOMEM;
    uint32_t sig[MINHASH_PERMS];
    minhash_signature(*scratch, n, sig);
    for (size_t b = 0; b < dd->bands; b++)
        dd->keys[i * dd->bands + b] =
            clean_hash(sig + b * dd->rows, dd->rows * sizeof *sig);
    dd->ns[i] = n; /* shingles with repeats: only whether there is any matters here */
    return FS_OK;
}

typedef struct sets_job {
    clean_dedup_data *dd;
    const fs_clean_result *res;
    const bool *want;
    uint64_t **scratch;     /* per worker */
    size_t *cap;
} sets_job;

static fs_status sets_range(void *user, size_t worker, size_t begin, size_t end)
{
    sets_job *j = user;
    for (size_t i = begin; i < end; i++)
        if (j->want[i] && doc_set(j->dd, i, j->res->docs[i].text, j->res->docs[i].len,
                                  &j->scratch[worker], &j->cap[worker]) != FS_OK)
            return FS_ERR_NOMEM;
    return FS_OK;
}

/* Exact sets of the documents in want[], from their clean texts, in parallel. */
static fs_status build_sets(clean_dedup_data *dd, const fs_ctx *ctx,
                            const fs_clean_result *res, const bool *want)
{
    size_t nw = fs_parallel_workers(ctx, dd->n_docs, 16);
    sets_job j = {dd, res, want, calloc(nw, sizeof *j.scratch), calloc(nw, sizeof *j.cap)};
    fs_status st = j.scratch && j.cap ? fs_parallel_for(ctx, dd->n_docs, 16, sets_range, &j)
                                      : FS_ERR_NOMEM;
    if (j.scratch)
        for (size_t w = 0; w < nw; w++)
            free(j.scratch[w]);
    free(j.scratch);
    free(j.cap);
    return st;
}

typedef struct doc_job {
    clean_dedup_data *dd;
    const fs_clean_result *res;
    uint64_t **scratch;
    size_t *cap;
} doc_job;

static fs_status doc_range(void *user, size_t worker, size_t begin, size_t end)
{
    doc_job *j = user;
    for (size_t i = begin; i < end; i++)
        if (!j->res->docs[i].excluded &&
            clean_dedup_doc(j->dd, i, j->res->docs[i].text, j->res->docs[i].len,
                            &j->scratch[worker], &j->cap[worker]) != FS_OK)
            return FS_ERR_NOMEM;
    return FS_OK;
}

/* ---- merging ------------------------------------------------------------------------------- */

static size_t uf_find(size_t *parent, size_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* The kept document of a group: the longer clean text, then the earlier document. */
static bool better(const fs_clean_result *res, size_t a, size_t b)
{
    if (res->docs[a].chars_clean != res->docs[b].chars_clean)
        return res->docs[a].chars_clean > res->docs[b].chars_clean;
    return a < b;
}

fs_status clean_dedup_finish(clean_dedup_data *dd, const fs_config *cfg, const fs_ctx *ctx,
                             const fs_corpus *corpus, fs_clean_result *res, fs_error *err)
{
    size_t n = dd->n_docs;
    double t = cfg->clean.dedup_threshold > 0 ? cfg->clean.dedup_threshold : 0.8;
    fs_status st = FS_OK;
    size_t *active = calloc(n ? n : 1, sizeof *active);
    size_t *parent = calloc(n ? n : 1, sizeof *parent);
    size_t *best = calloc(n ? n : 1, sizeof *best);
    bool *want = calloc(n ? n : 1, sizeof *want);
    uint64_t **sets = dd->sets;
    size_t *ns = dd->ns;
    cand_vec cands = {0};
    size_t n_active = 0;
    if (!active || !parent || !best || !want)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        parent[i] = i;
        if (dd->given[i] && ns[i])
            active[n_active++] = i;
    }
    if (!dd->sets_mode && n_active <= dd->exact_max) { /* few documents left: exact after all */
        dd->sets_mode = true;
        if ((st = build_sets(dd, ctx, res, dd->given)) != FS_OK)
            goto fail;
    }
    if (dd->sets_mode) {
        for (size_t x = 0; x < n_active; x++)
            for (size_t y = x + 1; y < n_active; y++) {
                size_t a = active[x], b = active[y];
                size_t lo = ns[a] < ns[b] ? ns[a] : ns[b], hi = ns[a] < ns[b] ? ns[b] : ns[a];
                /* Jaccard <= |small| / |large|: skip pairs that cannot reach the threshold. */
                if ((double)lo < t * (double)hi)
                    continue;
                if (cand_push(&cands, a, b) != 0)
                    goto nomem;
            }
    } else {
        if (minhash_candidates(ctx, dd->keys, dd->bands, active, n_active, &cands) != FS_OK)
            goto nomem;
        fs_log(ctx, FS_LOG_DEBUG, "dedup: MinHash/LSH proposed %zu candidate pairs", cands.n);
        /* Exact sets for the documents named by a candidate. */
        for (size_t i = 0; i < cands.n; i++)
            want[cands.v[i].a] = want[cands.v[i].b] = true;
        if ((st = build_sets(dd, ctx, res, want)) != FS_OK)
            goto fail;
    }
    if (cands.n)
        qsort(cands.v, cands.n, sizeof *cands.v, cmp_cand);
    free(res->pairs);
    res->pairs = NULL;
    res->n_pairs = 0;
    size_t cap = 0;
    for (size_t i = 0; i < cands.n; i++) {
        if (i > 0 && cmp_cand(&cands.v[i], &cands.v[i - 1]) == 0)
            continue;
        size_t a = cands.v[i].a, b = cands.v[i].b;
        double j = clean_jaccard(sets[a], ns[a], sets[b], ns[b]);
        if (j < t)
            continue;
        fs_dup_pair *np = fs_vec_grow(res->pairs, res->n_pairs, &cap, sizeof *np, 16);
        if (!np)
            goto nomem;
        res->pairs = np;
        bool cross = corpus->docs[a].source != corpus->docs[b].source;
        res->pairs[res->n_pairs++] = (fs_dup_pair){a, b, j, cross};
        if (!cross || cfg->clean.dedup_across_sources) {
            size_t ra = uf_find(parent, a), rb = uf_find(parent, b);
            if (ra != rb)
                parent[ra > rb ? ra : rb] = ra < rb ? ra : rb;
        }
    }
    for (size_t i = 0; i < n; i++)
        best[i] = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        size_t r = uf_find(parent, i);
        if (!res->docs[i].excluded && (best[r] == SIZE_MAX || better(res, i, best[r])))
            best[r] = i;
    }
    size_t merged = 0, cross_pairs = 0;
    for (size_t i = 0; i < res->n_pairs; i++)
        cross_pairs += res->pairs[i].cross_source;
    for (size_t i = 0; i < n; i++) {
        size_t keep = best[uf_find(parent, i)];
        if (res->docs[i].excluded || keep == i || keep == SIZE_MAX)
            continue;
        res->docs[i].duplicate_of = (long)keep;
        res->docs[i].similarity = clean_jaccard(sets[i], ns[i], sets[keep], ns[keep]);
        res->docs[i].excluded = true;
        merged++;
        fs_log(ctx, FS_LOG_INFO, "%s: near-duplicate of %s (Jaccard %.3f); not counted",
               corpus->docs[i].id, corpus->docs[keep].id, res->docs[i].similarity);
    }
    fs_log(ctx, FS_LOG_DEBUG, "dedup: %zu documents compared, %zu merged, %zu cross-source pairs",
           n_active, merged, cross_pairs);
    goto done;
nomem:
    st = FS_ERR_NOMEM;
fail:
    fs_error_set(err, st, "dedup", st == FS_ERR_NOMEM ? "out of memory" : "interrupted");
done:
    free(active);
    free(parent);
    free(best);
    free(want);
    free(cands.v);
    return st;
}

fs_status clean_dedup(const fs_config *cfg, const fs_ctx *ctx, const fs_corpus *corpus,
                      fs_clean_result *res, size_t exact_max, fs_error *err)
{
    clean_dedup_data dd;
    size_t n = corpus->n_docs;
    if (clean_dedup_init(&dd, cfg, n, exact_max) != FS_OK)
        return fs_error_set(err, FS_ERR_NOMEM, "dedup", "out of memory");
    size_t nw = fs_parallel_workers(ctx, n, 16);
    doc_job j = {&dd, res, calloc(nw, sizeof *j.scratch), calloc(nw, sizeof *j.cap)};
    fs_status st = j.scratch && j.cap ? fs_parallel_for(ctx, n, 16, doc_range, &j) : FS_ERR_NOMEM;
    if (j.scratch)
        for (size_t w = 0; w < nw; w++)
            free(j.scratch[w]);
    free(j.scratch);
    free(j.cap);
    if (st != FS_OK)
        fs_error_set(err, st, "dedup", st == FS_ERR_NOMEM ? "out of memory" : "interrupted");
    else
        st = clean_dedup_finish(&dd, cfg, ctx, corpus, res, err);
    clean_dedup_data_free(&dd);
    return st;
}
