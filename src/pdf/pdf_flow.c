/* pdf_flow.c: the flow cursor: vertical placement, page breaks, keep-together, headings,
 * paragraphs, bullets, keyword-in-context lines and figure boxes. */
#include <stdlib.h>
#include <string.h>
#include "pdf_internal.h"

/* ======== helpers ======== */

void pdf_set_fill(fs_pdf *pdf, const double rgb[3])
{
    HPDF_Page_SetRGBFill(pdf->page, (HPDF_REAL)rgb[0], (HPDF_REAL)rgb[1], (HPDF_REAL)rgb[2]);
}

void pdf_set_stroke(fs_pdf *pdf, const double rgb[3])
{
    HPDF_Page_SetRGBStroke(pdf->page, (HPDF_REAL)rgb[0], (HPDF_REAL)rgb[1], (HPDF_REAL)rgb[2]);
}

typedef struct style_info {
    fs_font_face face;
    double size;
    const double *rgb;
    bool justify;
} style_info;

static style_info style_of(const fs_pdf *pdf, fs_text_style st)
{
    const fs_theme *t = &pdf->th;
    switch (st) {
    case FS_TEXT_SMALL: return (style_info){FS_FACE_SERIF, t->size_small, t->rgb_text, false};
    case FS_TEXT_NOTE: return (style_info){FS_FACE_SERIF_ITALIC, t->size_note, t->rgb_note, false};
    case FS_TEXT_TITLE: return (style_info){FS_FACE_SANS_BOLD, t->size_title, t->rgb_heading, false};
    case FS_TEXT_SUBTITLE: return (style_info){FS_FACE_SANS, t->size_subtitle, t->rgb_heading, false};
    case FS_TEXT_LEAD: return (style_info){FS_FACE_SANS, t->size_body, t->rgb_muted, false};
    case FS_TEXT_MONO: return (style_info){FS_FACE_MONO, t->size_small, t->rgb_text, false};
    case FS_TEXT_BODY:
    default: return (style_info){FS_FACE_SERIF, t->size_body, t->rgb_text, true};
    }
}

double fs_pdf_line_height(const fs_pdf *pdf, fs_text_style style)
{
    return style_of(pdf, style).size * pdf->th.leading;
}

/* Baseline of a line whose box (height size * leading) starts at `top`. */
static double baseline(const fs_pdf *pdf, double top, double size)
{
    double lh = size * pdf->th.leading;
    return top - (lh - size) / 2 - size * 0.8;
}

static void ensure_page(fs_pdf *pdf)
{
    if (!pdf->page)
        fs_pdf_new_page(pdf);
    else if (pdf->canvas_dirty)
        pdf_reset_state(pdf);
}

/* ======== flow ======== */

double fs_pdf_width(const fs_pdf *pdf)
{
    return pdf->th.page_w - pdf->th.margin_left - pdf->th.margin_right;
}

double fs_pdf_avail(const fs_pdf *pdf)
{
    return pdf->page ? pdf->y - pdf_bottom(pdf) : 0;
}

void fs_pdf_ensure(fs_pdf *pdf, double height)
{
    if (!pdf_ok(pdf))
        return;
    ensure_page(pdf);
    if (height > fs_pdf_avail(pdf) + 1e-6 && !pdf->page_fresh)
        fs_pdf_new_page(pdf);
}

void fs_pdf_space(fs_pdf *pdf, double height)
{
    if (!pdf_ok(pdf))
        return;
    ensure_page(pdf);
    if (pdf->page_fresh)
        return;   /* no gaps at the top of a page */
    pdf->y -= height;
    if (pdf->y < pdf_bottom(pdf))
        pdf->y = pdf_bottom(pdf);
}

void fs_pdf_skip(fs_pdf *pdf, double height)
{
    if (!pdf_ok(pdf))
        return;
    ensure_page(pdf);
    pdf->y -= height;
    if (pdf->y < pdf_bottom(pdf))
        pdf->y = pdf_bottom(pdf);
    pdf->page_fresh = false;
}

/* Lays out shaped text in [x, x + width] from the cursor, breaking pages between lines. */
static void flow_lines(fs_pdf *pdf, const pdf_text *t, style_info si, double x, double width,
                       bool justify)
{
    pdf_line *lines = NULL;
    size_t nl = pdf_break(t->g, t->n, si.size, width, &lines);
    if (t->n > 0 && nl == 0) {
        pdf_fail(pdf, FS_ERR_NOMEM);
        return;
    }
    double lh = si.size * pdf->th.leading;
    for (size_t i = 0; i < nl && pdf_ok(pdf); i++) {
        /* Keep the last two lines together (no widow). */
        double need = (nl - i == 2) ? 2 * lh : lh;
        if (need > fs_pdf_avail(pdf) + 1e-6 && !pdf->page_fresh)
            fs_pdf_new_page(pdf);
        pdf_set_fill(pdf, si.rgb);
        double tw = justify ? pdf_justify_space(&lines[i], si.size, width) : 0;
        pdf_draw_glyphs(pdf, si.face, si.size, t->g + lines[i].start,
                        lines[i].end - lines[i].start, x, baseline(pdf, pdf->y, si.size), tw, 0);
        pdf->y -= lh;
        pdf->page_fresh = false;
    }
    free(lines);
}

