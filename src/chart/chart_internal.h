/* chart_internal.h: what the chart files share: scales and ticks (chart_scale.c), the frame
 * driver that lays out and draws legend, gridlines, axes and labels around a chart's marks
 * (chart_frame.c), bar value labels (chart_bar.c) and label placement (chart_scatter.c).
 * Each chart kind fills a chart_spec and supplies only a marks callback. */
#ifndef FRAMESCOPE_CHART_INTERNAL_H
#define FRAMESCOPE_CHART_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include "framescope/chart.h"

/* Font metrics as shares of the font size, used to centre text vertically and to box it.
 * They are properties of typical sans faces, not layout choices. */
#define CHART_ASCENT 0.72
#define CHART_DESCENT 0.22
/* Tick labels that do not fit are rotated by this many degrees. */
#define CHART_ROTATE_DEG 45.0
/* Longest text chart_fit_text returns (bytes). */
#define CHART_TEXT_MAX 256
/* Most ticks one axis can hold (a 1-2-5 step never needs more for max_ticks <= 60). */
#define CHART_TICKS_CAP 64

/* ---------------------------------------------------------------- scales (chart_scale.c) */

/* Linear map of domain d0..d1 onto range r0..r1. */
typedef struct chart_linear {
    double d0, d1, r0, r1;
} chart_linear;

double chart_linear_map(const chart_linear *s, double v);

/* n equal bands from r0 to r1 (r1 < r0 for top-to-bottom rows); bars fill `fill` of a band. */
typedef struct chart_band {
    size_t n;
    double r0, r1, fill;
} chart_band;

double chart_band_step(const chart_band *b);      /* signed */
double chart_band_center(const chart_band *b, size_t i);
double chart_band_width(const chart_band *b);     /* |step| * fill */

typedef struct chart_ticks {
    double lo, hi;            /* domain (extended to the outer ticks when asked) */
    double step;
    size_t n;
    double v[CHART_TICKS_CAP];
    int decimals;             /* enough to tell ticks apart */
} chart_ticks;

/* Ticks on the smallest 1-2-5 step giving at most max_intervals intervals between the first
 * and last tick. extend: the domain grows to the enclosing ticks (0..7.3 -> 0..8 with ticks
 * 0,2,4,6,8); otherwise ticks are the step multiples inside lo..hi (the domain stays).
 * lo == hi is widened by one unit either side. */
void chart_nice_ticks(double lo, double hi, int max_intervals, bool extend, chart_ticks *t);

/* Decimals that show a 1-2-5 step exactly (0.25 is not one: 2). */
int chart_step_decimals(double step);
/* Decimals for value labels: 0 when all finite values are integers, else 2 significant
 * digits of the smallest non-zero magnitude, at most 3. */
int chart_auto_decimals(const double *v, size_t n);
/* "-1,234.5": fixed decimals, thousands separated by commas, no "-0". */
void chart_format_number(double v, int decimals, char *buf, size_t n);

/* ---------------------------------------------------------------- text (chart_frame.c) */

double chart_text_width(const fs_canvas *cv, const char *s, fs_font_face face, double size);
/* `s` if it fits in maxw, else its longest UTF-8 prefix plus "…" that does (in buf); "" when
 * not even the ellipsis fits. */
const char *chart_fit_text(const fs_canvas *cv, const char *s, fs_font_face face, double size,
                           double maxw, char *buf, size_t bufn);
void chart_set_fill(const fs_canvas *cv, fs_chart_rgb c);
void chart_set_stroke(const fs_canvas *cv, fs_chart_rgb c);
double chart_luminance(fs_chart_rgb c);   /* chart_palette.c */

/* ---------------------------------------------------------------- frame (chart_frame.c) */

typedef enum chart_axis_kind { CHART_AXIS_NONE = 0, CHART_AXIS_LINEAR, CHART_AXIS_BAND } chart_axis_kind;

