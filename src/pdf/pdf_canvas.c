/* pdf_canvas.c: the fs_canvas (canvas.h) over the current libharu page, for the charts. */
#include <math.h>
#include "pdf_internal.h"

static fs_pdf *P(void *user)
{
    fs_pdf *pdf = user;
    return pdf_ok(pdf) && pdf->page ? pdf : NULL;
}

static void cv_set_fill(void *user, double r, double g, double b)
{
    fs_pdf *pdf = P(user);
    if (pdf)
        HPDF_Page_SetRGBFill(pdf->page, (HPDF_REAL)r, (HPDF_REAL)g, (HPDF_REAL)b);
}

static void cv_set_stroke(void *user, double r, double g, double b)
{
    fs_pdf *pdf = P(user);
    if (pdf)
        HPDF_Page_SetRGBStroke(pdf->page, (HPDF_REAL)r, (HPDF_REAL)g, (HPDF_REAL)b);
}

static void cv_set_line_width(void *user, double width)
{
    fs_pdf *pdf = P(user);
    if (pdf)
        HPDF_Page_SetLineWidth(pdf->page, (HPDF_REAL)(width > 0 ? width : 0));
}

static void cv_set_dash(void *user, double on, double off)
{
    fs_pdf *pdf = P(user);
    if (!pdf)
        return;
    if (on <= 0) {
        HPDF_Page_SetDash(pdf->page, NULL, 0, 0);
        return;
    }
    /* libharu 2.3.0 takes integer dash lengths. */
    HPDF_UINT16 pat[2] = {(HPDF_UINT16)(on < 1 ? 1 : lround(on)),
                          (HPDF_UINT16)(off < 1 ? 1 : lround(off))};
    HPDF_Page_SetDash(pdf->page, pat, 2, 0);
}

static void cv_set_alpha(void *user, double alpha)
{
    fs_pdf *pdf = P(user);
    if (!pdf)
        return;
    /* One ExtGState per tenth, reused: each one is a page resource. */
    int k = (int)lround((alpha < 0 ? 0 : alpha > 1 ? 1 : alpha) * 10);
    if (!pdf->alpha[k]) {
        pdf->alpha[k] = HPDF_CreateExtGState(pdf->doc);
        if (!pdf->alpha[k])
            return;
        HPDF_ExtGState_SetAlphaFill(pdf->alpha[k], (HPDF_REAL)(k / 10.0));
        HPDF_ExtGState_SetAlphaStroke(pdf->alpha[k], (HPDF_REAL)(k / 10.0));
    }
    HPDF_Page_SetExtGState(pdf->page, pdf->alpha[k]);
}

static void paint(fs_pdf *pdf, int fill, int stroke)
{
    if (fill && stroke)
        HPDF_Page_FillStroke(pdf->page);
    else if (fill)
        HPDF_Page_Fill(pdf->page);
    else if (stroke)
        HPDF_Page_Stroke(pdf->page);
    else
        HPDF_Page_EndPath(pdf->page);
}

static void cv_rect(void *user, double x, double y, double w, double h, int fill, int stroke)
{
    fs_pdf *pdf = P(user);
    if (!pdf)
        return;
    if (w < 0) {
        x += w;
        w = -w;
    }
    if (h < 0) {
        y += h;
        h = -h;
    }
    HPDF_Page_Rectangle(pdf->page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h);
    paint(pdf, fill, stroke);
}

static void cv_line(void *user, double x1, double y1, double x2, double y2)
{
    fs_pdf *pdf = P(user);
    if (!pdf)
        return;
    HPDF_Page_MoveTo(pdf->page, (HPDF_REAL)x1, (HPDF_REAL)y1);
    HPDF_Page_LineTo(pdf->page, (HPDF_REAL)x2, (HPDF_REAL)y2);
    HPDF_Page_Stroke(pdf->page);
}

static void cv_circle(void *user, double cx, double cy, double r, int fill, int stroke)
{
    fs_pdf *pdf = P(user);
    if (!pdf || r <= 0)
        return;
    HPDF_Page_Circle(pdf->page, (HPDF_REAL)cx, (HPDF_REAL)cy, (HPDF_REAL)r);
    paint(pdf, fill, stroke);
}

static void cv_text(void *user, double x, double y, const char *utf8, fs_font_face face,
                    double size, fs_align align, double angle)
{
    fs_pdf *pdf = P(user);
    if (pdf && utf8 && (int)face >= 0 && (int)face < PDF_FACES)
        pdf_draw_utf8(pdf, utf8, face, size, x, y, align, angle);
}

static double cv_text_width(void *user, const char *utf8, fs_font_face face, double size)
{
    fs_pdf *pdf = P(user);
    if (!pdf || !utf8 || (int)face < 0 || (int)face >= PDF_FACES)
        return 0;
    return pdf_utf8_width(pdf, utf8, face, size);
}

static void cv_link(void *user, double x, double y, double w, double h, int target_page)
{
    fs_pdf *pdf = P(user);
    if (!pdf || target_page < 0 || (size_t)target_page >= pdf->n_pages)
        return;
    HPDF_Destination dst = HPDF_Page_CreateDestination(pdf->pages[target_page]);
    if (!dst)
        return;
    HPDF_Destination_SetFitH(dst, (HPDF_REAL)pdf->th.page_h);
    HPDF_Rect r = {(HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)(x + w), (HPDF_REAL)(y + h)};
    HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(pdf->page, r, dst);
    if (a)
        HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
}

static const fs_canvas_ops pdf_canvas_ops = {
    cv_set_fill, cv_set_stroke, cv_set_line_width, cv_set_dash, cv_set_alpha, cv_rect,
    cv_line,     cv_circle,     cv_text,           cv_text_width, cv_link,
};

void pdf_reset_state(fs_pdf *pdf)
{
    if (!pdf_ok(pdf) || !pdf->page)
        return;
    HPDF_Page_SetDash(pdf->page, NULL, 0, 0);
    bool used = false;
    for (int k = 0; k < 10; k++)
        used = used || pdf->alpha[k];
    if (used)
        cv_set_alpha(pdf, 1.0);
    pdf->canvas_dirty = false;
}

void pdf_canvas_init(fs_pdf *pdf, fs_canvas *cv)
{
    pdf->canvas_dirty = true;
    cv->ops = &pdf_canvas_ops;
    cv->user = pdf;
}