void fs_pdf_paragraph(fs_pdf *pdf, const char *utf8, fs_text_style style)
{
    if (!pdf_ok(pdf))
        return;
    ensure_page(pdf);
    style_info si = style_of(pdf, style);
    pdf_text t;
    if (!pdf_shape(pdf, si.face, utf8, &t))
        return;
    flow_lines(pdf, &t, si, pdf->th.margin_left, fs_pdf_width(pdf), si.justify);
    pdf_text_free(&t);
    fs_pdf_space(pdf, style == FS_TEXT_NOTE ? pdf->th.para_gap / 2 : pdf->th.para_gap);
}

void fs_pdf_bullet(fs_pdf *pdf, const char *utf8, fs_text_style style)
{
    if (!pdf_ok(pdf))
        return;
    ensure_page(pdf);
    style_info si = style_of(pdf, style);
    double lh = si.size * pdf->th.leading;
    fs_pdf_ensure(pdf, 2 * lh);
    pdf_set_fill(pdf, pdf->th.rgb_heading);
    pdf_draw_utf8(pdf, "\xE2\x80\xA2", si.face, si.size, pdf->th.margin_left,
                  baseline(pdf, pdf->y, si.size), FS_ALIGN_LEFT, 0);
    pdf_text t;
    if (!pdf_shape(pdf, si.face, utf8, &t))
        return;
    double ind = pdf->th.bullet_indent;
    flow_lines(pdf, &t, si, pdf->th.margin_left + ind, fs_pdf_width(pdf) - ind, si.justify);
    pdf_text_free(&t);
    fs_pdf_space(pdf, pdf->th.para_gap);
}

/* ======== headings and sections ======== */

void fs_pdf_heading(fs_pdf *pdf, const char *utf8, double keep_next)
{
    if (!pdf_ok(pdf))
        return;
    ensure_page(pdf);
    const fs_theme *th = &pdf->th;
    double lh = th->size_h2 * th->leading;
    if (keep_next <= 0)
        keep_next = th->keep_with_heading * th->size_body * th->leading;
    if (!(pdf->page == pdf->title_page && pdf->y == pdf->title_y))
        fs_pdf_space(pdf, th->h2_gap_before);   /* not straight under a section title */
    double w = fs_pdf_width(pdf);
    double need = lh * (pdf_utf8_width(pdf, utf8, FS_FACE_SANS_BOLD, th->size_h2) > w ? 2 : 1);
    if (need + th->h2_gap_after + keep_next > fs_pdf_avail(pdf) && !pdf->page_fresh)
        fs_pdf_new_page(pdf);
    pdf_text t;
    if (!pdf_shape(pdf, FS_FACE_SANS_BOLD, utf8, &t))
        return;
    style_info si = {FS_FACE_SANS_BOLD, th->size_h2, th->rgb_heading, false};
    flow_lines(pdf, &t, si, th->margin_left, w, false);
    pdf_text_free(&t);
    pdf->y -= th->h2_gap_after;
}

void fs_pdf_section(fs_pdf *pdf, const char *title, bool in_toc)
{
    if (!pdf_ok(pdf))
        return;
    const fs_theme *th = &pdf->th;
    if (pdf->n_toc == pdf->cap_toc) {
        size_t cap = pdf->cap_toc ? pdf->cap_toc * 2 : 16;
        pdf_toc_entry *p = realloc(pdf->toc, cap * sizeof *p);
        if (!p) {
            pdf_fail(pdf, FS_ERR_NOMEM);
            return;
        }
        pdf->toc = p;
        pdf->cap_toc = cap;
    }
    pdf_toc_entry *e = &pdf->toc[pdf->n_toc];
    memset(e, 0, sizeof *e);
    e->title = pdf_strdup(title);
    if (!e->title) {
        pdf_fail(pdf, FS_ERR_NOMEM);
        return;
    }
    pdf->n_toc++;
    pdf->cur_section = in_toc ? (int)pdf->n_toc - 1 : -1;
    fs_pdf_new_page(pdf);
    if (!pdf_ok(pdf))
        return;
    e->page = (int)pdf->n_pages - 1;
    e->dst = HPDF_Page_CreateDestination(pdf->page);
    if (e->dst)
        HPDF_Destination_SetFitH(e->dst, (HPDF_REAL)th->page_h);
    HPDF_Outline o = HPDF_CreateOutline(pdf->doc, NULL, title, HPDF_GetEncoder(pdf->doc, "UTF-8"));
    if (o && e->dst)
        HPDF_Outline_SetDestination(o, e->dst);
    e->listed = in_toc;
    if (!in_toc)
        return;
    pdf_text t;
    if (!pdf_shape(pdf, FS_FACE_SANS_BOLD, title, &t))
        return;
    style_info si = {FS_FACE_SANS_BOLD, th->size_h1, th->rgb_heading, false};
    flow_lines(pdf, &t, si, th->margin_left, fs_pdf_width(pdf), false);
    pdf_text_free(&t);
    pdf_set_stroke(pdf, th->rgb_heading);
    HPDF_Page_SetLineWidth(pdf->page, (HPDF_REAL)th->rule_width);
    HPDF_Page_MoveTo(pdf->page, (HPDF_REAL)th->margin_left, (HPDF_REAL)pdf->y);
    HPDF_Page_LineTo(pdf->page, (HPDF_REAL)(th->margin_left + fs_pdf_width(pdf)),
                     (HPDF_REAL)pdf->y);
    HPDF_Page_Stroke(pdf->page);
    pdf->y -= th->h1_gap_after;
    pdf->title_page = pdf->page;
    pdf->title_y = pdf->y;
}

