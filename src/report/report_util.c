/* report_util.c: labels, colours, formats and chart boxes shared by the sections. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "framescope/strbuf.h"
#include "report/report_internal.h"

const char *rpt_label(const rpt *r, size_t source)
{
    if (source < r->a->n_sources && r->a->sources[source].label)
        return r->a->sources[source].label;
    if (source < r->a->n_sources && r->a->sources[source].id)
        return r->a->sources[source].id;
    return "?";
}

int rpt_top_terms(const rpt *r)
{
    return r->cfg->analysis.top_terms > 0 ? r->cfg->analysis.top_terms : 20;
}

fs_chart_rgb rpt_color(const rpt *r, size_t source)
{
    if (source < r->a->n_sources) {
        const double *c = r->a->sources[source].rgb;
        if (c[0] > 0 || c[1] > 0 || c[2] > 0)
            return (fs_chart_rgb){c[0], c[1], c[2]};
    }
    return fs_chart_palette(source);
}

void rpt_date(char *buf, size_t cap, fs_date d)
{
    if (d.year == 0)
        snprintf(buf, cap, "undated");
    else
        snprintf(buf, cap, "%04d-%02d-%02d", d.year, d.month, d.day);
}

void rpt_count(char *buf, size_t cap, uint64_t v)
{
    char raw[32];
    snprintf(raw, sizeof raw, "%llu", (unsigned long long)v);
    size_t n = strlen(raw), o = 0;
    for (size_t i = 0; i < n && o + 2 < cap; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = raw[i];
    }
    buf[o] = 0;
}

void rpt_pvalue(char *buf, size_t cap, const char *name, double p)
{
    if (isnan(p))
        snprintf(buf, cap, "%s not defined", name);
    else if (p < 0.001)
        snprintf(buf, cap, "%s < 0.001", name);
    else
        snprintf(buf, cap, "%s = %.3f", name, p);
}

bool rpt_figure(rpt *r, double h, fs_canvas *cv, fs_box *box)
{
    return fs_pdf_figure(r->pdf, h, cv, box);
}

double rpt_chart_height(const rpt *r, fs_chart_kind kind, size_t rows, size_t series)
{
    const fs_theme *th = r->th;
    double h = fs_chart_preferred_height(kind, rows, series, fs_pdf_width(r->pdf), &r->cs);
    double max_h = th->page_h - th->margin_top - th->margin_bottom;
    if (!(h > 0))
        h = th->figure_h;
    return h > max_h ? max_h : h;
}

void rpt_chart_done(rpt *r, fs_status st, const char *what)
{
    if (st == FS_OK)
        return;
    if (st == FS_ERR_NOMEM) {
        if (r->status == FS_OK)
            r->status = st;
        return;
    }
    fs_log(r->ctx, FS_LOG_WARN, "report: %s chart not drawn (%s)", what, fs_status_str(st));
}

fs_pdf_table *rpt_table(rpt *r, const rpt_column *cols, size_t n)
{
    fs_pdf_table *t = fs_pdf_table_create(n);
    if (!t) {
        rpt_chart_done(r, FS_ERR_NOMEM, "table");
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        fs_pdf_table_column(t, i, cols[i].header, cols[i].kind, cols[i].decimals);
    return t;
}

void rpt_small_sources_note(rpt *r)
{
    fs_strbuf b = FS_STRBUF_INIT;
    size_t n = 0;
    for (size_t s = 0; s < r->a->n_sources; s++) {
        if (!r->a->sources[s].small)
            continue;
        fs_strbuf_printf(&b, "%s%s", n ? ", " : "", rpt_label(r, s));
        n++;
    }
    if (n > 0) {
        char *list = fs_strbuf_detach(&b);
        fs_strbuf_printf(&b,
                         "Note: %s %s fewer than %d content tokens; figures for %s are too "
                         "small to support claims.",
                         list ? list : "", n == 1 ? "has" : "have",
                         r->a->params.min_source_tokens, n == 1 ? "it" : "them");
        free(list);
        if (b.data)
            fs_pdf_paragraph(r->pdf, b.data, FS_TEXT_NOTE);
    }
    fs_strbuf_free(&b);
}
