/* chart_diverging.c: horizontal bars left or right of a zero line (distinctive terms in both
 * directions). Marks only: the frame draws axes, grid, zero line and legend. */
#include <math.h>

#include "chart/chart_internal.h"

typedef struct div_ctx {
    const fs_chart_divbars *d;
    int decimals;
} div_ctx;

static fs_status div_marks(const chart_frame *f, void *vctx)
{
    const div_ctx *c = vctx;
    const fs_chart_divbars *d = c->d;
    double band = chart_band_width(&f->yb);
    for (size_t i = 0; i < d->n; i++) {
        double v = d->values[i], yc = chart_band_center(&f->yb, i);
        if (!isfinite(v))
            continue;
        chart_hbar_rect(f, yc, band, v, v < 0 ? d->neg_color : d->pos_color);
        if (d->value_labels)
            chart_value_label(f->cv, f->st, chart_linear_map(&f->xs, v), yc, v, c->decimals);
    }
    return FS_OK;
}

fs_status fs_chart_diverging(const fs_canvas *cv, double x, double y, double w, double h,
                             const fs_chart_divbars *d, const fs_chart_style *st)
{
    if (!d || !st || (d->n && (!d->labels || !d->values)))
        return FS_ERR_INTERNAL;
    if (!d->n)
        return FS_OK;
    double lo = 0, hi = 0;
    for (size_t i = 0; i < d->n; i++)
        if (isfinite(d->values[i])) {
            lo = fmin(lo, d->values[i]);
            hi = fmax(hi, d->values[i]);
        }
    if (lo == hi)
        hi = 1;
    div_ctx ctx = {d, d->decimals >= 0 ? d->decimals : chart_auto_decimals(d->values, d->n)};
    double room_lo = 0, room_hi = 0;
    if (d->value_labels)
        chart_value_label_room(cv, st, d->values, d->n, ctx.decimals, &room_lo, &room_hi);
    fs_chart_legend_item legend[2];
    size_t n_legend = 0;
    if (d->neg_title && *d->neg_title)
        legend[n_legend++] = (fs_chart_legend_item){d->neg_title, d->neg_color, 0};
    if (d->pos_title && *d->pos_title)
        legend[n_legend++] = (fs_chart_legend_item){d->pos_title, d->pos_color, 0};
    chart_spec sp = {
        .x = {.kind = CHART_AXIS_LINEAR, .lo = lo, .hi = hi, .nice = true, .title = d->value_title,
              .grid = true, .pad_lo = room_lo, .pad_hi = room_hi},
        .y = {.kind = CHART_AXIS_BAND, .labels = d->labels, .n = d->n, .band_fill = st->band_fill},
        .legend = legend,
        .n_legend = n_legend,
        .zero_x = true,
        .marks = div_marks,
        .ctx = &ctx,
    };
    return chart_frame_draw(cv, x, y, w, h, &sp, st);
}
