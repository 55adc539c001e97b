/* chart_frame.c: the one frame every chart draws through: legend and colour-scale legend at
 * the top, plot area, gridlines, the chart's marks (a callback), zero lines, axes with thinned
 * tick labels, category labels shortened with an ellipsis, and axis titles. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart/chart_internal.h"

/* Layout passes: margins depend on tick labels, which depend on the plot size. */
#define LAYOUT_PASSES 4

/* ---------------------------------------------------------------- canvas helpers */

double chart_text_width(const fs_canvas *cv, const char *s, fs_font_face face, double size)
{
    return s && *s ? cv->ops->text_width(cv->user, s, face, size) : 0;
}

const char *chart_fit_text(const fs_canvas *cv, const char *s, fs_font_face face, double size,
                           double maxw, char *buf, size_t bufn)
{
    static const char ellipsis[] = "\xE2\x80\xA6";
    if (!s)
        return "";
    maxw += 1e-9; /* a width computed back from a layout may come out a hair short */
    if (chart_text_width(cv, s, face, size) <= maxw)
        return s;
    if (bufn < sizeof ellipsis || chart_text_width(cv, ellipsis, face, size) > maxw)
        return "";
    size_t len = strlen(s);
    if (len > bufn - sizeof ellipsis)
        len = bufn - sizeof ellipsis;
    while (len > 0) {
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--; /* back to the start of a UTF-8 sequence */
        size_t keep = len;
        while (keep > 0 && s[keep - 1] == ' ')
            keep--;
        memcpy(buf, s, keep);
        memcpy(buf + keep, ellipsis, sizeof ellipsis);
        if (chart_text_width(cv, buf, face, size) <= maxw)
            return buf;
        if (len > 0)
            len--;
    }
    memcpy(buf, ellipsis, sizeof ellipsis);
    return buf;
}

void chart_set_fill(const fs_canvas *cv, fs_chart_rgb c)
{
    cv->ops->set_fill(cv->user, c.r, c.g, c.b);
}

void chart_set_stroke(const fs_canvas *cv, fs_chart_rgb c)
{
    cv->ops->set_stroke(cv->user, c.r, c.g, c.b);
}

static void text(const chart_frame *f, double x, double y, const char *s, double size,
                 fs_align align, double angle)
{
    chart_set_fill(f->cv, f->st->text);
    f->cv->ops->text(f->cv->user, x, y, s, f->st->face, size, align, angle);
}

/* ---------------------------------------------------------------- legends */

static double legend_row_height(const fs_chart_style *st)
{
    return fmax(st->font_size, st->legend_swatch) + st->pad;
}

static double legend_item_width(const fs_canvas *cv, const fs_chart_style *st,
                                const fs_chart_legend_item *it)
{
    double sample = it->line_width > 0 ? 2 * st->legend_swatch : st->legend_swatch;
    return sample + st->pad + chart_text_width(cv, it->label, st->face, st->font_size);
}

double chart_legend_height(const fs_canvas *cv, const fs_chart_style *st,
                           const fs_chart_legend_item *items, size_t n, double w)
{
    if (!n)
        return 0;
    size_t rows = 1;
    double cx = 0;
    for (size_t i = 0; i < n; i++) {
        double iw = fmin(legend_item_width(cv, st, &items[i]), w);
        if (cx > 0 && cx + iw > w) {
            rows++;
            cx = 0;
        }
        cx += iw + st->legend_gap;
    }
    return (double)rows * legend_row_height(st) + st->legend_gap;
}

