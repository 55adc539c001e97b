/* report.c: the section registry (name -> function), the order from cfg->report.sections,
 * and fs_report_write: document, metadata, contents, sections, furniture, atomic save. */
#include <stdio.h>
#include <string.h>
#include "framescope/strbuf.h"
#include "framescope/version.h"
#include "report/report_internal.h"

/* Same names as fs_report_section_names (config.h), in the default order. */
static const rpt_section sections[] = {
    {"cover", "Cover", sec_cover},
    {"summary", "Summary", sec_summary},
    {"changes", "Changes", sec_changes},
    {"corpus", "Corpus", sec_corpus},
    {"vocabulary", "Vocabulary", sec_vocabulary},
    {"keyness", "Distinctive terms", sec_keyness},
    {"frames", "Frames", sec_frames},
    {"cooccurrence", "Co-occurrence", sec_cooccurrence},
    {"similarity", "Similarity", sec_similarity},
    {"concordance", "Concordance", sec_concordance},
    {"methods", "Methods", sec_methods},
    {"provenance", "Provenance", sec_provenance},
};
#define N_SECTIONS (sizeof sections / sizeof sections[0])

static const rpt_section *find_section(const char *name)
{
    for (size_t i = 0; i < N_SECTIONS; i++)
        if (strcmp(sections[i].name, name) == 0)
            return &sections[i];
    return NULL;
}

/* Whether a section has anything to show (the changes section needs a previous period). */
static bool section_renders(const rpt *r, const rpt_section *s)
{
    if (s->fn == sec_changes)
        return r->opts && r->opts->changes;
    return true;
}

/* The sections to render, in order: cfg->report.sections or the default order. */
static size_t plan(const rpt *r, const rpt_section **out)
{
    size_t n = 0;
    const fs_report_cfg *rc = &r->cfg->report;
    if (rc->n_sections > 0) {
        for (size_t i = 0; i < rc->n_sections && n < N_SECTIONS; i++) {
            const rpt_section *s = find_section(rc->sections[i]);
            bool dup = false;
            for (size_t j = 0; s && j < n; j++)
                dup = dup || out[j] == s;
            if (!s)
                fs_log(r->ctx, FS_LOG_WARN, "report: unknown section '%s' skipped",
                       rc->sections[i]);
            else if (!dup && section_renders(r, s))
                out[n++] = s;
        }
    } else {
        for (size_t i = 0; i < N_SECTIONS; i++)
            if (section_renders(r, &sections[i]))
                out[n++] = &sections[i];
    }
    return n;
}

static void set_meta(rpt *r)
{
    const fs_report_cfg *rc = &r->cfg->report;
    fs_strbuf subj = FS_STRBUF_INIT, kw = FS_STRBUF_INIT;
    fs_strbuf_printf(&subj, "Framing comparison of %zu sources, period %s", r->a->n_sources,
                     r->a->params.period ? r->a->params.period : "all");
    fs_strbuf_puts(&kw, "framing");
    for (size_t s = 0; s < r->a->n_sources; s++)
        fs_strbuf_printf(&kw, ", %s", rpt_label(r, s));
    for (size_t f = 0; f < r->a->n_focus; f++)
        fs_strbuf_printf(&kw, ", %s", r->a->focus[f]);
    fs_pdf_meta m = {
        .title = rc->title ? rc->title : "framescope report",
        .author = rc->organization,
        .subject = subj.data,
        .keywords = kw.data,
        .creator = "framescope " FS_VERSION,
        .created = r->opts ? r->opts->created : 0,
    };
    fs_pdf_set_meta(r->pdf, &m);
    fs_strbuf_free(&subj);
    fs_strbuf_free(&kw);
}

fs_status fs_report_write(const fs_config *cfg, const fs_ctx *ctx, const fs_analysis *a,
                          const fs_report_opts *opts, const char *path, fs_report_info *info,
                          fs_error *err)
{
    if (info)
        memset(info, 0, sizeof *info);
    if (!cfg || !a || !path)
        return fs_error_set(err, FS_ERR_INTERNAL, "report", "missing config, analysis or path");
    fs_theme th;
    fs_theme_init(&th, cfg->report.paper);
    fs_pdf *pdf = fs_pdf_create(&th, cfg->report.fonts_dir, ctx, err);
    if (!pdf)
        return err ? err->status : FS_ERR_PDF;
    fs_report_opts no_opts = {0, NULL};
    rpt r = {pdf, fs_pdf_theme(pdf), cfg, a, opts ? opts : &no_opts, ctx,
             fs_chart_style_default(), FS_OK};
    set_meta(&r);

    const rpt_section *order[N_SECTIONS];
    size_t n = plan(&r, order);
    size_t listed = 0;
    for (size_t i = 0; i < n; i++)
        listed += order[i]->fn != sec_cover;
    bool toc_done = false;
    for (size_t i = 0; i < n && fs_pdf_status(pdf, NULL) == FS_OK && r.status == FS_OK; i++) {
        if (!toc_done && order[i]->fn != sec_cover) {
            fs_pdf_toc_reserve(pdf, listed);
            toc_done = true;
        }
        char step[64];
        snprintf(step, sizeof step, "section %s", order[i]->name);
        fs_pdf_set_step(pdf, step);
        if (order[i]->fn != sec_cover) {
            char title[160];
            if (order[i]->fn == sec_changes && r.opts->changes->previous_period)
                snprintf(title, sizeof title, "Changes since %s",
                         r.opts->changes->previous_period);
            else
                snprintf(title, sizeof title, "%s", order[i]->title);
            fs_pdf_section(pdf, title, true);
        }
        order[i]->fn(&r);
        if (fs_ctx_interrupted(ctx)) {
            fs_pdf_free(pdf);
            return fs_error_set(err, FS_ERR_INTERRUPTED, path, "interrupted while typesetting");
        }
    }
    if (r.status != FS_OK) {
        fs_pdf_free(pdf);
        return fs_error_set(err, r.status, path, "could not draw the report's charts");
    }
    fs_pdf_finish(pdf);
    size_t bytes = 0;
    fs_status st = fs_pdf_save(pdf, path, &bytes, err);
    if (st == FS_OK && info) {
        info->pages = fs_pdf_page_count(pdf);
        info->bytes = bytes;
        info->replaced_chars = fs_pdf_replaced_chars(pdf);
    }
    if (st == FS_OK && fs_pdf_replaced_chars(pdf) > 0)
        fs_log(ctx, FS_LOG_WARN,
               "report: %zu character(s) could not be drawn with the report fonts and are shown "
               "as boxes",
               fs_pdf_replaced_chars(pdf));
    fs_pdf_free(pdf);
    return st;
}
