/**
 * count.h: the counting engine's result, the unit that shards, merges and feeds statistics.
 *
 * fs_count_run tokenizes every counted document (tokenize.h: case policy, aliases, phrases,
 * stopwords) and fills an fs_counts: an interned vocabulary of content terms (after stopword
 * removal), per-source term frequencies (tf) and document frequencies (df), per-document sparse
 * term vectors (for dispersion), token totals before and after stopword removal, windowed
 * co-occurrence per source (pairs of content-token positions i<j, j-i <= window, inside one
 * document; optionally one sentence), frame hits per document (cfg frames, PCRE2,
 * case-insensitive, overlapping matches of one frame counted once), keyword-in-context lines for
 * the focus terms, and the provenance of every document (counted or not).
 *
 * Counts are mergeable: counts of disjoint document slices add up to the counts of the whole, and
 * the result (including term ids order as seen through the accessors) does not depend on the
 * number of threads or shards: accessors present terms in byte order of their text.
 *
 * Ownership: fs_counts is opaque and owned by the caller (fs_counts_free). Strings returned by
 * accessors are borrowed and live as long as the counts.
 */
#ifndef FRAMESCOPE_COUNT_H
#define FRAMESCOPE_COUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "framescope/clean.h"
#include "framescope/config.h"
#include "framescope/corpus.h"
#include "framescope/ctx.h"
#include "framescope/error.h"

typedef struct fs_counts fs_counts;

/** Provenance of one document (every document loaded, counted or not). */
typedef struct fs_doc_info {
    const char *id, *path, *title, *author, *outlet, *url;  /* NULL when unknown */
    size_t source;
    fs_date date;
    char sha256[65];
    uint64_t chars_raw, chars_clean;
    const char *duplicate_of;   /* id of the kept document, NULL when none */
    double similarity;
    bool counted;               /* false: excluded duplicate, empty, or outside the period */
    uint64_t tokens;            /* word tokens before stopword removal (0 when not counted) */
    uint64_t content_tokens;    /* after stopword removal */
    uint64_t invalid_bytes;
    const char *removals;       /* "rule=chars;rule=chars" summary, "" when nothing removed */
} fs_doc_info;

/** One keyword-in-context line. */
typedef struct fs_kwic {
    size_t source;
    size_t focus;          /* index into cfg->analysis.focus */
    size_t doc;            /* index into the documents (fs_counts_doc) */
    const char *left;      /* text before the keyword (at most ~60 characters, whole words) */
    const char *keyword;   /* the keyword as written in the text */
    const char *right;     /* text after */
} fs_kwic;

/** Counts the corpus (documents not excluded by `clean`, and for which `select` is NULL or
 *  select[i] is true). `clean` may be NULL: raw texts, nothing excluded. Uses ctx->threads
 *  workers; results are identical for any thread count. Pairs of a term with itself are not
 *  counted. Co-occurrence working data beyond analysis.cooc_memory_mb goes to a temporary file
 *  (tmpfile(); FS_ERR_OUTPUT when it cannot be written or read back), so no pair is lost. When
 *  the finished pairs themselves would take more than cooc_memory_mb (16 bytes a pair), only
 *  pairs whose two terms both occur at least 2^k times in the counted documents are kept (the
 *  smallest k >= 1 that fits) and fs_counts_cooc_pruned() is true: a function of the corpus, the
 *  same for any thread count, but a merge of separately pruned shards can differ from a direct
 *  run. */
fs_status fs_count_run(const fs_config *cfg, const fs_ctx *ctx, const fs_corpus *corpus,
                       const fs_clean_result *clean, const bool *select, fs_counts **out,
                       fs_error *err);
/** fs_count_run over a writable `clean` (not NULL) whose texts are freed (set to NULL) as soon as
 *  each document is counted, so that peak memory does not hold the whole cleaned corpus. */
fs_status fs_count_run_consume(const fs_config *cfg, const fs_ctx *ctx, const fs_corpus *corpus,
                               fs_clean_result *clean, const bool *select, fs_counts **out,
                               fs_error *err);
void fs_counts_free(fs_counts *c);

