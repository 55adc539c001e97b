/* count.c: the counting engine. Workers (pthreads) take chunks of documents in increasing
 * order from a shared counter; each tokenizes and counts into private tables keyed by its own
 * local term ids. At the end the local vocabularies are sorted into one byte-ordered vocabulary
 * and everything is remapped and added up, so the result never depends on the thread count.
 * Shards, merging and the file format are in shard.c; accessors are at the end of this file. */
#include "count_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "framescope/intern.h"
#include "framescope/parallel.h"
#include "framescope/strbuf.h"
#include "framescope/tokenize.h"

#define CHUNK_DOCS 16

/* ---------------------------------------------------------------- the job and its workers */

typedef struct job {
    const fs_config *cfg;
    const fs_ctx *ctx;
    const fs_corpus *corpus;
    const fs_clean_result *clean;
    fs_clean_result *consume;  /* non-NULL: free each clean text once counted */
    const bool *select;
    const fs_tokenizer *tk;
    const frameset *frames;
    fs_intern *focus;          /* normalized focus terms: id = focus index */
    size_t ns, nf, nfocus;
    int window;
    bool by_sentence;
    int kwic_limit;
    atomic_size_t next;
    atomic_int stop;           /* set by a failing worker */
    /* per document, written by the worker that counted it */
    uint16_t *doc_worker;
    size_t *doc_vec_off;
    uint32_t *doc_vec_n;
    uint64_t *doc_tokens, *doc_content;
    uint64_t *doc_frames;
} job;

enum { F_STOP = 1 };

typedef struct worker {
    job *job;
    size_t index;
    fs_tokens toks;
    fs_intern *vocab;          /* local ids */
    size_t n_ids, id_cap;
    uint8_t *flags;
    uint32_t *focus_of;        /* focus index + 1, 0: none */
    uint64_t *tf, *tf_all;     /* tf[id * ns + s] */
    uint32_t *df, *doc_cnt;
    uint32_t *touched, *cids, *csent;
    size_t touched_cap, c_cap;
    uint32_t *vec;             /* (id, count) pairs of every counted document */
    size_t vec_len, vec_cap;
    cooc_state cooc;
    frame_scratch *fscratch;
    kwic_cand *kw;
    size_t n_kw, kw_cap;
    uint32_t *kw_count;        /* [focus * ns + s] */
    fs_arena *kw_arena;
    fs_status status;
    fs_error err;
} worker;

static fs_status grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return FS_OK;
    size_t n = *cap ? *cap : 256;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return FS_ERR_NOMEM;
    *p = q;
    *cap = n;
    return FS_OK;
}

/* Room for local id `id` in every per-id array (new slots zeroed). */
static fs_status ensure_id(worker *w, size_t id)
{
    if (id < w->id_cap)
        return FS_OK;
    size_t ns = w->job->ns, cap = w->id_cap ? w->id_cap : 4096;
    while (cap <= id)
        cap *= 2;
    uint8_t *flags = realloc(w->flags, cap * sizeof *flags);
    if (flags)
        w->flags = flags;
    uint32_t *focus_of = realloc(w->focus_of, cap * sizeof *focus_of);
    if (focus_of)
        w->focus_of = focus_of;
    uint64_t *tf = realloc(w->tf, cap * ns * sizeof *tf);
    if (tf)
        w->tf = tf;
    uint64_t *tf_all = realloc(w->tf_all, cap * sizeof *tf_all);
    if (tf_all)
        w->tf_all = tf_all;
    uint32_t *df = realloc(w->df, cap * ns * sizeof *df);
    if (df)
        w->df = df;
    uint32_t *dc = realloc(w->doc_cnt, cap * sizeof *dc);
    if (dc)
        w->doc_cnt = dc;
    if (!flags || !focus_of || !tf || !tf_all || !df || !dc)
        return FS_ERR_NOMEM;
    size_t old = w->id_cap;
    memset(w->flags + old, 0, (cap - old) * sizeof *w->flags);
    memset(w->focus_of + old, 0, (cap - old) * sizeof *w->focus_of);
    memset(w->tf + old * ns, 0, (cap - old) * ns * sizeof *w->tf);
    memset(w->tf_all + old, 0, (cap - old) * sizeof *w->tf_all);
    memset(w->df + old * ns, 0, (cap - old) * ns * sizeof *w->df);
    memset(w->doc_cnt + old, 0, (cap - old) * sizeof *w->doc_cnt);
    w->id_cap = cap;
    return FS_OK;
}

