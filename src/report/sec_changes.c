/* sec_changes.c: "Changes since PERIOD": per source the frames and terms that rose or fell
 * most against the previous stored period (rendered only when opts->changes is set). */
#include "report/report_internal.h"

void sec_changes(rpt *r)
{
    const fs_changes *c = r->opts->changes;
    if (!c)
        return;
    fs_pdf_paragraph(r->pdf,
                     "Frames (per 1,000 words) and terms (per 10,000 content tokens) whose rate moved "
                     "most since the previous period, per source.",
                     FS_TEXT_BODY);
    if (c->n_rows == 0) {
        fs_pdf_paragraph(r->pdf, "Nothing changed enough to list.", FS_TEXT_BODY);
        return;
    }
    static const rpt_column cols[] = {
        {"Source", FS_COL_CLIP, 0},
        {"Item", FS_COL_WRAP, 0},
        {"Kind", FS_COL_CLIP, 0},
        {"Before", FS_COL_NUM, 2},
        {"Now", FS_COL_NUM, 2},
        {"Change", FS_COL_NUM, 2},
    };
    fs_pdf_table *t = rpt_table(r, cols, sizeof cols / sizeof cols[0]);
    if (!t)
        return;
    for (size_t i = 0; i < c->n_rows; i++) {
        const fs_change_row *row = &c->rows[i];
        fs_pdf_table_row(t);
        fs_pdf_table_text(t, rpt_label(r, row->source));
        fs_pdf_table_text(t, row->item);
        fs_pdf_table_text(t, row->is_frame ? "frame per 1k" : "term per 10k");
        fs_pdf_table_num(t, row->before);
        fs_pdf_table_num(t, row->after);
        fs_pdf_table_num(t, row->delta);
    }
    fs_pdf_table_draw(r->pdf, t);
    fs_pdf_table_free(t);
    rpt_small_sources_note(r);
}
