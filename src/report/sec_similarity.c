/* sec_similarity.c: cosine and Jensen-Shannon between sources (heatmaps and a table) and the
 * correspondence-analysis map of sources and terms. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "report/report_internal.h"

static void sim_heatmap(rpt *r, bool jsd, const char **labels, double *vals)
{
    const fs_analysis *a = r->a;
    size_t n = a->n_sources;
    for (size_t i = 0; i < n * n; i++)
        vals[i] = NAN;
    for (size_t i = 0; i < n; i++)
        vals[i * n + i] = jsd ? 0.0 : 1.0;
    for (size_t k = 0; k < a->n_similarity; k++) {
        const fs_similarity_row *s = &a->similarity[k];
        if (s->a >= n || s->b >= n)
            continue;
        double v = jsd ? s->jsd : s->cosine;
        vals[s->a * n + s->b] = vals[s->b * n + s->a] = v;
    }
    fs_chart_matrix m = {labels, n, labels, n, vals, FS_CHART_RAMP_SEQUENTIAL, 0, 0, 1,
                         jsd ? "Jensen\xE2\x80\x93Shannon divergence (0 = same)"
                             : "Cosine similarity (1 = same)",
                         true, 2, true};
    fs_canvas cv;
    fs_box box;
    double h = rpt_chart_height(r, FS_CHART_HEATMAP, n, 0);
    fs_pdf_heading(r->pdf, jsd ? "Jensen\xE2\x80\x93Shannon divergence" : "Cosine similarity", h);
    if (rpt_figure(r, h, &cv, &box))
        rpt_chart_done(r, fs_chart_heatmap(&cv, box.x, box.y, box.w, box.h, &m, &r->cs),
                       "similarity");
}

static void ca_map(rpt *r)
{
    const fs_analysis *a = r->a;
    if (!a->ca_valid || a->n_ca == 0) {
        fs_pdf_paragraph(r->pdf,
                         "Note: the correspondence analysis is not shown: it needs at least "
                         "three sources with enough shared terms.", FS_TEXT_NOTE);
        return;
    }
    fs_chart_point *pts = calloc(a->n_ca, sizeof *pts);
    fs_chart_legend_item *legend = calloc(a->n_sources + 1, sizeof *legend);
    if (!pts || !legend) {
        rpt_chart_done(r, FS_ERR_NOMEM, "correspondence map");
        goto done;
    }
    size_t np = 0;
    for (size_t i = 0; i < a->n_ca; i++) {
        const fs_ca_point *p = &a->ca[i];
        if (!isfinite(p->dim1) || !isfinite(p->dim2))
            continue;   /* a source with no mass on the map's terms */
        pts[np++] = (fs_chart_point){p->dim1, p->dim2, p->label,
                                  p->is_source ? rpt_color(r, p->source) : r->cs.muted,
                                  p->is_source ? FS_CHART_MARK_SQUARE : FS_CHART_MARK_CIRCLE,
                                  p->is_source};
    }
    for (size_t s = 0; s < a->n_sources; s++)
        legend[s] = (fs_chart_legend_item){rpt_label(r, s), rpt_color(r, s), 0};
    char xt[64], yt[64];
    snprintf(xt, sizeof xt, "Dimension 1 (%.1f%% of inertia)", 100.0 * a->ca_inertia[0]);
    snprintf(yt, sizeof yt, "Dimension 2 (%.1f%% of inertia)", 100.0 * a->ca_inertia[1]);
    fs_chart_xy d = {pts, np, xt, yt, true, true, legend, a->n_sources};
    fs_canvas cv;
    fs_box box;
    double h = rpt_chart_height(r, FS_CHART_SCATTER, 0, a->n_sources);
    fs_pdf_heading(r->pdf, "Correspondence analysis of sources and terms", h);
    fs_chart_info info = {0, 0, 0};
    if (rpt_figure(r, h, &cv, &box))
        rpt_chart_done(r, fs_chart_scatter(&cv, box.x, box.y, box.w, box.h, &d, &r->cs, &info),
                       "correspondence map");
    char buf[320];
    snprintf(buf, sizeof buf,
             "Sources (squares) and the %zu most frequent terms (dots) on the first two "
             "dimensions; terms near a source are used relatively more by it.%s",
             a->n_ca > a->n_sources ? a->n_ca - a->n_sources : 0,
             info.labels_dropped ? " Some term labels were left out for lack of room." : "");
    fs_pdf_paragraph(r->pdf, buf, FS_TEXT_NOTE);
done:
    free(pts);
    free(legend);
}

void sec_similarity(rpt *r)
{
    const fs_analysis *a = r->a;
    size_t n = a->n_sources;
    fs_pdf_paragraph(r->pdf,
                     "How alike the sources' vocabularies are: cosine similarity of their "
                     "term-frequency vectors (1 = same proportions) and the Jensen\xE2\x80\x93"
                     "Shannon divergence of their term distributions (0 = identical, 1 = no "
                     "term shared; base-2 logarithms).",
                     FS_TEXT_BODY);
    const char **labels = calloc(n ? n : 1, sizeof *labels);
    double *vals = calloc(n > 0 ? n * n : 1, sizeof *vals);
    if (!labels || !vals) {
        rpt_chart_done(r, FS_ERR_NOMEM, "similarity");
        free(labels);
        free(vals);
        return;
    }
    for (size_t s = 0; s < n; s++)
        labels[s] = rpt_label(r, s);
    fs_pdf_table *t = fs_pdf_table_create(4);
    if (t) {
        fs_pdf_table_column(t, 0, "Source", FS_COL_WRAP, 0);
        fs_pdf_table_column(t, 1, "Compared with", FS_COL_WRAP, 0);
        fs_pdf_table_column(t, 2, "Cosine", FS_COL_NUM, 3);
        fs_pdf_table_column(t, 3, "Jensen\xE2\x80\x93Shannon", FS_COL_NUM, 3);
        for (size_t k = 0; k < a->n_similarity; k++) {
            fs_pdf_table_row(t);
            fs_pdf_table_text(t, rpt_label(r, a->similarity[k].a));
            fs_pdf_table_text(t, rpt_label(r, a->similarity[k].b));
            fs_pdf_table_num(t, a->similarity[k].cosine);
            fs_pdf_table_num(t, a->similarity[k].jsd);
        }
        fs_pdf_table_draw(r->pdf, t);
        fs_pdf_table_free(t);
    }
    rpt_small_sources_note(r);
    if (n >= 2) {
        sim_heatmap(r, false, labels, vals);
        sim_heatmap(r, true, labels, vals);
    }
    ca_map(r);
    free(labels);
    free(vals);
}
