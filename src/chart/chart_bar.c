/* chart_bar.c: horizontal bars and grouped bars with interval whiskers, plus the bar value
 * labels the diverging chart shares. Marks only: the frame draws axes, grid and legend. */
#include <math.h>
#include <stdlib.h>

#include "chart/chart_internal.h"

/* ---------------------------------------------------------------- shared bar helpers */

void chart_value_label_room(const fs_canvas *cv, const fs_chart_style *st, const double *v,
                            size_t n, int decimals, double *left, double *right)
{
    char num[64];
    *left = *right = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(v[i]))
            continue;
        chart_format_number(v[i], decimals, num, sizeof num);
        double w = chart_text_width(cv, num, st->face, st->value_size) + st->pad;
        if (v[i] < 0)
            *left = fmax(*left, w);
        else
            *right = fmax(*right, w);
    }
}

void chart_value_label(const fs_canvas *cv, const fs_chart_style *st, double x_end, double yc,
                       double v, int decimals)
{
    char num[64];
    chart_format_number(v, decimals, num, sizeof num);
    chart_set_fill(cv, st->text);
    cv->ops->text(cv->user, v < 0 ? x_end - st->pad : x_end + st->pad,
                  yc - CHART_ASCENT * st->value_size / 2, num, st->face, st->value_size,
                  v < 0 ? FS_ALIGN_RIGHT : FS_ALIGN_LEFT, 0);
}

void chart_hbar_rect(const chart_frame *f, double yc, double height, double v, fs_chart_rgb c)
{
    /* Bars start at zero, or at the domain edge nearest zero when zero is not shown. */
    double base = f->xs.d0 > 0 ? f->xs.d0 : f->xs.d1 < 0 ? f->xs.d1 : 0;
    double x0 = chart_linear_map(&f->xs, base), x1 = chart_linear_map(&f->xs, v);
    chart_set_fill(f->cv, c);
    f->cv->ops->rect(f->cv->user, fmin(x0, x1), yc - height / 2, fabs(x1 - x0), height, 1, 0);
}

/* ---------------------------------------------------------------- bars */

typedef struct bar_ctx {
    const fs_chart_bars *d;
    size_t n_series;         /* 1 for hbar */
    int decimals;
} bar_ctx;

static void whisker(const chart_frame *f, double yc, double lo, double hi, double cap)
{
    const fs_canvas *cv = f->cv;
    double x0 = chart_linear_map(&f->xs, lo), x1 = chart_linear_map(&f->xs, hi);
    chart_set_stroke(cv, f->st->whisker);
    cv->ops->set_line_width(cv->user, f->st->whisker_width);
    cv->ops->line(cv->user, x0, yc, x1, yc);
    cv->ops->line(cv->user, x0, yc - cap / 2, x0, yc + cap / 2);
    cv->ops->line(cv->user, x1, yc - cap / 2, x1, yc + cap / 2);
}

static fs_status bar_marks(const chart_frame *f, void *vctx)
{
    const bar_ctx *c = vctx;
    const fs_chart_bars *d = c->d;
    double band = chart_band_width(&f->yb), sub = band / (double)c->n_series;
    for (size_t i = 0; i < d->n; i++) {
        double top = chart_band_center(&f->yb, i) + band / 2;
        for (size_t j = 0; j < c->n_series; j++) {
            const fs_chart_series *s = &d->series[j];
            double v = s->values[i], yc = top - sub * ((double)j + 0.5);
            if (!isfinite(v))
                continue;
            fs_chart_rgb col = c->n_series == 1 && d->colors ? d->colors[i] : s->color;
            chart_hbar_rect(f, yc, sub, v, col);
            double end = v;
            if (c->n_series > 1 && s->low && s->high && isfinite(s->low[i]) && isfinite(s->high[i])) {
                whisker(f, yc, s->low[i], s->high[i], fmin(f->st->whisker_cap, sub));
                end = v < 0 ? fmin(v, s->low[i]) : fmax(v, s->high[i]);
            }
            if (d->value_labels)
                chart_value_label(f->cv, f->st, chart_linear_map(&f->xs, end), yc, v, c->decimals);
        }
    }
    return FS_OK;
}

static fs_status draw_bars(const fs_canvas *cv, double x, double y, double w, double h,
                           const fs_chart_bars *d, const fs_chart_style *st, size_t n_series)
{
    if (!d || !st || (d->n && (!d->labels || !d->series || !d->n_series)))
        return FS_ERR_INTERNAL;
    if (!d->n)
        return FS_OK;
    size_t total = d->n * n_series;
    double *vals = malloc(total * sizeof *vals);
    fs_chart_legend_item *legend = n_series > 1 ? calloc(n_series, sizeof *legend) : NULL;
    fs_status rc = FS_ERR_NOMEM;
    if (!vals || (n_series > 1 && !legend))
        goto done;
    double lo = 0, hi = 0;
    for (size_t j = 0; j < n_series; j++) {
        const fs_chart_series *s = &d->series[j];
        for (size_t i = 0; i < d->n; i++) {
            double v = s->values[i];
            if (n_series > 1 && s->low && s->high && isfinite(s->low[i]) && isfinite(s->high[i])) {
                lo = fmin(lo, s->low[i]);
                hi = fmax(hi, s->high[i]);
            }
            vals[j * d->n + i] = v;
            if (isfinite(v)) {
                lo = fmin(lo, v);
                hi = fmax(hi, v);
            }
        }
        if (legend)
            legend[j] = (fs_chart_legend_item){s->name ? s->name : "", s->color, 0};
    }
    if (lo == hi)
        hi = 1;
    bar_ctx ctx = {d, n_series, d->decimals >= 0 ? d->decimals : chart_auto_decimals(vals, total)};
    double room_lo = 0, room_hi = 0;
    if (d->value_labels) {
        /* Labels of the longest bars stick out; the plot leaves room for them at both ends. */
        chart_value_label_room(cv, st, vals, total, ctx.decimals, &room_lo, &room_hi);
    }
    chart_spec sp = {
        .x = {.kind = CHART_AXIS_LINEAR, .lo = lo, .hi = hi, .nice = true, .title = d->value_title,
              .grid = true, .pad_lo = lo < 0 ? room_lo : 0, .pad_hi = room_hi},
        .y = {.kind = CHART_AXIS_BAND, .labels = d->labels, .n = d->n, .band_fill = st->band_fill},
        .legend = legend,
        .n_legend = legend ? n_series : 0,
        .zero_x = true,
        .marks = bar_marks,
        .ctx = &ctx,
    };
    rc = chart_frame_draw(cv, x, y, w, h, &sp, st);
done:
    free(vals);
    free(legend);
    return rc;
}

fs_status fs_chart_hbar(const fs_canvas *cv, double x, double y, double w, double h,
                        const fs_chart_bars *d, const fs_chart_style *st)
{
    return draw_bars(cv, x, y, w, h, d, st, 1);
}

fs_status fs_chart_grouped(const fs_canvas *cv, double x, double y, double w, double h,
                           const fs_chart_bars *d, const fs_chart_style *st)
{
    return draw_bars(cv, x, y, w, h, d, st, d ? d->n_series : 0);
}
