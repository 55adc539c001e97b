/**
 * period.h: which documents a run covers. `--period 2025-04`, `--period last-month` (relative
 * to `now`: the run date from SOURCE_DATE_EPOCH or the clock, chosen by main), `--period 2025`,
 * or `--from DATE --to DATE` (inclusive, either may be open). No period: everything.
 */
#ifndef FRAMESCOPE_PERIOD_H
#define FRAMESCOPE_PERIOD_H

#include <stdbool.h>
#include <time.h>
#include "framescope/config.h"
#include "framescope/error.h"

typedef struct fs_period {
    bool all;          /* no restriction */
    fs_date from, to;  /* inclusive; a zero date means open on that side */
    char label[48];    /* "all", "2025-04", "2025", "2025-01-01_2025-03-31" (safe in file names) */
} fs_period;

/** Parses the options; `spec` may be NULL; `from`/`to` may be NULL. FS_ERR_USAGE on bad input
 *  (where names the option). Both a spec and from/to is an error. */
fs_status fs_period_parse(const char *spec, const char *from, const char *to, time_t now,
                          fs_period *out, fs_error *err);
/** Parses "YYYY-MM-DD" into a real calendar date. */
bool fs_date_parse_iso(const char *s, fs_date *out);
/** True when `d` is set and inside the period (or the period is `all`). */
bool fs_period_contains(const fs_period *p, fs_date d);
/** -1, 0, 1 like strcmp; unset dates sort first. */
int fs_date_cmp(fs_date a, fs_date b);
/** Days in a month of a year (Gregorian). */
int fs_days_in_month(int year, int month);

#endif