static void draw_legend(const chart_frame *f, const fs_chart_legend_item *items, size_t n,
                        double top)
{
    const fs_chart_style *st = f->st;
    const fs_canvas *cv = f->cv;
    double rh = legend_row_height(st), cx = 0, row = 0;
    char buf[CHART_TEXT_MAX];
    for (size_t i = 0; i < n; i++) {
        const fs_chart_legend_item *it = &items[i];
        double iw = fmin(legend_item_width(cv, st, it), f->bw);
        if (cx > 0 && cx + iw > f->bw) {
            row++;
            cx = 0;
        }
        double yc = top - row * rh - rh / 2, x0 = f->bx + cx;
        double sample = it->line_width > 0 ? 2 * st->legend_swatch : st->legend_swatch;
        if (it->line_width > 0) {
            chart_set_stroke(cv, it->color);
            cv->ops->set_line_width(cv->user, it->line_width);
            cv->ops->line(cv->user, x0, yc, x0 + sample, yc);
        } else {
            chart_set_fill(cv, it->color);
            cv->ops->rect(cv->user, x0, yc - st->legend_swatch / 2, sample, st->legend_swatch, 1, 0);
        }
        double room = f->bw - cx - sample - st->pad;
        const char *s = chart_fit_text(cv, it->label, st->face, st->font_size, room, buf, sizeof buf);
        text(f, x0 + sample + st->pad, yc - CHART_ASCENT * st->font_size / 2, s, st->font_size,
             FS_ALIGN_LEFT, 0);
        cx += iw + st->legend_gap;
    }
}

double chart_color_legend_height(const fs_chart_style *st)
{
    return st->color_bar_height + st->tick_len + st->pad + st->font_size + st->legend_gap;
}

static void draw_color_legend(const chart_frame *f, const chart_spec *sp, double top)
{
    const fs_chart_style *st = f->st;
    const fs_canvas *cv = f->cv;
    char num[64];
    double lo = sp->ramp_lo, hi = sp->ramp_hi, x0 = f->bx;
    double bar_y = top - st->color_bar_height;
    if (sp->ramp_title && *sp->ramp_title) {
        char buf[CHART_TEXT_MAX];
        double room = f->bw - st->color_bar_width - 2 * st->pad;
        const char *s = chart_fit_text(cv, sp->ramp_title, st->face, st->font_size, room, buf, sizeof buf);
        text(f, x0, bar_y + st->color_bar_height / 2 - CHART_ASCENT * st->font_size / 2, s,
             st->font_size, FS_ALIGN_LEFT, 0);
        x0 += chart_text_width(cv, s, st->face, st->font_size) + 2 * st->pad;
    }
    double bw = fmin(st->color_bar_width, f->bx + f->bw - x0);
    /* Room for half a tick label at each end of the bar. */
    chart_format_number(fabs(lo) > fabs(hi) ? lo : hi, 2, num, sizeof num);
    double half = chart_text_width(cv, num, st->face, st->font_size) / 2;
    x0 += half;
    bw -= 2 * half;
    if (bw <= 0 || !(hi > lo))
        return;
    int steps = st->ramp_steps > 0 ? st->ramp_steps : 1;
    for (int i = 0; i < steps; i++) {
        double t0 = (double)i / steps;
        fs_chart_rgb c = fs_chart_ramp_color(st, sp->ramp, (i + 0.5) / steps);
        chart_set_fill(cv, c);
        /* Slices overlap by half their width so no hairline gaps show between them. */
        double sw = bw / steps;
        cv->ops->rect(cv->user, x0 + t0 * bw, bar_y, i + 1 < steps ? sw * 1.5 : sw,
                      st->color_bar_height, 1, 0);
    }
    chart_ticks t;
    int max_iv = (int)(bw / st->min_tick_spacing);
    chart_nice_ticks(lo, hi, max_iv < 1 ? 1 : max_iv, false, &t);
    chart_linear s = {lo, hi, x0, x0 + bw};
    chart_set_stroke(cv, st->axis);
    cv->ops->set_line_width(cv->user, st->axis_width);
    for (size_t i = 0; i < t.n; i++) {
        double tx = chart_linear_map(&s, t.v[i]);
        cv->ops->line(cv->user, tx, bar_y, tx, bar_y - st->tick_len);
        chart_format_number(t.v[i], t.decimals, num, sizeof num);
        text(f, tx, bar_y - st->tick_len - st->pad - CHART_ASCENT * st->font_size, num,
             st->font_size, FS_ALIGN_CENTER, 0);
    }
}

