/**
 * stats.h: comparative statistics (GSL) from counts to the finished analysis.
 *
 * Keyness (G², p, BH q, log ratio, conservative log ratio, weighted log-odds z), Gries' DP,
 * collocations (PMI, logDice), frame rates with exact Poisson intervals, the frames × sources
 * chi-square test with adjusted standardized residuals, cosine and Jensen–Shannon similarity,
 * correspondence analysis by SVD, and the summary findings. Definitions are in the README's
 * "Statistics" section and in the methods section of the report.
 *
 * Ownership: returns an owned fs_analysis (analysis.h), which copies every string it needs: the
 * counts can be freed afterwards.
 */
#ifndef FRAMESCOPE_STATS_H
#define FRAMESCOPE_STATS_H

#include "framescope/analysis.h"
#include "framescope/config.h"
#include "framescope/count.h"
#include "framescope/ctx.h"
#include "framescope/error.h"

typedef struct fs_stats_opts {
    const char *period;          /* label for the report ("all", "2025-04", "2025-01-01..2025-03-31") */
    size_t skipped_lines, skipped_files, invalid_bytes;  /* from the corpus stage, for the report */
} fs_stats_opts;

fs_status fs_stats_run(const fs_config *cfg, const fs_ctx *ctx, const fs_counts *counts,
                       const fs_stats_opts *opts, fs_analysis **out, fs_error *err);

#endif
