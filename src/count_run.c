/* count_run.c: fs_count_run. Sets up the job (tokenizer, frames, focus terms, per-document
 * slots), runs the workers of count.c on ctx->threads threads and builds the counts from them
 * (count_finish.c). */
#include "count_job.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
