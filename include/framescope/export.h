/**
 * export.h: machine-readable exports of an analysis, each written atomically into `dir`:
 * sources.csv, terms.csv, documents.csv, keyness.csv, cooccurrence.csv, frames.csv,
 * similarity.csv, ca.csv (RFC 4180, numbers with %.17g) and stats.json (everything, plus the
 * parameters and versions). Column lists are in the README.
 */
#ifndef FRAMESCOPE_EXPORT_H
#define FRAMESCOPE_EXPORT_H

#include "framescope/analysis.h"
#include "framescope/error.h"

fs_status fs_export_write(const fs_analysis *a, const char *dir, fs_error *err);
/** stats.json alone (also used for the history folder). */
fs_status fs_export_stats_json(const fs_analysis *a, const char *path, fs_error *err);

#endif