/* ---------------------------------------------------------------- layout */

double chart_x_axis_height(const fs_chart_style *st, bool has_title)
{
    return st->tick_len + st->pad + st->font_size + (has_title ? st->pad + st->title_size : 0);
}

static int max_intervals(const fs_chart_style *st, double len)
{
    int m = (int)(len / st->min_tick_spacing);
    if (m > st->max_ticks)
        m = st->max_ticks;
    return m < 1 ? 1 : m;
}

static double widest_tick(const chart_frame *f, const chart_ticks *t)
{
    char num[64];
    double w = 0;
    for (size_t i = 0; i < t->n; i++) {
        chart_format_number(t->v[i], t->decimals, num, sizeof num);
        w = fmax(w, chart_text_width(f->cv, num, f->st->face, f->st->font_size));
    }
    return w;
}

static double widest_label(const chart_frame *f, const char *const *labels, size_t n, double maxw)
{
    char buf[CHART_TEXT_MAX];
    double w = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = chart_fit_text(f->cv, labels[i], f->st->face, f->st->font_size, maxw, buf, sizeof buf);
        w = fmax(w, chart_text_width(f->cv, s, f->st->face, f->st->font_size));
    }
    return w;
}

/* Scales and ticks for the current plot area. */
static void set_scales(chart_frame *f, const chart_spec *sp)
{
    const fs_chart_style *st = f->st;
    if (sp->x.kind == CHART_AXIS_LINEAR && sp->y.kind == CHART_AXIS_LINEAR && sp->equal_aspect) {
        chart_ticks tx, ty;
        chart_nice_ticks(sp->x.lo, sp->x.hi, max_intervals(st, f->pw), true, &tx);
        chart_nice_ticks(sp->y.lo, sp->y.hi, max_intervals(st, f->ph), true, &ty);
        double u = fmax((tx.hi - tx.lo) / f->pw, (ty.hi - ty.lo) / f->ph);
        double cx = (tx.lo + tx.hi) / 2, cy = (ty.lo + ty.hi) / 2;
        chart_nice_ticks(cx - u * f->pw / 2, cx + u * f->pw / 2, max_intervals(st, f->pw), false, &f->xt);
        chart_nice_ticks(cy - u * f->ph / 2, cy + u * f->ph / 2, max_intervals(st, f->ph), false, &f->yt);
    } else {
        if (sp->x.kind == CHART_AXIS_LINEAR)
            chart_nice_ticks(sp->x.lo, sp->x.hi, max_intervals(st, f->pw), sp->x.nice, &f->xt);
        if (sp->y.kind == CHART_AXIS_LINEAR)
            chart_nice_ticks(sp->y.lo, sp->y.hi, max_intervals(st, f->ph), sp->y.nice, &f->yt);
    }
    if (sp->square_bands && sp->x.kind == CHART_AXIS_BAND && sp->y.kind == CHART_AXIS_BAND && sp->x.n && sp->y.n) {
        double cell = fmin(f->pw / (double)sp->x.n, f->ph / (double)sp->y.n);
        double ph = cell * (double)sp->y.n;
        f->py += f->ph - ph; /* keep the top edge under the legend */
        f->ph = ph;
        f->pw = cell * (double)sp->x.n;
    }
    f->xs = (chart_linear){f->xt.lo, f->xt.hi, f->px, f->px + f->pw};
    f->ys = (chart_linear){f->yt.lo, f->yt.hi, f->py, f->py + f->ph};
    f->xb = (chart_band){sp->x.n, f->px, f->px + f->pw, sp->x.band_fill};
    f->yb = (chart_band){sp->y.n, f->py + f->ph, f->py, sp->y.band_fill};
}