/* ======== keyword in context ======== */

static bool closes(const char *s)
{
    if (!s || !*s)
        return false;
    /* ’ ” … (U+2019, U+201D, U+2026) */
    return strchr(".,;:!?)]}'\"", s[0]) || strncmp(s, "\xE2\x80\x99", 3) == 0 ||
           strncmp(s, "\xE2\x80\x9D", 3) == 0 || strncmp(s, "\xE2\x80\xA6", 3) == 0;
}

static bool opens(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0)
        return false;
    /* ‘ “ (U+2018, U+201C) */
    return strchr("([{'\"", s[n - 1]) ||
           (n >= 3 && (strcmp(s + n - 3, "\xE2\x80\x98") == 0 ||
                       strcmp(s + n - 3, "\xE2\x80\x9C") == 0));
}

void fs_pdf_kwic(fs_pdf *pdf, const char *left, const char *keyword, const char *right)
{
    if (!pdf_ok(pdf))
        return;
    ensure_page(pdf);
    const fs_theme *th = &pdf->th;
    double size = th->size_kwic, lh = size * th->leading;
    fs_pdf_ensure(pdf, lh);
    double x0 = th->margin_left, w = fs_pdf_width(pdf);
    double key_x = x0 + w * th->kwic_key_at;
    /* A word space on both sides, except before closing punctuation ("Taiwan," "Taiwan's")
     * and after an opening bracket or quote. */
    double gap_l = opens(left) ? 0 : size * 0.3;
    double gap_r = closes(right) ? 0 : size * 0.3;
    double kw_w = pdf_utf8_width(pdf, keyword, FS_FACE_SERIF_BOLD, size);
    double base = baseline(pdf, pdf->y, size);
    /* left context: keep its end, right-aligned to the keyword column */
    pdf_text t, ell;
    if (!pdf_shape(pdf, FS_FACE_SERIF, left, &t))
        return;
    if (!pdf_shape(pdf, FS_FACE_SERIF, "\xE2\x80\xA6", &ell)) {
        pdf_text_free(&t);
        return;
    }
    double ell_w = pdf_glyphs_width(ell.g, ell.n, size);
    size_t k = pdf_fit(t.g, t.n, size, key_x - gap_l - x0, ell_w, true);
    double lw = pdf_glyphs_width(t.g + t.n - k, k, size);
    pdf_set_fill(pdf, th->rgb_text);
    pdf_draw_glyphs(pdf, FS_FACE_SERIF, size, t.g + t.n - k, k, key_x - gap_l - lw, base, 0,
                    0);
    if (k < t.n) {
        pdf_set_fill(pdf, th->rgb_muted);
        pdf_draw_glyphs(pdf, FS_FACE_SERIF, size, ell.g, ell.n, key_x - gap_l - lw - ell_w, base,
                        0, 0);
    }
    pdf_text_free(&t);
    pdf_text_free(&ell);
    pdf_set_fill(pdf, th->rgb_heading);
    pdf_draw_utf8(pdf, keyword, FS_FACE_SERIF_BOLD, size, key_x, base, FS_ALIGN_LEFT, 0);
    double rx = key_x + kw_w + gap_r;
    pdf_set_fill(pdf, th->rgb_text);
    if (rx < x0 + w)
        pdf_draw_clipped(pdf, right, FS_FACE_SERIF, size, rx, base, x0 + w - rx, FS_ALIGN_LEFT);
    pdf->y -= lh;
    pdf->page_fresh = false;
}

/* ======== figures ======== */

bool fs_pdf_figure(fs_pdf *pdf, double height, fs_canvas *canvas, fs_box *box)
{
    if (!pdf_ok(pdf))
        return false;
    ensure_page(pdf);
    double max_h = pdf_top(pdf) - pdf_bottom(pdf);
    if (height > max_h)
        height = max_h;
    fs_pdf_ensure(pdf, height);
    box->x = pdf->th.margin_left;
    box->w = fs_pdf_width(pdf);
    box->h = height;
    box->y = pdf->y - height;
    pdf->y -= height;
    pdf->page_fresh = false;
    pdf_canvas_init(pdf, canvas);
    fs_pdf_space(pdf, pdf->th.figure_gap);
    return pdf_ok(pdf);
}
