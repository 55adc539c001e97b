/* stats_counts.c: fs_stats_run, the adapter from an fs_counts (count.h accessors) to the plain
 * arrays fs_stats_build reads. The only stats file that knows the counting engine, kept apart so
 * that the statistics link and test on their own. Strings stay borrowed from the counts until
 * fs_stats_build has copied them into the analysis. */
#include "stats_internal.h"

#include <stdlib.h>
#include <string.h>

#include "framescope/ctx.h"
#include "framescope/parallel.h"

typedef struct gathered {
    const char **terms;
    uint64_t *tf, *tokens, *content_tokens, *frame_hits;
    uint32_t *df;
    fs_doc_info *docs;
    size_t *n_pairs;
    fs_kwic *kwic;
} gathered;

static void gathered_free(gathered *g)
{
    free(g->terms);
    free(g->tf);
    free(g->tokens);
    free(g->content_tokens);
    free(g->frame_hits);
    free(g->df);
    free(g->docs);
    free(g->n_pairs);
    free(g->kwic);
}

/* calloc that never asks for 0 bytes, so NULL always means out of memory. */
static void *zalloc(size_t n, size_t size)
{
    return calloc(n ? n : 1, size);
}

typedef struct gather_job {
    const fs_counts *counts;
    gathered *g;
    size_t nt, nf;
} gather_job;

/* One source's rows of the count tables and its pairs (the accessors only read the counts). */
static fs_status gather_sources(void *user, size_t worker, size_t begin, size_t end)
{
    (void)worker;
    const gather_job *j = user;
    gathered *g = j->g;
    size_t nt = j->nt, nf = j->nf;
    for (size_t s = begin; s < end; s++) {
        for (size_t t = 0; t < nt; t++) {
            g->tf[s * nt + t] = fs_counts_tf(j->counts, s, (uint32_t)t);
            g->df[s * nt + t] = fs_counts_df(j->counts, s, (uint32_t)t);
        }
        for (size_t f = 0; f < nf; f++)
            g->frame_hits[s * nf + f] = fs_counts_frame_hits(j->counts, s, f);
        g->n_pairs[s] = fs_counts_n_pairs(j->counts, s);
    }
    return FS_OK;
}

/* Pairs are read from the counts on demand: a copy would double the largest table. */
static void read_pair(const void *owner, size_t source, size_t i, fs_stats_pair *out)
{
    fs_counts_pair(owner, source, i, &out->a, &out->b, &out->count);
}

/* Dispersion decodes each document's vector straight from the counts... */
static size_t read_doc_terms(const void *owner, size_t doc, uint32_t *terms, uint32_t *counts)
{
    return fs_counts_doc_terms(owner, doc, terms, counts);
}

/* ...and the pages it has passed leave the resident set. */
static void vectors_read(const void *owner, size_t begin, size_t end)
{
    fs_counts_doc_terms_evict(owner, begin, end);
}

fs_status fs_stats_run(const fs_config *cfg, const fs_ctx *ctx, const fs_counts *counts,
                       const fs_stats_opts *opts, fs_analysis **out, fs_error *err)
{
    fs_status st = FS_OK;
    gathered g = {0};
    size_t ns = fs_counts_n_sources(counts), nt = fs_counts_n_terms(counts);
    size_t nf = fs_counts_n_frames(counts), nd = fs_counts_n_docs(counts);
    size_t nk = fs_counts_n_kwic(counts);
    *out = NULL;
    if (fs_ctx_interrupted(ctx))
        return fs_error_set(err, FS_ERR_INTERRUPTED, "stats", "interrupted");

    g.terms = zalloc(nt, sizeof *g.terms);
    g.tf = zalloc(ns * nt, sizeof *g.tf);
    g.df = zalloc(ns * nt, sizeof *g.df);
    g.tokens = zalloc(ns, sizeof *g.tokens);
    g.content_tokens = zalloc(ns, sizeof *g.content_tokens);
    g.frame_hits = zalloc(ns * nf, sizeof *g.frame_hits);
    g.docs = zalloc(nd, sizeof *g.docs);
    g.n_pairs = zalloc(ns, sizeof *g.n_pairs);
    g.kwic = zalloc(nk, sizeof *g.kwic);
    if (!g.terms || !g.tf || !g.df || !g.tokens || !g.content_tokens || !g.frame_hits ||
        !g.docs || !g.n_pairs ||
        !g.kwic)
        goto nomem;

    for (size_t t = 0; t < nt; t++)
        g.terms[t] = fs_counts_term(counts, (uint32_t)t);
    for (size_t s = 0; s < ns; s++) {
        g.tokens[s] = fs_counts_tokens(counts, s);
        g.content_tokens[s] = fs_counts_content_tokens(counts, s);
    }
    gather_job gj = {counts, &g, nt, nf};
    st = fs_parallel_for(ctx, ns, 1, gather_sources, &gj);
    if (st == FS_ERR_INTERRUPTED) {
        st = fs_error_set(err, st, "stats", "interrupted");
        goto done;
    }
    if (st != FS_OK)
        goto nomem;
    for (size_t d = 0; d < nd; d++) {
        const fs_doc_info *di = fs_counts_doc(counts, d);
        if (di)
            g.docs[d] = *di;
    }
    for (size_t k = 0; k < nk; k++) {
        const fs_kwic *kw = fs_counts_kwic(counts, k);
        if (kw)
            g.kwic[k] = *kw;
    }
    if (fs_ctx_interrupted(ctx)) {
        st = fs_error_set(err, FS_ERR_INTERRUPTED, "stats", "interrupted");
        goto done;
    }

    fs_stats_input in = {
        .n_sources = ns, .n_terms = nt, .n_frames = nf, .n_docs = nd,
        .terms = g.terms, .tf = g.tf, .df = g.df,
        .tokens = g.tokens, .content_tokens = g.content_tokens,
        .docs = g.docs, .doc_terms = read_doc_terms, .doc_owner = counts,
        .doc_terms_max = fs_counts_doc_terms_max(counts),
        .docs_read = vectors_read, .docs_owner = counts,
        .frame_hits = g.frame_hits,
        .pair_at = read_pair, .pair_owner = counts, .n_pairs = g.n_pairs,
        .kwic = g.kwic, .n_kwic = nk,
        .stopwords_version = fs_counts_stopwords_version(counts),
        .cooc_pruned = fs_counts_cooc_pruned(counts),
        .ctx = ctx,
    };
    st = fs_stats_build(cfg, &in, opts, out, err);
    if (st == FS_OK)
        fs_log(ctx, FS_LOG_DEBUG, "statistics: %zu sources, %zu tested terms, %zu keyness rows",
               ns, (*out)->tested_terms, (*out)->n_keyness);
    goto done;
nomem:
    st = fs_error_set(err, FS_ERR_NOMEM, "stats", "out of memory");
done:
    gathered_free(&g);
    return st;
}
