/* chart_network.c: collocation network: Fruchterman-Reingold layout from a fixed seed,
 * edges as wide as their association strength, nodes in their source colour, labels placed
 * like scatter labels. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "chart/chart_internal.h"

/* Layout constants of the algorithm (Fruchterman & Reingold 1991), not of the page. */
#define FR_MAX_ITERATIONS 5000   /* hard bound whatever the style asks */
#define FR_START_TEMP 0.1        /* first step limit, as a share of the starting square */
#define FR_GRAVITY 1.0           /* pull to the centroid keeps separate components near */
#define FR_MIN_DIST 1e-6         /* closer than this counts as coincident */

/* ---------------------------------------------------------------- prng (splitmix64) */

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static double unit_random(uint64_t *s)
{
    return (double)(splitmix64(s) >> 11) / 9007199254740992.0; /* 53 bits -> [0, 1) */
}

/* ---------------------------------------------------------------- layout */

typedef struct vec {
    double x, y;
} vec;

/* Positions in free space with the ideal edge length k = 1; the caller fits them to the box.
 * Without walls nodes do not pile up along the edges; gravity holds components together. */
static void fr_layout(const fs_chart_graph *d, const fs_chart_style *st, vec *pos, vec *disp)
{
    size_t n = d->n_nodes;
    uint64_t seed = st->seed;
    double side = sqrt((double)n); /* room for n nodes one unit apart */
    for (size_t i = 0; i < n; i++)
        pos[i] = (vec){unit_random(&seed) * side, unit_random(&seed) * side};
    if (n < 2)
        return;
    double wsum = 0;
    size_t wn = 0;
    for (size_t e = 0; e < d->n_edges; e++)
        if (d->edges[e].weight > 0 && d->edges[e].a != d->edges[e].b) {
            wsum += d->edges[e].weight;
            wn++;
        }
    double wmean = wn ? wsum / (double)wn : 1, t0 = FR_START_TEMP * side;
    int iters = st->network_iterations < 1 ? 1 : st->network_iterations > FR_MAX_ITERATIONS ? FR_MAX_ITERATIONS : st->network_iterations;
    for (int it = 0; it < iters; it++) {
        double temp = t0 * (1 - (double)it / iters), cx = 0, cy = 0;
        for (size_t i = 0; i < n; i++) {
            cx += pos[i].x / (double)n;
            cy += pos[i].y / (double)n;
        }
        for (size_t i = 0; i < n; i++)
            disp[i] = (vec){FR_GRAVITY * (cx - pos[i].x), FR_GRAVITY * (cy - pos[i].y)};
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++) {
                double dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y, dist = hypot(dx, dy);
                if (dist < FR_MIN_DIST) { /* coincident: push apart in a seeded direction */
                    double a = unit_random(&seed) * 2 * M_PI;
                    dx = cos(a) * FR_MIN_DIST;
                    dy = sin(a) * FR_MIN_DIST;
                    dist = FR_MIN_DIST;
                }
                double f = 1 / dist; /* k^2 / d */
                disp[i].x += dx / dist * f;
                disp[i].y += dy / dist * f;
                disp[j].x -= dx / dist * f;
                disp[j].y -= dy / dist * f;
            }
        for (size_t e = 0; e < d->n_edges; e++) {
            const fs_chart_edge *ed = &d->edges[e];
            if (ed->a == ed->b || !(ed->weight > 0))
                continue;
            double dx = pos[ed->a].x - pos[ed->b].x, dy = pos[ed->a].y - pos[ed->b].y;
            double dist = hypot(dx, dy);
            if (dist < FR_MIN_DIST)
                continue;
            double f = dist * dist * (ed->weight / wmean); /* d^2 / k, stronger for strong pairs */
            disp[ed->a].x -= dx / dist * f;
            disp[ed->a].y -= dy / dist * f;
            disp[ed->b].x += dx / dist * f;
            disp[ed->b].y += dy / dist * f;
        }
        for (size_t i = 0; i < n; i++) {
            double len = hypot(disp[i].x, disp[i].y);
            if (len > 0) {
                double step = fmin(len, temp);
                pos[i].x += disp[i].x / len * step;
                pos[i].y += disp[i].y / len * step;
            }
        }
    }
}

