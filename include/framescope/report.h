/**
 * report.h: the typeset PDF (libharu) from a finished analysis: cover, summary, corpus,
 * vocabulary, distinctive terms, frames, co-occurrence, similarity, concordance, methods,
 * provenance (order and selection from cfg->report.sections), with a clickable table of
 * contents, outline, running header and "page x of y". Written to a temporary file and renamed.
 */
#ifndef FRAMESCOPE_REPORT_H
#define FRAMESCOPE_REPORT_H

#include <stddef.h>
#include <time.h>
#include "framescope/analysis.h"
#include "framescope/config.h"
#include "framescope/history.h"
#include "framescope/ctx.h"
#include "framescope/error.h"

typedef struct fs_report_opts {
    time_t created;              /* document date (SOURCE_DATE_EPOCH or now, chosen by main) */
    const struct fs_changes *changes;    /* "Changes since PERIOD" rows (history.h), or NULL */
} fs_report_opts;

typedef struct fs_report_info {
    int pages;
    size_t bytes;
    size_t replaced_chars;       /* characters the fonts could not draw (replaced visibly) */
} fs_report_info;

fs_status fs_report_write(const fs_config *cfg, const fs_ctx *ctx, const fs_analysis *a,
                          const fs_report_opts *opts, const char *path, fs_report_info *info,
                          fs_error *err);

#endif
