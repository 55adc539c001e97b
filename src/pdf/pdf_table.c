/* pdf_table.c: table model -> pages: column widths from content, right-aligned numbers,
 * wrapped or ellipsised text, striping, header row repeated after a page break. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pdf_internal.h"

typedef struct tcol {
    char *header;
    fs_col_kind kind;
    int decimals;
} tcol;

struct fs_pdf_table {
    size_t ncols;
    tcol *cols;
    char **cells;              /* nrows * ncols, NULL = empty */
    size_t nrows, cap_rows, cur_col;
    bool failed;
};

/* ======== model ======== */

fs_pdf_table *fs_pdf_table_create(size_t ncols)
{
    fs_pdf_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->ncols = ncols ? ncols : 1;
    t->cols = calloc(t->ncols, sizeof *t->cols);
    if (!t->cols) {
        free(t);
        return NULL;
    }
    return t;
}

void fs_pdf_table_free(fs_pdf_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    for (size_t c = 0; c < t->ncols; c++)
        free(t->cols[c].header);
    free(t->cells);
    free(t->cols);
    free(t);
}

void fs_pdf_table_column(fs_pdf_table *t, size_t col, const char *header, fs_col_kind kind,
                         int decimals)
{
    if (!t || col >= t->ncols)
        return;
    free(t->cols[col].header);
    t->cols[col].header = pdf_strdup(header);
    t->cols[col].kind = kind;
    t->cols[col].decimals = decimals < 0 ? 0 : decimals > 6 ? 6 : decimals;
    if (!t->cols[col].header)
        t->failed = true;
}

void fs_pdf_table_row(fs_pdf_table *t)
{
    if (!t || t->failed)
        return;
    if (t->nrows == t->cap_rows) {
        size_t cap = t->cap_rows ? t->cap_rows * 2 : 16;
        char **p = realloc(t->cells, cap * t->ncols * sizeof *p);
        if (!p) {
            t->failed = true;
            return;
        }
        t->cells = p;
        t->cap_rows = cap;
    }
    memset(&t->cells[t->nrows * t->ncols], 0, t->ncols * sizeof *t->cells);
    t->nrows++;
    t->cur_col = 0;
}

void fs_pdf_table_text(fs_pdf_table *t, const char *utf8)
{
    if (!t || t->failed || t->nrows == 0 || t->cur_col >= t->ncols)
        return;
    char *s = pdf_strdup(utf8);
    if (!s)
        t->failed = true;
    t->cells[(t->nrows - 1) * t->ncols + t->cur_col++] = s;
}

