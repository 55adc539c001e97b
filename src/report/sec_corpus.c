/* sec_corpus.c: per source documents, duplicates merged, tokens, types, date range and the
 * share of text removed as boilerplate; a bar chart of content tokens. */
#include <stdio.h>
#include <stdlib.h>
#include "report/report_internal.h"

static void corpus_chart(rpt *r)
{
    const fs_analysis *a = r->a;
    size_t n = a->n_sources;
    const char **labels = calloc(n, sizeof *labels);
    double *values = calloc(n, sizeof *values);
    fs_chart_rgb *colors = calloc(n, sizeof *colors);
    if (!labels || !values || !colors) {
        rpt_chart_done(r, FS_ERR_NOMEM, "corpus");
        goto done;
    }
    for (size_t s = 0; s < n; s++) {
        labels[s] = rpt_label(r, s);
        values[s] = (double)a->sources[s].content_tokens;
        colors[s] = rpt_color(r, s);
    }
    fs_chart_series series = {"Content tokens", fs_chart_palette(0), values, NULL, NULL};
    fs_chart_bars bars = {labels, n, &series, 1, colors, "Content tokens (after stopwords)",
                          true, 0};
    fs_canvas cv;
    fs_box box;
    fs_pdf_heading(r->pdf, "Content tokens per source", rpt_chart_height(r, FS_CHART_HBAR, n, 1));
    if (rpt_figure(r, rpt_chart_height(r, FS_CHART_HBAR, n, 1), &cv, &box))
        rpt_chart_done(r, fs_chart_hbar(&cv, box.x, box.y, box.w, box.h, &bars, &r->cs),
                       "corpus");
done:
    free(labels);
    free(values);
    free(colors);
}

void sec_corpus(rpt *r)
{
    const fs_analysis *a = r->a;
    fs_pdf_paragraph(r->pdf,
                     "Documents counted per source after near-duplicates were merged, with the "
                     "word tokens before and after stopword removal, distinct content terms, "
                     "the date range and the share of raw text removed as boilerplate.",
                     FS_TEXT_BODY);
    static const rpt_column cols[] = {
        {"Source", FS_COL_WRAP, 0},
        {"Documents", FS_COL_NUM, 0},
        {"Duplicates merged", FS_COL_NUM, 0},
        {"Tokens", FS_COL_NUM, 0},
        {"Content tokens", FS_COL_NUM, 0},
        {"Types", FS_COL_NUM, 0},
        {"First date", FS_COL_CLIP, 0},
        {"Last date", FS_COL_CLIP, 0},
        {"Removed %", FS_COL_NUM, 1},
    };
    fs_pdf_table *t = rpt_table(r, cols, sizeof cols / sizeof cols[0]);
    if (!t)
        return;
    char d[16];
    for (size_t s = 0; s < a->n_sources; s++) {
        const fs_source_summary *ss = &a->sources[s];
        fs_pdf_table_row(t);
        fs_pdf_table_text(t, rpt_label(r, s));
        fs_pdf_table_count(t, ss->docs);
        fs_pdf_table_count(t, ss->duplicates);
        fs_pdf_table_count(t, ss->tokens);
        fs_pdf_table_count(t, ss->content_tokens);
        fs_pdf_table_count(t, ss->types);
        rpt_date(d, sizeof d, ss->first);
        fs_pdf_table_text(t, d);
        rpt_date(d, sizeof d, ss->last);
        fs_pdf_table_text(t, d);
        fs_pdf_table_num(t, 100.0 * ss->removed_share);
    }
    /* Totals of the rows above (total_docs also counts documents outside the period). */
    uint64_t docs = 0, dups = 0;
    for (size_t s = 0; s < a->n_sources; s++) {
        docs += a->sources[s].docs;
        dups += a->sources[s].duplicates;
    }
    fs_pdf_table_row(t);
    fs_pdf_table_text(t, "All sources");
    fs_pdf_table_count(t, docs);
    fs_pdf_table_count(t, dups);
    fs_pdf_table_count(t, a->total_tokens);
    fs_pdf_table_count(t, a->total_content_tokens);
    fs_pdf_table_text(t, "");
    fs_pdf_table_text(t, "");
    fs_pdf_table_text(t, "");
    fs_pdf_table_text(t, "");
    fs_pdf_table_draw(r->pdf, t);
    fs_pdf_table_free(t);
    rpt_small_sources_note(r);
    if (a->skipped_files || a->skipped_lines || a->invalid_bytes) {
        char buf[256];
        snprintf(buf, sizeof buf,
                 "Input problems: %zu file(s) and %zu JSON line(s) skipped, %zu invalid byte(s) "
                 "replaced.", a->skipped_files, a->skipped_lines, a->invalid_bytes);
        fs_pdf_paragraph(r->pdf, buf, FS_TEXT_NOTE);
    }
    corpus_chart(r);
}
