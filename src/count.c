/* count.c: the counting engine. Workers (pthreads) take chunks of documents in increasing
 * order from a shared counter; each tokenizes and counts into private tables keyed by its own
 * local term ids. At the end (count_finish.c) the local vocabularies are sorted into one
 * byte-ordered vocabulary and everything is remapped and added up, so the result never depends
 * on the thread count. Accessors are in count_access.c; shards and the file format in shard.c,
 * merging in shard_merge.c. */
#include "count_job.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHUNK_DOCS 16

/* ---------------------------------------------------------------- workers */

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
    size_t cap = w->id_cap ? w->id_cap : 4096;
    while (cap <= id)
        cap *= 2;
    uint8_t *flags = realloc(w->flags, cap * sizeof *flags);
    if (flags)
        w->flags = flags;
    uint32_t *focus_of = realloc(w->focus_of, cap * sizeof *focus_of);
    if (focus_of)
        w->focus_of = focus_of;
    void *rec = NULL; /* cache-line aligned: a record of 8 words is one line */
    if (!flags || !focus_of ||
        posix_memalign(&rec, 64, cap * w->stride * sizeof *w->rec) != 0)
        return FS_ERR_NOMEM;
    size_t old = w->id_cap;
    if (old)
        memcpy(rec, w->rec, old * w->stride * sizeof *w->rec);
    free(w->rec);
    w->rec = rec;
    memset(w->flags + old, 0, (cap - old) * sizeof *w->flags);
    memset(w->focus_of + old, 0, (cap - old) * sizeof *w->focus_of);
    memset(w->rec + old * w->stride, 0, (cap - old) * w->stride * sizeof *w->rec);
    w->id_cap = cap;
    return FS_OK;
}

/* A local id seen for the first time: its per-id data. */
static fs_status first_sight(worker *w, const char *s, uint32_t len, uint32_t id)
{
    const job *j = w->job;
    if (ensure_id(w, id) != FS_OK)
        return FS_ERR_NOMEM;
    uint32_t f = j->nfocus ? fs_intern_find(j->focus, s, len) : FS_INTERN_NONE;
    w->focus_of[id] = f == FS_INTERN_NONE ? 0 : f + 1;
    w->flags[id] = (uint8_t)((fs_tokenizer_is_stopword(j->tk, s, len) ? F_STOP : 0) |
                             (f == FS_INTERN_NONE ? 0 : F_FOCUS));
    w->n_ids = (size_t)id + 1;
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

/* The first 16 bytes of a term (len <= 16) as two words, zero-padded. */
static inline void load_key(const char *s, uint32_t len, uint64_t *w0, uint64_t *w1)
{
    uint64_t a, b;
    memcpy(&a, s, 8);       /* TEXT_SLACK makes both loads safe */
    memcpy(&b, s + 8, 8);
    if (len < 8) {
        *w0 = a & ((UINT64_C(1) << (8 * len)) - 1);
        *w1 = 0;
    } else {
        *w0 = a;
        *w1 = len == 16 ? b : b & ((UINT64_C(1) << (8 * (len - 8))) - 1);
    }
}

static inline size_t short_hash(uint64_t w0, uint64_t w1, uint32_t len)
{
    return (size_t)(((w0 * 0x9E3779B97F4A7C15ull + w1) * 0xC2B2AE3D27D4EB4Full + len) >> 20);
}

static fs_status shorts_grow(worker *w)
{
    size_t cap = w->shorts_cap * 2, mask = cap - 1;
    short_slot *t = calloc(cap, sizeof *t);
    if (!t)
        return FS_ERR_NOMEM;
    for (size_t i = 0; i < w->shorts_cap; i++) {
        const short_slot *e = &w->shorts[i];
        if (!e->len)
            continue;
        size_t k = short_hash(e->w0, e->w1, e->len) & mask;
        while (t[k].len)
            k = (k + 1) & mask;
        t[k] = *e;
    }
    free(w->shorts);
    w->shorts = t;
    w->shorts_cap = cap;
    return FS_OK;
}

/* Local id and F_* flags of a term, adding it to the worker's vocabulary when new. */
static inline fs_status term_id(worker *w, const char *s, uint32_t len, uint32_t *id,
                                unsigned *flags)
{
    fs_status st;
    if (len > 16 || len == 0) {
        if ((st = fs_intern_add(w->vocab, s, len, id)) != FS_OK)
            return st;
        if (*id >= w->n_ids && (st = first_sight(w, s, len, *id)) != FS_OK)
            return st;
        *flags = w->flags[*id];
        return FS_OK;
    }
    uint64_t w0, w1;
    load_key(s, len, &w0, &w1);
    size_t mask = w->shorts_cap - 1, k = short_hash(w0, w1, len) & mask;
    for (;;) {
        short_slot *e = &w->shorts[k];
        if (e->w0 == w0 && e->w1 == w1 && e->len == len) {
            *id = e->id;
            *flags = e->flags;
            return FS_OK;
        }
        if (!e->len)
            break;
        k = (k + 1) & mask;
    }
    /* Short terms only come through here: a term new to the table is new to the worker. */
    if ((st = fs_intern_add(w->vocab, s, len, id)) != FS_OK ||
        (st = first_sight(w, s, len, *id)) != FS_OK)
        return st;
    *flags = w->flags[*id];
    w->shorts[k] = (short_slot){w0, w1, *id, (uint8_t)len, (uint8_t)*flags};
    if (++w->n_shorts * 2 > w->shorts_cap)
        return shorts_grow(w);
    return FS_OK;
}

/* Once a worker has seen RANK_AFTER content tokens, its most frequent terms so far get the dense
 * co-occurrence slots: about twice as many pairs are counted in place as with the first-seen
 * ids, fewer keys to sort. */
#define RANK_AFTER (1u << 18)

static int cmp_desc_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? 1 : a > b ? -1 : 0;
}

