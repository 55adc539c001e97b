/* sec_keyness.c: distinctive terms of each source against the rest of the corpus: diverging
 * bars of the log ratio (over- and under-used) and a table with G2, p, q, log ratio and the
 * weighted log-odds z. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "report/report_internal.h"

/* Up to `k` over-used and `k` under-used terms of source s (rows are by g2 desc). */
static void keyness_chart(rpt *r, size_t s, size_t k)
{
    const fs_analysis *a = r->a;
    size_t cap = 2 * k, n = 0, pos = 0, neg = 0;
    const char **labels = calloc(cap ? cap : 1, sizeof *labels);
    double *values = calloc(cap ? cap : 1, sizeof *values);
    if (!labels || !values) {
        rpt_chart_done(r, FS_ERR_NOMEM, "keyness");
        goto done;
    }
    for (size_t i = 0; i < a->n_keyness && n < cap; i++) {
        const fs_keyness_row *kr = &a->keyness[i];
        if (kr->source != s || !isfinite(kr->log_ratio))
            continue;
        if (kr->log_ratio > 0 && pos < k) {
            pos++;
        } else if (kr->log_ratio < 0 && neg < k) {
            neg++;
        } else {
            continue;
        }
        labels[n] = kr->term;
        values[n] = kr->log_ratio;
        n++;
    }
    /* Over-used terms first (largest ratio on top), then under-used. */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && values[j - 1] < values[j]; j--) {
            double v = values[j];
            values[j] = values[j - 1];
            values[j - 1] = v;
            const char *l = labels[j];
            labels[j] = labels[j - 1];
            labels[j - 1] = l;
        }
    if (n == 0)
        goto done;
    fs_chart_rgb c = rpt_color(r, s);
    fs_chart_divbars d = {labels, values, n, r->cs.muted, c, "Less used than the rest",
                          "More used than the rest", "Log ratio (binary log)", true, 1};
    double h = rpt_chart_height(r, FS_CHART_DIVERGING, n, 1);
    fs_canvas cv;
    fs_box box;
    if (rpt_figure(r, h, &cv, &box))
        rpt_chart_done(r, fs_chart_diverging(&cv, box.x, box.y, box.w, box.h, &d, &r->cs),
                       "keyness");
done:
    free(labels);
    free(values);
}

static void keyness_table(rpt *r, size_t s, size_t top)
{
    const fs_analysis *a = r->a;
    static const rpt_column cols[] = {
        {"Term", FS_COL_WRAP, 0},
        {"Count", FS_COL_NUM, 0},
        {"Rest", FS_COL_NUM, 0},
        {"G\xC2\xB2", FS_COL_NUM, 2},
        {"p", FS_COL_NUM, 3},
        {"q (BH)", FS_COL_NUM, 3},
        {"Log ratio", FS_COL_NUM, 2},
        {"Log-odds z", FS_COL_NUM, 2},
    };
    fs_pdf_table *t = rpt_table(r, cols, sizeof cols / sizeof cols[0]);
    if (!t)
        return;
    size_t shown = 0, weak = 0;
    for (size_t i = 0; i < a->n_keyness && shown < top; i++) {
        const fs_keyness_row *kr = &a->keyness[i];
        if (kr->source != s)
            continue;
        fs_pdf_table_row(t);
        fs_pdf_table_text(t, kr->term);
        fs_pdf_table_count(t, kr->count);
        fs_pdf_table_count(t, kr->ref_count);
        fs_pdf_table_num(t, kr->g2);
        fs_pdf_table_pvalue(t, kr->p);
        fs_pdf_table_pvalue(t, kr->q);
        fs_pdf_table_num(t, kr->log_ratio);
        fs_pdf_table_num(t, kr->logodds_z);
        shown++;
        weak += !(kr->q < 0.05);
    }
    if (shown == 0) {
        fs_pdf_table_free(t);
        fs_pdf_paragraph(r->pdf, "No term was tested for this source.", FS_TEXT_SMALL);
        return;
    }
    fs_pdf_table_draw(r->pdf, t);
    fs_pdf_table_free(t);
    char buf[320];
    if (weak > 0) {
        snprintf(buf, sizeof buf,
                 "Note: %zu of these %zu terms have q of 0.05 or more after the "
                 "Benjamini\xE2\x80\x93Hochberg correction: their difference may be chance.",
                 weak, shown);
        fs_pdf_paragraph(r->pdf, buf, FS_TEXT_NOTE);
    }
    if (s < a->n_sources && a->sources[s].small) {
        snprintf(buf, sizeof buf,
                 "Note: %s has fewer than %d content tokens; these terms rest on small counts.",
                 rpt_label(r, s), a->params.min_source_tokens);
        fs_pdf_paragraph(r->pdf, buf, FS_TEXT_NOTE);
    }
}

void sec_keyness(rpt *r)
{
    const fs_analysis *a = r->a;
    int top = rpt_top_terms(r);
    char buf[480];
    snprintf(buf, sizeof buf,
             "Each source is compared with all other sources together. G\xC2\xB2 is the "
             "log-likelihood statistic, q the p value adjusted for %zu tested terms "
             "(Benjamini\xE2\x80\x93Hochberg), the log ratio the binary log of the ratio of "
             "relative frequencies, and z the weighted log-odds with an informative prior. The "
             "bars show up to six over-used and six under-used terms; the table lists the "
             "strongest in either direction.",
             a->tested_terms);
    fs_pdf_paragraph(r->pdf, buf, FS_TEXT_BODY);
    if (a->no_reference) {
        fs_pdf_paragraph(r->pdf,
                         "Note: fewer than two sources have any content tokens, so no source "
                         "can be compared with the rest.", FS_TEXT_NOTE);
        return;
    }
    /* Six bars each side and fifteen table rows keep each source's chart and table on one
     * page, so the four comparisons read side by side instead of spreading over eight. */
    size_t k = (size_t)top / 2; /* bars each side; 0 when top_terms is 1 */
    if (k > 6)
        k = 6;
    size_t rows = (size_t)top < 15 ? (size_t)top : 15;
    size_t bars = k > 0 ? k : 1;
    for (size_t s = 0; s < a->n_sources; s++) {
        snprintf(buf, sizeof buf, "%s against the rest", rpt_label(r, s));
        fs_pdf_heading(r->pdf, buf, rpt_chart_height(r, FS_CHART_DIVERGING, 2 * k, 1));
        keyness_chart(r, s, bars);
        keyness_table(r, s, rows);
    }
}