static const char *doc_text(const job *j, size_t d, size_t *len)
{
    if (j->clean) {
        *len = j->clean->docs[d].len;
        return j->clean->docs[d].text ? j->clean->docs[d].text : "";
    }
    *len = j->corpus->docs[d].len;
    return j->corpus->docs[d].text ? j->corpus->docs[d].text : "";
}

static bool doc_counted(const job *j, size_t d)
{
    if (j->clean && j->clean->docs[d].excluded)
        return false;
    return !j->select || j->select[d];
}

static fs_status add_kwic(worker *w, size_t d, size_t s, uint32_t focus, const fs_term *t,
                          const char *text, size_t len)
{
    job *j = w->job;
    uint32_t *cnt = &w->kw_count[focus * j->ns + s];
    if ((int)*cnt >= j->kwic_limit)
        return FS_OK;
    if (grow((void **)&w->kw, &w->kw_cap, w->n_kw + 1, sizeof *w->kw) != FS_OK)
        return FS_ERR_NOMEM;
    kwic_cand *k = &w->kw[w->n_kw];
    *k = (kwic_cand){focus, (uint32_t)s, (uint32_t)d, t->start, NULL, NULL, NULL};
    if (kwic_make(text, len, t->start, t->end, w->kw_arena, &k->left, &k->keyword, &k->right) !=
        FS_OK)
        return FS_ERR_NOMEM;
    w->n_kw++;
    (*cnt)++;
    return FS_OK;
}

