/**
 * stats_internal.h: the statistics module's internals, shared by the stats_*.c files and tested
 * directly by tests/test_stats.c.
 *
 * Two layers:
 *  - pure measure functions (no allocation unless stated, no I/O): each takes plain numbers and
 *    returns the measure, NAN when it is not defined;
 *  - fs_stats_build, which turns a plain fs_stats_input (arrays gathered from an fs_counts by
 *    fs_stats_run in stats_counts.c) into an fs_analysis. Keeping the gathering apart means the
 *    builder and its tables can be tested on hand-made inputs without a counting engine.
 *
 * Definitions follow the README "Statistics" section; each function's comment states its formula.
 */
#ifndef FRAMESCOPE_STATS_INTERNAL_H
#define FRAMESCOPE_STATS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "framescope/analysis.h"
#include "framescope/config.h"
#include "framescope/count.h"
#include "framescope/ctx.h"
#include "framescope/error.h"
#include "framescope/stats.h"

/* ================================ keyness (stats_keyness.c) ================================ */

/** Signed log-likelihood G² of the 2×2 table {a, b; n1-a, n2-b} (target vs rest), summing
 *  O·ln(O/E) over the four cells (0 when O = 0), no continuity correction. Negative when
 *  a < E11 = n1(a+b)/N. NAN when a row or column of the table is empty (n1 = 0, n2 = 0, a+b = 0
 *  or a+b = N). */
double fs_stats_g2(double a, double b, double n1, double n2);

/** log2((a/n1)/(b/n2)), a zero count replaced by 0.5. NAN when n1 or n2 is 0. */
double fs_stats_log_ratio(double a, double b, double n1, double n2);

/** Clopper–Pearson bounds for k successes in n trials at confidence 1-alpha: lower =
 *  Beta⁻¹(alpha/2; k, n-k+1) (0 when k = 0), upper = Beta⁻¹(1-alpha/2; k+1, n-k) (1 when k = n). */
void fs_stats_clopper_pearson(double k, double n, double alpha, double *lower, double *upper);

/** Conservative log ratio (Evert): Clopper–Pearson interval of a/(a+b) at 95% with a Bonferroni
 *  correction over `n_tests`; τ is the lower bound when a/n1 ≥ b/n2 (else the upper bound) and
 *  lrc = log2((n2/n1)·τ/(1−τ)), clamped to ≥ 0 (resp. ≤ 0). NAN when n1, n2 or a+b is 0. */
double fs_stats_lrc(double a, double b, double n1, double n2, size_t n_tests);

/** Weighted log-odds z with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008):
 *  α_w = alpha0·(a+b)/N; δ = ln((a+α_w)/(n1+alpha0−a−α_w)) − ln((b+α_w)/(n2+alpha0−b−α_w));
 *  σ² = 1/(a+α_w) + 1/(b+α_w); z = δ/σ. NAN when N or a+b is 0. */
double fs_stats_logodds_z(double a, double b, double n1, double n2, double alpha0);

/** Benjamini–Hochberg adjusted q-values of p[0..n) into q (may alias p). NAN p-values are left
 *  out of the count and get NAN. Allocates a scratch index; FS_ERR_NOMEM on failure. */
fs_status fs_stats_bh(const double *p, size_t n, double *q);

/* ============================ association (stats_assoc.c) ============================ */

/** Gries' DP: 0.5·Σ|v_i/f − s_i| over n parts, f = Σ v_i; s the parts' shares (summing to 1).
 *  NAN when n < 2 or f = 0. */
double fs_stats_dp(const double *v, const double *s, size_t n);

/** PMI of a windowed pair: log2(count·n1 / (2·window·count_a·count_b)). NAN when undefined. */
double fs_stats_pmi(double count, double count_a, double count_b, double n1, int window);

/** logDice: 14 + log2(2·count / (count_a + count_b)). NAN when count_a + count_b is 0. */
double fs_stats_log_dice(double count, double count_a, double count_b);

/* ============================== frames (stats_frames.c) ============================== */

/** Exact Poisson 95% interval for a count k: lower = χ²⁻¹(0.025; 2k)/2 (0 when k = 0),
 *  upper = χ²⁻¹(0.975; 2k+2)/2. In counts (scale them to a rate yourself). */
void fs_stats_poisson_ci(double k, double *lower, double *upper);

/** Chi-square test of independence of a rows × cols table (row-major `obs`). All-zero rows and
 *  columns are dropped first (counted in out->dropped_rows/cols); the test is valid when at
 *  least 2 × 2 remains. `resid` (rows × cols, may be NULL) receives adjusted standardized
 *  residuals (O−E)/√(E(1−row/n)(1−col/n)), NAN for dropped cells. FS_ERR_NOMEM on failure. */
fs_status fs_stats_chisq(const double *obs, size_t rows, size_t cols, fs_chisq *out,
                         double *resid);

/* ========================== similarity (stats_similarity.c) ========================== */

/** Cosine of two non-negative vectors. NAN when either is all zero. */
double fs_stats_cosine(const double *x, const double *y, size_t n);

/** Jensen–Shannon divergence in bits (0..1) between x and y, each normalized to sum 1 first.
 *  NAN when either is all zero. */
double fs_stats_jsd(const double *x, const double *y, size_t n);

/** Result of a correspondence analysis (owned arrays; free with fs_stats_ca_free). */
typedef struct fs_stats_ca {
    size_t rows, cols;
    double *row_coord;     /* rows × 2 principal coordinates, NAN for a row with no mass */
    double *col_coord;     /* cols × 2, NAN for a column with no mass */
    double *sv;            /* singular values, descending; n_sv of them */
    size_t n_sv;
    double total_inertia;  /* Σ sv² = chi-square / n */
    double share[2];       /* sv[0]²/total, sv[1]²/total (0 when missing) */
    bool valid;            /* ≥ 3 rows and ≥ 2 columns with mass, and total inertia > 0 */
} fs_stats_ca;

