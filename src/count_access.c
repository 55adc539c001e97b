/* count_access.c: fs_counts allocation, freeing and the read accessors. */
#include "count_internal.h"
#include "docvec.h"

#include <stdlib.h>
#include <string.h>

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
    free(c->vec_at);
    free(c->vec_n);
    fs_spool_free(c->vec_spool);
    free(c->doc_frames);
    free(c->kwic);
    free(c->kwic_pos);
    fs_arena_free(c->arena);
    free(c);
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

size_t fs_counts_doc_n_terms(const fs_counts *c, size_t doc)
{
    return doc < c->n_docs ? c->vec_n[doc] : 0;
}

size_t fs_counts_doc_terms_max(const fs_counts *c) { return c->vec_max; }

size_t fs_counts_doc_terms(const fs_counts *c, size_t doc, uint32_t *terms, uint32_t *counts)
{
    size_t n = fs_counts_doc_n_terms(c, doc);
    if (n)
        dv_decode_sorted(c->vec_at[doc], n, terms, counts);
    return n;
}

void fs_counts_doc_terms_evict(const fs_counts *c, size_t begin, size_t end)
{
    const uint8_t *lo = NULL, *hi = NULL;
    size_t last = 0;
    for (size_t d = begin; d < end && d < c->n_docs; d++) {
        const uint8_t *p = c->vec_at[d];
        if (!c->vec_n[d])
            continue;
        if (!lo || (uintptr_t)p < (uintptr_t)lo)
            lo = p;
        if (!hi || (uintptr_t)p > (uintptr_t)hi) {
            hi = p;
            last = d;
        }
    }
    if (hi) /* the vectors of a pass lie between the lowest and the end of the highest */
        dv_evict_span(c->vec_spool, lo, hi + dv_size(hi, c->vec_n[last]));
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
