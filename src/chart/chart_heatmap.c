/* chart_heatmap.c: matrix of coloured cells with row and column labels, a colour-scale legend
 * and optional value text in the colour (dark or light) that contrasts most with the cell. */
#include <math.h>

#include "chart/chart_internal.h"

typedef struct heat_ctx {
    const fs_chart_matrix *d;
    double lo, mid, hi;
    int decimals;
} heat_ctx;

/* Position of v on the ramp, 0..1 (diverging: mid maps to 0.5). */
static double ramp_t(const heat_ctx *c, double v)
{
    if (c->d->ramp == FS_CHART_RAMP_DIVERGING) {
        if (v < c->mid)
            return c->mid > c->lo ? 0.5 * (v - c->lo) / (c->mid - c->lo) : 0.5;
        return c->hi > c->mid ? 0.5 + 0.5 * (v - c->mid) / (c->hi - c->mid) : 0.5;
    }
    return c->hi > c->lo ? (v - c->lo) / (c->hi - c->lo) : 0.5;
}

/* WCAG contrast ratio of two relative luminances. */
static double contrast(double l1, double l2)
{
    return (fmax(l1, l2) + 0.05) / (fmin(l1, l2) + 0.05);
}

static fs_status heat_marks(const chart_frame *f, void *vctx)
{
    const heat_ctx *c = vctx;
    const fs_chart_matrix *d = c->d;
    const fs_canvas *cv = f->cv;
    const fs_chart_style *st = f->st;
    static const fs_chart_rgb white = {1, 1, 1};
    double cw = fabs(chart_band_step(&f->xb)), ch = fabs(chart_band_step(&f->yb));
    char num[64];
    for (size_t r = 0; r < d->rows; r++) {
        double yc = chart_band_center(&f->yb, r);
        for (size_t k = 0; k < d->cols; k++) {
            double v = d->values[r * d->cols + k], xc = chart_band_center(&f->xb, k);
            fs_chart_rgb fill = isfinite(v) ? fs_chart_ramp_color(st, d->ramp, ramp_t(c, v)) : st->na;
            chart_set_fill(cv, fill);
            cv->ops->rect(cv->user, xc - cw / 2, yc - ch / 2, cw, ch, 1, 0);
            if (!d->value_labels || !isfinite(v))
                continue;
            chart_format_number(v, c->decimals, num, sizeof num);
            double tw = chart_text_width(cv, num, st->face, st->value_size);
            if (tw + st->pad > cw || st->value_size + st->pad > ch)
                continue; /* no room: the colour alone tells the value */
            double lf = chart_luminance(fill);
            bool light = contrast(chart_luminance(white), lf) > contrast(chart_luminance(st->text), lf);
            chart_set_fill(cv, light ? white : st->text);
            cv->ops->text(cv->user, xc, yc - CHART_ASCENT * st->value_size / 2, num, st->face,
                          st->value_size, FS_ALIGN_CENTER, 0);
        }
    }
    return FS_OK;
}

fs_status fs_chart_heatmap(const fs_canvas *cv, double x, double y, double w, double h,
                           const fs_chart_matrix *d, const fs_chart_style *st)
{
    if (!d || !st || ((d->rows || d->cols) && (!d->values || !d->row_labels || !d->col_labels)))
        return FS_ERR_INTERNAL;
    if (!d->rows || !d->cols)
        return FS_OK;
    heat_ctx c = {d, d->lo, d->mid, d->hi, 0};
    size_t n = d->rows * d->cols;
    if (!(d->hi > d->lo)) {
        double mn = INFINITY, mx = -INFINITY, dev = 0;
        for (size_t i = 0; i < n; i++)
            if (isfinite(d->values[i])) {
                mn = fmin(mn, d->values[i]);
                mx = fmax(mx, d->values[i]);
                dev = fmax(dev, fabs(d->values[i] - d->mid));
            }
        if (d->ramp == FS_CHART_RAMP_DIVERGING) {
            c.lo = d->mid - (dev > 0 ? dev : 1);
            c.hi = d->mid + (dev > 0 ? dev : 1);
        } else if (mx > mn) {
            c.lo = mn;
            c.hi = mx;
        } else {
            c.lo = isfinite(mn) ? mn : 0;
            c.hi = c.lo + 1;
        }
    }
    c.decimals = d->decimals >= 0 ? d->decimals : chart_auto_decimals(d->values, n);
    chart_spec sp = {
        .x = {.kind = CHART_AXIS_BAND, .labels = d->col_labels, .n = d->cols, .band_fill = 1},
        .y = {.kind = CHART_AXIS_BAND, .labels = d->row_labels, .n = d->rows, .band_fill = 1},
        .color_legend = true,
        .ramp = d->ramp,
        .ramp_lo = c.lo,
        .ramp_hi = c.hi,
        .ramp_title = d->legend_title,
        .square_bands = d->square,
        .marks = heat_marks,
        .ctx = &c,
    };
    return chart_frame_draw(cv, x, y, w, h, &sp, st);
}