/** Correspondence analysis of a rows × cols count matrix (row-major) by SVD of the standardized
 *  residual matrix D_r^{-1/2}(P − r cᵀ)D_c^{-1/2} (gsl_linalg_SV_decomp). Rows and columns with
 *  zero mass are left out. The sign of each dimension is fixed so that the first row with a
 *  non-zero coordinate on it is positive. A degenerate table gives valid = false (not an error).
 *  FS_ERR_NOMEM / FS_ERR_STATS on failure. */
fs_status fs_stats_ca_run(const double *m, size_t rows, size_t cols, fs_stats_ca *out);
void fs_stats_ca_free(fs_stats_ca *ca);

/* ============================= building the analysis ============================= */

/** One co-occurrence pair of a source: term ids a < b. */
typedef struct fs_stats_pair {
    uint32_t a, b;
    uint64_t count;
} fs_stats_pair;

/** Everything the builder reads, as plain arrays (all borrowed). Terms are in byte order. */
typedef struct fs_stats_input {
    size_t n_sources, n_terms, n_frames, n_docs;
    const char *const *terms;          /* n_terms */
    const uint64_t *tf;                /* n_sources × n_terms, row-major by source */
    const uint32_t *df;                /* n_sources × n_terms */
    const uint64_t *tokens;            /* per source: word tokens before stopword removal */
    const uint64_t *content_tokens;    /* per source: after */
    const fs_doc_info *docs;           /* n_docs, corpus order (counted or not) */
    /* Document `doc`'s sparse term vector (ids ascending) decoded into terms/counts, each with
     * room for doc_terms_max entries; returns the number of entries. Read on demand, so that
     * the vectors of a large corpus are never gathered. NULL: no vectors. */
    size_t (*doc_terms)(const void *owner, size_t doc, uint32_t *terms, uint32_t *counts);
    const void *doc_owner;             /* doc_terms's first argument */
    size_t doc_terms_max;
    /* Optional: told that one pass has read the vectors of documents [begin, end) (in document
     * order), so that an owner keeping them in a spool can drop them from memory. */
    void (*docs_read)(const void *owner, size_t begin, size_t end);
    const void *docs_owner;            /* docs_read's first argument */
    const uint64_t *frame_hits;        /* n_sources × n_frames */
    const fs_stats_pair *const *pairs; /* per source, sorted by (a, b); or NULL with pair_at */
    const size_t *n_pairs;             /* per source */
    /* Optional, instead of `pairs`: pair i of source s, read on demand (e.g. straight from the
     * fs_counts), so that the gatherer need not copy every pair (16 bytes each, tens of
     * millions on a large corpus) for the builder to read them twice and keep a few. */
    void (*pair_at)(const void *owner, size_t source, size_t i, fs_stats_pair *out);
    const void *pair_owner;            /* pair_at's first argument */
    const fs_kwic *kwic;
    size_t n_kwic;
    const char *stopwords_version;
    bool cooc_pruned;
    const fs_ctx *ctx;                 /* thread budget for the per-source stages; NULL: one */
} fs_stats_input;

/** Builds the finished analysis from `in` and the run's settings in `cfg` (sources, frames,
 *  focus terms, analysis parameters). `opts` may be NULL. Returns an owned analysis. */
fs_status fs_stats_build(const fs_config *cfg, const fs_stats_input *in,
                         const fs_stats_opts *opts, fs_analysis **out, fs_error *err);

/* The stages of fs_stats_build, each filling its part of `a` (stats_*.c). `tested` marks the
 *  terms with corpus count ≥ min_count; `corpus_tf` holds the corpus counts. */
fs_status fs_stats_keyness(const fs_config *cfg, const fs_stats_input *in, const bool *tested,
                           fs_analysis *a, fs_error *err);
fs_status fs_stats_dispersion(const fs_stats_input *in, fs_analysis *a, fs_error *err);
fs_status fs_stats_colloc(const fs_config *cfg, const fs_stats_input *in, fs_analysis *a,
                          fs_error *err);
fs_status fs_stats_frames(const fs_stats_input *in, fs_analysis *a, fs_error *err);
fs_status fs_stats_similarity(const fs_config *cfg, const fs_stats_input *in, const bool *tested,
                              const uint64_t *corpus_tf, fs_analysis *a, fs_error *err);
/** Writes the summary sentences (needs every table above). */
fs_status fs_stats_findings(fs_analysis *a, fs_error *err);

/** Whether the terms are in strictly ascending byte order (as fs_counts gives them): then term
 *  ids order rows exactly as their text does, and the stages sort on ids instead of strings. */
bool fs_stats_terms_ordered(const fs_stats_input *in);

/** Sorts one source's rows[0..m) (each `size` bytes, made in term order). Unordered terms:
 *  qsort with `cmp`, the table's full order. Ordered terms (fs_stats_terms_ordered): by
 *  (rank(row) desc, NAN last, position), which is the same order as `cmp` within a source when
 *  `cmp` breaks ties by term text, but compares small keys instead of strings. An integer rank
 *  is exact below 2^53. FS_ERR_NOMEM when the keys cannot be allocated (rows left as they were). */
fs_status fs_stats_sort_rows(void *rows, size_t m, size_t size, bool ordered,
                             int (*cmp)(const void *, const void *),
                             double (*rank)(const void *row));

/** strdup that maps NULL to NULL; sets *failed on OOM. */
char *fs_stats_strdup(const char *s, bool *failed);

#endif
