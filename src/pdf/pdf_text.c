/* pdf_text.c: our own line breaker (greedy, measured per glyph), word-space justification, and
 * drawing of shaped glyphs as runs of one encoder each (libharu-notes section 3). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "pdf_internal.h"
#include "framescope/vec.h"

/* ======== line breaking ======== */

/* Preferred points to split a token wider than the line (URLs, paths); never after '-'. */
static bool soft_split_after(uint32_t cp)
{
    return cp == '/' || cp == '.' || cp == '?' || cp == '&' || cp == '=' || cp == '_' ||
           cp == '#' || cp == ':';
}

static bool push_line(pdf_line **lines, size_t *n, size_t *cap, pdf_line ln)
{
    pdf_line *p = fs_vec_grow(*lines, *n, cap, sizeof *p, 8);
    if (!p)
        return false;
    *lines = p;
    (*lines)[(*n)++] = ln;
    return true;
}

size_t pdf_break(const pdf_glyph *g, size_t n, double size, double width, pdf_line **out)
{
    pdf_line *lines = NULL;
    size_t nl = 0, cap = 0;
    double space_w = 0;
    pdf_line cur = {0, 0, 0, 0, false};
    bool open = false;
    size_t i = 0;
    while (i < n) {
        if (g[i].cp == ' ') {
            space_w = g[i].w * size / 1000.0;
            i++;
            continue;
        }
        size_t ws = i;
        while (i < n && g[i].cp != ' ')
            i++;
        double ww = pdf_glyphs_width(g + ws, i - ws, size);
        if (open && cur.width + space_w + ww <= width + 1e-6) {
            cur.width += space_w + ww;
            cur.end = i;
            cur.spaces++;
            continue;
        }
        if (open && !push_line(&lines, &nl, &cap, cur))
            goto oom;
        open = false;
        /* A token wider than the whole line: split it, preferring URL separators. */
        while (ww > width + 1e-6) {
            size_t k = ws;
            double acc = 0;
            while (k < i && acc + g[k].w * size / 1000.0 <= width + 1e-6)
                acc += g[k++].w * size / 1000.0;
            if (k == ws)
                k = ws + 1;   /* not even one glyph fits: take one anyway */
            size_t cut = k;
            for (size_t j = k; j > ws + (k - ws) / 2; j--)
                if (soft_split_after(g[j - 1].cp)) {
                    cut = j;
                    break;
                }
            pdf_line piece = {ws, cut, pdf_glyphs_width(g + ws, cut - ws, size), 0, false};
            if (!push_line(&lines, &nl, &cap, piece))
                goto oom;
            ws = cut;
            ww = pdf_glyphs_width(g + ws, i - ws, size);
        }
        if (ws < i) {   /* empty when the last forced piece took the whole token */
            cur = (pdf_line){ws, i, ww, 0, false};
            open = true;
        }
    }
    if (open && !push_line(&lines, &nl, &cap, cur))
        goto oom;
    if (nl > 0)
        lines[nl - 1].last = true;
    *out = lines;
    return nl;
oom:
    free(lines);
    *out = NULL;
    return 0;
}

double pdf_justify_space(const pdf_line *ln, double size, double width)
{
    if (ln->last || ln->spaces == 0 || ln->width >= width)
        return 0;
    double tw = (width - ln->width) / ln->spaces;
    return tw > size * 0.9 ? 0 : tw;   /* a gap this wide reads worse than a ragged line */
}

/* ======== drawing ======== */

static void placeholder_box(fs_pdf *pdf, double x, double y, double w, double size, double c,
                            double s)
{
    /* A hollow box like a missing-glyph "tofu", in the placeholder colour. */
    double bx = 0.08 * size, bw = w - 0.16 * size, by = -0.05 * size, bh = 0.72 * size;
    const double px[4] = {bx, bx + bw, bx + bw, bx}, py[4] = {by, by, by + bh, by + bh};
    HPDF_Page_GSave(pdf->page);
    HPDF_Page_SetRGBStroke(pdf->page, (HPDF_REAL)pdf->th.rgb_placeholder[0],
                           (HPDF_REAL)pdf->th.rgb_placeholder[1],
                           (HPDF_REAL)pdf->th.rgb_placeholder[2]);
    HPDF_Page_SetLineWidth(pdf->page, (HPDF_REAL)(size * 0.06));
    HPDF_Page_SetDash(pdf->page, NULL, 0, 0);
    for (int k = 0; k < 4; k++) {
        double ax = x + px[k] * c - py[k] * s, ay = y + px[k] * s + py[k] * c;
        if (k == 0)
            HPDF_Page_MoveTo(pdf->page, (HPDF_REAL)ax, (HPDF_REAL)ay);
        else
            HPDF_Page_LineTo(pdf->page, (HPDF_REAL)ax, (HPDF_REAL)ay);
    }
    HPDF_Page_ClosePathStroke(pdf->page);
    HPDF_Page_GRestore(pdf->page);
}

