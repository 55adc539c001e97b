/**
 * analysis.h: the finished, immutable result of a run: every table the report shows and the
 * exports write. Built by fs_stats_run (stats.h) from an fs_counts; read by report.h and
 * export.h, which never compute statistics themselves.
 *
 * Plain structs on purpose: this is data, read-only after construction, and the report and
 * export code (and their tests) build and walk it directly. Everything is owned by the
 * fs_analysis and freed by fs_analysis_free, except the term strings of the term, keyness and
 * collocation rows: those point into `vocab` (each distinct term stored once, however many rows
 * name it), or, in a hand-made analysis, at strings its maker keeps alive. Source indexes refer
 * to `sources`.
 * NAN marks a value that is not defined (e.g. dp for a one-document source).
 */
#ifndef FRAMESCOPE_ANALYSIS_H
#define FRAMESCOPE_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "framescope/config.h"

typedef struct fs_source_summary {
    char *id, *label;
    double rgb[3];
    size_t docs;              /* documents counted */
    size_t docs_loaded;       /* documents loaded (before duplicates and period selection) */
    size_t duplicates;        /* excluded as duplicates */
    size_t undated;
    uint64_t tokens;          /* word tokens before stopword removal */
    uint64_t content_tokens;  /* after */
    size_t types;             /* distinct content terms */
    uint64_t chars_raw, chars_clean;
    double removed_share;     /* 1 - chars_clean / chars_raw over counted documents */
    fs_date first, last;      /* date range of counted documents (0 when none) */
    bool small;               /* content_tokens < analysis.min_source_tokens */
} fs_source_summary;

typedef struct fs_term_row {       /* terms.csv: source,term,count,per_10k,docs,dp */
    size_t source;
    const char *term;
    uint64_t count;
    double per_10k;
    uint32_t docs;
    double dp;                     /* Gries' DP; NAN when the source has one document */
} fs_term_row;

typedef struct fs_keyness_row {    /* keyness.csv */
    size_t source;
    const char *term;
    uint64_t count, ref_count, source_tokens, ref_tokens;
    double g2, p, q, log_ratio, lrc, logodds_z;
} fs_keyness_row;

typedef struct fs_colloc_row {     /* a row of cooccurrence.csv */
    size_t source;
    const char *term_a, *term_b;   /* term_a < term_b in byte order */
    uint64_t count, count_a, count_b;
    double pmi, log_dice;
    bool focus;                    /* involves a focus term */
} fs_colloc_row;

/* One pair of fs_cooc_table: term ids (into fs_analysis.vocab) and its count in the source. */
typedef struct fs_cooc_pair {
    uint32_t a, b;                 /* term_a, term_b */
    uint64_t count;
} fs_cooc_pair;

/* cooccurrence.csv and stats.json's "cooccurrence": every kept pair of every source (count >=
 * min_pair_count, or involving a focus term), by source, term_a, term_b. A large corpus has tens
 * of millions of them, so they are held as 16-byte pairs plus what a row needs besides (the
 * per-source term counts and the focus flags, both vocabulary-sized), and the export makes
 * each row when it writes it (fs_cooc_row); the report only needs the focus rows, in `colloc`. */
typedef struct fs_cooc_table {
    fs_cooc_pair *pairs;  size_t n_rows;
    size_t *first;                 /* n_sources + 1: source s has rows [first[s], first[s+1]) */
    uint64_t *tf;                  /* n_sources × n_vocab: each term's count in each source */
    bool *focus;                   /* n_vocab: the term is a focus term */
} fs_cooc_table;

typedef struct fs_frame_row {      /* frames.csv */
    size_t source, frame;
    uint64_t hits, tokens;
    double rate_per_1k, ci_low, ci_high, std_residual;
} fs_frame_row;

typedef struct fs_chisq {
    double statistic, p;
    int df;
    bool low_expected;             /* some expected count below 5 */
    bool valid;                    /* false when no test is possible: fewer than 2 frames or 2
                                      sources left after dropping all-zero rows and columns */
    size_t dropped_rows;           /* frames with no hits in any source (left out of the test) */
    size_t dropped_cols;           /* sources with no hits of any frame (left out of the test) */
} fs_chisq;

