/* chart_scatter.c: labelled scatter plot (correspondence analysis map) and the greedy label
 * placement it shares with the network chart. */
#include <math.h>
#include <stdlib.h>

#include "chart/chart_internal.h"

/* ---------------------------------------------------------------- label placement */

/* Candidate directions in order of preference: right, upper right, lower right, left, upper
 * left, lower left, above, below; outer rings add the directions halfway between. */
static const double main_deg[] = {0, 45, -45, 180, 135, 225, 90, 270};
static const double half_deg[] = {22.5, -22.5, 157.5, 202.5, 67.5, 112.5, 247.5, 292.5};
#define N_DIRS (sizeof main_deg / sizeof main_deg[0])

bool chart_box_overlap(const chart_box *a, const chart_box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static bool box_inside(const chart_box *b, const chart_box *area)
{
    return b->x0 >= area->x0 && b->x1 <= area->x1 && b->y0 >= area->y0 && b->y1 <= area->y1;
}

/* The text box whose nearest corner or edge lies at distance d from the point in direction deg. */
static chart_box candidate(const chart_label *l, double tw, double th, double d, double deg)
{
    double a = deg * M_PI / 180, ux = cos(a), uy = sin(a), eps = 1e-9;
    chart_box b;
    b.x0 = ux > eps ? l->px + d * ux : ux < -eps ? l->px + d * ux - tw : l->px - tw / 2;
    b.y0 = uy > eps ? l->py + d * uy : uy < -eps ? l->py + d * uy - th : l->py - th / 2;
    b.x1 = b.x0 + tw;
    b.y1 = b.y0 + th;
    return b;
}

static bool box_free(const chart_box *b, double margin, const chart_label *labels, size_t n)
{
    chart_box g = {b->x0 - margin, b->y0 - margin, b->x1 + margin, b->y1 + margin};
    for (size_t i = 0; i < n; i++) {
        const chart_label *o = &labels[i];
        chart_box pt = {o->px - o->r, o->py - o->r, o->px + o->r, o->py + o->r};
        if (chart_box_overlap(&g, &pt) || (o->placed && chart_box_overlap(&g, &o->box)))
            return false;
    }
    return true;
}

static bool place_one(const fs_canvas *cv, const fs_chart_style *st, chart_box area,
                      chart_label *labels, size_t n, chart_label *l)
{
    double tw = chart_text_width(cv, l->text, l->face, l->size);
    double th = (CHART_ASCENT + CHART_DESCENT) * l->size;
    int rings = st->label_rings > 0 ? st->label_rings : 1;
    for (int ring = 0; ring < rings; ring++) {
        double d = l->r + st->label_gap + ring * th;
        for (size_t pass = 0; pass < (ring ? 2u : 1u); pass++) {
            const double *dirs = pass ? half_deg : main_deg;
            for (size_t k = 0; k < N_DIRS; k++) {
                chart_box b = candidate(l, tw, th, d, dirs[k]);
                if (!box_inside(&b, &area) || !box_free(&b, st->label_gap / 2, labels, n))
                    continue;
                l->placed = true;
                l->moved = ring > 0;
                l->box = b;
                l->tx = b.x0;
                l->ty = b.y0 + CHART_DESCENT * l->size;
                return true;
            }
        }
    }
    return false;
}

fs_status chart_place_labels(const fs_canvas *cv, const fs_chart_style *st, chart_box area,
                             chart_label *labels, size_t n, const size_t *order,
                             fs_chart_info *info)
{
    for (size_t i = 0; i < n; i++)
        labels[i].placed = labels[i].moved = false;
    for (size_t k = 0; k < n; k++) {
        chart_label *l = &labels[order ? order[k] : k];
        if (!l->text || !*l->text)
            continue;
        bool ok = place_one(cv, st, area, labels, n, l);
        if (info) {
            info->labels_placed += ok;
            info->labels_moved += ok && l->moved;
            info->labels_dropped += !ok;
        }
    }
    return FS_OK;
}

void chart_draw_labels(const fs_canvas *cv, const fs_chart_style *st, const chart_label *labels,
                       size_t n, const fs_chart_rgb *colors)
{
    chart_set_stroke(cv, st->muted);
    cv->ops->set_line_width(cv->user, st->grid_width);
    for (size_t i = 0; i < n; i++) {
        const chart_label *l = &labels[i];
        if (!l->placed || !l->moved)
            continue;
        /* Leader from the point's edge to the nearest point of the label box. */
        double qx = fmin(fmax(l->px, l->box.x0), l->box.x1);
        double qy = fmin(fmax(l->py, l->box.y0), l->box.y1);
        double dx = qx - l->px, dy = qy - l->py, len = hypot(dx, dy);
        if (len > l->r)
            cv->ops->line(cv->user, l->px + dx / len * l->r, l->py + dy / len * l->r, qx, qy);
    }
    /* Halos first, all of them, so no label's halo covers another's text. */
    chart_set_fill(cv, st->paper);
    for (size_t i = 0; i < n; i++) {
        const chart_label *l = &labels[i];
        if (l->placed)
            cv->ops->rect(cv->user, l->box.x0, l->box.y0, l->box.x1 - l->box.x0,
                          l->box.y1 - l->box.y0, 1, 0);
    }
    for (size_t i = 0; i < n; i++) {
        const chart_label *l = &labels[i];
        if (!l->placed)
            continue;
        chart_set_fill(cv, colors ? colors[i] : st->text);
        cv->ops->text(cv->user, l->tx, l->ty, l->text, l->face, l->size, FS_ALIGN_LEFT, 0);
    }
}

/* ---------------------------------------------------------------- scatter */

typedef struct scatter_ctx {
    const fs_chart_xy *d;
    fs_chart_info *info;
} scatter_ctx;

static void draw_mark(const fs_canvas *cv, const fs_chart_point *p, double x, double y, double r)
{
    chart_set_fill(cv, p->color);
    if (p->mark == FS_CHART_MARK_SQUARE)
        cv->ops->rect(cv->user, x - r, y - r, 2 * r, 2 * r, 1, 0);
    else
        cv->ops->circle(cv->user, x, y, r, 1, 0);
}

static fs_status scatter_marks(const chart_frame *f, void *vctx)
{
    const scatter_ctx *c = vctx;
    const fs_chart_xy *d = c->d;
    const fs_chart_style *st = f->st;
    chart_label *labels = calloc(d->n, sizeof *labels);
    size_t *order = calloc(d->n, sizeof *order);
    if (!labels || !order) {
        free(labels);
        free(order);
        return FS_ERR_NOMEM;
    }
    size_t k = 0;
    for (int emph = 1; emph >= 0; emph--) /* emphasised points are labelled first */
        for (size_t i = 0; i < d->n; i++)
            if (d->points[i].emphasis == (emph == 1))
                order[k++] = i;
    for (size_t i = 0; i < d->n; i++) {
        const fs_chart_point *p = &d->points[i];
        chart_label *l = &labels[i];
        bool ok = isfinite(p->x) && isfinite(p->y);
        /* A point without coordinates is not drawn; NAN makes it overlap nothing. */
        l->px = ok ? chart_linear_map(&f->xs, p->x) : NAN;
        l->py = ok ? chart_linear_map(&f->ys, p->y) : NAN;
        l->r = ok ? (p->emphasis ? st->point_radius_emph : st->point_radius) : 0;
        l->text = ok ? p->label : NULL;
        l->face = p->emphasis ? st->title_face : st->face;
        l->size = st->value_size;
    }
    for (size_t j = d->n; j-- > 0;) /* emphasised marks end up on top */
        if (labels[order[j]].r > 0)
            draw_mark(f->cv, &d->points[order[j]], labels[order[j]].px, labels[order[j]].py, labels[order[j]].r);
    chart_box area = {f->px, f->py, f->px + f->pw, f->py + f->ph};
    chart_place_labels(f->cv, st, area, labels, d->n, order, c->info);
    chart_draw_labels(f->cv, st, labels, d->n, NULL);
    free(labels);
    free(order);
    return FS_OK;
}

fs_status fs_chart_scatter(const fs_canvas *cv, double x, double y, double w, double h,
                           const fs_chart_xy *d, const fs_chart_style *st, fs_chart_info *info)
{
    if (info)
        *info = (fs_chart_info){0, 0, 0};
    if (!d || !st || (d->n && !d->points))
        return FS_ERR_INTERNAL;
    if (!d->n)
        return FS_OK;
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < d->n; i++)
        if (isfinite(d->points[i].x) && isfinite(d->points[i].y)) {
            x0 = fmin(x0, d->points[i].x);
            x1 = fmax(x1, d->points[i].x);
            y0 = fmin(y0, d->points[i].y);
            y1 = fmax(y1, d->points[i].y);
        }
    scatter_ctx c = {d, info};
    chart_spec sp = {
        .x = {.kind = CHART_AXIS_LINEAR, .lo = x0, .hi = x1, .nice = true, .title = d->x_title, .grid = true},
        .y = {.kind = CHART_AXIS_LINEAR, .lo = y0, .hi = y1, .nice = true, .title = d->y_title, .grid = true},
        .legend = d->legend,
        .n_legend = d->n_legend,
        .equal_aspect = d->equal_aspect,
        .zero_x = d->zero_lines,
        .zero_y = d->zero_lines,
        .marks = scatter_marks,
        .ctx = &c,
    };
    return chart_frame_draw(cv, x, y, w, h, &sp, st);
}
