/* sec_summary.c: the findings in plain sentences, strongest first, each flagged when it is not
 * significant or rests on small counts. */
#include "framescope/strbuf.h"
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
    fs_strbuf b = FS_STRBUF_INIT;
    for (size_t i = 0; i < a->n_findings; i++) {
        const fs_finding *f = &a->findings[i];
        fs_strbuf_reset(&b);
        fs_strbuf_puts(&b, f->text ? f->text : "");
        if (!f->significant)
            fs_strbuf_puts(&b, " (Not significant at the 0.05 level: treat as tentative.)");
        fs_pdf_bullet(r->pdf, b.data ? b.data : "", FS_TEXT_BODY);
    }
    fs_strbuf_free(&b);
    rpt_small_sources_note(r);
}
