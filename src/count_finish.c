/* count_finish.c: the end of a counting run. The workers' local vocabularies become one
 * vocabulary in byte order; term frequencies, document term vectors and co-occurrence runs are
 * remapped to its ids and added up (in parallel: documents in ranges, pairs by source, with the
 * co-occurrence memory cap applied while collecting: cooc_collect_all); then the concordance
 * lines are selected. cooc_merge_sorted (shard merging) lives here too. */
#include "count_job.h"

#include <stdlib.h>
#include <string.h>
#include "framescope/parallel.h"
#include "framescope/strbuf.h"

static const char *adup(fs_arena *a, const char *s)
{
    return s ? fs_arena_strdup(a, s) : NULL;
}

/* Provenance of document d (strings copied into the counts' arena). */
static fs_status fill_doc_info(fs_counts *c, const fs_corpus *corpus, const fs_clean_result *clean,
                               size_t d, bool counted, uint64_t tokens, uint64_t content)
{
    const fs_doc *doc = &corpus->docs[d];
    fs_doc_info *di = &c->docs[d];
    memset(di, 0, sizeof *di);
    di->id = adup(c->arena, doc->id);
    di->path = adup(c->arena, doc->path);
    di->title = adup(c->arena, doc->title);
    di->author = adup(c->arena, doc->author);
    di->outlet = adup(c->arena, doc->outlet);
    di->url = adup(c->arena, doc->url);
    di->source = doc->source;
    di->date = doc->date;
    memcpy(di->sha256, doc->sha256, sizeof di->sha256);
    di->sha256[64] = '\0';
    di->chars_raw = doc->chars_raw;
    di->invalid_bytes = doc->invalid_bytes;
    di->counted = counted;
    di->tokens = tokens;
    di->content_tokens = content;
    fs_strbuf rem = FS_STRBUF_INIT;
    if (clean) {
        const fs_clean_doc *cd = &clean->docs[d];
        di->chars_clean = cd->chars_clean;
        di->similarity = cd->similarity;
        if (cd->duplicate_of >= 0 && (size_t)cd->duplicate_of < corpus->n_docs)
            di->duplicate_of = adup(c->arena, corpus->docs[cd->duplicate_of].id);
        for (size_t r = 0; r < cd->n_removals; r++)
            fs_strbuf_printf(&rem, "%s%s=%zu", r ? ";" : "", cd->removals[r].rule,
                             cd->removals[r].chars);
    } else {
        di->chars_clean = doc->chars_raw;
    }
    di->removals = fs_arena_strndup(c->arena, rem.data ? rem.data : "", rem.len);
    bool failed = rem.failed;
    fs_strbuf_free(&rem);
    if (failed || !di->removals || (doc->id && !di->id) || (doc->path && !di->path))
        return FS_ERR_NOMEM;
    return FS_OK;
}

/* ---------------------------------------------------------------- shard merging */

