/* sec_vocabulary.c: the most frequent content terms per source (per 10,000 tokens), side by
 * side, a few sources per table so the columns stay readable. */
#include <stdio.h>
#include "report/report_internal.h"

#define SOURCES_PER_TABLE 4

/* Index of the first term row of `source` (rows are grouped by source), n_terms if none. */
static size_t first_row(const fs_analysis *a, size_t source)
{
    for (size_t i = 0; i < a->n_terms; i++)
        if (a->terms[i].source == source)
            return i;
    return a->n_terms;
}

static void vocab_table(rpt *r, size_t s0, size_t s1, size_t top)
{
    const fs_analysis *a = r->a;
    size_t ns = s1 - s0;
    fs_pdf_table *t = fs_pdf_table_create(1 + 2 * ns);
    if (!t) {
        rpt_chart_done(r, FS_ERR_NOMEM, "vocabulary table");
        return;
    }
    fs_pdf_table_column(t, 0, "#", FS_COL_NUM, 0);
    size_t start[SOURCES_PER_TABLE];
    for (size_t k = 0; k < ns; k++) {
        fs_pdf_table_column(t, 1 + 2 * k, rpt_label(r, s0 + k), FS_COL_CLIP, 0);
        fs_pdf_table_column(t, 2 + 2 * k, "per 10k", FS_COL_NUM, 1);
        start[k] = first_row(a, s0 + k);
    }
    for (size_t i = 0; i < top; i++) {
        bool any = false;
        for (size_t k = 0; k < ns; k++) {
            size_t j = start[k] + i;
            any = any || (j < a->n_terms && a->terms[j].source == s0 + k);
        }
        if (!any)
            break;
        fs_pdf_table_row(t);
        fs_pdf_table_count(t, i + 1);
        for (size_t k = 0; k < ns; k++) {
            size_t j = start[k] + i;
            if (j < a->n_terms && a->terms[j].source == s0 + k) {
                fs_pdf_table_text(t, a->terms[j].term);
                fs_pdf_table_num(t, a->terms[j].per_10k);
            } else {
                fs_pdf_table_text(t, "");
                fs_pdf_table_text(t, "");
            }
        }
    }
    fs_pdf_table_draw(r->pdf, t);
    fs_pdf_table_free(t);
}

void sec_vocabulary(rpt *r)
{
    const fs_analysis *a = r->a;
    int top = rpt_top_terms(r);
    char buf[320];
    snprintf(buf, sizeof buf,
             "The %d most frequent content terms of each source, per 10,000 content tokens of "
             "that source (stopwords removed, aliases and multiword terms merged).", top);
    fs_pdf_paragraph(r->pdf, buf, FS_TEXT_BODY);
    for (size_t s0 = 0; s0 < a->n_sources; s0 += SOURCES_PER_TABLE) {
        size_t s1 = s0 + SOURCES_PER_TABLE < a->n_sources ? s0 + SOURCES_PER_TABLE : a->n_sources;
        vocab_table(r, s0, s1, (size_t)top);
    }
    rpt_small_sources_note(r);
}