static fs_status count_doc(worker *w, size_t d)
{
    job *j = w->job;
    size_t len, ns = j->ns;
    const char *text = doc_text(j, d, &len);
    size_t s = j->corpus->docs[d].source;
    fs_status st = fs_tokenize(j->tk, text, len, 0, &w->toks);
    if (st != FS_OK)
        return fs_error_set(&w->err, st, j->corpus->docs[d].id,
                            st == FS_ERR_NOMEM ? "out of memory" : "document too large");
    const fs_tokens *tk = &w->toks;
    if (tk->n > w->c_cap) { /* content ids and their sentences, one slot per term */
        size_t cap = tk->n + tk->n / 2 + 16;
        uint32_t *p = realloc(w->cids, cap * sizeof *p);
        if (!p)
            return FS_ERR_NOMEM;
        w->cids = p;
        uint32_t *q = realloc(w->csent, cap * sizeof *q);
        if (!q)
            return FS_ERR_NOMEM;
        w->csent = q;
        w->c_cap = cap;
    }
    uint64_t tokens = 0, content = 0;
    size_t n_touched = 0;
    for (size_t k = 0; k < tk->n; k++) {
        const fs_term *t = &tk->terms[k];
        uint32_t id;
        if (fs_intern_add(w->vocab, tk->text + t->off, t->len, &id) != FS_OK)
            return FS_ERR_NOMEM;
        if (id >= w->n_ids) { /* first sight of this term in this worker */
            if (ensure_id(w, id) != FS_OK)
                return FS_ERR_NOMEM;
            const char *str = tk->text + t->off;
            w->flags[id] = fs_tokenizer_is_stopword(j->tk, str, t->len) ? F_STOP : 0;
            uint32_t f = j->nfocus ? fs_intern_find(j->focus, str, t->len) : FS_INTERN_NONE;
            w->focus_of[id] = f == FS_INTERN_NONE ? 0 : f + 1;
            w->n_ids = (size_t)id + 1;
        }
        tokens++;
        if (w->focus_of[id] && (st = add_kwic(w, d, s, w->focus_of[id] - 1, t, text, len)) != FS_OK)
            return st;
        if (w->flags[id] & F_STOP)
            continue;
        w->tf[(size_t)id * ns + s]++;
        w->tf_all[id]++;
        if (w->doc_cnt[id]++ == 0) {
            if (grow((void **)&w->touched, &w->touched_cap, n_touched + 1, sizeof *w->touched) !=
                FS_OK)
                return FS_ERR_NOMEM;
            w->touched[n_touched++] = id;
        }
        w->cids[content] = id;
        w->csent[content] = t->sentence;
        content++;
    }
    if (grow((void **)&w->vec, &w->vec_cap, w->vec_len + 2 * n_touched, sizeof *w->vec) != FS_OK)
        return FS_ERR_NOMEM;
    j->doc_vec_off[d] = w->vec_len;
    j->doc_vec_n[d] = (uint32_t)n_touched;
    for (size_t k = 0; k < n_touched; k++) {
        uint32_t id = w->touched[k];
        w->df[(size_t)id * ns + s]++;
        w->vec[w->vec_len++] = id;
        w->vec[w->vec_len++] = w->doc_cnt[id];
        w->doc_cnt[id] = 0;
    }
    j->doc_worker[d] = (uint16_t)w->index;
    j->doc_tokens[d] = tokens;
    j->doc_content[d] = content;
    st = cooc_add_doc(&w->cooc, s, w->cids, w->csent, content, j->window, j->by_sentence,
                      w->tf_all);
    if (st != FS_OK)
        return st;
    if (j->nf)
        return frameset_count(j->frames, w->fscratch, text, len, j->doc_frames + d * j->nf,
                              &w->err);
    return FS_OK;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    job *j = w->job;
    size_t n = j->corpus->n_docs;
    while (!atomic_load(&j->stop)) {
        if (fs_ctx_interrupted(j->ctx)) {
            w->status = fs_error_set(&w->err, FS_ERR_INTERRUPTED, "count", "interrupted");
            break;
        }
        size_t first = atomic_fetch_add(&j->next, CHUNK_DOCS);
        if (first >= n)
            break;
        size_t last = first + CHUNK_DOCS < n ? first + CHUNK_DOCS : n;
        for (size_t d = first; d < last && w->status == FS_OK; d++) {
            if (doc_counted(j, d))
                w->status = count_doc(w, d);
            if (j->consume) {
                free(j->consume->docs[d].text);
                j->consume->docs[d].text = NULL;
            }
        }
        if (w->status != FS_OK) {
            if (w->status == FS_ERR_NOMEM && w->err.status != FS_ERR_NOMEM)
                fs_error_set(&w->err, FS_ERR_NOMEM, "count", "out of memory while counting");
            atomic_store(&j->stop, 1);
            break;
        }
    }
    return NULL;
}

static fs_status worker_init(worker *w, job *j, size_t index, size_t budget)
{
    memset(w, 0, sizeof *w);
    w->job = j;
    w->index = index;
    w->toks = (fs_tokens)FS_TOKENS_INIT;
    w->vocab = fs_intern_create();
    w->kw_arena = fs_arena_create(0);
    w->kw_count = calloc(j->nfocus * j->ns + 1, sizeof *w->kw_count);
    w->fscratch = j->nf ? frame_scratch_create(j->frames) : NULL;
    if (!w->vocab || !w->kw_arena || !w->kw_count || (j->nf && !w->fscratch))
        return FS_ERR_NOMEM;
    return cooc_init(&w->cooc, j->ns, budget);
}