fs_status cooc_merge_sorted(const fs_pair *a, size_t na, const fs_pair *b, size_t nb,
                            fs_pair **out, size_t *n_out)
{
    fs_pair *p = malloc((na + nb > 0 ? na + nb : 1) * sizeof *p);
    if (!p)
        return FS_ERR_NOMEM;
    size_t i = 0, j = 0, n = 0;
    while (i < na || j < nb) {
        int c = i == na ? 1 : j == nb ? -1
                : a[i].a != b[j].a ? (a[i].a < b[j].a ? -1 : 1)
                : a[i].b != b[j].b ? (a[i].b < b[j].b ? -1 : 1) : 0;
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

/* ---------------------------------------------------------------- finishing */

typedef struct vocab_ref {
    uint64_t prefix;    /* the first 8 bytes, big-endian, zero-padded: orders like cmp_ref */
    const char *s;
    uint32_t len, worker, id;
} vocab_ref;

static uint64_t text_prefix(const char *s, uint32_t len)
{
    uint64_t p = 0;
    for (uint32_t i = 0; i < 8; i++)
        p = p << 8 | (i < len ? (unsigned char)s[i] : 0u);
    return p;
}

static int cmp_ref(const void *x, const void *y)
{
    const vocab_ref *a = x, *b = y;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->s, b->s, n);
    if (c)
        return c;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    return a->worker < b->worker ? -1 : a->worker > b->worker;
}

/* Sorts vocabulary references as cmp_ref does: LSD radix on the 8-byte prefixes (4 passes of
 * 16 bits), then cmp_ref inside each run of equal prefixes (terms of 8 bytes or more that
 * start alike, and one term seen by several workers). FS_ERR_NOMEM. */
static fs_status sort_refs(vocab_ref *r, size_t n)
{
    if (n < 4096) {
        qsort(r, n, sizeof *r, cmp_ref);
        return FS_OK;
    }
    vocab_ref *tmp = malloc(n * sizeof *tmp);
    size_t *cnt = malloc(((size_t)1 << 16) * sizeof *cnt);
    if (!tmp || !cnt) {
        free(tmp);
        free(cnt);
        return FS_ERR_NOMEM;
    }
    vocab_ref *src = r, *dst = tmp;
    for (int sh = 0; sh < 64; sh += 16) {
        memset(cnt, 0, ((size_t)1 << 16) * sizeof *cnt);
        for (size_t i = 0; i < n; i++)
            cnt[(src[i].prefix >> sh) & 0xFFFF]++;
        size_t sum = 0;
        for (size_t k = 0; k < ((size_t)1 << 16); k++) {
            size_t c = cnt[k];
            cnt[k] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[cnt[(src[i].prefix >> sh) & 0xFFFF]++] = src[i];
        vocab_ref *x = src;
        src = dst;
        dst = x;
    }
    /* four passes: the result is back in r */
    for (size_t i = 0; i < n;) {
        size_t e = i + 1;
        while (e < n && r[e].prefix == r[i].prefix)
            e++;
        if (e - i > 1)
            qsort(r + i, e - i, sizeof *r, cmp_ref);
        i = e;
    }
    free(tmp);
    free(cnt);
    return FS_OK;
}

/* Sorts (id << 32 | count) words by id: insertion sort for short vectors, otherwise LSD radix
 * over the id bits in use (8 bits a pass). `tmp` holds n words. */
static void sort_vec(uint64_t *v, uint64_t *tmp, size_t n, int id_bits)
{
    if (n <= 32) {
        for (size_t i = 1; i < n; i++) {
            uint64_t x = v[i];
            size_t j = i;
            for (; j > 0 && v[j - 1] > x; j--)
                v[j] = v[j - 1];
            v[j] = x;
        }
        return;
    }
    uint64_t *src = v, *dst = tmp;
    for (int sh = 32; sh < 32 + id_bits; sh += 8) {
        size_t cnt[256] = {0};
        for (size_t i = 0; i < n; i++)
            cnt[(src[i] >> sh) & 0xFF]++;
        size_t sum = 0;
        for (size_t k = 0; k < 256; k++) {
            size_t c = cnt[k];
            cnt[k] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[cnt[(src[i] >> sh) & 0xFF]++] = src[i];
        uint64_t *x = src;
        src = dst;
        dst = x;
    }
    if (src != v)
        memcpy(v, src, n * sizeof *v);
}

/* A term counted at least once outside the stopwords (some tf > 0). */
static bool is_content(const worker *w, size_t ns, uint32_t id)
{
    const uint64_t *r = id_rec(w, id);
    for (size_t s = 0; s < ns; s++)
        if (r[2 * s])
            return true;
    return false;
}

/* Documents per batch of the vector pass: after each batch, what it read of the workers'
 * spools leaves the resident set (eviction covers 2 MiB blocks: batches must span several). */
#define VEC_BATCH 4096

typedef struct vec_job {
    const job *j;
    const worker *ws;
    const uint32_t *const *maps;
    fs_counts *c;
    dv_store *out;             /* per lane, all in c->vec_spool */
    size_t first;              /* the batch's first document */
    int id_bits;               /* bits of the largest global id */
} vec_job;

/* Documents [first + begin, first + end) of the batch: worker-local term vectors → global ids,
 * sorted, encoded into the lane's store. */
static fs_status vec_range(void *user, size_t lane, size_t begin, size_t end)
{
    const vec_job *v = user;
    fs_counts *c = v->c;
    begin += v->first;
    end += v->first;
    size_t most = 0;
    for (size_t d = begin; d < end; d++)
        most = c->vec_n[d] > most ? c->vec_n[d] : most;
    uint64_t *buf = malloc((2 * most + 1) * sizeof *buf);
    if (!buf)
        return FS_ERR_NOMEM;
    for (size_t d = begin; d < end; d++) {
        size_t n = c->vec_n[d];
        if (n == 0)
            continue;
        const worker *w = &v->ws[v->j->doc_worker[d]];
        const uint32_t *map = v->maps[w->index];
        const uint8_t *p = w->vec_at[v->j->doc_vec_off[d]];
        for (size_t k = 0; k < n; k++) {
            uint32_t id, count;
            p = dv_get(p, &id);
            p = dv_get(p, &count);
            buf[k] = ((uint64_t)map[id] << 32) | count;
        }
        sort_vec(buf, buf + most, n, v->id_bits);
        uint8_t *q = dv_room(&v->out[lane], DV_MAX_BYTES(n));
        if (!q) {
            free(buf);
            return FS_ERR_NOMEM;
        }
        c->vec_at[d] = q;
        uint32_t prev = 0; /* the sorted layout of docvec.h */
        for (size_t k = 0; k < n; k++) {
            uint32_t t = (uint32_t)(buf[k] >> 32);
            q = dv_put(q, t - prev);
            q = dv_put(q, (uint32_t)buf[k]);
            prev = t;
        }
        dv_commit(&v->out[lane], q);
    }
    free(buf);
    return FS_OK;
}

/* Every counted document's vector into c->vec_spool (c->vec_n set), in batches; the workers'
 * spools are freed at the end. FS_ERR_NOMEM (memory or temporary disk space). */
static fs_status vec_all(const job *j, worker *ws, size_t nw, const uint32_t *const *maps,
                         fs_counts *c)
{
    size_t nd = c->n_docs, lanes = fs_parallel_workers(j->ctx, nd, 256);
    vec_job v = {j, ws, maps, c, calloc(lanes, sizeof(dv_store)), 0, 0};
    const uint8_t **span = calloc(2 * nw, sizeof *span); /* per worker: lowest, highest read */
    fs_status st = v.out && span ? FS_OK : FS_ERR_NOMEM;
    while (v.id_bits < 32 && (c->n_terms >> v.id_bits))
        v.id_bits++;
    for (size_t l = 0; v.out && l < lanes; l++)
        v.out[l].sp = c->vec_spool;
    for (size_t first = 0; st == FS_OK && first < nd; first += VEC_BATCH) {
        size_t n = nd - first < VEC_BATCH ? nd - first : VEC_BATCH;
        v.first = first;
        if ((st = fs_parallel_for(j->ctx, n, 256, vec_range, &v)) != FS_OK)
            break;
        for (size_t d = first; d < first + n; d++) {
            if (c->vec_n[d] == 0)
                continue;
            size_t w = j->doc_worker[d];
            const uint8_t *p = ws[w].vec_at[j->doc_vec_off[d]];
            if (!span[2 * w] || (uintptr_t)p < (uintptr_t)span[2 * w])
                span[2 * w] = p;
            if ((uintptr_t)p >= (uintptr_t)span[2 * w + 1])
                span[2 * w + 1] = p + 1;
        }
        for (size_t w = 0; w < nw; w++) {
            dv_evict_span(ws[w].vec.sp, span[2 * w], span[2 * w + 1]);
            span[2 * w] = span[2 * w + 1] = NULL;
        }
    }
    for (size_t l = 0; v.out && l < lanes; l++)
        dv_store_evict(&v.out[l]);
    for (size_t w = 0; w < nw; w++) { /* read once: give the file back now */
        dv_store_free(&ws[w].vec);
        free(ws[w].vec_at);
        ws[w].vec_at = NULL;
        ws[w].vec_len = ws[w].vec_cap = 0;
    }
    free(v.out);
    free(span);
    return st;
}

fs_status count_finish(job *j, worker *ws, size_t nw, fs_counts *c)
{
    fs_status st = FS_ERR_NOMEM;
    size_t ns = j->ns, total = 0;
    vocab_ref *refs = NULL;
    uint32_t **maps = calloc(nw, sizeof *maps);
    cooc_state **states = calloc(nw, sizeof *states);
    kwic_cand *kw = NULL;
    if (!maps || !states)
        goto done;

    /* One vocabulary in byte order: content terms of every worker. */
    for (size_t w = 0; w < nw; w++)
        for (size_t id = 0; id < ws[w].n_ids; id++)
            total += is_content(&ws[w], ns, (uint32_t)id);
    refs = malloc((total + 1) * sizeof *refs);
    if (!refs)
        goto done;
    size_t r = 0;
    for (size_t w = 0; w < nw; w++) {
        maps[w] = malloc((ws[w].n_ids + 1) * sizeof *maps[w]);
        if (!maps[w])
            goto done;
        for (size_t id = 0; id < ws[w].n_ids; id++) {
            maps[w][id] = UINT32_MAX;
            if (is_content(&ws[w], ns, (uint32_t)id)) {
                const char *str = fs_intern_str(ws[w].vocab, (uint32_t)id);
                uint32_t len = (uint32_t)fs_intern_len(ws[w].vocab, (uint32_t)id);
                refs[r++] = (vocab_ref){text_prefix(str, len), str, len, (uint32_t)w,
                                        (uint32_t)id};
            }
        }
    }
    if (sort_refs(refs, total) != FS_OK)
        goto done;
    c->terms = malloc((total + 1) * sizeof *c->terms);
    if (!c->terms)
        goto done;
    size_t nt = 0;
    for (size_t i = 0; i < total; i++) {
        if (!nt || refs[i].len != refs[i - 1].len ||
            memcmp(refs[i].s, refs[i - 1].s, refs[i].len)) {
            c->terms[nt] = fs_arena_strndup(c->arena, refs[i].s, refs[i].len);
            if (!c->terms[nt])
                goto done;
            nt++;
        }
        maps[refs[i].worker][refs[i].id] = (uint32_t)(nt - 1);
    }
    c->n_terms = nt;
    free(refs);
    refs = NULL;

    c->tf = calloc(ns * nt + 1, sizeof *c->tf);
    c->df = calloc(ns * nt + 1, sizeof *c->df);
    if (!c->tf || !c->df)
        goto done;
    for (size_t w = 0; w < nw; w++)
        for (size_t id = 0; id < ws[w].n_ids; id++) {
            uint32_t g = maps[w][id];
            if (g == UINT32_MAX)
                continue;
            const uint64_t *rec = id_rec(&ws[w], (uint32_t)id);
            for (size_t s = 0; s < ns; s++) {
                c->tf[s * nt + g] += rec[2 * s];
                c->df[s * nt + g] += (uint32_t)rec[2 * s + 1];
            }
        }

    /* Documents: provenance, totals and term vector lengths (the vectors: vec_all). */
    size_t nd = j->corpus->n_docs, at = 0;
    c->n_docs = nd;
    c->docs = calloc(nd + 1, sizeof *c->docs);
    c->vec_at = calloc(nd + 1, sizeof *c->vec_at);
    c->vec_n = calloc(nd + 1, sizeof *c->vec_n);
    if (!c->docs || !c->vec_at || !c->vec_n || fs_spool_create(false, &c->vec_spool) != FS_OK)
        goto done;
    for (size_t d = 0; d < nd; d++) {
        bool counted = doc_counted(j, d);
        size_t s = j->corpus->docs[d].source;
        if (fill_doc_info(c, j->corpus, j->clean, d, counted, counted ? j->doc_tokens[d] : 0,
                          counted ? j->doc_content[d] : 0) != FS_OK)
            goto done;
        if (!counted)
            continue;
        c->docs_counted[s]++;
        c->tokens[s] += j->doc_tokens[d];
        c->content_tokens[s] += j->doc_content[d];
        c->vec_n[d] = j->doc_vec_n[d];
        c->vec_max = c->vec_n[d] > c->vec_max ? c->vec_n[d] : c->vec_max;
        at += j->doc_vec_n[d];
    }
    c->vec_len = at;
    c->doc_frames = j->doc_frames;
    j->doc_frames = NULL;

    /* Term vectors (remapped, ids ascending) and co-occurrence, in parallel. */
    for (size_t w = 0; w < nw; w++) {
        states[w] = &ws[w].cooc;
        j->spilled |= ws[w].cooc.spilled;
    }
    if (vec_all(j, ws, nw, (const uint32_t *const *)maps, c) != FS_OK)
        goto done;
    /* Co-occurrence: the cap is decided while the pairs are collected, never after. */
    st = cooc_collect_all(states, nw, (const uint32_t *const *)maps, c->tf, ns, c->n_terms,
                          j->cooc_cap, j->ctx, c->pairs, c->n_pairs, &j->prune_tf, NULL);
    c->pruned = j->prune_tf != 0;
    if (st != FS_OK)
        goto done;
    st = FS_ERR_NOMEM;

    /* Concordance: every worker kept its first lines per (focus, source) in document order. */
    size_t nk = 0;
    for (size_t w = 0; w < nw; w++)
        nk += ws[w].n_kw;
    kw = malloc((nk + 1) * sizeof *kw);
    if (!kw)
        goto done;
    nk = 0;
    for (size_t w = 0; w < nw; w++) {
        if (ws[w].n_kw)
            memcpy(kw + nk, ws[w].kw, ws[w].n_kw * sizeof *kw);
        nk += ws[w].n_kw;
    }
    nk = kwic_select(kw, nk, j->kwic_limit);
    c->kwic = calloc(nk + 1, sizeof *c->kwic);
    c->kwic_pos = calloc(nk + 1, sizeof *c->kwic_pos);
    if (!c->kwic || !c->kwic_pos)
        goto done;
    for (size_t i = 0; i < nk; i++) {
        fs_kwic *k = &c->kwic[i];
        k->source = kw[i].source;
        k->focus = kw[i].focus;
        k->doc = kw[i].doc;
        k->left = fs_arena_strdup(c->arena, kw[i].left);
        k->keyword = fs_arena_strdup(c->arena, kw[i].keyword);
        k->right = fs_arena_strdup(c->arena, kw[i].right);
        c->kwic_pos[i] = kw[i].pos;
        if (!k->left || !k->keyword || !k->right)
            goto done;
    }
    c->n_kwic = nk;
    st = FS_OK;
done:
    if (maps)
        for (size_t w = 0; w < nw; w++)
            free(maps[w]);
    free(maps);
    free(states);
    free(refs);
    free(kw);
    return st;
}