typedef struct chart_axis_spec {
    chart_axis_kind kind;
    double lo, hi;              /* linear: data range */
    bool nice;                  /* linear: extend the domain to nice ticks */
    const char *title;
    const char *const *labels;  /* band: n labels (y: top to bottom, x: left to right) */
    size_t n;
    double band_fill;           /* band: share of the band the marks fill */
    bool grid;                  /* linear: gridlines at ticks */
    double pad_lo, pad_hi;      /* extra room (points) outside the plot at each end */
} chart_axis_spec;

typedef struct chart_frame chart_frame;
typedef fs_status (*chart_marks_fn)(const chart_frame *f, void *ctx);

typedef struct chart_spec {
    chart_axis_spec x, y;
    const fs_chart_legend_item *legend;
    size_t n_legend;
    bool color_legend;          /* colour-scale legend for ramp over ramp_lo..ramp_hi */
    fs_chart_ramp ramp;
    double ramp_lo, ramp_hi;
    const char *ramp_title;
    bool equal_aspect;          /* linear x and y: same units per point */
    bool square_bands;          /* band x and y: square cells */
    bool zero_x, zero_y;        /* draw x = 0 (vertical) / y = 0 (horizontal) over the marks */
    chart_marks_fn marks;
    void *ctx;
} chart_spec;

struct chart_frame {
    const fs_canvas *cv;
    const fs_chart_style *st;
    double bx, by, bw, bh;      /* the whole box */
    double px, py, pw, ph;      /* plot area */
    chart_linear xs, ys;
    chart_ticks xt, yt;
    chart_band xb, yb;
};

/* Lays out legend, axes and plot area inside the box, draws gridlines, calls spec->marks,
 * then zero lines, axes, labels and legend. */
fs_status chart_frame_draw(const fs_canvas *cv, double x, double y, double w, double h,
                           const chart_spec *spec, const fs_chart_style *st);

/* Height of the legend rows for these items at width w; 0 when there are none. */
double chart_legend_height(const fs_canvas *cv, const fs_chart_style *st,
                           const fs_chart_legend_item *items, size_t n, double w);
/* Height of a numeric x axis below the plot (ticks, labels, optional title). */
double chart_x_axis_height(const fs_chart_style *st, bool has_title);
/* Height of the colour-scale legend. */
double chart_color_legend_height(const fs_chart_style *st);

/* ---------------------------------------------------------------- bars (chart_bar.c) */

/* Points needed left of the lowest and right of the highest bar end for value labels. */
void chart_value_label_room(const fs_canvas *cv, const fs_chart_style *st, const double *v,
                            size_t n, int decimals, double *left, double *right);
/* Value label just outside the bar end at x_end (left of it when v < 0), centred on yc. */
void chart_value_label(const fs_canvas *cv, const fs_chart_style *st, double x_end, double yc,
                       double v, int decimals);
/* A horizontal bar from value 0 (or the domain edge) to v in band row i. */
void chart_hbar_rect(const chart_frame *f, double yc, double height, double v, fs_chart_rgb c);

/* ---------------------------------------------------------------- labels (chart_scatter.c) */

typedef struct chart_box {
    double x0, y0, x1, y1;
} chart_box;

typedef struct chart_label {
    double px, py, r;           /* the point it labels and that point's radius */
    const char *text;           /* NULL or "": no label */
    fs_font_face face;
    double size;
    /* filled by chart_place_labels: */
    bool placed, moved;
    double tx, ty;              /* baseline-left of the text */
    chart_box box;
} chart_label;

/* Greedy deterministic placement in `order` (NULL: index order): each label takes the first
 * candidate position around its point, ring by ring, that stays inside `area` and overlaps no
 * point and no label placed before it. Adds the counts to info (may be NULL). */
fs_status chart_place_labels(const fs_canvas *cv, const fs_chart_style *st, chart_box area,
                             chart_label *labels, size_t n, const size_t *order,
                             fs_chart_info *info);
/* Leader lines for moved labels, then the texts. */
void chart_draw_labels(const fs_canvas *cv, const fs_chart_style *st, const chart_label *labels,
                       size_t n, const fs_chart_rgb *colors);

bool chart_box_overlap(const chart_box *a, const chart_box *b);

#endif