static void worker_free(worker *w)
{
    fs_tokens_free(&w->toks);
    fs_intern_free(w->vocab);
    free(w->flags);
    free(w->focus_of);
    free(w->tf);
    free(w->tf_all);
    free(w->df);
    free(w->doc_cnt);
    free(w->touched);
    free(w->cids);
    free(w->csent);
    free(w->vec);
    cooc_free(&w->cooc);
    frame_scratch_free(w->fscratch);
    free(w->kw);
    free(w->kw_count);
    fs_arena_free(w->kw_arena);
}

/* ---------------------------------------------------------------- fs_counts basics */

fs_counts *counts_alloc(size_t n_sources, size_t n_frames, size_t n_focus)
{
    fs_counts *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->n_sources = n_sources;
    c->n_frames = n_frames;
    c->n_focus = n_focus;
    c->arena = fs_arena_create(0);
    c->source_ids = calloc(n_sources + 1, sizeof *c->source_ids);
    c->frame_names = calloc(n_frames + 1, sizeof *c->frame_names);
    c->focus = calloc(n_focus + 1, sizeof *c->focus);
    c->tokens = calloc(n_sources + 1, sizeof *c->tokens);
    c->content_tokens = calloc(n_sources + 1, sizeof *c->content_tokens);
    c->docs_counted = calloc(n_sources + 1, sizeof *c->docs_counted);
    c->pairs = calloc(n_sources + 1, sizeof *c->pairs);
    c->n_pairs = calloc(n_sources + 1, sizeof *c->n_pairs);
    c->stop_version = "";
    if (!c->arena || !c->source_ids || !c->frame_names || !c->focus || !c->tokens ||
        !c->content_tokens || !c->docs_counted || !c->pairs || !c->n_pairs) {
        fs_counts_free(c);
        return NULL;
    }
    return c;
}

void fs_counts_free(fs_counts *c)
{
    if (!c)
        return;
    if (c->pairs)
        for (size_t s = 0; s < c->n_sources; s++)
            free(c->pairs[s]);
    free(c->pairs);
    free(c->n_pairs);
    free(c->source_ids);
    free(c->frame_names);
    free(c->focus);
    free(c->terms);
    free(c->tf);
    free(c->df);
    free(c->tokens);
    free(c->content_tokens);
    free(c->docs_counted);
    free(c->docs);
    free(c->vec_off);
    free(c->vec_n);
    free(c->vec_terms);
    free(c->vec_counts);
    free(c->doc_frames);
    free(c->kwic);
    free(c->kwic_pos);
    fs_arena_free(c->arena);
    free(c);
}

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

/* ---------------------------------------------------------------- finishing */

typedef struct vocab_ref {
    const char *s;
    uint32_t len, worker, id;
} vocab_ref;

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

static int cmp_u32pair(const void *x, const void *y)
{
    const uint32_t *a = x, *b = y;
    return a[0] < b[0] ? -1 : a[0] > b[0];
}

typedef struct finish_job {
    job *j;
    worker *ws;
    size_t nw;
    fs_counts *c;
    const uint32_t *const *maps;
    cooc_state **states;
} finish_job;

/* Documents [begin, end): worker-local term vectors → global ids, sorted, into the counts. */
static fs_status vec_range(void *user, size_t lane, size_t begin, size_t end)
{
    (void)lane;
    finish_job *f = user;
    for (size_t d = begin; d < end; d++) {
        size_t n = f->c->vec_n[d];
        if (n == 0)
            continue;
        worker *w = &f->ws[f->j->doc_worker[d]];
        const uint32_t *map = f->maps[w->index];
        uint32_t *v = w->vec + f->j->doc_vec_off[d];
        for (size_t k = 0; k < n; k++)
            v[2 * k] = map[v[2 * k]];
        if (n > 1)
            qsort(v, n, 2 * sizeof *v, cmp_u32pair);
        size_t at = f->c->vec_off[d];
        for (size_t k = 0; k < n; k++) {
            f->c->vec_terms[at + k] = v[2 * k];
            f->c->vec_counts[at + k] = v[2 * k + 1];
        }
    }
    return FS_OK;
}

