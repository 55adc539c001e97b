/* sec_cooccurrence.c: for each focus term its strongest collocates per source (table), a
 * heatmap of the top collocates across sources, and a collocation network. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/report_internal.h"

#define PER_SOURCE 6      /* collocates per focus term and source in the table */
#define MAP_TERMS 14      /* collocates in the heatmap and the network */

/* The other term of a pair involving `focus`, or NULL. */
static const char *partner(const fs_colloc_row *c, const char *focus)
{
    if (strcmp(c->term_a, focus) == 0)
        return c->term_b;
    if (strcmp(c->term_b, focus) == 0)
        return c->term_a;
    return NULL;
}

/* Rows of `source` involving `focus`, best log Dice first (ties: collocate). */
static size_t strongest(const fs_analysis *a, size_t source, const char *focus,
                        const fs_colloc_row **out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n_colloc; i++) {
        const fs_colloc_row *c = &a->colloc[i];
        if ((source != SIZE_MAX && c->source != source) || !partner(c, focus))
            continue;
        size_t j = n < cap ? n++ : cap;
        if (j == cap) {   /* full: replace the weakest if this one is stronger */
            if (!(c->log_dice > out[cap - 1]->log_dice))
                continue;
            j = cap - 1;
        }
        out[j] = c;
        while (j > 0 && (out[j - 1]->log_dice < out[j]->log_dice ||
                         (out[j - 1]->log_dice == out[j]->log_dice &&
                          strcmp(partner(out[j - 1], focus), partner(out[j], focus)) > 0))) {
            const fs_colloc_row *t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
            j--;
        }
    }
    return n;
}

static void focus_table(rpt *r, const char *focus)
{
    const fs_analysis *a = r->a;
    static const rpt_column cols[] = {
        {"Source", FS_COL_CLIP, 0},
        {"Collocate", FS_COL_CLIP, 0},
        {"Pairs", FS_COL_NUM, 0},
        {"PMI", FS_COL_NUM, 2},
        {"Log Dice", FS_COL_NUM, 2},
    };
    fs_pdf_table *t = rpt_table(r, cols, sizeof cols / sizeof cols[0]);
    if (!t)
        return;
    size_t rows = 0, small = 0;
    for (size_t s = 0; s < a->n_sources; s++) {
        const fs_colloc_row *best[PER_SOURCE];
        size_t n = strongest(a, s, focus, best, PER_SOURCE);
        for (size_t i = 0; i < n; i++) {
            fs_pdf_table_row(t);
            fs_pdf_table_text(t, i == 0 ? rpt_label(r, s) : "");
            fs_pdf_table_text(t, partner(best[i], focus));
            fs_pdf_table_count(t, best[i]->count);
            fs_pdf_table_num(t, best[i]->pmi);
            fs_pdf_table_num(t, best[i]->log_dice);
            rows++;
            small += best[i]->count < 5;
        }
    }
    if (rows == 0)
        fs_pdf_paragraph(r->pdf, "No collocate reaches the minimum pair count.", FS_TEXT_SMALL);
    else
        fs_pdf_table_draw(r->pdf, t);
    fs_pdf_table_free(t);
    if (small > 0)
        fs_pdf_paragraph(r->pdf,
                         "Note: pairs seen fewer than 5 times give unstable association "
                         "scores.", FS_TEXT_NOTE);
}