/* Whether x band labels must be rotated to fit their band. */
static bool x_band_rotated(const chart_frame *f, const chart_spec *sp, double *widest)
{
    *widest = widest_label(f, sp->x.labels, sp->x.n, f->st->max_label_share * f->bw);
    return *widest + f->st->pad > fabs(chart_band_step(&f->xb));
}

typedef struct margins {
    double left, right, bottom, top;
} margins;

static margins needed_margins(const chart_frame *f, const chart_spec *sp)
{
    const fs_chart_style *st = f->st;
    margins m = {0, 0, 0, 0};
    if (sp->y.kind == CHART_AXIS_BAND)
        m.left = widest_label(f, sp->y.labels, sp->y.n, st->max_label_share * f->bw) + st->pad;
    else if (sp->y.kind == CHART_AXIS_LINEAR) {
        m.left = st->tick_len + st->pad + widest_tick(f, &f->yt);
        if (sp->y.title && *sp->y.title)
            m.left += st->title_size + st->pad;
        m.top = st->font_size / 2;
    }
    if (sp->x.kind == CHART_AXIS_LINEAR) {
        m.bottom = chart_x_axis_height(st, sp->x.title && *sp->x.title);
        if (f->xt.n) {
            char num[64];
            chart_format_number(f->xt.v[f->xt.n - 1], f->xt.decimals, num, sizeof num);
            m.right = chart_text_width(f->cv, num, st->face, st->font_size) / 2;
            chart_format_number(f->xt.v[0], f->xt.decimals, num, sizeof num);
            m.left = fmax(m.left, chart_text_width(f->cv, num, st->face, st->font_size) / 2 - sp->x.pad_lo);
        }
    } else if (sp->x.kind == CHART_AXIS_BAND) {
        double widest, c = cos(CHART_ROTATE_DEG * M_PI / 180), s = sin(CHART_ROTATE_DEG * M_PI / 180);
        if (x_band_rotated(f, sp, &widest)) {
            m.bottom = st->pad + widest * s + st->font_size * c;
            m.left = fmax(m.left, widest * c - fabs(chart_band_step(&f->xb)) / 2);
        } else {
            m.bottom = st->pad + st->font_size;
        }
    }
    return m;
}

/* ---------------------------------------------------------------- axes */

/* Smallest k such that every k-th label (counted from `anchor`) clears its neighbour. */
static size_t thin_every(const double *pos, const double *ext, size_t n, size_t anchor, double gap)
{
    for (size_t k = 1; k < n; k++) {
        bool ok = true;
        long prev = -1;
        for (size_t i = 0; i < n && ok; i++) {
            if (((long)i - (long)anchor) % (long)k != 0)
                continue;
            if (prev >= 0 && fabs(pos[i] - pos[prev]) < (ext[i] + ext[prev]) / 2 + gap)
                ok = false;
            prev = (long)i;
        }
        if (ok)
            return k;
    }
    return n ? n : 1;
}

static size_t zero_anchor(const chart_ticks *t)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i] == 0)
            return i;
    return 0;
}

static void draw_grid(const chart_frame *f, const chart_spec *sp)
{
    const fs_canvas *cv = f->cv;
    const fs_chart_style *st = f->st;
    chart_set_stroke(cv, st->grid);
    cv->ops->set_line_width(cv->user, st->grid_width);
    cv->ops->set_dash(cv->user, st->grid_dash_on, st->grid_dash_off);
    if (sp->x.kind == CHART_AXIS_LINEAR && sp->x.grid)
        for (size_t i = 0; i < f->xt.n; i++) {
            double gx = chart_linear_map(&f->xs, f->xt.v[i]);
            cv->ops->line(cv->user, gx, f->py, gx, f->py + f->ph);
        }
    if (sp->y.kind == CHART_AXIS_LINEAR && sp->y.grid)
        for (size_t i = 0; i < f->yt.n; i++) {
            double gy = chart_linear_map(&f->ys, f->yt.v[i]);
            cv->ops->line(cv->user, f->px, gy, f->px + f->pw, gy);
        }
    cv->ops->set_dash(cv->user, 0, 0);
}

