/* count_internal.h: the layout of fs_counts and what count.c, cooccur.c, frames_match.c,
 * kwic.c and shard.c share. Not a public contract. */
#ifndef FRAMESCOPE_COUNT_INTERNAL_H
#define FRAMESCOPE_COUNT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "framescope/arena.h"
#include "framescope/count.h"

typedef struct fs_pair {
    uint32_t a, b;      /* term ids, a < b */
    uint64_t count;
} fs_pair;

struct fs_counts {
    fs_arena *arena;                 /* every string below */
    size_t n_sources, n_frames, n_focus;
    const char **source_ids, **frame_names, **focus;  /* as configured: merge compatibility */
    int window, kwic_limit;
    bool sentence_cooc;
    uint64_t fingerprint;            /* tokenizer settings (fs_tokenizer_fingerprint) */
    const char *stop_version;

    const char **terms;              /* content terms in byte order */
    size_t n_terms;
    uint64_t *tf;                    /* [source * n_terms + term] */
    uint32_t *df;
    uint64_t *tokens, *content_tokens;
    size_t *docs_counted;

    fs_doc_info *docs;               /* corpus order */
    size_t n_docs;
    size_t *vec_off;                 /* per document: start in vec_terms/vec_counts */
    uint32_t *vec_n;
    uint32_t *vec_terms, *vec_counts;
    size_t vec_len;
    uint64_t *doc_frames;            /* [doc * n_frames + frame] */

    fs_pair **pairs;                 /* per source, sorted by (a, b) */
    size_t *n_pairs;
    bool pruned;

    fs_kwic *kwic;                   /* by focus, source, document, position */
    uint32_t *kwic_pos;              /* byte offset of each keyword in its document */
    size_t n_kwic;
};

/* Allocates an empty fs_counts with per-source and per-frame arrays (terms and docs empty). */
fs_counts *counts_alloc(size_t n_sources, size_t n_frames, size_t n_focus);

/* ---- co-occurrence tables (cooccur.c) ---- */
typedef struct cooc_entry {
    uint32_t a, b;      /* local ids, a < b; b == 0: empty */
    uint32_t val;
} cooc_entry;

typedef struct cooc_table {
    cooc_entry *e;      /* key and count side by side: one cache miss per probe */
    size_t cap, n;      /* cap is a power of two */
} cooc_table;

typedef struct cooc_state {
    cooc_table *tabs;   /* per source */
    size_t n_sources;
    size_t budget;      /* bytes this worker may hold */
    uint64_t min_tf;    /* after pruning: terms below this local frequency are skipped */
    bool pruned;
    uint64_t *buf;      /* one document's pair keys */
    size_t buf_cap;
} cooc_state;

fs_status cooc_init(cooc_state *c, size_t n_sources, size_t budget);
void cooc_free(cooc_state *c);
/* Adds the pairs of one document's content tokens (local ids, with sentence numbers).
 * `tf_all` is the worker's running frequency per local id, used when pruning. */
fs_status cooc_add_doc(cooc_state *c, size_t source, const uint32_t *ids, const uint32_t *sent,
                       size_t n, int window, bool by_sentence, const uint64_t *tf_all);
/* Moves every worker's pairs of `source` into a sorted, accumulated array of global ids.
 * maps[w][local id] is the global id. Frees the workers' tables for that source. */
fs_status cooc_collect(cooc_state *const *states, size_t n_states, const uint32_t *const *maps,
                       size_t source, fs_pair **out, size_t *n_out);
/* Merges two sorted pair lists into a new sorted list, adding counts of equal pairs. */
fs_status cooc_merge_sorted(const fs_pair *a, size_t na, const fs_pair *b, size_t nb,
                            fs_pair **out, size_t *n_out);

/* ---- frames (frames_match.c) ---- */
typedef struct frameset frameset;
typedef struct frame_scratch frame_scratch;
fs_status frameset_create(const fs_config *cfg, frameset **out, fs_error *err);
void frameset_free(frameset *f);
frame_scratch *frame_scratch_create(const frameset *f);
void frame_scratch_free(frame_scratch *s);
/* Hits per frame in `text`: matches of a frame's patterns, overlapping or nested ones merged
 * into one span. `hits` has one slot per frame. */
fs_status frameset_count(const frameset *f, frame_scratch *s, const char *text, size_t len,
                         uint64_t *hits, fs_error *err);

/* ---- keyword in context (kwic.c) ---- */
typedef struct kwic_cand {
    uint32_t focus, source, doc, pos;
    const char *left, *keyword, *right;
} kwic_cand;

#define KWIC_WIDTH 60
/* Left and right context of text[start, end) (about KWIC_WIDTH characters, whole words,
 * whitespace collapsed, not crossing a paragraph or a line that starts a new sentence). */
fs_status kwic_make(const char *text, size_t len, uint32_t start, uint32_t end, fs_arena *arena,
                    const char **left, const char **keyword, const char **right);
/* Sorts candidates by (focus, source, doc, pos) and keeps the first `limit` per (focus,
 * source); returns the new count. */
size_t kwic_select(kwic_cand *c, size_t n, int limit);

#endif