static fs_status rank_dense(worker *w)
{
    size_t ns = w->job->ns, n = w->n_ids, k = w->cooc.dense_k;
    w->ranked = true;
    if (!k || n == 0)
        return FS_OK;
    uint64_t *v = malloc(n * sizeof *v);
    if (!v)
        return FS_ERR_NOMEM;
    for (size_t id = 0; id < n; id++) { /* tf << 32 | id, ids of frequent terms first */
        const uint64_t *r = id_rec(w, (uint32_t)id);
        uint64_t tf = 0;
        for (size_t s = 0; s < ns; s++)
            tf += r[1 + s];
        v[id] = (tf > 0xFFFFFFFFu ? 0xFFFFFFFFu : tf) << 32 | (0xFFFFFFFFu - id);
    }
    qsort(v, n, sizeof *v, cmp_desc_u64);
    size_t m = 0;
    uint32_t *ids = (uint32_t *)malloc(k * sizeof *ids);
    if (!ids) {
        free(v);
        return FS_ERR_NOMEM;
    }
    for (size_t i = 0; i < n && m < k && (v[i] >> 32); i++)
        ids[m++] = 0xFFFFFFFFu - (uint32_t)v[i];
    free(v);
    fs_status st = cooc_set_dense(&w->cooc, ids, m, n);
    free(ids);
    return st;
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
    if (w->toks.text_cap < w->toks.text_len + TEXT_SLACK) {
        char *t = realloc(w->toks.text, w->toks.text_len + TEXT_SLACK);
        if (!t)
            return FS_ERR_NOMEM;
        w->toks.text = t;
        w->toks.text_cap = w->toks.text_len + TEXT_SLACK;
    }
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
        unsigned fl;
        if (term_id(w, tk->text + t->off, t->len, &id, &fl) != FS_OK)
            return FS_ERR_NOMEM;
        tokens++;
        if ((fl & F_FOCUS) &&
            (st = add_kwic(w, d, s, w->focus_of[id] - 1, t, text, len)) != FS_OK)
            return st;
        if (fl & F_STOP)
            continue;
        uint64_t *r = id_rec(w, id);
        r[1 + s]++;
        if (r[0]++ == 0) {
            if (n_touched == w->touched_cap &&
                grow((void **)&w->touched, &w->touched_cap, n_touched + 1, sizeof *w->touched) !=
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
        uint64_t *r = id_rec(w, id);
        r[1 + ns + s]++;
        w->vec[w->vec_len++] = id;
        w->vec[w->vec_len++] = (uint32_t)r[0];
        r[0] = 0;
    }
    j->doc_worker[d] = (uint16_t)w->index;
    j->doc_tokens[d] = tokens;
    j->doc_content[d] = content;
    st = cooc_add_doc(&w->cooc, s, w->cids, w->csent, content, j->window, j->by_sentence,
                      w->n_ids);
    if (st != FS_OK)
        return st;
    w->content_seen += content;
    if (!w->ranked && w->content_seen >= RANK_AFTER && (st = rank_dense(w)) != FS_OK)
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
        if (w->status != FS_OK)
            break;
    }
    if (w->status == FS_OK) /* sort what is still buffered here, in parallel */
        w->status = cooc_finish(&w->cooc, w->n_ids);
    if (w->status != FS_OK) {
        if (w->status == FS_ERR_NOMEM && w->err.status != FS_ERR_NOMEM)
            fs_error_set(&w->err, FS_ERR_NOMEM, "count", "out of memory while counting");
        else if (w->status == FS_ERR_OUTPUT && w->err.status != FS_ERR_OUTPUT)
            fs_error_set(&w->err, FS_ERR_OUTPUT, "count",
                         "cannot write the co-occurrence spill file (temporary directory full?)");
        atomic_store(&j->stop, 1);
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
    w->stride = 1 + 2 * j->ns;
    w->shorts_cap = 1 << 14;
    w->shorts = calloc(w->shorts_cap, sizeof *w->shorts);
    w->kw_arena = fs_arena_create(0);
    w->kw_count = calloc(j->nfocus * j->ns + 1, sizeof *w->kw_count);
    w->fscratch = j->nf ? frame_scratch_create(j->frames) : NULL;
    if (!w->vocab || !w->shorts || !w->kw_arena || !w->kw_count || (j->nf && !w->fscratch))
        return FS_ERR_NOMEM;
    return cooc_init(&w->cooc, j->ns, budget);
}

static void worker_free(worker *w)
{
    fs_tokens_free(&w->toks);
    fs_intern_free(w->vocab);
    free(w->shorts);
    free(w->flags);
    free(w->focus_of);
    free(w->rec);
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
    j.cooc_cap = (a->cooc_memory_mb ? a->cooc_memory_mb : 512) * (size_t)1024 * 1024;
    size_t budget = j.cooc_cap / nw;
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
    if ((st = count_finish(&j, ws, nw, c)) != FS_OK) {
        if (st == FS_ERR_OUTPUT)
            st = fs_error_set(err, FS_ERR_OUTPUT, "count",
                              "cannot read back the co-occurrence spill file");
        else
            goto nomem;
        goto done;
    }
    fs_log(ctx, FS_LOG_DEBUG, "count: %zu workers %.2f s, merge %.2f s, %zu terms", nw, t1 - t0,
           seconds() - t1, c->n_terms);
    if (j.spilled)
        fs_log(ctx, FS_LOG_DEBUG, "count: co-occurrence runs spilled to a temporary file");
    if (c->pruned)
        fs_log(ctx, FS_LOG_WARN,
               "co-occurrence exceeded analysis.cooc_memory_mb = %zu: pairs of terms seen fewer "
               "than %llu times were dropped", a->cooc_memory_mb,
               (unsigned long long)j.prune_tf);
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