static void draw_zero_lines(const chart_frame *f, const chart_spec *sp)
{
    const fs_canvas *cv = f->cv;
    chart_set_stroke(cv, f->st->zero);
    cv->ops->set_line_width(cv->user, f->st->zero_width);
    if (sp->zero_x && sp->x.kind == CHART_AXIS_LINEAR && f->xs.d0 <= 0 && f->xs.d1 >= 0) {
        double zx = chart_linear_map(&f->xs, 0);
        cv->ops->line(cv->user, zx, f->py, zx, f->py + f->ph);
    }
    if (sp->zero_y && sp->y.kind == CHART_AXIS_LINEAR && f->ys.d0 <= 0 && f->ys.d1 >= 0) {
        double zy = chart_linear_map(&f->ys, 0);
        cv->ops->line(cv->user, f->px, zy, f->px + f->pw, zy);
    }
}

/* A linear axis along the bottom (x) or left (y) edge of the plot: its line and tick marks.
 * Fills each tick's position, label and the label's extent along the axis (its width on x, the
 * font size on y); returns every how many ticks a label fits (thin_every), counted from *anchor,
 * the tick at zero. */
static size_t draw_linear_ticks(const chart_frame *f, bool y_axis, char num[][64], double *pos,
                                double *ext, size_t *anchor)
{
    const fs_canvas *cv = f->cv;
    const fs_chart_style *st = f->st;
    const chart_ticks *t = y_axis ? &f->yt : &f->xt;
    chart_set_stroke(cv, st->axis);
    cv->ops->set_line_width(cv->user, st->axis_width);
    if (y_axis)
        cv->ops->line(cv->user, f->px, f->py, f->px, f->py + f->ph);
    else
        cv->ops->line(cv->user, f->px, f->py, f->px + f->pw, f->py);
    for (size_t i = 0; i < t->n; i++) {
        pos[i] = chart_linear_map(y_axis ? &f->ys : &f->xs, t->v[i]);
        if (y_axis)
            cv->ops->line(cv->user, f->px, pos[i], f->px - st->tick_len, pos[i]);
        else
            cv->ops->line(cv->user, pos[i], f->py, pos[i], f->py - st->tick_len);
        chart_format_number(t->v[i], t->decimals, num[i], sizeof num[i]);
        ext[i] = y_axis ? st->font_size : chart_text_width(cv, num[i], st->face, st->font_size);
    }
    *anchor = zero_anchor(t);
    return thin_every(pos, ext, t->n, *anchor, st->pad);
}

static void draw_x_linear(const chart_frame *f, const chart_spec *sp)
{
    const fs_canvas *cv = f->cv;
    const fs_chart_style *st = f->st;
    char num[CHART_TICKS_CAP][64];
    double pos[CHART_TICKS_CAP], ext[CHART_TICKS_CAP];
    size_t anchor, k = draw_linear_ticks(f, false, num, pos, ext, &anchor);
    double base = f->py - st->tick_len - st->pad - CHART_ASCENT * st->font_size;
    for (size_t i = 0; i < f->xt.n; i++) {
        bool inside = pos[i] - ext[i] / 2 >= f->bx - 1e-9 && pos[i] + ext[i] / 2 <= f->bx + f->bw + 1e-9;
        if (((long)i - (long)anchor) % (long)k == 0 && inside)
            text(f, pos[i], base, num[i], st->font_size, FS_ALIGN_CENTER, 0);
    }
    if (sp->x.title && *sp->x.title) {
        char buf[CHART_TEXT_MAX];
        const char *s = chart_fit_text(cv, sp->x.title, st->title_face, st->title_size, f->bw, buf, sizeof buf);
        double cx = f->px + f->pw / 2;
        double tw = chart_text_width(cv, s, st->title_face, st->title_size);
        cx = fmax(fmin(cx, f->bx + f->bw - tw / 2), f->bx + tw / 2); /* stay inside the box */
        chart_set_fill(cv, st->text);
        cv->ops->text(cv->user, cx, f->by + CHART_DESCENT * st->title_size, s, st->title_face,
                      st->title_size, FS_ALIGN_CENTER, 0);
    }
}

