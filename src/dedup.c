/* dedup.c: near-duplicate detection on cleaned text. Word k-shingles are hashed; up to
 * CLEAN_DEDUP_EXACT_MAX documents every pair is compared by exact Jaccard, beyond that MinHash
 * signatures with LSH banding propose candidate pairs, which are then verified exactly, so the
 * reported similarity is always the exact one. Same-source duplicates are merged (the longer
 * clean text is kept); cross-source pairs are reported and kept unless configured otherwise. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "clean_internal.h"
#include "framescope/intern.h"
#include "framescope/utf8.h"

#define MINHASH_PERMS 128
/* A bucket larger than this (many copies of one text) is linked as a star around its first
 * member instead of all pairs: the merge is the same, the pair count stays linear. */
#define LSH_BUCKET_ALL_PAIRS 64

/* ---- shingles ------------------------------------------------------------------------------ */

typedef struct u64_vec {
    uint64_t *v;
    size_t n, cap;
} u64_vec;

static int u64_push(u64_vec *a, uint64_t x)
{
    if (a->n == a->cap) {
        size_t ncap = a->cap ? a->cap * 2 : 256;
        uint64_t *nv = realloc(a->v, ncap * sizeof *nv);
        if (!nv)
            return -1;
        a->v = nv;
        a->cap = ncap;
    }
    a->v[a->n++] = x;
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

fs_status clean_shingles(const char *text, size_t len, int k, uint64_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (k < 1)
        k = 1;
    u64_vec words = {0};
    char word[256]; /* longer words are hashed on their first 252 bytes: still one word */
    size_t wl = 0;
    bool in_word = false;
    for (size_t i = 0; i <= len;) {
        int32_t cp = 0;
        size_t step = 1;
        if (i < len)
            step = fs_utf8_decode(text + i, len - i, &cp);
        bool alnum = i < len && fs_utf8_is_alnum(cp);
        if (alnum) {
            char enc[4];
            size_t el = fs_utf8_encode(utf8proc_tolower(cp), enc);
            if (wl + el <= sizeof word - 4) {
                memcpy(word + wl, enc, el);
                wl += el;
            }
            in_word = true;
        } else if (in_word) {
            if (u64_push(&words, fs_hash_bytes(word, wl)) != 0) {
                free(words.v);
                return FS_ERR_NOMEM;
            }
            wl = 0;
            in_word = false;
        }
        i += step;
    }
    if (words.n == 0)
        return FS_OK;
    size_t kk = words.n < (size_t)k ? words.n : (size_t)k;
    size_t ns = words.n - kk + 1;
    uint64_t *sh = malloc(ns * sizeof *sh);
    if (!sh) {
        free(words.v);
        return FS_ERR_NOMEM;
    }
    for (size_t i = 0; i < ns; i++)
        sh[i] = fs_hash_bytes(&words.v[i], kk * sizeof *words.v);
    free(words.v);
    qsort(sh, ns, sizeof *sh, cmp_u64);
    size_t m = 0;
    for (size_t i = 0; i < ns; i++)
        if (m == 0 || sh[i] != sh[m - 1])
            sh[m++] = sh[i];
    *out = sh;
    *n = m;
    return FS_OK;
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
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 256;
        cand *nv = realloc(c->v, ncap * sizeof *nv);
        if (!nv)
            return -1;
        c->v = nv;
        c->cap = ncap;
    }
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

typedef struct bucket_entry {
    uint64_t key;
    size_t doc;
} bucket_entry;

static int cmp_bucket(const void *x, const void *y)
{
    const bucket_entry *p = x, *q = y;
    if (p->key != q->key)
        return p->key < q->key ? -1 : 1;
    return p->doc < q->doc ? -1 : p->doc > q->doc;
}

static fs_status minhash_candidates(uint64_t **sets, const size_t *ns, const size_t *active,
                                    size_t n_active, double threshold, cand_vec *out)
{
    fs_status st = FS_OK;
    if (n_active < 2)
        return FS_OK;
    size_t rows = lsh_rows(threshold), bands = MINHASH_PERMS / rows;
    uint64_t seeds[MINHASH_PERMS];
    for (size_t p = 0; p < MINHASH_PERMS; p++)
        seeds[p] = mix64(0x5851F42D4C957F2Dull * (p + 1));
    uint64_t *sig = malloc(n_active * MINHASH_PERMS * sizeof *sig);
    bucket_entry *be = malloc(n_active * bands * sizeof *be);
    if (!sig || !be) {
        st = FS_ERR_NOMEM;
        goto done;
    }
    for (size_t a = 0; a < n_active; a++) {
        uint64_t *s = sig + a * MINHASH_PERMS;
        const uint64_t *set = sets[active[a]];
        for (size_t p = 0; p < MINHASH_PERMS; p++) {
            uint64_t mn = UINT64_MAX;
            for (size_t i = 0; i < ns[active[a]]; i++) {
                uint64_t h = mix64(set[i] ^ seeds[p]);
                mn = h < mn ? h : mn;
            }
            s[p] = mn;
        }
    }
    size_t nb = 0;
    for (size_t b = 0; b < bands; b++)
        for (size_t a = 0; a < n_active; a++)
            be[nb++] = (bucket_entry){
                fs_hash_bytes(sig + a * MINHASH_PERMS + b * rows, rows * sizeof *sig) ^ mix64(b + 1),
                active[a]};
    qsort(be, nb, sizeof *be, cmp_bucket);
    for (size_t i = 0; i < nb;) {
        size_t j = i + 1;
        while (j < nb && be[j].key == be[i].key)
            j++;
        if (j - i <= LSH_BUCKET_ALL_PAIRS) {
            for (size_t x = i; x < j && st == FS_OK; x++)
                for (size_t y = x + 1; y < j && st == FS_OK; y++)
                    if (cand_push(out, be[x].doc, be[y].doc) != 0)
                        st = FS_ERR_NOMEM;
        } else {
            for (size_t y = i + 1; y < j && st == FS_OK; y++)
                if (cand_push(out, be[i].doc, be[y].doc) != 0)
                    st = FS_ERR_NOMEM;
        }
        if (st != FS_OK)
            goto done;
        i = j;
    }
done:
    free(sig);
    free(be);
    return st;
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

fs_status clean_dedup(const fs_config *cfg, const fs_ctx *ctx, const fs_corpus *corpus,
                      fs_clean_result *res, size_t exact_max, fs_error *err)
{
    size_t n = corpus->n_docs;
    double t = cfg->clean.dedup_threshold > 0 ? cfg->clean.dedup_threshold : 0.8;
    int k = cfg->clean.shingle_size > 0 ? cfg->clean.shingle_size : 5;
    fs_status st = FS_OK;
    uint64_t **sets = calloc(n ? n : 1, sizeof *sets);
    size_t *ns = calloc(n ? n : 1, sizeof *ns);
    size_t *active = calloc(n ? n : 1, sizeof *active);
    size_t *parent = calloc(n ? n : 1, sizeof *parent);
    size_t *best = calloc(n ? n : 1, sizeof *best);
    cand_vec cands = {0};
    size_t n_active = 0;
    if (!sets || !ns || !active || !parent || !best)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        parent[i] = i;
        if (res->docs[i].excluded)
            continue;
        if (clean_shingles(res->docs[i].text, res->docs[i].len, k, &sets[i], &ns[i]) != FS_OK)
            goto nomem;
        if (ns[i])
            active[n_active++] = i;
    }
    if (n_active <= exact_max) {
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
        if (minhash_candidates(sets, ns, active, n_active, t, &cands) != FS_OK)
            goto nomem;
        fs_log(ctx, FS_LOG_DEBUG, "dedup: MinHash/LSH proposed %zu candidate pairs", cands.n);
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
        if (res->n_pairs == cap) {
            cap = cap ? cap * 2 : 16;
            fs_dup_pair *np = realloc(res->pairs, cap * sizeof *np);
            if (!np)
                goto nomem;
            res->pairs = np;
        }
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
    st = fs_error_set(err, FS_ERR_NOMEM, "dedup", "out of memory");
done:
    if (sets)
        for (size_t i = 0; i < n; i++)
            free(sets[i]);
    free(sets);
    free(ns);
    free(active);
    free(parent);
    free(best);
    free(cands.v);
    return st;
}