/* Heatmap (collocates x sources, best log Dice with any focus term) and network. */
static void colloc_charts(rpt *r)
{
    const fs_analysis *a = r->a;
    size_t nf = a->n_focus, ns = a->n_sources;
    size_t per = nf ? (MAP_TERMS + nf - 1) / nf : 0;
    const fs_colloc_row **pick = calloc(2 * per + 1, sizeof *pick);
    const char **rows = calloc(MAP_TERMS, sizeof *rows);
    double *vals = calloc(MAP_TERMS * (ns ? ns : 1), sizeof *vals);
    const char **cols = calloc(ns ? ns : 1, sizeof *cols);
    fs_chart_node *nodes = calloc(nf + MAP_TERMS + 1, sizeof *nodes);
    fs_chart_edge *edges = calloc(2 * per * nf + nf * nf + 1, sizeof *edges);
    if (!pick || !rows || !vals || !cols || !nodes || !edges) {
        rpt_chart_done(r, FS_ERR_NOMEM, "co-occurrence");
        goto done;
    }
    size_t nr = 0, nn = 0, ne = 0;
    for (size_t f = 0; f < nf; f++)
        nodes[nn++] = (fs_chart_node){a->focus[f], r->cs.text, 1.0, true};
    for (size_t f = 0; f < nf; f++) {
        size_t n = strongest(a, SIZE_MAX, a->focus[f], pick, per * 2);
        for (size_t i = 0, used = 0; i < n && used < per && nr < MAP_TERMS; i++) {
            const char *term = partner(pick[i], a->focus[f]);
            /* A collocate that is itself a focus term links the two focus nodes instead of
             * appearing a second time as a plain node. */
            size_t g = 0;
            while (g < nf && strcmp(a->focus[g], term) != 0)
                g++;
            if (g < nf) {
                bool dup = g == f;
                for (size_t e = 0; e < ne && !dup; e++)
                    dup = (edges[e].a == f && edges[e].b == g) || (edges[e].a == g && edges[e].b == f);
                if (!dup && pick[i]->log_dice > 0)
                    edges[ne++] = (fs_chart_edge){f, g, pick[i]->log_dice,
                                                  rpt_color(r, pick[i]->source)};
                continue;
            }
            size_t k = 0;
            while (k < nr && strcmp(rows[k], term) != 0)
                k++;
            if (k == nr) {
                rows[nr++] = term;
                nodes[nn++] = (fs_chart_node){term, r->cs.muted, 0.5, false};
                used++;
            }
            size_t node = nf + k;
            bool seen = false;
            for (size_t e = 0; e < ne; e++)
                seen = seen || (edges[e].a == f && edges[e].b == node);
            if (!seen && pick[i]->log_dice > 0)
                edges[ne++] = (fs_chart_edge){f, node, pick[i]->log_dice,
                                              rpt_color(r, pick[i]->source)};
        }
    }
    if (nr == 0)
        goto done;
    for (size_t s = 0; s < ns; s++)
        cols[s] = rpt_label(r, s);
    for (size_t k = 0; k < nr * ns; k++)
        vals[k] = NAN;
    for (size_t i = 0; i < a->n_colloc; i++) {
        const fs_colloc_row *c = &a->colloc[i];
        for (size_t f = 0; f < nf; f++) {
            const char *term = partner(c, a->focus[f]);
            for (size_t k = 0; term && k < nr; k++)
                if (strcmp(rows[k], term) == 0 && c->source < ns &&
                    (isnan(vals[k * ns + c->source]) || c->log_dice > vals[k * ns + c->source]))
                    vals[k * ns + c->source] = c->log_dice;
        }
    }
    fs_chart_matrix m = {rows, nr, cols, ns, vals, FS_CHART_RAMP_SEQUENTIAL, 0, 0, 0,
                         "Log Dice (strongest focus pair)", true, 1, false};
    fs_canvas cv;
    fs_box box;
    double h = rpt_chart_height(r, FS_CHART_HEATMAP, nr, 0);
    fs_pdf_heading(r->pdf, "Top collocates of the focus terms by source", h);
    if (rpt_figure(r, h, &cv, &box))
        rpt_chart_done(r, fs_chart_heatmap(&cv, box.x, box.y, box.w, box.h, &m, &r->cs),
                       "collocation heatmap");
    fs_chart_graph g = {nodes, nn, edges, ne, true, "Log Dice", NULL, 0};
    h = rpt_chart_height(r, FS_CHART_NETWORK, 0, 0);
    fs_pdf_heading(r->pdf, "Collocation network", h);
    if (rpt_figure(r, h, &cv, &box))
        rpt_chart_done(r, fs_chart_network(&cv, box.x, box.y, box.w, box.h, &g, &r->cs, NULL),
                       "collocation network");
    fs_pdf_paragraph(r->pdf,
                     "Focus terms in bold; each edge joins a focus term to a collocate, its "
                     "width the log Dice and its colour the source where the pair is "
                     "strongest.", FS_TEXT_NOTE);
done:
    free(pick);
    free(rows);
    free(vals);
    free(cols);
    free(nodes);
    free(edges);
}

void sec_cooccurrence(rpt *r)
{
    const fs_analysis *a = r->a;
    char buf[320];
    snprintf(buf, sizeof buf,
             "Terms that occur within %d tokens of a focus term%s, ranked by log Dice "
             "(14 + log2 of the Dice coefficient; 14 is the maximum) with pointwise mutual "
             "information for comparison.",
             a->params.window, a->params.sentence_cooccurrence ? " in the same sentence" : "");
    fs_pdf_paragraph(r->pdf, buf, FS_TEXT_BODY);
    if (a->cooc_pruned)
        fs_pdf_paragraph(r->pdf,
                         "Note: rare terms were pruned from the co-occurrence counts to stay "
                         "within the memory cap.", FS_TEXT_NOTE);
    if (a->n_focus == 0) {
        fs_pdf_paragraph(r->pdf, "No focus terms are configured (analysis.focus).", FS_TEXT_BODY);
        return;
    }
    for (size_t f = 0; f < a->n_focus; f++) {
        snprintf(buf, sizeof buf, "Collocates of \xE2\x80\x9C%s\xE2\x80\x9D", a->focus[f]);
        fs_pdf_heading(r->pdf, buf, 0);
        focus_table(r, a->focus[f]);
    }
    colloc_charts(r);
}