static void draw_y_linear(const chart_frame *f, const chart_spec *sp)
{
    const fs_canvas *cv = f->cv;
    const fs_chart_style *st = f->st;
    char num[CHART_TICKS_CAP][64];
    double pos[CHART_TICKS_CAP], ext[CHART_TICKS_CAP];
    size_t anchor, k = draw_linear_ticks(f, true, num, pos, ext, &anchor);
    for (size_t i = 0; i < f->yt.n; i++)
        if (((long)i - (long)anchor) % (long)k == 0)
            text(f, f->px - st->tick_len - st->pad, pos[i] - CHART_ASCENT * st->font_size / 2, num[i],
                 st->font_size, FS_ALIGN_RIGHT, 0);
    if (sp->y.title && *sp->y.title) {
        char buf[CHART_TEXT_MAX];
        const char *s = chart_fit_text(cv, sp->y.title, st->title_face, st->title_size, f->ph, buf, sizeof buf);
        chart_set_fill(cv, st->text);
        cv->ops->text(cv->user, f->bx + CHART_ASCENT * st->title_size, f->py + f->ph / 2, s,
                      st->title_face, st->title_size, FS_ALIGN_CENTER, 90);
    }
}

static void draw_y_band(const chart_frame *f, const chart_spec *sp)
{
    const fs_chart_style *st = f->st;
    char buf[CHART_TEXT_MAX];
    size_t k = 1;
    if (sp->y.n <= CHART_TICKS_CAP) {
        double pos[CHART_TICKS_CAP], ext[CHART_TICKS_CAP];
        for (size_t i = 0; i < sp->y.n; i++) {
            pos[i] = chart_band_center(&f->yb, i);
            ext[i] = st->font_size;
        }
        k = thin_every(pos, ext, sp->y.n, 0, 0);
    } else {
        k = (size_t)ceil(st->font_size / fabs(chart_band_step(&f->yb)));
    }
    double maxw = fmin(st->max_label_share * f->bw, f->px - sp->x.pad_lo - st->pad - f->bx);
    for (size_t i = 0; i < sp->y.n; i += k) {
        const char *s = chart_fit_text(f->cv, sp->y.labels[i], st->face, st->font_size, maxw, buf, sizeof buf);
        text(f, f->px - sp->x.pad_lo - st->pad,
             chart_band_center(&f->yb, i) - CHART_ASCENT * st->font_size / 2, s, st->font_size,
             FS_ALIGN_RIGHT, 0);
    }
}

static void draw_x_band(const chart_frame *f, const chart_spec *sp)
{
    const fs_chart_style *st = f->st;
    char buf[CHART_TEXT_MAX];
    double widest, step = fabs(chart_band_step(&f->xb));
    bool rot = x_band_rotated(f, sp, &widest);
    double maxw = rot ? st->max_label_share * f->bw : step - st->pad;
    /* Rotated labels are font_size apart across their baselines at step * sin(angle). */
    size_t k = rot ? (size_t)ceil(st->font_size / (step * sin(CHART_ROTATE_DEG * M_PI / 180))) : 1;
    for (size_t i = 0; i < sp->x.n; i += k ? k : 1) {
        const char *s = chart_fit_text(f->cv, sp->x.labels[i], st->face, st->font_size, maxw, buf, sizeof buf);
        double cx = chart_band_center(&f->xb, i);
        if (rot)
            text(f, cx + CHART_ASCENT * st->font_size / 2, f->py - st->pad, s, st->font_size,
                 FS_ALIGN_RIGHT, CHART_ROTATE_DEG);
        else
            text(f, cx, f->py - st->pad - CHART_ASCENT * st->font_size, s, st->font_size,
                 FS_ALIGN_CENTER, 0);
    }
}

