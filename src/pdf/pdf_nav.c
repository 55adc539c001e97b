/* pdf_nav.c: table of contents (reserved pages filled at the end, with links), running
 * header and "Page x of y" on every page (the second pass, once the page count is known). */
#include <stdio.h>
#include "pdf_internal.h"

/* ======== contents ======== */

static double toc_row_h(const fs_pdf *pdf)
{
    return pdf->th.size_toc * pdf->th.leading * 1.45;
}

static double toc_title_h(const fs_pdf *pdf)
{
    return pdf->th.size_h1 * pdf->th.leading + pdf->th.h1_gap_after * 2;
}

void fs_pdf_toc_reserve(fs_pdf *pdf, size_t n_entries)
{
    if (!pdf_ok(pdf) || pdf->toc_first >= 0)
        return;
    double body = pdf_top(pdf) - pdf_bottom(pdf);
    size_t per = (size_t)((body - toc_title_h(pdf)) / toc_row_h(pdf));
    if (per < 1)
        per = 1;
    size_t pages = n_entries ? (n_entries + per - 1) / per : 1;
    int saved = pdf->cur_section;
    pdf->cur_section = -1;
    for (size_t i = 0; i < pages && pdf_ok(pdf); i++) {
        fs_pdf_new_page(pdf);
        if (i == 0)
            pdf->toc_first = (int)pdf->n_pages - 1;
        pdf->page_fresh = false;
    }
    pdf->cur_section = saved;
    pdf->toc_pages = (int)pages;
    pdf->toc_capacity = per;
}

static void toc_fill(fs_pdf *pdf)
{
    const fs_theme *th = &pdf->th;
    double x0 = th->margin_left, w = fs_pdf_width(pdf), size = th->size_toc;
    size_t row = 0;
    for (int p = 0; p < pdf->toc_pages && pdf_ok(pdf); p++) {
        pdf->page = pdf->pages[pdf->toc_first + p];
        double title_base = pdf_top(pdf) - th->size_h1;
        if (p == 0) {
            pdf_set_fill(pdf, th->rgb_heading);
            pdf_draw_utf8(pdf, "Contents", FS_FACE_SANS_BOLD, th->size_h1, x0, title_base,
                          FS_ALIGN_LEFT, 0);
        }
        double y = pdf_top(pdf) - toc_title_h(pdf);
        size_t shown = 0;
        for (size_t i = 0; i < pdf->n_toc && shown < pdf->toc_capacity; i++) {
            const pdf_toc_entry *e = &pdf->toc[i];
            if (!e->listed)
                continue;
            if (row++ < (size_t)p * pdf->toc_capacity)
                continue;
            shown++;
            char num[32];
            snprintf(num, sizeof num, "%d", e->page + 1);
            double nw = pdf_utf8_width(pdf, num, FS_FACE_SANS, size);
            double base = y - toc_row_h(pdf) + size * 0.45;
            pdf_set_fill(pdf, th->rgb_text);
            double tw_max = w - nw - size * 3;
            pdf_draw_clipped(pdf, e->title, FS_FACE_SANS, size, x0, base, tw_max, FS_ALIGN_LEFT);
            pdf_draw_utf8(pdf, num, FS_FACE_SANS, size, x0 + w, base, FS_ALIGN_RIGHT, 0);
            /* dotted leader from the title to the number */
            double tw = pdf_utf8_width(pdf, e->title, FS_FACE_SANS, size);
            double lx0 = x0 + (tw < tw_max ? tw : tw_max) + size * 0.6, lx1 = x0 + w - nw - size * 0.6;
            if (lx1 > lx0) {
                static const HPDF_UINT16 dots[2] = {1, 3};
                pdf_set_stroke(pdf, th->rgb_rule);
                HPDF_Page_SetLineWidth(pdf->page, (HPDF_REAL)th->rule_width);
                HPDF_Page_SetDash(pdf->page, dots, 2, 0);
                HPDF_Page_MoveTo(pdf->page, (HPDF_REAL)lx0, (HPDF_REAL)base);
                HPDF_Page_LineTo(pdf->page, (HPDF_REAL)lx1, (HPDF_REAL)base);
                HPDF_Page_Stroke(pdf->page);
                HPDF_Page_SetDash(pdf->page, NULL, 0, 0);
            }
            if (e->dst) {
                HPDF_Rect r = {(HPDF_REAL)x0, (HPDF_REAL)(y - toc_row_h(pdf)),
                               (HPDF_REAL)(x0 + w), (HPDF_REAL)y};
                HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(pdf->page, r, e->dst);
                if (a) {
                    HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
                    HPDF_LinkAnnot_SetHighlightMode(a, HPDF_ANNOT_INVERT_BOX);
                }
            }
            y -= toc_row_h(pdf);
        }
    }
}

/* ======== page furniture ======== */

void pdf_furniture(fs_pdf *pdf)
{
    const fs_theme *th = &pdf->th;
    double x0 = th->margin_left, w = fs_pdf_width(pdf), size = th->size_furniture;
    double head = pdf_top(pdf) + th->header_offset;
    double foot = pdf_bottom(pdf) - th->footer_offset;
    for (size_t i = 0; i < pdf->n_pages && pdf_ok(pdf); i++) {
        pdf->page = pdf->pages[i];
        pdf_reset_state(pdf);
        pdf_set_fill(pdf, th->rgb_muted);
        int sec = pdf->page_section[i];
        double left_w = sec >= 0 ? w * 0.58 : w;
        if (pdf->running_title)
            pdf_draw_clipped(pdf, pdf->running_title, FS_FACE_SANS, size, x0, head, left_w,
                             FS_ALIGN_LEFT);
        if (sec >= 0 && (size_t)sec < pdf->n_toc)
            pdf_draw_clipped(pdf, pdf->toc[sec].title, FS_FACE_SANS, size, x0 + w * 0.6, head,
                             w * 0.4, FS_ALIGN_RIGHT);
        pdf_set_stroke(pdf, th->rgb_rule);
        HPDF_Page_SetLineWidth(pdf->page, (HPDF_REAL)th->hairline);
        HPDF_Page_MoveTo(pdf->page, (HPDF_REAL)x0, (HPDF_REAL)(head - size * 0.6));
        HPDF_Page_LineTo(pdf->page, (HPDF_REAL)(x0 + w), (HPDF_REAL)(head - size * 0.6));
        HPDF_Page_Stroke(pdf->page);
        char buf[64];
        snprintf(buf, sizeof buf, "Page %zu of %zu", i + 1, pdf->n_pages);
        pdf_draw_utf8(pdf, buf, FS_FACE_SANS, size, x0 + w / 2, foot, FS_ALIGN_CENTER, 0);
    }
}

void fs_pdf_finish(fs_pdf *pdf)
{
    if (!pdf_ok(pdf))
        return;
    fs_pdf_set_step(pdf, "contents and page furniture");
    HPDF_Page keep = pdf->page;
    if (pdf->toc_first >= 0)
        toc_fill(pdf);
    pdf_furniture(pdf);
    pdf->page = keep;
}
