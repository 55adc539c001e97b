/**
 * chart.h: vector charts drawn on an fs_canvas (canvas.h): horizontal bars, diverging bars,
 * grouped bars with interval whiskers, heatmaps, labelled scatter plots and networks.
 *
 * Inputs are plain data structs that know nothing of fs_analysis: the report turns its tables
 * into labels, values and colours. Every chart draws inside the box (x, y, w, h) given in PDF
 * points, (x, y) the bottom-left corner, y upwards, and never outside it. All sizes, gaps and
 * colours come from an fs_chart_style (the report fills it from its theme; start from
 * fs_chart_style_default()). Output is deterministic: the same input gives the same canvas calls.
 *
 * Ownership: every pointer in the data structs is borrowed for the duration of the call; the
 * chart keeps nothing and allocates only scratch memory that it frees before returning.
 * Errors: FS_ERR_NOMEM when scratch memory cannot be had; FS_ERR_INTERNAL for invalid arguments
 * (NULL canvas, a box too small to draw in, mismatched sizes). Empty data draws nothing, FS_OK.
 */
#ifndef FRAMESCOPE_CHART_H
#define FRAMESCOPE_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "framescope/canvas.h"
#include "framescope/error.h"

typedef struct fs_chart_rgb {
    double r, g, b;           /* 0..1 */
} fs_chart_rgb;

typedef enum fs_chart_ramp {
    FS_CHART_RAMP_SEQUENTIAL = 0,  /* light (low) to dark (high) */
    FS_CHART_RAMP_DIVERGING        /* low colour, neutral at the midpoint, high colour */
} fs_chart_ramp;

typedef enum fs_chart_kind {
    FS_CHART_HBAR = 0,
    FS_CHART_DIVERGING,
    FS_CHART_GROUPED,
    FS_CHART_HEATMAP,
    FS_CHART_SCATTER,
    FS_CHART_NETWORK
} fs_chart_kind;

/** Sizes (points), counts and colours for every chart; no chart uses a literal size. */
typedef struct fs_chart_style {
    fs_font_face face;        /* tick labels, category labels, legend, point labels */
    fs_font_face title_face;  /* axis titles, emphasised point labels */
    double font_size;         /* tick, category and legend labels */
    double title_size;        /* axis titles */
    double value_size;        /* value labels on bars and cells, point and node labels */
    double axis_width, grid_width, zero_width;
    double grid_dash_on, grid_dash_off;   /* grid dash; on = 0 draws solid gridlines */
    double tick_len;
    double pad;               /* gap between a label and the thing it labels */
    double band_fill;         /* share of a category band filled by bars, 0..1 */
    double row_height;        /* preferred height of one bar (for fs_chart_preferred_height) */
    double cell_height;       /* preferred heatmap row height */
    double min_tick_spacing;  /* closest two ticks may be along an axis */
    int max_ticks;            /* most intervals on a numeric axis */
    double max_label_share;   /* widest category label as a share of the box width (0..1) */
    double legend_swatch;     /* legend square side */
    double legend_gap;        /* between legend entries, and legend to plot */
    double legend_item_width; /* typical legend entry width, for fs_chart_preferred_height */
    double whisker_width, whisker_cap;    /* interval line width; cap length across the bar */
    double point_radius, point_radius_emph;
    double label_gap;         /* point edge to label */
    int label_rings;          /* rings of candidate positions tried before a label is dropped */
    double color_bar_width, color_bar_height;  /* colour-scale legend */
    int ramp_steps;           /* slices the colour-scale legend is drawn with */
    double node_radius_min, node_radius_max;
    double edge_width_min, edge_width_max, edge_alpha;
    int network_iterations;   /* Fruchterman-Reingold rounds (bounded) */
    uint64_t seed;            /* network layout seed */
    double map_aspect;        /* preferred height / width of scatter and network charts */
    fs_chart_rgb text, muted, axis, grid, zero, whisker, na, edge;
    fs_chart_rgb seq_low, seq_high;                /* sequential ramp ends */
    fs_chart_rgb div_low, div_mid, div_high;       /* diverging ramp */
    fs_chart_rgb paper;       /* page colour: a halo behind point labels keeps edges and
                                 gridlines from running through their text */
} fs_chart_style;

/** One legend entry: a colour swatch, or a line sample when line_width > 0. */
typedef struct fs_chart_legend_item {
    const char *label;
    fs_chart_rgb color;
    double line_width;
} fs_chart_legend_item;

/** One series of bar values, one per category. low/high (optional, may be NULL) give an
 * interval per category, drawn as a whisker by fs_chart_grouped; NAN skips one. */
typedef struct fs_chart_series {
    const char *name;         /* legend entry (grouped bars); may be NULL */
    fs_chart_rgb color;
    const double *values;
    const double *low, *high;
} fs_chart_series;

/** Bars: `n` categories (labels top to bottom) and `n_series` series of `n` values each.
 * fs_chart_hbar draws series[0] only (colors, if not NULL, gives one colour per bar);
 * fs_chart_grouped draws every series side by side within each category. */
typedef struct fs_chart_bars {
    const char *const *labels;
    size_t n;
    const fs_chart_series *series;
    size_t n_series;
    const fs_chart_rgb *colors;   /* hbar only; NULL: series colour */
    const char *value_title;      /* axis title under the value axis; may be NULL */
    bool value_labels;            /* print each value at its bar end */
    int decimals;                 /* value label decimals; -1: automatic */
} fs_chart_bars;