/* ---- shards ---- */
/** Writes a shard file (versioned binary with a checksum) atomically. */
fs_status fs_counts_save(const fs_counts *c, const char *path, fs_error *err);
/** Reads a shard file; FS_ERR_INPUT naming the file on a bad magic, version or checksum. */
fs_status fs_counts_load(const char *path, fs_counts **out, fs_error *err);
/** Adds `src` into `dst`. When both hold the same documents (same ids and hashes in the same
 *  order: `--shard k/n` runs over one corpus), documents are combined by position and a document
 *  counted in both is an FS_ERR_INPUT (overlapping shards); otherwise `src`'s documents are
 *  appended. Both must come from the same config (sources, frames, focus terms, window,
 *  sentence_cooccurrence, kwic_per_term, tokenizer settings; FS_ERR_INPUT otherwise). On any
 *  error `dst` is unchanged. */
fs_status fs_counts_merge(fs_counts *dst, const fs_counts *src, fs_error *err);

/* ---- read access (all orders deterministic) ---- */
size_t fs_counts_n_sources(const fs_counts *c);
size_t fs_counts_n_frames(const fs_counts *c);
size_t fs_counts_n_focus(const fs_counts *c);

/** Vocabulary: content terms, ids 0..n-1 in byte order of the term text. */
size_t fs_counts_n_terms(const fs_counts *c);
const char *fs_counts_term(const fs_counts *c, uint32_t term);
/** Id of `text`, or UINT32_MAX. */
uint32_t fs_counts_term_id(const fs_counts *c, const char *text);

uint64_t fs_counts_tf(const fs_counts *c, size_t source, uint32_t term);
uint32_t fs_counts_df(const fs_counts *c, size_t source, uint32_t term);
/** Word tokens (before stopword removal) and content tokens, per source. */
uint64_t fs_counts_tokens(const fs_counts *c, size_t source);
uint64_t fs_counts_content_tokens(const fs_counts *c, size_t source);
/** Counted documents of a source. */
size_t fs_counts_n_docs_counted(const fs_counts *c, size_t source);

/** All documents (provenance), in corpus order. */
size_t fs_counts_n_docs(const fs_counts *c);
const fs_doc_info *fs_counts_doc(const fs_counts *c, size_t doc);
/** Entries of the sparse term vector of a document (0: not counted, empty or out of range),
 *  and the most of any document (room that fits every vector). */
size_t fs_counts_doc_n_terms(const fs_counts *c, size_t doc);
size_t fs_counts_doc_terms_max(const fs_counts *c);
/** Sparse term vector of a counted document, ids ascending, decoded into terms[] and counts[]
 *  (room for fs_counts_doc_n_terms entries each); returns the number of entries. The vectors
 *  are kept compressed in a temporary file mapped into memory, so that they do not grow the
 *  resident set with the corpus: a pass over many documents hands each finished batch (some
 *  thousands of documents) to fs_counts_doc_terms_evict. Both are safe from several threads. */
size_t fs_counts_doc_terms(const fs_counts *c, size_t doc, uint32_t *terms, uint32_t *counts);
/** Drops the vectors of documents [begin, end) from the resident set (read back from the file
 *  when asked for again). Works in 2 MiB blocks: neighbouring vectors may go too. */
void fs_counts_doc_terms_evict(const fs_counts *c, size_t begin, size_t end);
/** Frame hits of one document. */
uint64_t fs_counts_doc_frame_hits(const fs_counts *c, size_t doc, size_t frame);
/** Frame hits summed over a source's counted documents. */
uint64_t fs_counts_frame_hits(const fs_counts *c, size_t source, size_t frame);

/** Co-occurrence pairs of a source, sorted by (a, b), a < b in id (= byte) order. */
size_t fs_counts_n_pairs(const fs_counts *c, size_t source);
void fs_counts_pair(const fs_counts *c, size_t source, size_t i, uint32_t *a, uint32_t *b,
                    uint64_t *count);
/** True when co-occurrence was pruned by the memory cap (rare terms dropped). */
bool fs_counts_cooc_pruned(const fs_counts *c);

size_t fs_counts_n_kwic(const fs_counts *c);
const fs_kwic *fs_counts_kwic(const fs_counts *c, size_t i);

/** Version string of the stopword list(s) used (from the list's header line), "" when none. */
const char *fs_counts_stopwords_version(const fs_counts *c);

#endif
