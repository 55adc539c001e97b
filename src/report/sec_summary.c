/* sec_summary.c: the findings in plain sentences, strongest first, each flagged when it is not
 * significant or rests on small counts. */
#include "report/report_internal.h"

void sec_summary(rpt *r)
{
    const fs_analysis *a = r->a;
    if (a->too_small)
        fs_pdf_paragraph(r->pdf,
                         "Every source has fewer content tokens than the minimum set for this "
                         "run, so no finding below is supported by enough text. Read them as "
                         "pointers for reading the articles, not as results.",
                         FS_TEXT_NOTE);
    if (a->n_findings == 0) {
        fs_pdf_paragraph(r->pdf, "No finding reached the reporting threshold in this period.",
                         FS_TEXT_BODY);
    }
    for (size_t i = 0; i < a->n_findings; i++) {
        const fs_finding *f = &a->findings[i];
        /* Each finding carries its own qualifier ("suggestive, not significant", "too few
         * tokens"), written where the number is known; nothing is appended here. */
        fs_pdf_bullet(r->pdf, f->text ? f->text : "", FS_TEXT_BODY);
    }
    rpt_small_sources_note(r);
}