/* Formats with `dec` decimals and "," between thousands in the integer part. */
static void format_num(char *out, size_t cap, double v, int dec)
{
    if (isnan(v)) {
        snprintf(out, cap, "\xE2\x80\x93");
        return;
    }
    if (isinf(v)) {
        snprintf(out, cap, v > 0 ? "\xE2\x88\x9E" : "-\xE2\x88\x9E");
        return;
    }
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", dec, fabs(v));
    if (strspn(raw, "0.") == strlen(raw))
        v = 0;   /* no "-0.00" */
    const char *dot = strchr(raw, '.');
    size_t int_len = dot ? (size_t)(dot - raw) : strlen(raw);
    size_t o = 0;
    if (v < 0 && o + 1 < cap)
        out[o++] = '-';
    for (size_t i = 0; i < int_len && o + 2 < cap; i++) {
        if (i > 0 && (int_len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = raw[i];
    }
    for (const char *p = dot; p && *p && o + 1 < cap; p++)
        out[o++] = *p;
    out[o] = 0;
}

void fs_pdf_table_num(fs_pdf_table *t, double v)
{
    if (!t || t->cur_col >= t->ncols)
        return;
    char buf[80];
    format_num(buf, sizeof buf, v, t->cols[t->cur_col].decimals);
    fs_pdf_table_text(t, buf);
}

void fs_pdf_table_count(fs_pdf_table *t, uint64_t v)
{
    char buf[80];
    format_num(buf, sizeof buf, (double)v, 0);
    fs_pdf_table_text(t, buf);
}

void fs_pdf_table_pvalue(fs_pdf_table *t, double p)
{
    char buf[32];
    if (isnan(p))
        snprintf(buf, sizeof buf, "\xE2\x80\x93");
    else if (p < 0.001)
        snprintf(buf, sizeof buf, "< 0.001");
    else
        snprintf(buf, sizeof buf, "%.3f", p);
    fs_pdf_table_text(t, buf);
}

/* ======== layout ======== */

typedef struct tlayout {
    double *w;            /* column widths incl. padding */
    double size, lh, pad_x, pad_y, header_h, total_w;
} tlayout;

static const char *cell(const fs_pdf_table *t, size_t r, size_t c)
{
    const char *s = t->cells[r * t->ncols + c];
    return s ? s : "";
}

/* Lines a cell needs at inner width `w`. */
static size_t cell_lines(fs_pdf *pdf, const char *s, fs_font_face face, double size, double w,
                         fs_col_kind kind)
{
    if (kind != FS_COL_WRAP || !*s)
        return 1;
    pdf_text tx;
    if (!pdf_shape(pdf, face, s, &tx))
        return 1;
    pdf_line *lines = NULL;
    size_t n = pdf_break(tx.g, tx.n, size, w, &lines);
    free(lines);
    pdf_text_free(&tx);
    return n ? n : 1;
}

static double longest_word(fs_pdf *pdf, const char *s, fs_font_face face, double size)
{
    pdf_text tx;
    double best = 0, cur = 0;
    if (!pdf_shape(pdf, face, s, &tx))
        return 0;
    for (size_t i = 0; i <= tx.n; i++) {
        if (i == tx.n || tx.g[i].cp == ' ') {
            best = cur > best ? cur : best;
            cur = 0;
        } else {
            cur += tx.g[i].w * size / 1000.0;
        }
    }
    pdf_text_free(&tx);
    return best;
}

/* Shrinks the columns of one kind toward their minimum, sharing `excess` by their slack. */
static double shrink(const fs_pdf_table *t, tlayout *L, const double *minw, int kind,
                     double excess)
{
    double slack = 0;
    for (size_t c = 0; c < t->ncols; c++)
        if ((int)t->cols[c].kind == kind && L->w[c] > minw[c])
            slack += L->w[c] - minw[c];
    if (excess <= 0 || slack <= 0)
        return excess;
    double f = excess >= slack ? 1.0 : excess / slack;
    for (size_t c = 0; c < t->ncols; c++)
        if ((int)t->cols[c].kind == kind && L->w[c] > minw[c])
            L->w[c] -= (L->w[c] - minw[c]) * f;
    return excess - slack * f;
}

/* Natural widths from content; when too wide, numeric headers wrap first, then wrapped text
 * columns give way (down to theme.table_wrap_min of the width or their longest word), then
 * clipped ones (down to theme.table_min_col). */
static void column_widths(fs_pdf *pdf, const fs_pdf_table *t, tlayout *L)
{
    double avail = fs_pdf_width(pdf), total = 0;
    double *minw = calloc(t->ncols, sizeof *minw);
    for (size_t c = 0; c < t->ncols; c++) {
        const tcol *col = &t->cols[c];
        const char *h = col->header ? col->header : "";
        double hword = longest_word(pdf, h, FS_FACE_SANS_BOLD, L->size);
        double cells = 0, word = hword;
        for (size_t r = 0; r < t->nrows; r++) {
            double w = pdf_utf8_width(pdf, cell(t, r, c), FS_FACE_SANS, L->size);
            cells = w > cells ? w : cells;
            if (col->kind == FS_COL_WRAP) {
                double lw = longest_word(pdf, cell(t, r, c), FS_FACE_SANS, L->size);
                word = lw > word ? lw : word;
            }
        }
        double hfull = pdf_utf8_width(pdf, h, FS_FACE_SANS_BOLD, L->size);
        double nat = hfull > cells ? hfull : cells;
        double m;
        if (col->kind == FS_COL_NUM)
            m = cells > hword ? cells : hword;
        else if (col->kind == FS_COL_WRAP)
            m = word > avail * pdf->th.table_wrap_min ? word : avail * pdf->th.table_wrap_min;
        else
            m = hword > pdf->th.table_min_col ? hword : pdf->th.table_min_col;
        m = m < nat ? m : nat;
        L->w[c] = nat + 2 * L->pad_x;
        if (minw)
            minw[c] = m + 2 * L->pad_x;
        total += L->w[c];
    }
    if (total > avail && minw) {
        double excess = total - avail;
        excess = shrink(t, L, minw, FS_COL_NUM, excess);
        excess = shrink(t, L, minw, FS_COL_WRAP, excess);
        shrink(t, L, minw, FS_COL_CLIP, excess);
        total = 0;
        for (size_t c = 0; c < t->ncols; c++)
            total += L->w[c];
    }
    free(minw);
    L->total_w = total;
}

static double row_height(fs_pdf *pdf, const fs_pdf_table *t, const tlayout *L, size_t r,
                         bool header)
{
    size_t lines = 1;
    for (size_t c = 0; c < t->ncols; c++) {
        const char *s = header ? (t->cols[c].header ? t->cols[c].header : "") : cell(t, r, c);
        fs_col_kind k = header ? FS_COL_WRAP : t->cols[c].kind;
        size_t n = cell_lines(pdf, s, header ? FS_FACE_SANS_BOLD : FS_FACE_SANS, L->size,
                              L->w[c] - 2 * L->pad_x, k);
        lines = n > lines ? n : lines;
    }
    return lines * L->lh + 2 * L->pad_y;
}

static void draw_cell(fs_pdf *pdf, const char *s, fs_font_face face, fs_col_kind kind,
                      bool right, const tlayout *L, double x, double w, double top)
{
    double inner = w - 2 * L->pad_x;
    double base0 = top - L->pad_y - (L->lh - L->size) / 2 - L->size * 0.8;
    if (kind == FS_COL_NUM || kind == FS_COL_CLIP) {
        pdf_draw_clipped(pdf, s, face, L->size, x + L->pad_x, base0, inner,
                         kind == FS_COL_NUM ? FS_ALIGN_RIGHT : FS_ALIGN_LEFT);
        return;
    }
    pdf_text tx;
    if (!pdf_shape(pdf, face, s, &tx))
        return;
    pdf_line *lines = NULL;
    size_t n = pdf_break(tx.g, tx.n, L->size, inner, &lines);
    for (size_t i = 0; i < n; i++)
        pdf_draw_glyphs(pdf, face, L->size, tx.g + lines[i].start, lines[i].end - lines[i].start,
                        x + L->pad_x + (right ? inner - lines[i].width : 0), base0 - i * L->lh,
                        0, 0);
    free(lines);
    pdf_text_free(&tx);
}

static void hrule(fs_pdf *pdf, double x, double w, double y, double width)
{
    pdf_set_stroke(pdf, pdf->th.rgb_rule);
    HPDF_Page_SetLineWidth(pdf->page, (HPDF_REAL)width);
    HPDF_Page_MoveTo(pdf->page, (HPDF_REAL)x, (HPDF_REAL)y);
    HPDF_Page_LineTo(pdf->page, (HPDF_REAL)(x + w), (HPDF_REAL)y);
    HPDF_Page_Stroke(pdf->page);
}

static void draw_header(fs_pdf *pdf, const fs_pdf_table *t, const tlayout *L)
{
    double x = pdf->th.margin_left, top = pdf->y;
    pdf_set_fill(pdf, pdf->th.rgb_header_fill);
    HPDF_Page_Rectangle(pdf->page, (HPDF_REAL)x, (HPDF_REAL)(top - L->header_h),
                        (HPDF_REAL)L->total_w, (HPDF_REAL)L->header_h);
    HPDF_Page_Fill(pdf->page);
    pdf_set_fill(pdf, pdf->th.rgb_heading);
    for (size_t c = 0; c < t->ncols; c++) {
        const char *h = t->cols[c].header ? t->cols[c].header : "";
        draw_cell(pdf, h, FS_FACE_SANS_BOLD, FS_COL_WRAP, t->cols[c].kind == FS_COL_NUM, L, x,
                  L->w[c], top);
        x += L->w[c];
    }
    hrule(pdf, pdf->th.margin_left, L->total_w, top - L->header_h, pdf->th.rule_width);
    pdf->y -= L->header_h;
    pdf->page_fresh = false;
}

void fs_pdf_table_draw(fs_pdf *pdf, const fs_pdf_table *t)
{
    if (!pdf_ok(pdf) || !t)
        return;
    if (t->failed) {
        pdf_fail(pdf, FS_ERR_NOMEM);
        return;
    }
    fs_pdf_ensure(pdf, 0);
    const fs_theme *th = &pdf->th;
    tlayout L = {calloc(t->ncols, sizeof(double)), th->size_table, th->size_table * th->leading,
                 th->table_pad_x, th->table_pad_y, 0, 0};
    double *rh = calloc(t->nrows + 1, sizeof *rh);
    if (!L.w || !rh) {
        free(L.w);
        free(rh);
        pdf_fail(pdf, FS_ERR_NOMEM);
        return;
    }
    column_widths(pdf, t, &L);
    L.header_h = row_height(pdf, t, &L, 0, true);
    double total = L.header_h;
    for (size_t r = 0; r < t->nrows; r++)
        total += rh[r] = row_height(pdf, t, &L, r, false);
    double page_body = pdf_top(pdf) - pdf_bottom(pdf);
    /* Split only when it must: a table that fits a page starts on a new one if needed; a longer
     * one starts here if the header and two rows fit. */
    double start_need = total <= page_body ? total
                                           : L.header_h + rh[0] + (t->nrows > 1 ? rh[1] : 0);
    fs_pdf_ensure(pdf, start_need);
    draw_header(pdf, t, &L);
    for (size_t r = 0; r < t->nrows && pdf_ok(pdf); r++) {
        if (rh[r] > fs_pdf_avail(pdf) + 1e-6) {
            hrule(pdf, th->margin_left, L.total_w, pdf->y, th->rule_width);
            fs_pdf_new_page(pdf);
            draw_header(pdf, t, &L);
        }
        double x = th->margin_left, top = pdf->y;
        if (r % 2 == 1) {
            pdf_set_fill(pdf, th->rgb_stripe);
            HPDF_Page_Rectangle(pdf->page, (HPDF_REAL)x, (HPDF_REAL)(top - rh[r]),
                                (HPDF_REAL)L.total_w, (HPDF_REAL)rh[r]);
            HPDF_Page_Fill(pdf->page);
        }
        pdf_set_fill(pdf, th->rgb_text);
        for (size_t c = 0; c < t->ncols; c++) {
            draw_cell(pdf, cell(t, r, c), FS_FACE_SANS, t->cols[c].kind, false, &L, x, L.w[c],
                      top);
            x += L.w[c];
        }
        pdf->y -= rh[r];
    }
    hrule(pdf, th->margin_left, L.total_w, pdf->y, th->rule_width);
    free(L.w);
    free(rh);
    fs_pdf_space(pdf, th->table_gap);
}
