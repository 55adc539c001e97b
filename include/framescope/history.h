/**
 * history.h: run history and period-over-period change.
 *
 * Each run stores its stats.json as `<history_dir>/stats-<period>.json`. When an earlier period's
 * file exists, fs_changes_compute compares it with the current analysis: per source, the terms
 * (per 10k) and frames (per 1k) that rose or fell most, with both periods' numbers. Ties are
 * broken by item text, then source order, so the section is stable.
 *
 * Ownership: fs_changes is owned by the caller (fs_changes_free).
 */
#ifndef FRAMESCOPE_HISTORY_H
#define FRAMESCOPE_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include "framescope/analysis.h"
#include "framescope/error.h"

typedef struct fs_change_row {
    size_t source;      /* index into the current analysis' sources */
    char *item;         /* term or frame name */
    bool is_frame;
    double before, after, delta;   /* per 10k (terms) or per 1k (frames) */
} fs_change_row;

typedef struct fs_changes {
    char *previous_period;
    fs_change_row *rows;   /* by source, frames first, then terms; within each: delta desc */
    size_t n_rows;
} fs_changes;

/** Writes stats.json of `a` to `<dir>/stats-<period>.json` atomically (creates dir). */
fs_status fs_history_store(const fs_analysis *a, const char *dir, const char *period, fs_error *err);
/** Finds the latest stored period strictly before `period` (by name order). *path = NULL when
 *  none. Caller frees *path and *prev_period. */
fs_status fs_history_find_previous(const char *dir, const char *period, char **path,
                                   char **prev_period, fs_error *err);
/** Compares `a` with the stats.json at `prev_path`; `per_source` rising and falling items each. */
fs_status fs_changes_compute(const fs_analysis *a, const char *prev_path, const char *prev_period,
                             size_t per_source, fs_changes **out, fs_error *err);
void fs_changes_free(fs_changes *c);

#endif