/* Sources [begin, end): every worker's pairs, remapped, sorted and added up. */
static fs_status collect_range(void *user, size_t lane, size_t begin, size_t end)
{
    (void)lane;
    finish_job *f = user;
    for (size_t s = begin; s < end; s++)
        if (cooc_collect(f->states, f->nw, f->maps, s, &f->c->pairs[s], &f->c->n_pairs[s]) !=
            FS_OK)
            return FS_ERR_NOMEM;
    return FS_OK;
}

static fs_status finish(job *j, worker *ws, size_t nw, fs_counts *c)
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
            total += ws[w].tf_all[id] > 0;
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
            if (ws[w].tf_all[id] > 0)
                refs[r++] = (vocab_ref){fs_intern_str(ws[w].vocab, (uint32_t)id),
                                        (uint32_t)fs_intern_len(ws[w].vocab, (uint32_t)id),
                                        (uint32_t)w, (uint32_t)id};
        }
    }
    qsort(refs, total, sizeof *refs, cmp_ref);
    c->terms = malloc((total + 1) * sizeof *c->terms);
    if (!c->terms)
        goto done;
    size_t nt = 0;
    for (size_t i = 0; i < total; i++) {
        if (!nt || refs[i].len != refs[i - 1].len || memcmp(refs[i].s, refs[i - 1].s, refs[i].len)) {
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
            for (size_t s = 0; s < ns; s++) {
                c->tf[s * nt + g] += ws[w].tf[id * ns + s];
                c->df[s * nt + g] += ws[w].df[id * ns + s];
            }
        }

    /* Documents: provenance, totals and term vectors (remapped, ids ascending). */
    size_t nd = j->corpus->n_docs, vlen = 0;
    c->n_docs = nd;
    c->docs = calloc(nd + 1, sizeof *c->docs);
    c->vec_off = calloc(nd + 1, sizeof *c->vec_off);
    c->vec_n = calloc(nd + 1, sizeof *c->vec_n);
    if (!c->docs || !c->vec_off || !c->vec_n)
        goto done;
    for (size_t d = 0; d < nd; d++)
        if (doc_counted(j, d))
            vlen += j->doc_vec_n[d];
    c->vec_terms = malloc((vlen + 1) * sizeof *c->vec_terms);
    c->vec_counts = malloc((vlen + 1) * sizeof *c->vec_counts);
    if (!c->vec_terms || !c->vec_counts)
        goto done;
    size_t at = 0;
    for (size_t d = 0; d < nd; d++) {
        bool counted = doc_counted(j, d);
        size_t s = j->corpus->docs[d].source;
        if (fill_doc_info(c, j->corpus, j->clean, d, counted, counted ? j->doc_tokens[d] : 0,
                          counted ? j->doc_content[d] : 0) != FS_OK)
            goto done;
        c->vec_off[d] = at;
        if (!counted)
            continue;
        c->docs_counted[s]++;
        c->tokens[s] += j->doc_tokens[d];
        c->content_tokens[s] += j->doc_content[d];
        c->vec_n[d] = j->doc_vec_n[d];
        at += j->doc_vec_n[d];
    }
    c->vec_len = at;
    c->doc_frames = j->doc_frames;
    j->doc_frames = NULL;

    /* Term vectors (remapped, ids ascending) and co-occurrence, in parallel. */
    for (size_t w = 0; w < nw; w++) {
        states[w] = &ws[w].cooc;
        c->pruned |= ws[w].cooc.pruned;
    }
    finish_job fj = {j, ws, nw, c, (const uint32_t *const *)maps, states};
    if (fs_parallel_for(j->ctx, nd, 256, vec_range, &fj) != FS_OK ||
        fs_parallel_for(j->ctx, ns, 1, collect_range, &fj) != FS_OK)
        goto done;

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

/* ---------------------------------------------------------------- fs_count_run */

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static fs_status count_run(const fs_config *cfg, const fs_ctx *ctx, const fs_corpus *corpus,
                           const fs_clean_result *clean, fs_clean_result *consume,
                           const bool *select, fs_counts **out, fs_error *err)
{
    *out = NULL;
    const fs_analysis_cfg *a = &cfg->analysis;
    fs_status st = FS_OK;
    fs_tokenizer *tk = NULL;
    frameset *frames = NULL;
    fs_counts *c = NULL;
    worker *ws = NULL;
    pthread_t *threads = NULL;
    size_t nw = ctx && ctx->threads > 1 ? (size_t)ctx->threads : 1, started = 0;
    job j;
    memset(&j, 0, sizeof j);

    if (clean && clean->n_docs != corpus->n_docs)
        return fs_error_set(err, FS_ERR_INTERNAL, "count",
                            "cleaning result has %zu documents, corpus %zu", clean->n_docs,
                            corpus->n_docs);
    if (nw > corpus->n_docs / CHUNK_DOCS + 1)
        nw = corpus->n_docs / CHUNK_DOCS + 1; /* no idle threads on tiny corpora */
    if (nw > 1024)
        nw = 1024;
    if ((st = fs_tokenizer_create(a, &tk, err)) != FS_OK)
        goto done;
    if ((st = frameset_create(cfg, &frames, err)) != FS_OK)
        goto done;
    c = counts_alloc(cfg->n_sources, a->n_frames, a->n_focus);
    j.focus = fs_intern_create();
    if (!c || !j.focus)
        goto nomem;

    j.cfg = cfg;
    j.ctx = ctx;
    j.corpus = corpus;
    j.clean = clean;
    j.consume = consume;
    j.select = select;
    j.tk = tk;
    j.frames = frames;
    j.ns = cfg->n_sources;
    j.nf = a->n_frames;
    j.nfocus = a->n_focus;
    j.window = a->window > 0 ? a->window : 5;
    j.by_sentence = a->sentence_cooccurrence;
    j.kwic_limit = a->kwic_per_term;
    atomic_init(&j.next, 0);
    atomic_init(&j.stop, 0);

    c->window = j.window;
    c->sentence_cooc = j.by_sentence;
    c->kwic_limit = j.kwic_limit;
    c->fingerprint = fs_tokenizer_fingerprint(tk);
    c->stop_version = fs_arena_strdup(c->arena, fs_tokenizer_stopwords_version(tk));
    if (!c->stop_version)
        goto nomem;
    for (size_t s = 0; s < j.ns; s++)
        if (!(c->source_ids[s] = fs_arena_strdup(c->arena, cfg->sources[s].id)))
            goto nomem;
    for (size_t f = 0; f < j.nf; f++)
        if (!(c->frame_names[f] = fs_arena_strdup(c->arena, a->frames[f].name)))
            goto nomem;
    for (size_t f = 0; f < j.nfocus; f++) {
        if (!(c->focus[f] = fs_arena_strdup(c->arena, a->focus[f])))
            goto nomem;
        char *term = fs_tokenizer_term_of(tk, a->focus[f]);
        uint32_t id;
        if (!term)
            goto nomem;
        size_t before = fs_intern_count(j.focus);
        st = fs_intern_add(j.focus, term, strlen(term), &id);
        if (st == FS_OK && fs_intern_count(j.focus) == before) {
            /* Two focus entries name the same term: keep ids aligned with config indexes. */
            fs_log(ctx, FS_LOG_WARN, "analysis.focus[%zu]: \"%s\" repeats an earlier focus term",
                   f, a->focus[f]);
            char dummy[32];
            int dn = snprintf(dummy, sizeof dummy, "\x01dup%zu", f);
            st = fs_intern_add(j.focus, dummy, (size_t)dn, &id);
        }
        free(term);
        if (st != FS_OK)
            goto nomem;
    }

    size_t nd = corpus->n_docs;
    j.doc_worker = calloc(nd + 1, sizeof *j.doc_worker);
    j.doc_vec_off = calloc(nd + 1, sizeof *j.doc_vec_off);
    j.doc_vec_n = calloc(nd + 1, sizeof *j.doc_vec_n);
    j.doc_tokens = calloc(nd + 1, sizeof *j.doc_tokens);
    j.doc_content = calloc(nd + 1, sizeof *j.doc_content);
    j.doc_frames = calloc(nd * j.nf + 1, sizeof *j.doc_frames);
    ws = calloc(nw, sizeof *ws);
    threads = calloc(nw, sizeof *threads);
    if (!j.doc_worker || !j.doc_vec_off || !j.doc_vec_n || !j.doc_tokens || !j.doc_content ||
        !j.doc_frames || !ws || !threads)
        goto nomem;
    size_t budget = a->cooc_memory_mb ? a->cooc_memory_mb : 512;
    budget = budget * 1024 * 1024 / nw;
    for (size_t w = 0; w < nw; w++)
        if (worker_init(&ws[w], &j, w, budget) != FS_OK) {
            started = w + 1;
            goto nomem;
        }
    started = nw;

    double t0 = seconds();
    if (nw == 1) {
        worker_main(&ws[0]);
    } else {
        size_t running = 0;
        for (; running < nw; running++)
            if (pthread_create(&threads[running], NULL, worker_main, &ws[running]) != 0)
                break;
        if (running == 0)
            worker_main(&ws[0]); /* no threads available: count here */
        for (size_t w = 0; w < running; w++)
            pthread_join(threads[w], NULL);
        if (running > 0 && running < nw)
            for (size_t w = running; w < nw; w++) /* leftover chunks */
                worker_main(&ws[w]);
    }
    for (size_t w = 0; w < nw; w++)
        if (ws[w].status != FS_OK) {
            if (err)
                *err = ws[w].err;
            st = ws[w].status;
            goto done;
        }
    double t1 = seconds();
    if (finish(&j, ws, nw, c) != FS_OK)
        goto nomem;
    fs_log(ctx, FS_LOG_DEBUG, "count: %zu workers %.2f s, merge %.2f s, %zu terms", nw, t1 - t0,
           seconds() - t1, c->n_terms);
    if (c->pruned)
        fs_log(ctx, FS_LOG_WARN,
               "co-occurrence exceeded analysis.cooc_memory_mb = %zu: pairs of rare terms were "
               "dropped", a->cooc_memory_mb);
    *out = c;
    c = NULL;
    goto done;
nomem:
    st = fs_error_set(err, FS_ERR_NOMEM, "count", "out of memory while counting");
done:
    if (ws)
        for (size_t w = 0; w < started; w++)
            worker_free(&ws[w]);
    free(ws);
    free(threads);
    free(j.doc_worker);
    free(j.doc_vec_off);
    free(j.doc_vec_n);
    free(j.doc_tokens);
    free(j.doc_content);
    free(j.doc_frames);
    fs_intern_free(j.focus);
    fs_counts_free(c);
    frameset_free(frames);
    fs_tokenizer_free(tk);
    return st;
}

fs_status fs_count_run(const fs_config *cfg, const fs_ctx *ctx, const fs_corpus *corpus,
                       const fs_clean_result *clean, const bool *select, fs_counts **out,
                       fs_error *err)
{
    return count_run(cfg, ctx, corpus, clean, NULL, select, out, err);
}

fs_status fs_count_run_consume(const fs_config *cfg, const fs_ctx *ctx, const fs_corpus *corpus,
                               fs_clean_result *clean, const bool *select, fs_counts **out,
                               fs_error *err)
{
    return count_run(cfg, ctx, corpus, clean, clean, select, out, err);
}

/* ---------------------------------------------------------------- accessors */

size_t fs_counts_n_sources(const fs_counts *c) { return c->n_sources; }
size_t fs_counts_n_frames(const fs_counts *c) { return c->n_frames; }
size_t fs_counts_n_focus(const fs_counts *c) { return c->n_focus; }
size_t fs_counts_n_terms(const fs_counts *c) { return c->n_terms; }

const char *fs_counts_term(const fs_counts *c, uint32_t term)
{
    return term < c->n_terms ? c->terms[term] : NULL;
}

uint32_t fs_counts_term_id(const fs_counts *c, const char *text)
{
    size_t lo = 0, hi = c->n_terms;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = strcmp(c->terms[mid], text);
        if (r == 0)
            return (uint32_t)mid;
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return UINT32_MAX;
}

uint64_t fs_counts_tf(const fs_counts *c, size_t source, uint32_t term)
{
    return source < c->n_sources && term < c->n_terms ? c->tf[source * c->n_terms + term] : 0;
}

uint32_t fs_counts_df(const fs_counts *c, size_t source, uint32_t term)
{
    return source < c->n_sources && term < c->n_terms ? c->df[source * c->n_terms + term] : 0;
}

uint64_t fs_counts_tokens(const fs_counts *c, size_t source)
{
    return source < c->n_sources ? c->tokens[source] : 0;
}

uint64_t fs_counts_content_tokens(const fs_counts *c, size_t source)
{
    return source < c->n_sources ? c->content_tokens[source] : 0;
}

size_t fs_counts_n_docs_counted(const fs_counts *c, size_t source)
{
    return source < c->n_sources ? c->docs_counted[source] : 0;
}

size_t fs_counts_n_docs(const fs_counts *c) { return c->n_docs; }

const fs_doc_info *fs_counts_doc(const fs_counts *c, size_t doc)
{
    return doc < c->n_docs ? &c->docs[doc] : NULL;
}

void fs_counts_doc_terms(const fs_counts *c, size_t doc, const uint32_t **terms,
                         const uint32_t **counts, size_t *n)
{
    if (doc >= c->n_docs) {
        *terms = *counts = NULL;
        *n = 0;
        return;
    }
    *terms = c->vec_terms + c->vec_off[doc];
    *counts = c->vec_counts + c->vec_off[doc];
    *n = c->vec_n[doc];
}

uint64_t fs_counts_doc_frame_hits(const fs_counts *c, size_t doc, size_t frame)
{
    return doc < c->n_docs && frame < c->n_frames ? c->doc_frames[doc * c->n_frames + frame] : 0;
}

uint64_t fs_counts_frame_hits(const fs_counts *c, size_t source, size_t frame)
{
    uint64_t h = 0;
    for (size_t d = 0; d < c->n_docs; d++)
        if (c->docs[d].counted && c->docs[d].source == source && frame < c->n_frames)
            h += c->doc_frames[d * c->n_frames + frame];
    return h;
}

size_t fs_counts_n_pairs(const fs_counts *c, size_t source)
{
    return source < c->n_sources ? c->n_pairs[source] : 0;
}

void fs_counts_pair(const fs_counts *c, size_t source, size_t i, uint32_t *a, uint32_t *b,
                    uint64_t *count)
{
    const fs_pair *p = &c->pairs[source][i];
    *a = p->a;
    *b = p->b;
    *count = p->count;
}

bool fs_counts_cooc_pruned(const fs_counts *c) { return c->pruned; }
size_t fs_counts_n_kwic(const fs_counts *c) { return c->n_kwic; }

const fs_kwic *fs_counts_kwic(const fs_counts *c, size_t i)
{
    return i < c->n_kwic ? &c->kwic[i] : NULL;
}

const char *fs_counts_stopwords_version(const fs_counts *c)
{
    return c->stop_version ? c->stop_version : "";
}