void pdf_draw_glyphs(fs_pdf *pdf, fs_font_face face, double size, const pdf_glyph *g, size_t n,
                     double x, double y, double tw, double angle)
{
    if (!pdf_ok(pdf) || !pdf->page || n == 0)
        return;
    double rad = angle * 3.14159265358979323846 / 180.0;
    double c = cos(rad), s = sin(rad);
    unsigned char buf[512];
    size_t n_place = 0;
    uint32_t first_missing = 0;
    HPDF_Page_SetWordSpace(pdf->page, (HPDF_REAL)tw);
    HPDF_Page_BeginText(pdf->page);
    double adv = 0;
    size_t i = 0;
    while (i < n && pdf_ok(pdf)) {
        int enc = g[i].enc;
        size_t j = i, len = 0;
        double run_w = 0;
        while (j < n && g[j].enc == enc && len < sizeof buf - 1) {
            buf[len++] = g[j].byte;
            run_w += g[j].w * size / 1000.0 + (g[j].cp == ' ' ? tw : 0);
            j++;
        }
        buf[len] = 0;
        if (enc != PDF_PLACEHOLDER) {
            HPDF_Font font = pdf_font(pdf, face, enc);
            if (!font)
                break;
            HPDF_Page_SetFontAndSize(pdf->page, font, (HPDF_REAL)size);
            double rx = x + adv * c, ry = y + adv * s;
            if (angle != 0)
                HPDF_Page_SetTextMatrix(pdf->page, (HPDF_REAL)c, (HPDF_REAL)s, (HPDF_REAL)-s,
                                        (HPDF_REAL)c, (HPDF_REAL)rx, (HPDF_REAL)ry);
            else
                HPDF_Page_SetTextMatrix(pdf->page, 1, 0, 0, 1, (HPDF_REAL)rx, (HPDF_REAL)ry);
            HPDF_Page_ShowText(pdf->page, (const char *)buf);
        } else {
            if (!first_missing)
                first_missing = g[i].cp;
            n_place += len;
        }
        adv += run_w;
        i = j;
    }
    HPDF_Page_EndText(pdf->page);
    if (tw != 0)
        HPDF_Page_SetWordSpace(pdf->page, 0);
    if (n_place == 0)
        return;
    adv = 0;
    for (i = 0; i < n; i++) {
        double w = g[i].w * size / 1000.0;
        if (g[i].enc == PDF_PLACEHOLDER)
            placeholder_box(pdf, x + adv * c, y + adv * s, w, size, c, s);
        adv += w + (g[i].cp == ' ' ? tw : 0);
    }
    pdf->replaced += n_place;
    fs_log(pdf->ctx, FS_LOG_DEBUG,
           "pdf: %zu character(s) the report fonts cannot draw (first U+%04X) shown as boxes",
           n_place, (unsigned)first_missing);
}

double pdf_utf8_width(fs_pdf *pdf, const char *utf8, fs_font_face face, double size)
{
    pdf_text t;
    if (!pdf_ok(pdf) || !pdf_shape(pdf, face, utf8, &t))
        return 0;
    double w = pdf_glyphs_width(t.g, t.n, size);
    pdf_text_free(&t);
    return w;
}

void pdf_draw_utf8(fs_pdf *pdf, const char *utf8, fs_font_face face, double size, double x,
                   double y, fs_align align, double angle)
{
    pdf_text t;
    if (!pdf_ok(pdf) || !pdf_shape(pdf, face, utf8, &t))
        return;
    double w = pdf_glyphs_width(t.g, t.n, size);
    double shift = align == FS_ALIGN_RIGHT ? w : align == FS_ALIGN_CENTER ? w / 2 : 0;
    double rad = angle * 3.14159265358979323846 / 180.0;
    pdf_draw_glyphs(pdf, face, size, t.g, t.n, x - shift * cos(rad), y - shift * sin(rad), 0,
                    angle);
    pdf_text_free(&t);
}

/* ======== shortening ======== */

size_t pdf_fit(const pdf_glyph *g, size_t n, double size, double width, double ell_w,
               bool from_end)
{
    if (pdf_glyphs_width(g, n, size) <= width + 1e-6)
        return n;
    double acc = ell_w;
    size_t k = 0;
    while (k < n) {
        const pdf_glyph *q = from_end ? &g[n - 1 - k] : &g[k];
        double w = q->w * size / 1000.0;
        if (acc + w > width + 1e-6)
            break;
        acc += w;
        k++;
    }
    /* Do not leave a dangling space next to the ellipsis. */
    while (k > 0 && (from_end ? g[n - k].cp : g[k - 1].cp) == ' ')
        k--;
    return k;
}

void pdf_draw_clipped(fs_pdf *pdf, const char *utf8, fs_font_face face, double size, double x,
                      double y, double width, fs_align align)
{
    pdf_text t, ell;
    if (!pdf_ok(pdf) || !pdf_shape(pdf, face, utf8, &t))
        return;
    if (!pdf_shape(pdf, face, "\xE2\x80\xA6", &ell)) {
        pdf_text_free(&t);
        return;
    }
    double ell_w = pdf_glyphs_width(ell.g, ell.n, size);
    size_t k = pdf_fit(t.g, t.n, size, width, ell_w, false);
    if (k < t.n) {   /* append the ellipsis glyph in place */
        t.g[k] = ell.g[0];
        k++;
    }
    double w = pdf_glyphs_width(t.g, k, size);
    double dx = align == FS_ALIGN_RIGHT ? width - w : align == FS_ALIGN_CENTER ? (width - w) / 2 : 0;
    pdf_draw_glyphs(pdf, face, size, t.g, k, x + dx, y, 0, 0);
    pdf_text_free(&t);
    pdf_text_free(&ell);
}
