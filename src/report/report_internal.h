/* report_internal.h: what the section files share: the run being rendered and small helpers
 * (labels, colours, number and date formats, chart boxes). Sections place everything through
 * pdf.h (flow cursor, tables) and chart.h (through the canvas); they never compute statistics. */
#ifndef FRAMESCOPE_REPORT_INTERNAL_H
#define FRAMESCOPE_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "framescope/analysis.h"
#include "framescope/chart.h"
#include "framescope/config.h"
#include "framescope/pdf.h"
#include "framescope/report.h"

typedef struct rpt {
    fs_pdf *pdf;
    const fs_theme *th;
    const fs_config *cfg;
    const fs_analysis *a;
    const fs_report_opts *opts;
    const fs_ctx *ctx;
    fs_chart_style cs;
    fs_status status;        /* first failure outside libharu (chart NOMEM) */
} rpt;

typedef void (*rpt_section_fn)(rpt *r);

typedef struct rpt_section {
    const char *name;        /* as in fs_report_section_names */
    const char *title;       /* heading, contents and outline entry */
    rpt_section_fn fn;
} rpt_section;

/* One per sec_<name>.c. */
void sec_cover(rpt *r);
void sec_summary(rpt *r);
void sec_corpus(rpt *r);
void sec_vocabulary(rpt *r);
void sec_keyness(rpt *r);
void sec_frames(rpt *r);
void sec_cooccurrence(rpt *r);
void sec_similarity(rpt *r);
void sec_concordance(rpt *r);
void sec_methods(rpt *r);
void sec_provenance(rpt *r);
void sec_changes(rpt *r);

/* report_util.c */
const char *rpt_label(const rpt *r, size_t source);
/* analysis.top_terms, or its default 20 when unset: terms per source in the term tables. */
int rpt_top_terms(const rpt *r);
fs_chart_rgb rpt_color(const rpt *r, size_t source);
/* "2025-04-01"; "undated" for a zero date. */
void rpt_date(char *buf, size_t cap, fs_date d);
/* "12,345" */
void rpt_count(char *buf, size_t cap, uint64_t v);
/* "p < 0.001" or "p = 0.034" (the p or q name given). */
void rpt_pvalue(char *buf, size_t cap, const char *name, double p);
/* Reserves a figure of `h` and returns its canvas and box (false after an error). */
bool rpt_figure(rpt *r, double h, fs_canvas *cv, fs_box *box);
/* Chart height preferred for `kind`, kept within one page body. */
double rpt_chart_height(const rpt *r, fs_chart_kind kind, size_t rows, size_t series);
/* Records a chart failure: NOMEM fails the report, other errors are logged and skipped. */
void rpt_chart_done(rpt *r, fs_status st, const char *what);
/* One column of a table made by rpt_table: header, kind, decimals (fs_pdf_table_column). */
typedef struct rpt_column {
    const char *header;
    fs_col_kind kind;
    int decimals;
} rpt_column;
/* A table with these `n` columns; NULL when out of memory, which fails the report (as
 * rpt_chart_done does). The caller frees the table. */
fs_pdf_table *rpt_table(rpt *r, const rpt_column *cols, size_t n);
/* A note under a table naming the sources below analysis.min_source_tokens (if any). */
void rpt_small_sources_note(rpt *r);

#endif
