/* sec_concordance.c: keyword-in-context lines for each focus term and source, the keyword in
 * its own column so the contexts line up. */
#include <stdio.h>
#include "report/report_internal.h"

void sec_concordance(rpt *r)
{
    const fs_analysis *a = r->a;
    char buf[320];
    snprintf(buf, sizeof buf,
             "Up to %d passages per focus term and source, in corpus order, so the numbers "
             "elsewhere can be checked against the text.",
             r->cfg->analysis.kwic_per_term > 0 ? r->cfg->analysis.kwic_per_term : 8);
    fs_pdf_paragraph(r->pdf, buf, FS_TEXT_BODY);
    if (a->n_kwic == 0) {
        fs_pdf_paragraph(r->pdf, "No focus term occurs in the corpus.", FS_TEXT_BODY);
        return;
    }
    double line = fs_pdf_line_height(r->pdf, FS_TEXT_SMALL);
    size_t i = 0;
    while (i < a->n_kwic) {
        size_t focus = a->kwic[i].focus;
        snprintf(buf, sizeof buf, "\xE2\x80\x9C%s\xE2\x80\x9D",
                 focus < a->n_focus ? a->focus[focus] : a->kwic[i].keyword);
        fs_pdf_heading(r->pdf, buf, 4 * line);
        while (i < a->n_kwic && a->kwic[i].focus == focus) {
            size_t src = a->kwic[i].source;
            fs_pdf_ensure(r->pdf, 3 * line);
            fs_pdf_paragraph(r->pdf, rpt_label(r, src), FS_TEXT_LEAD);
            for (; i < a->n_kwic && a->kwic[i].focus == focus && a->kwic[i].source == src; i++)
                fs_pdf_kwic(r->pdf, a->kwic[i].left, a->kwic[i].keyword, a->kwic[i].right);
            fs_pdf_space(r->pdf, r->th->para_gap);
        }
    }
}