/* ---------------------------------------------------------------- driver */

fs_status chart_frame_draw(const fs_canvas *cv, double x, double y, double w, double h,
                           const chart_spec *sp, const fs_chart_style *st)
{
    if (!cv || !cv->ops || !sp || !st || !(w > 0) || !(h > 0))
        return FS_ERR_INTERNAL;
    chart_frame f = {.cv = cv, .st = st, .bx = x, .by = y, .bw = w, .bh = h};
    double legend_h = chart_legend_height(cv, st, sp->legend, sp->n_legend, w);
    double ramp_h = sp->color_legend ? chart_color_legend_height(st) : 0;
    double top = y + h - legend_h - ramp_h;
    margins m = {0, 0, 0, 0};
    for (int pass = 0; pass < LAYOUT_PASSES; pass++) {
        f.px = x + m.left + sp->x.pad_lo;
        f.pw = x + w - m.right - sp->x.pad_hi - f.px;
        f.py = y + m.bottom;
        f.ph = top - m.top - f.py;
        if (!(f.pw > 0) || !(f.ph > 0))
            return FS_ERR_INTERNAL;
        set_scales(&f, sp);
        margins n = needed_margins(&f, sp);
        if (n.left <= m.left && n.right <= m.right && n.bottom <= m.bottom && n.top <= m.top)
            break;
        m.left = fmax(m.left, n.left);
        m.right = fmax(m.right, n.right);
        m.bottom = fmax(m.bottom, n.bottom);
        m.top = fmax(m.top, n.top);
    }
    if (sp->n_legend)
        draw_legend(&f, sp->legend, sp->n_legend, y + h);
    if (sp->color_legend)
        draw_color_legend(&f, sp, y + h - legend_h);
    draw_grid(&f, sp);
    if (sp->marks) {
        fs_status rc = sp->marks(&f, sp->ctx);
        if (rc != FS_OK)
            return rc;
    }
    draw_zero_lines(&f, sp);
    if (sp->x.kind == CHART_AXIS_LINEAR)
        draw_x_linear(&f, sp);
    else if (sp->x.kind == CHART_AXIS_BAND)
        draw_x_band(&f, sp);
    if (sp->y.kind == CHART_AXIS_LINEAR)
        draw_y_linear(&f, sp);
    else if (sp->y.kind == CHART_AXIS_BAND)
        draw_y_band(&f, sp);
    return FS_OK;
}

/* ---------------------------------------------------------------- preferred height */

double fs_chart_preferred_height(fs_chart_kind kind, size_t rows, size_t series, double w,
                                 const fs_chart_style *st)
{
    double per_row = st->legend_item_width > 0 ? fmax(1, floor(w / st->legend_item_width)) : 1;
    double legend = series ? ceil((double)series / per_row) * legend_row_height(st) + st->legend_gap : 0;
    double axis = chart_x_axis_height(st, true);
    switch (kind) {
    case FS_CHART_HBAR:
        return (double)rows * st->row_height + axis + (series > 1 ? legend : 0);
    case FS_CHART_DIVERGING:
        return (double)rows * st->row_height + axis + legend_row_height(st) + st->legend_gap;
    case FS_CHART_GROUPED:
        return (double)rows * (double)(series ? series : 1) * st->row_height + axis + legend;
    case FS_CHART_HEATMAP: {
        double labels = st->pad + st->max_label_share * w * sin(CHART_ROTATE_DEG * M_PI / 180) + st->font_size;
        return (double)rows * st->cell_height + labels + chart_color_legend_height(st);
    }
    case FS_CHART_SCATTER:
    case FS_CHART_NETWORK:
        return w * st->map_aspect + legend;
    }
    return w * st->map_aspect;
}
