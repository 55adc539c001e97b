/**
 * pipeline.h: a whole run as a sequence of stages, for main.c and the end-to-end tests.
 *
 *   config → corpus → clean → (period selection) → count → stats → {export, history, report,
 *   summary, email}
 *
 * Every output is written to a temporary file and renamed; a lock file next to the PDF keeps two
 * runs from writing the same output at once. Each stage logs one INFO line with its elapsed time.
 * `count` and `merge` split the counting across processes: `fs_pipeline_count` counts the K-th
 * of N slices of the documents into a shard file, `fs_pipeline_merge` adds shards, and a run
 * with `from_counts` renders the same report and exports as a direct run.
 */
#ifndef FRAMESCOPE_PIPELINE_H
#define FRAMESCOPE_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "framescope/ctx.h"
#include "framescope/error.h"

typedef struct fs_run_opts {
    const char *config_path;
    const char *output;        /* --output: PDF path overriding report.output; NULL: config */
    const char *export_dir;    /* --export-dir; NULL: no exports */
    const char *from_counts;   /* --from-counts: shard/merged counts file instead of the corpus */
    const char *period;        /* --period */
    const char *from, *to;     /* --from, --to */
    bool no_pdf;               /* --no-pdf: stop after exports (benchmarks, data-only runs) */
    bool check_only;           /* --check-config: load and validate, nothing else */
    time_t now;                /* run date: SOURCE_DATE_EPOCH or the clock */
} fs_run_opts;

typedef struct fs_run_result {
    char *pdf_path;            /* malloc'd; NULL when no PDF was written */
    int pages;
    size_t pdf_bytes;
    size_t documents;          /* counted */
    size_t sources;
    uint64_t tokens;
    double seconds;
} fs_run_result;

fs_status fs_pipeline_run(const fs_run_opts *opts, const fs_ctx *ctx, fs_run_result *res,
                          fs_error *err);
void fs_run_result_free(fs_run_result *res);

/** Counts slice `k` of `n` (1-based; documents i with i % n == k-1) into `out`. */
fs_status fs_pipeline_count(const fs_run_opts *opts, const fs_ctx *ctx, unsigned k, unsigned n,
                            const char *out, fs_error *err);
/** Adds the shard files into one counts file `out`. */
fs_status fs_pipeline_merge(const fs_run_opts *opts, const fs_ctx *ctx, const char *const *shards,
                            size_t n_shards, const char *out, fs_error *err);

#endif
