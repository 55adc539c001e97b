/* sec_provenance.c: every document with its source, date, title, hash, size before and after
 * cleaning, and the document it was merged with. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "framescope/strbuf.h"
#include "report/report_internal.h"

void sec_provenance(rpt *r)
{
    const fs_analysis *a = r->a;
    fs_pdf_paragraph(r->pdf,
                     "Every document read, in corpus order. The hash is the first 12 hex "
                     "digits of the SHA-256 of the raw file content; sizes are characters "
                     "before and after boilerplate removal. A document merged as a duplicate "
                     "names the one it was merged with and is not counted. The outlet in brackets is the site "
                     "that carried the page when it differs from the source.",
                     FS_TEXT_BODY);
    static const rpt_column cols[] = {
        {"Document and title", FS_COL_WRAP, 0},
        {"Source (outlet)", FS_COL_WRAP, 0},
        {"Date", FS_COL_CLIP, 0},
        {"SHA-256", FS_COL_CLIP, 0},
        {"Raw", FS_COL_NUM, 0},
        {"Clean", FS_COL_NUM, 0},
        {"Duplicate of", FS_COL_WRAP, 0},
    };
    fs_pdf_table *t = rpt_table(r, cols, sizeof cols / sizeof cols[0]);
    if (!t)
        return;
    /* A month of thousands of articles would make this appendix hundreds of pages: past
     * report.provenance_rows, the documents that were not counted come first (they are the
     * ones a reader needs to check), then corpus order; documents.csv keeps every one. */
    size_t cap = r->cfg->report.provenance_rows >= 0 ? (size_t)r->cfg->report.provenance_rows : 0;
    size_t shown = 0;
    char d[16], h[16];
    fs_strbuf b = FS_STRBUF_INIT;
    for (size_t pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < a->n_docs && shown < cap; i++) {
        const fs_doc_row *doc = &a->docs[i];
        bool excluded = doc->duplicate_of || !doc->counted;
        if (a->n_docs > cap && excluded != (pass == 0))
            continue;
        if (a->n_docs <= cap && pass == 1)
            break;
        shown++;
        fs_pdf_table_row(t);
        fs_strbuf_reset(&b);
        fs_strbuf_printf(&b, "%s \xE2\x80\x93 %s", doc->doc_id ? doc->doc_id : "",
                         doc->title && doc->title[0] ? doc->title : "(no title)");
        fs_pdf_table_text(t, b.data ? b.data : "");
        /* The source is whose framing is compared; the outlet is who published the page. */
        fs_strbuf_reset(&b);
        if (doc->outlet && doc->outlet[0] && strcmp(doc->outlet, rpt_label(r, doc->source)) != 0)
            fs_strbuf_printf(&b, "%s (%s)", rpt_label(r, doc->source), doc->outlet);
        else
            fs_strbuf_puts(&b, rpt_label(r, doc->source));
        fs_pdf_table_text(t, b.data ? b.data : "");
        rpt_date(d, sizeof d, doc->date);
        fs_pdf_table_text(t, d);
        snprintf(h, sizeof h, "%.12s", doc->sha256);
        fs_pdf_table_text(t, h);
        fs_pdf_table_count(t, doc->chars_raw);
        fs_pdf_table_count(t, doc->chars_clean);
        fs_pdf_table_text(t, doc->duplicate_of ? doc->duplicate_of : (doc->counted ? "" : "not counted"));
    }
    }
    fs_strbuf_free(&b);
    fs_pdf_table_draw(r->pdf, t);
    fs_pdf_table_free(t);
    if (shown < a->n_docs) {
        char note[256];
        snprintf(note, sizeof note,
                 "Note: %zu of %zu documents are listed (those not counted first); the "
                 "exported documents.csv lists every document.", shown, a->n_docs);
        fs_pdf_paragraph(r->pdf, note, FS_TEXT_NOTE);
    }
}
