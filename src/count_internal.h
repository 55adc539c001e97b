/* count_internal.h: the layout of fs_counts and what count.c, cooccur.c, frames_match.c,
 * kwic.c and shard.c share. Not a public contract. */
#ifndef FRAMESCOPE_COUNT_INTERNAL_H
#define FRAMESCOPE_COUNT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "framescope/arena.h"
#include "framescope/count.h"
#include "framescope/spool.h"

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
    /* Term vectors, ids ascending, in the sorted varint layout of docvec.h: in a spool, not
     * the heap, since together they grow with the corpus. */
    fs_spool *vec_spool;             /* owns every vec_at (NULL: no vectors yet) */
    const uint8_t **vec_at;          /* per document: its encoding (NULL or any when empty) */
    uint32_t *vec_n;                 /* per document: entries */
    size_t vec_len;                  /* entries of all documents */
    uint32_t vec_max;                /* entries of the longest vector */
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

/* ---- co-occurrence (cooccur.c) ---- */
typedef struct cooc_rec {
    uint64_t key;       /* a << 32 | b (worker-local ids, a < b) */
    uint64_t count;
} cooc_rec;

typedef struct cooc_run {
    cooc_rec *r;        /* NULL when spilled or raw */
    size_t n;
    long long off;      /* byte offset in the spill file, -1: in memory */
    bool sorted;        /* sorted by key, each key once (flushed keys); else drained dense
                         * counts, each key once, in no order */
    bool raw;           /* keys as buffered (count 1 each, unsorted): k, or 8 bytes a key in
                         * the spill file */
    uint64_t *k;        /* raw keys in memory (NULL when spilled) */
} cooc_run;

typedef struct cooc_src {
    uint64_t *keys;     /* pair keys not yet sorted (kept to the end when the budget allows) */
    size_t n, cap;
    uint32_t *dense;    /* counts of pairs a < b < dense_k at b * (b - 1) / 2 + a */
    cooc_run *runs;
    size_t n_runs, runs_cap;
} cooc_src;

typedef struct cooc_state {
    cooc_src *src;      /* per source */
    size_t n_sources;
    size_t budget;      /* bytes this worker may hold before spilling */
    size_t flush_keys;  /* keys buffered (all sources) before a sort */
    size_t buffered, mem_runs;
    uint32_t dense_k;   /* dense slots: local ids below this (ids go by first sight) until
                         * cooc_set_dense, then the ids given there */
    uint32_t *slot_of;  /* local id → dense slot + 1 (0: sparse); NULL: slot = id */
    uint32_t *slot_id;  /* dense slot → local id */
    size_t slot_cap;
    uint32_t *tslot;    /* per token of the current document: slot_of its id */
    size_t tslot_cap;
    uint64_t dense_adds; /* since the dense tables were last drained (overflow guard) */
    uint64_t *tmp;      /* radix scratch */
    size_t tmp_cap;
    unsigned flushes;   /* so far */
    bool raw;           /* flush keys unsorted (the last sorting flush merged few repeats) */
    FILE *spill;        /* tmpfile() of spilled runs, NULL until needed */
    uint64_t spill_end;
    bool spilled;
} cooc_state;

fs_status cooc_init(cooc_state *c, size_t n_sources, size_t budget);
/** Reads (write = false) or writes all `n` bytes at `off` of the spill file, retrying short
 *  transfers and EINTR; FS_ERR_OUTPUT on failure. */
fs_status cooc_pio(int fd, void *p, size_t n, uint64_t off, bool write);
void cooc_free(cooc_state *c);
/* Adds the pairs of one document's content tokens (local ids < n_ids, with sentence numbers).
 * FS_ERR_NOMEM, or FS_ERR_OUTPUT when the spill file cannot be written. */
fs_status cooc_add_doc(cooc_state *c, size_t source, const uint32_t *ids, const uint32_t *sent,
                       size_t n, int window, bool by_sentence, size_t n_ids);
/* Gives the dense slots to local ids `ids[0..n)` (n <= dense_k; the most frequent terms so far)
 * after draining the dense tables. Only speed depends on the choice. FS_ERR_NOMEM. */
fs_status cooc_set_dense(cooc_state *c, const uint32_t *ids, size_t n, size_t n_ids);
/* The worker is done: drains the dense tables into runs and frees the scratch; buffered keys
 * stay for cooc_collect. FS_ERR_NOMEM. */
fs_status cooc_finish(cooc_state *c, size_t n_ids);
/* Every worker's keys and runs of every source (memory or spill file), remapped to global ids
 * (maps[w][local id]; n_terms global terms), sorted by (a, b) and accumulated into pairs[s]
 * (n_pairs[s]; both start empty), under the memory cap: when all distinct pairs take more than
 * cap_bytes (16 bytes a pair), only pairs whose terms both have a total frequency (tf, by
 * [source * n_terms + term]) of at least 2^k are kept, the smallest k >= 1 that fits, and
 * *min_tf receives 2^k (0: nothing dropped). Pairs below the threshold are never stored, and the
 * sort works in ranges of keys: the memory stays within about the cap plus a quarter of it.
 * The sorts run on ctx->threads threads (ctx NULL: this thread). Consumes the workers' keys and
 * runs (cooccur_collect.c). `stats` (NULL: none) receives the sizes reached. FS_ERR_NOMEM or
 * FS_ERR_OUTPUT; pairs already stored stay in pairs. */
typedef struct cooc_stats {
    size_t ranges;          /* ranges sorted, all sources */
    size_t most_elems;      /* elements of the largest range (the sort scratch holds 2 each) */
    size_t most_pairs;      /* most pairs stored at once, all sources */
    size_t parted;          /* sources cut by range into a partition file first */
} cooc_stats;
fs_status cooc_collect_all(cooc_state *const *states, size_t n_states,
                           const uint32_t *const *maps, const uint64_t *tf, size_t n_sources,
                           size_t n_terms, size_t cap_bytes, const fs_ctx *ctx, fs_pair **pairs,
                           size_t *n_pairs, uint64_t *min_tf, cooc_stats *stats);
/* Elements of a range under cap_bytes: the scratch (16 bytes an element) and a range's new
 * pairs (at most one of 16 bytes an element) take a quarter of the cap, 65,536 at least. */
size_t cooc_range_max(size_t cap_bytes);
/* The same for one source without a cap, in ranges of at most range_max elements (0: no limit,
 * but at least 65,536), each range scanning all the workers' data (no partition file): a new
 * array in *out. */
fs_status cooc_collect(cooc_state *const *states, size_t n_states, const uint32_t *const *maps,
                       size_t n_terms, size_t source, const fs_ctx *ctx, size_t range_max,
                       fs_pair **out, size_t *n_out);
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