typedef struct fs_similarity_row { /* similarity.csv */
    size_t a, b;
    double cosine, jsd;
} fs_similarity_row;

typedef struct fs_ca_point {       /* ca.csv: kind,label,dim1,dim2 */
    bool is_source;
    char *label;                   /* source label or term */
    size_t source;                 /* for sources */
    double dim1, dim2;
} fs_ca_point;

typedef struct fs_doc_row {        /* documents.csv + provenance table */
    char *doc_id, *path, *outlet, *title, *author, *url;
    size_t source;
    fs_date date;
    char sha256[65];
    uint64_t chars_raw, chars_clean, tokens;
    char *duplicate_of;            /* NULL when none */
    double similarity;
    bool counted;
    char *removals;                /* "rule=chars;..." */
} fs_doc_row;

typedef struct fs_kwic_row {
    size_t source, focus;
    char *doc_id;
    char *left, *keyword, *right;
} fs_kwic_row;

typedef struct fs_finding {        /* one summary sentence, strongest first */
    char *text;
    double strength;               /* for ordering */
    bool significant;              /* q < 0.05 (or the test's p < 0.05) */
} fs_finding;

typedef struct fs_params {
    int min_count, window, min_pair_count, ca_terms, min_source_tokens;
    double prior_strength;         /* α0 actually used */
    double dedup_threshold;
    bool sentence_cooccurrence, keep_numbers;
    char *stopwords_version;
    char *framescope_version;
    char *period;                  /* "all" or the period label */
    bool include_undated;
} fs_params;

typedef struct fs_analysis {
    fs_params params;
    fs_source_summary *sources;   size_t n_sources;
    char **frames;                size_t n_frames;     /* frame names */
    char **focus;                 size_t n_focus;      /* focus terms */
    fs_term_row *terms;           size_t n_terms;      /* by source, then count desc, term asc */
    fs_keyness_row *keyness;      size_t n_keyness;    /* by source, then g2 desc, term asc */
    size_t tested_terms;          /* terms with corpus count >= min_count */
    bool no_reference;            /* fewer than two sources with content tokens: no keyness rows */
    fs_colloc_row *colloc;        size_t n_colloc;     /* the rows of `cooc` involving a focus
                                                          term (all the report reads), in the
                                                          same order */
    fs_cooc_table cooc;           /* every collocation row, made on demand */
    fs_frame_row *frame_rows;     size_t n_frame_rows; /* by frame, then source */
    fs_chisq frames_test;
    fs_similarity_row *similarity; size_t n_similarity;/* a < b */
    fs_ca_point *ca;              size_t n_ca;         /* sources first (config order; NAN
                                                          coordinates for a source with no mass
                                                          on the CA terms), then terms by corpus
                                                          frequency desc, term asc */
    double ca_inertia[2];         /* share of total inertia on dims 1 and 2 */
    bool ca_valid;
    fs_doc_row *docs;             size_t n_docs;       /* corpus order */
    fs_kwic_row *kwic;            size_t n_kwic;       /* by focus, source, document order */
    fs_finding *findings;         size_t n_findings;
    bool too_small;               /* no claim is supported (every source small) */
    uint64_t total_tokens, total_content_tokens;
    size_t total_docs, total_duplicates, skipped_lines, skipped_files, invalid_bytes;
    bool cooc_pruned;
    const char **vocab;           size_t n_vocab;      /* term id -> text (the counts' ids) */
    char *vocab_text;             /* the bytes `vocab` points into */
} fs_analysis;

void fs_analysis_free(fs_analysis *a);

/** Row i (< a->cooc.n_rows) of the co-occurrence table, computed from a->cooc: the counts of
 *  its terms in the source, PMI and log Dice as fs_stats_build defines them (README
 *  "Statistics"). Strings point into a->vocab. */
void fs_cooc_row(const fs_analysis *a, size_t i, fs_colloc_row *out);

#endif