/* Stretches the layout's bounding box onto x0..x0+w, y0..y0+h (a lone node goes in the middle). */
static void fit_to_box(vec *pos, size_t n, double x0, double y0, double w, double h)
{
    double mnx = INFINITY, mxx = -INFINITY, mny = INFINITY, mxy = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        mnx = fmin(mnx, pos[i].x);
        mxx = fmax(mxx, pos[i].x);
        mny = fmin(mny, pos[i].y);
        mxy = fmax(mxy, pos[i].y);
    }
    for (size_t i = 0; i < n; i++) {
        pos[i].x = mxx > mnx ? x0 + (pos[i].x - mnx) / (mxx - mnx) * w : x0 + w / 2;
        pos[i].y = mxy > mny ? y0 + (pos[i].y - mny) / (mxy - mny) * h : y0 + h / 2;
    }
}

/* ---------------------------------------------------------------- drawing */

typedef struct net_ctx {
    const fs_chart_graph *d;
    fs_chart_info *info;
    double wmin, wmax, smax;
    char lo_txt[CHART_TEXT_MAX], hi_txt[CHART_TEXT_MAX]; /* weight-sample legend labels */
} net_ctx;

static double edge_width(const fs_chart_style *st, const net_ctx *c, double wt)
{
    if (!(c->wmax > c->wmin))
        return (st->edge_width_min + st->edge_width_max) / 2;
    return st->edge_width_min + (st->edge_width_max - st->edge_width_min) * (wt - c->wmin) / (c->wmax - c->wmin);
}

static double node_radius(const fs_chart_style *st, const net_ctx *c, double size)
{
    if (!(c->smax > 0) || !(size > 0))
        return st->node_radius_min;
    return st->node_radius_min + (st->node_radius_max - st->node_radius_min) * sqrt(size / c->smax);
}

static int cmp_label_order(const void *a, const void *b, const fs_chart_node *nodes)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    if (nodes[i].emphasis != nodes[j].emphasis)
        return nodes[i].emphasis ? -1 : 1;
    if (nodes[i].size != nodes[j].size)
        return nodes[i].size > nodes[j].size ? -1 : 1;
    return i < j ? -1 : i > j;
}

static fs_status net_marks(const chart_frame *f, void *vctx)
{
    const net_ctx *c = vctx;
    const fs_chart_graph *d = c->d;
    const fs_chart_style *st = f->st;
    const fs_canvas *cv = f->cv;
    size_t n = d->n_nodes;
    vec *pos = calloc(n, sizeof *pos), *disp = calloc(n, sizeof *disp);
    chart_label *labels = calloc(n, sizeof *labels);
    size_t *order = calloc(n, sizeof *order);
    fs_status rc = FS_ERR_NOMEM;
    if (!pos || !disp || !labels || !order)
        goto done;
    /* Nodes stay a largest radius inside the plot so no disc crosses its edge. */
    double inset = st->node_radius_max, lw = f->pw - 2 * inset, lh = f->ph - 2 * inset;
    if (!(lw > 0) || !(lh > 0)) {
        rc = FS_ERR_INTERNAL;
        goto done;
    }
    fr_layout(d, st, pos, disp);
    fit_to_box(pos, n, f->px + inset, f->py + inset, lw, lh);
    cv->ops->set_alpha(cv->user, st->edge_alpha);
    for (size_t e = 0; e < d->n_edges; e++) {
        const fs_chart_edge *ed = &d->edges[e];
        if (ed->a == ed->b || !(ed->weight > 0))
            continue;
        chart_set_stroke(cv, d->edge_colors ? ed->color : st->edge);
        cv->ops->set_line_width(cv->user, edge_width(st, c, ed->weight));
        cv->ops->line(cv->user, pos[ed->a].x, pos[ed->a].y, pos[ed->b].x, pos[ed->b].y);
    }
    cv->ops->set_alpha(cv->user, 1);
    for (size_t i = 0; i < n; i++) {
        chart_label *l = &labels[i];
        *l = (chart_label){.px = pos[i].x, .py = pos[i].y, .r = node_radius(st, c, d->nodes[i].size),
                           .text = d->nodes[i].label, .face = d->nodes[i].emphasis ? st->title_face : st->face,
                           .size = st->value_size};
        chart_set_fill(cv, d->nodes[i].color);
        cv->ops->circle(cv->user, l->px, l->py, l->r, 1, 0);
        order[i] = i;
    }
    /* Insertion sort: n is small and the order must not depend on qsort's stability. */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && cmp_label_order(&order[j - 1], &order[j], d->nodes) > 0; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    chart_box area = {f->px, f->py, f->px + f->pw, f->py + f->ph};
    chart_place_labels(cv, st, area, labels, n, order, c->info);
    chart_draw_labels(cv, st, labels, n, NULL);
    rc = FS_OK;
done:
    free(pos);
    free(disp);
    free(labels);
    free(order);
    return rc;
}

