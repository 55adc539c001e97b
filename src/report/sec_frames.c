/* sec_frames.c: frame rates per 1,000 tokens with 95% intervals (grouped bars with whiskers and
 * a table), the chi-square test of frames x sources, standardized residuals as a heatmap. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "report/report_internal.h"

static const fs_frame_row *frame_row(const fs_analysis *a, size_t frame, size_t source)
{
    for (size_t i = 0; i < a->n_frame_rows; i++)
        if (a->frame_rows[i].frame == frame && a->frame_rows[i].source == source)
            return &a->frame_rows[i];
    return NULL;
}

static void frames_charts(rpt *r)
{
    const fs_analysis *a = r->a;
    size_t nf = a->n_frames, ns = a->n_sources, cells = nf * ns;
    double *val = calloc(cells, sizeof *val), *lo = calloc(cells, sizeof *lo),
           *hi = calloc(cells, sizeof *hi), *res = calloc(cells, sizeof *res);
    fs_chart_series *series = calloc(ns, sizeof *series);
    const char **src = calloc(ns, sizeof *src);
    if (!val || !lo || !hi || !res || !series || !src) {
        rpt_chart_done(r, FS_ERR_NOMEM, "frames");
        goto done;
    }
    for (size_t s = 0; s < ns; s++) {
        src[s] = rpt_label(r, s);
        for (size_t f = 0; f < nf; f++) {
            const fs_frame_row *fr = frame_row(a, f, s);
            size_t i = s * nf + f;          /* series-major for the bars */
            val[i] = fr ? fr->rate_per_1k : NAN;
            lo[i] = fr ? fr->ci_low : NAN;
            hi[i] = fr ? fr->ci_high : NAN;
            res[f * ns + s] = fr ? fr->std_residual : NAN;   /* frames x sources */
        }
        series[s] = (fs_chart_series){src[s], rpt_color(r, s), val + s * nf, lo + s * nf,
                                      hi + s * nf};
    }
    fs_chart_bars bars = {(const char *const *)a->frames, nf, series, ns, NULL,
                          "Rate per 1,000 words (95% interval)", false, 1};
    fs_canvas cv;
    fs_box box;
    double h = rpt_chart_height(r, FS_CHART_GROUPED, nf, ns);
    fs_pdf_heading(r->pdf, "Frame rates by source", h);
    if (rpt_figure(r, h, &cv, &box))
        rpt_chart_done(r, fs_chart_grouped(&cv, box.x, box.y, box.w, box.h, &bars, &r->cs),
                       "frame rates");
    fs_chart_matrix m = {(const char *const *)a->frames, nf, src, ns, res,
                         FS_CHART_RAMP_DIVERGING, 0, 0, 0, "Standardized residual", true, 1,
                         false};
    h = rpt_chart_height(r, FS_CHART_HEATMAP, nf, 0);
    fs_pdf_heading(r->pdf, "Standardized residuals (frames \xC3\x97 sources)", h);
    if (rpt_figure(r, h, &cv, &box))
        rpt_chart_done(r, fs_chart_heatmap(&cv, box.x, box.y, box.w, box.h, &m, &r->cs),
                       "frame residuals");
done:
    free(val);
    free(lo);
    free(hi);
    free(res);
    free(series);
    free(src);
}

static void chisq_line(rpt *r)
{
    const fs_chisq *c = &r->a->frames_test;
    char buf[400], p[48];
    if (!c->valid) {
        fs_pdf_paragraph(r->pdf,
                         "Note: the chi-square test of frames \xC3\x97 sources is not defined "
                         "here: fewer than two frames or two sources have any hit.",
                         FS_TEXT_NOTE);
        return;
    }
    rpt_pvalue(p, sizeof p, "p", c->p);
    snprintf(buf, sizeof buf,
             "Chi-square test of independence of frames and sources (frame hits against "
             "tokens without a hit): \xCF\x87\xC2\xB2 = %.2f, df = %d, %s. %s",
             c->statistic, c->df, p,
             c->p < 0.05 ? "The sources differ in how often they use these frames."
                         : "The test finds no clear difference between the sources.");
    fs_pdf_paragraph(r->pdf, buf, FS_TEXT_BODY);
    if (c->dropped_rows || c->dropped_cols) {
        snprintf(buf, sizeof buf,
                 "Note: %zu frame(s) and %zu source(s) without any hit were left out of the "
                 "test.", c->dropped_rows, c->dropped_cols);
        fs_pdf_paragraph(r->pdf, buf, FS_TEXT_NOTE);
    }
    if (c->low_expected)
        fs_pdf_paragraph(r->pdf,
                         "Note: some expected counts are below 5, so the chi-square "
                         "approximation is unreliable; read the p value with caution.",
                         FS_TEXT_NOTE);
}

void sec_frames(rpt *r)
{
    const fs_analysis *a = r->a;
    if (a->n_frames == 0) {
        fs_pdf_paragraph(r->pdf, "No frames are configured (analysis.frames).", FS_TEXT_BODY);
        return;
    }
    fs_pdf_paragraph(r->pdf,
                     "A frame is a set of patterns; its rate is the number of matches per "
                     "1,000 words of a source (stopwords included), with a 95% confidence interval. Residuals "
                     "above 2 or below \xE2\x88\x92" "2 mark cells that differ clearly from "
                     "what independence predicts.",
                     FS_TEXT_BODY);
    chisq_line(r);
    static const rpt_column cols[] = {
        {"Frame", FS_COL_WRAP, 0},
        {"Source", FS_COL_WRAP, 0},
        {"Hits", FS_COL_NUM, 0},
        {"Per 1k", FS_COL_NUM, 2},
        {"95% low", FS_COL_NUM, 2},
        {"95% high", FS_COL_NUM, 2},
        {"Residual", FS_COL_NUM, 2},
    };
    fs_pdf_table *t = rpt_table(r, cols, sizeof cols / sizeof cols[0]);
    if (!t)
        return;
    for (size_t i = 0; i < a->n_frame_rows; i++) {
        const fs_frame_row *fr = &a->frame_rows[i];
        fs_pdf_table_row(t);
        fs_pdf_table_text(t, fr->frame < a->n_frames ? a->frames[fr->frame] : "?");
        fs_pdf_table_text(t, rpt_label(r, fr->source));
        fs_pdf_table_count(t, fr->hits);
        fs_pdf_table_num(t, fr->rate_per_1k);
        fs_pdf_table_num(t, fr->ci_low);
        fs_pdf_table_num(t, fr->ci_high);
        fs_pdf_table_num(t, fr->std_residual);
    }
    fs_pdf_table_draw(r->pdf, t);
    fs_pdf_table_free(t);
    rpt_small_sources_note(r);
    frames_charts(r);
}
