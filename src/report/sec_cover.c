/* sec_cover.c: title, subtitle, period, organization, run date and one line on the corpus. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "framescope/strbuf.h"
#include "report/report_internal.h"

/* The earliest and latest dated document over all sources. */
static void corpus_dates(const fs_analysis *a, fs_date *first, fs_date *last)
{
    *first = (fs_date){0, 0, 0};
    *last = (fs_date){0, 0, 0};
    for (size_t s = 0; s < a->n_sources; s++) {
        const fs_source_summary *ss = &a->sources[s];
        long f = ss->first.year * 10000L + ss->first.month * 100L + ss->first.day;
        long l = ss->last.year * 10000L + ss->last.month * 100L + ss->last.day;
        long cf = first->year * 10000L + first->month * 100L + first->day;
        long cl = last->year * 10000L + last->month * 100L + last->day;
        if (f > 0 && (cf == 0 || f < cf))
            *first = ss->first;
        if (l > 0 && l > cl)
            *last = ss->last;
    }
}

void sec_cover(rpt *r)
{
    const fs_report_cfg *rc = &r->cfg->report;
    const fs_analysis *a = r->a;
    fs_pdf_section(r->pdf, "Cover", false);
    fs_pdf_skip(r->pdf, r->th->cover_top);
    fs_pdf_paragraph(r->pdf, rc->title ? rc->title : "framescope report", FS_TEXT_TITLE);
    if (rc->subtitle && rc->subtitle[0])
        fs_pdf_paragraph(r->pdf, rc->subtitle, FS_TEXT_SUBTITLE);
    fs_pdf_space(r->pdf, r->th->cover_gap);

    fs_strbuf b = FS_STRBUF_INIT;
    const char *period = a->params.period ? a->params.period : "all";
    fs_strbuf_printf(&b, "Period: %s", period[0] && strcmp(period, "all") != 0
                                           ? period : "all dates in the corpus");
    fs_pdf_paragraph(r->pdf, b.data, FS_TEXT_LEAD);
    if (rc->organization && rc->organization[0]) {
        fs_strbuf_reset(&b);
        fs_strbuf_printf(&b, "Prepared by %s", rc->organization);
        fs_pdf_paragraph(r->pdf, b.data, FS_TEXT_LEAD);
    }
    struct tm tm;
    time_t t = r->opts->created;
    fs_strbuf_reset(&b);
    if (gmtime_r(&t, &tm))
        fs_strbuf_printf(&b, "Run date: %04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                         tm.tm_mday);
    fs_pdf_paragraph(r->pdf, b.data, FS_TEXT_LEAD);
    fs_pdf_space(r->pdf, r->th->cover_gap);

    char docs[32], toks[32], d0[16], d1[16];
    rpt_count(docs, sizeof docs, a->total_docs);
    rpt_count(toks, sizeof toks, a->total_tokens);
    fs_date first, last;
    corpus_dates(a, &first, &last);
    rpt_date(d0, sizeof d0, first);
    rpt_date(d1, sizeof d1, last);
    fs_strbuf_reset(&b);
    fs_strbuf_printf(&b, "Corpus: %s documents read from %zu sources, %zu merged as %s, %s "
                         "word tokens counted",
                     docs, a->n_sources, a->total_duplicates,
                     a->total_duplicates == 1 ? "a duplicate" : "duplicates", toks);
    if (first.year)
        fs_strbuf_printf(&b, ", dated %s to %s", d0, d1);
    fs_strbuf_puts(&b, ".");
    fs_pdf_paragraph(r->pdf, b.data, FS_TEXT_BODY);
    if (a->too_small)
        fs_pdf_paragraph(r->pdf, "Every source is below the minimum text size: the comparisons "
                                 "in this report are not supported by enough text.",
                         FS_TEXT_NOTE);
    fs_strbuf_free(&b);
}