fs_status fs_chart_network(const fs_canvas *cv, double x, double y, double w, double h,
                           const fs_chart_graph *d, const fs_chart_style *st, fs_chart_info *info)
{
    if (info)
        *info = (fs_chart_info){0, 0, 0};
    if (!d || !st || (d->n_nodes && !d->nodes) || (d->n_edges && !d->edges))
        return FS_ERR_INTERNAL;
    if (!d->n_nodes)
        return FS_OK;
    net_ctx c = {.d = d, .info = info, .wmin = INFINITY, .wmax = -INFINITY, .smax = 0};
    for (size_t e = 0; e < d->n_edges; e++) {
        if (d->edges[e].a >= d->n_nodes || d->edges[e].b >= d->n_nodes)
            return FS_ERR_INTERNAL;
        if (d->edges[e].weight > 0) {
            c.wmin = fmin(c.wmin, d->edges[e].weight);
            c.wmax = fmax(c.wmax, d->edges[e].weight);
        }
    }
    for (size_t i = 0; i < d->n_nodes; i++)
        c.smax = fmax(c.smax, d->nodes[i].size);
    bool samples = d->weight_title && *d->weight_title && c.wmax >= c.wmin;
    size_t n_legend = d->n_legend + (samples ? 2 : 0);
    fs_chart_legend_item *legend = n_legend ? calloc(n_legend, sizeof *legend) : NULL;
    if (n_legend && !legend)
        return FS_ERR_NOMEM;
    for (size_t i = 0; i < d->n_legend; i++)
        legend[i] = d->legend[i];
    if (samples) {
        /* The labels live in c, which outlives chart_frame_draw below. */
        char num[64];
        double ends[2] = {c.wmin, c.wmax};
        int dec = chart_auto_decimals(ends, 2);
        chart_format_number(c.wmin, dec, num, sizeof num);
        snprintf(c.lo_txt, sizeof c.lo_txt, "%s %s", d->weight_title, num);
        chart_format_number(c.wmax, dec, num, sizeof num);
        snprintf(c.hi_txt, sizeof c.hi_txt, "%s", num);
        legend[d->n_legend] = (fs_chart_legend_item){c.lo_txt, st->edge, edge_width(st, &c, c.wmin)};
        legend[d->n_legend + 1] = (fs_chart_legend_item){c.hi_txt, st->edge, edge_width(st, &c, c.wmax)};
    }
    chart_spec sp = {.legend = legend, .n_legend = n_legend, .marks = net_marks, .ctx = &c};
    fs_status rc = chart_frame_draw(cv, x, y, w, h, &sp, st);
    free(legend);
    return rc;
}