/** Diverging bars: values left (negative) or right (positive) of a zero line. */
typedef struct fs_chart_divbars {
    const char *const *labels;
    const double *values;
    size_t n;
    fs_chart_rgb neg_color, pos_color;
    const char *neg_title, *pos_title;  /* legend captions of the two directions; may be NULL */
    const char *value_title;
    bool value_labels;
    int decimals;
} fs_chart_divbars;

/** Heatmap of rows x cols values (row-major; NAN draws an empty cell). The colour domain is
 * lo..hi; when lo >= hi it comes from the data (diverging: symmetric about `mid`). */
typedef struct fs_chart_matrix {
    const char *const *row_labels;
    size_t rows;
    const char *const *col_labels;
    size_t cols;
    const double *values;
    fs_chart_ramp ramp;
    double lo, mid, hi;
    const char *legend_title;     /* colour-scale caption */
    bool value_labels;
    int decimals;
    bool square;                  /* square cells (similarity matrices) */
} fs_chart_matrix;

typedef enum fs_chart_mark { FS_CHART_MARK_CIRCLE = 0, FS_CHART_MARK_SQUARE } fs_chart_mark;

typedef struct fs_chart_point {
    double x, y;
    const char *label;            /* may be NULL */
    fs_chart_rgb color;
    fs_chart_mark mark;
    bool emphasis;                /* bigger mark, bold label, labelled first */
} fs_chart_point;

typedef struct fs_chart_xy {
    const fs_chart_point *points;
    size_t n;
    const char *x_title, *y_title;
    bool equal_aspect;            /* one unit is as long on both axes (correspondence maps) */
    bool zero_lines;              /* draw x = 0 and y = 0 */
    const fs_chart_legend_item *legend;
    size_t n_legend;
} fs_chart_xy;

typedef struct fs_chart_node {
    const char *label;
    fs_chart_rgb color;
    double size;                  /* >= 0; radius grows with sqrt(size / largest size) */
    bool emphasis;                /* focus term: bold label */
} fs_chart_node;

typedef struct fs_chart_edge {
    size_t a, b;                  /* node indexes */
    double weight;                /* > 0: association strength; width grows linearly */
    fs_chart_rgb color;           /* used when fs_chart_graph.edge_colors */
} fs_chart_edge;

typedef struct fs_chart_graph {
    const fs_chart_node *nodes;
    size_t n_nodes;
    const fs_chart_edge *edges;
    size_t n_edges;
    bool edge_colors;             /* false: every edge in style->edge */
    const char *weight_title;     /* legend caption of the edge-width samples; NULL: none */
    const fs_chart_legend_item *legend;
    size_t n_legend;
} fs_chart_graph;

/** What label placement did (scatter and network). */
typedef struct fs_chart_info {
    size_t labels_placed;
    size_t labels_moved;          /* placed away from the point, with a leader line */
    size_t labels_dropped;        /* no free place found */
} fs_chart_info;

/** Default style: 8 pt sans labels, Okabe-Ito friendly greys, a blue sequential ramp and a
 * blue-white-vermillion diverging ramp. */
fs_chart_style fs_chart_style_default(void);

/** The i-th colour of the colour-blind-safe categorical palette (Okabe-Ito order without
 * black; cycles after 7). */
fs_chart_rgb fs_chart_palette(size_t i);

/** Colour of the ramp at t in 0..1 (diverging: 0.5 is the neutral midpoint), clamped. */
fs_chart_rgb fs_chart_ramp_color(const fs_chart_style *st, fs_chart_ramp ramp, double t);

/** Height (points) a chart of `rows` categories needs at width w so the layout can keep it
 * whole: hbar and diverging: rows x row_height; grouped: rows x series x row_height (series
 * also sizes the legend); heatmap: rows x cell_height plus rotated column labels and the
 * colour scale (series ignored); scatter and network: w x map_aspect plus a legend of
 * `series` entries (rows ignored). Axis and legend heights are included. */
double fs_chart_preferred_height(fs_chart_kind kind, size_t rows, size_t series, double w,
                                 const fs_chart_style *st);

/** Horizontal bars, one per category, from a zero baseline. */
fs_status fs_chart_hbar(const fs_canvas *cv, double x, double y, double w, double h,
                        const fs_chart_bars *d, const fs_chart_style *st);

/** Diverging horizontal bars about a zero line, with a legend naming both directions. */
fs_status fs_chart_diverging(const fs_canvas *cv, double x, double y, double w, double h,
                             const fs_chart_divbars *d, const fs_chart_style *st);

/** Grouped horizontal bars (one per series within each category) with low..high whiskers. */
fs_status fs_chart_grouped(const fs_canvas *cv, double x, double y, double w, double h,
                           const fs_chart_bars *d, const fs_chart_style *st);

/** Heatmap with row and column labels and a colour-scale legend. */
fs_status fs_chart_heatmap(const fs_canvas *cv, double x, double y, double w, double h,
                           const fs_chart_matrix *d, const fs_chart_style *st);

/** Labelled scatter plot; labels never overlap each other, the points or the plot edge (a
 * label without room is dropped and counted). `info` may be NULL. */
fs_status fs_chart_scatter(const fs_canvas *cv, double x, double y, double w, double h,
                           const fs_chart_xy *d, const fs_chart_style *st,
                           fs_chart_info *info);

/** Force-directed network (Fruchterman-Reingold, fixed seed from the style). `info` may be NULL. */
fs_status fs_chart_network(const fs_canvas *cv, double x, double y, double w, double h,
                           const fs_chart_graph *d, const fs_chart_style *st,
                           fs_chart_info *info);

#endif
