/* test_chart.c: scales, ticks and number formats, and the geometry every chart kind draws,
 * checked on a recording canvas (text is 0.5 em per character). */
#include "testutil.h"

#include <stdbool.h>

#include "chart/chart_internal.h"
#include "framescope/chart.h"

/* ---------------------------------------------------------------- recording canvas */

enum { OP_RECT, OP_LINE, OP_CIRCLE, OP_TEXT };
#define REC_MAX 4096

typedef struct rec_op {
    int kind;
    double a[4];               /* rect x,y,w,h; line x1,y1,x2,y2; circle cx,cy,r */
    fs_chart_rgb fill, stroke;
    double lw;
    char text[128];
    double size, angle;
    fs_align align;
    fs_font_face face;
} rec_op;

typedef struct rec {
    rec_op ops[REC_MAX];
    size_t n;
    fs_chart_rgb fill, stroke;
    double lw;
} rec;

static rec_op *rec_push(rec *r, int kind)
{
    assert_true(r->n < REC_MAX);
    rec_op *o = &r->ops[r->n++];
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->fill = r->fill;
    o->stroke = r->stroke;
    o->lw = r->lw;
    return o;
}

static void r_fill(void *u, double r, double g, double b) { ((rec *)u)->fill = (fs_chart_rgb){r, g, b}; }
static void r_stroke(void *u, double r, double g, double b) { ((rec *)u)->stroke = (fs_chart_rgb){r, g, b}; }
static void r_lw(void *u, double w) { ((rec *)u)->lw = w; }
static void r_dash(void *u, double on, double off) { (void)u, (void)on, (void)off; }
static void r_alpha(void *u, double a) { (void)u, (void)a; }
static void r_rect(void *u, double x, double y, double w, double h, int fill, int stroke)
{
    (void)fill, (void)stroke;
    rec_op *o = rec_push(u, OP_RECT);
    o->a[0] = x, o->a[1] = y, o->a[2] = w, o->a[3] = h;
}
static void r_line(void *u, double x1, double y1, double x2, double y2)
{
    rec_op *o = rec_push(u, OP_LINE);
    o->a[0] = x1, o->a[1] = y1, o->a[2] = x2, o->a[3] = y2;
}
static void r_circle(void *u, double cx, double cy, double rad, int fill, int stroke)
{
    (void)fill, (void)stroke;
    rec_op *o = rec_push(u, OP_CIRCLE);
    o->a[0] = cx, o->a[1] = cy, o->a[2] = rad;
}
static double utf8_chars(const char *s)
{
    double n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}
static double r_width(void *u, const char *s, fs_font_face face, double size)
{
    (void)u, (void)face;
    return 0.5 * size * utf8_chars(s);
}
static void r_text(void *u, double x, double y, const char *s, fs_font_face face, double size, fs_align align,
                   double angle)
{
    rec_op *o = rec_push(u, OP_TEXT);
    o->a[0] = x, o->a[1] = y;
    snprintf(o->text, sizeof o->text, "%s", s);
    o->face = face, o->size = size, o->align = align, o->angle = angle;
}

static const fs_canvas_ops rec_ops = {r_fill, r_stroke, r_lw, r_dash, r_alpha, r_rect, r_line, r_circle, r_text, r_width, NULL};

static rec *rec_new(fs_canvas *cv)
{
    rec *r = calloc(1, sizeof *r);
    assert_non_null(r);
    *cv = (fs_canvas){&rec_ops, r};
    return r;
}

static bool same_rgb(fs_chart_rgb a, fs_chart_rgb b)
{
    return fabs(a.r - b.r) < 1e-9 && fabs(a.g - b.g) < 1e-9 && fabs(a.b - b.b) < 1e-9;
}

/* Box of a text op (rotated text: the box of its rotated baseline-to-ascent rectangle). */
static chart_box text_box(const rec_op *o)
{
    double w = 0.5 * o->size * utf8_chars(o->text);
    double x0 = o->align == FS_ALIGN_RIGHT ? -w : o->align == FS_ALIGN_CENTER ? -w / 2 : 0;
    const double xs[2] = {x0, x0 + w}, ys[2] = {-CHART_DESCENT * o->size, CHART_ASCENT * o->size};
    double a = o->angle * M_PI / 180, c = cos(a), s = sin(a);
    chart_box b = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            double px = o->a[0] + xs[i] * c - ys[j] * s, py = o->a[1] + xs[i] * s + ys[j] * c;
            b.x0 = fmin(b.x0, px), b.x1 = fmax(b.x1, px), b.y0 = fmin(b.y0, py), b.y1 = fmax(b.y1, py);
        }
    return b;
}

static chart_box op_box(const rec_op *o)
{
    switch (o->kind) {
    case OP_RECT:
        return (chart_box){o->a[0], o->a[1], o->a[0] + o->a[2], o->a[1] + o->a[3]};
    case OP_LINE:
        return (chart_box){fmin(o->a[0], o->a[2]), fmin(o->a[1], o->a[3]), fmax(o->a[0], o->a[2]), fmax(o->a[1], o->a[3])};
    case OP_CIRCLE:
        return (chart_box){o->a[0] - o->a[2], o->a[1] - o->a[2], o->a[0] + o->a[2], o->a[1] + o->a[2]};
    default:
        return text_box(o);
    }
}

static void assert_inside(const rec *r, double x, double y, double w, double h)
{
    const double eps = 1e-6;
    for (size_t i = 0; i < r->n; i++) {
        chart_box b = op_box(&r->ops[i]);
        if (b.x0 < x - eps || b.y0 < y - eps || b.x1 > x + w + eps || b.y1 > y + h + eps)
            fail_msg("op %zu (kind %d, \"%s\") at [%g,%g]-[%g,%g] leaves the box", i, r->ops[i].kind,
                     r->ops[i].text, b.x0, b.y0, b.x1, b.y1);
    }
}

/* Rects filled with colour c, in drawing order. */
static size_t rects_of(const rec *r, fs_chart_rgb c, const rec_op **out, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < r->n && k < max; i++)
        if (r->ops[i].kind == OP_RECT && same_rgb(r->ops[i].fill, c))
            out[k++] = &r->ops[i];
    return k;
}

static const rec_op *find_line(const rec *r, fs_chart_rgb stroke, double lw, bool vertical)
{
    for (size_t i = 0; i < r->n; i++) {
        const rec_op *o = &r->ops[i];
        if (o->kind == OP_LINE && same_rgb(o->stroke, stroke) && fabs(o->lw - lw) < 1e-9 &&
            (vertical ? o->a[0] == o->a[2] : o->a[1] == o->a[3]))
            return o;
    }
    return NULL;
}

/* ---------------------------------------------------------------- scales */

static void test_nice_ticks(void **state)
{
    (void)state;
    static const struct {
        double lo, hi;
        int max_iv;
        bool extend;
        size_t n;
        double ticks[8];
    } rows[] = {
        {0, 7.3, 5, true, 5, {0, 2, 4, 6, 8}},
        {0, 7.3, 5, false, 4, {0, 2, 4, 6}},
        {-3, 3, 6, true, 7, {-3, -2, -1, 0, 1, 2, 3}},
        {-3, 3, 5, true, 5, {-4, -2, 0, 2, 4}},
        {-3.4, 3.4, 3, false, 3, {-2, 0, 2}},
        {0.013, 0.087, 4, true, 3, {0, 0.05, 0.1}},
        {1234, 98765, 5, true, 6, {0, 20000, 40000, 60000, 80000, 100000}},
        {5, 5, 2, true, 3, {4, 5, 6}},
        {0, 1, 8, true, 6, {0, 0.2, 0.4, 0.6, 0.8, 1}},
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        chart_ticks t;
        chart_nice_ticks(rows[r].lo, rows[r].hi, rows[r].max_iv, rows[r].extend, &t);
        if (t.n != rows[r].n)
            fail_msg("row %zu: %zu ticks, expected %zu", r, t.n, rows[r].n);
        for (size_t i = 0; i < t.n; i++)
            assert_close(t.v[i], rows[r].ticks[i], 1e-12);
        if (rows[r].extend) {
            assert_close(t.lo, rows[r].ticks[0], 1e-12);
            assert_close(t.hi, rows[r].ticks[t.n - 1], 1e-12);
        }
    }
}

static void test_number_format(void **state)
{
    (void)state;
    static const struct {
        double v;
        int dec;
        const char *want;
    } rows[] = {
        {1234567, 0, "1,234,567"}, {1000, 0, "1,000"}, {999, 0, "999"}, {-12.5, 1, "-12.5"},
        {-0.0001, 2, "0.00"},      {0.05, 2, "0.05"},  {-4000, 0, "-4,000"}, {NAN, 1, "n/a"},
    };
    char buf[64];
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        chart_format_number(rows[r].v, rows[r].dec, buf, sizeof buf);
        assert_string_equal(buf, rows[r].want);
    }
    assert_int_equal(chart_step_decimals(0.05), 2);
    assert_int_equal(chart_step_decimals(20000), 0);
    double ints[] = {3, 40, 7}, small[] = {0.034, 0.5}, mid[] = {2.5, 12.25};
    assert_int_equal(chart_auto_decimals(ints, 3), 0);
    assert_int_equal(chart_auto_decimals(small, 2), 3);
    assert_int_equal(chart_auto_decimals(mid, 2), 1);
}

static void test_fit_text_ellipsis(void **state)
{
    (void)state;
    fs_canvas cv;
    rec *r = rec_new(&cv);
    char buf[CHART_TEXT_MAX];
    assert_string_equal(chart_fit_text(&cv, "short", FS_FACE_SANS, 10, 25, buf, sizeof buf), "short");
    /* 10 pt: 5 pt a character, 40 pt room: 7 characters plus the ellipsis. */
    assert_string_equal(chart_fit_text(&cv, "international", FS_FACE_SANS, 10, 40, buf, sizeof buf), "interna\xE2\x80\xA6");
    assert_string_equal(chart_fit_text(&cv, "caf\xC3\xA9 society", FS_FACE_SANS, 10, 25, buf, sizeof buf), "caf\xC3\xA9\xE2\x80\xA6");
    assert_string_equal(chart_fit_text(&cv, "abc", FS_FACE_SANS, 10, 2, buf, sizeof buf), "");
    free(r);
}

static void test_ramps(void **state)
{
    (void)state;
    fs_chart_style st = fs_chart_style_default();
    assert_true(same_rgb(fs_chart_ramp_color(&st, FS_CHART_RAMP_DIVERGING, 0), st.div_low));
    assert_true(same_rgb(fs_chart_ramp_color(&st, FS_CHART_RAMP_DIVERGING, 0.5), st.div_mid));
    assert_true(same_rgb(fs_chart_ramp_color(&st, FS_CHART_RAMP_DIVERGING, 1), st.div_high));
    assert_true(same_rgb(fs_chart_ramp_color(&st, FS_CHART_RAMP_SEQUENTIAL, -3), st.seq_low));
    assert_true(same_rgb(fs_chart_ramp_color(&st, FS_CHART_RAMP_SEQUENTIAL, NAN), st.seq_low));
    assert_true(same_rgb(fs_chart_ramp_color(&st, FS_CHART_RAMP_SEQUENTIAL, 7), st.seq_high));
    assert_true(same_rgb(fs_chart_palette(0), fs_chart_palette(7))); /* 7 colours, then again */
    assert_false(same_rgb(fs_chart_palette(0), fs_chart_palette(1)));
}

/* ---------------------------------------------------------------- bars */

static void test_hbar_lengths(void **state)
{
    (void)state;
    fs_canvas cv;
    rec *r = rec_new(&cv);
    fs_chart_style st = fs_chart_style_default();
    const char *labels[] = {"alpha", "beta", "gamma"};
    double v[] = {8, 2, 5};
    fs_chart_series s = {"n", fs_chart_palette(2), v, NULL, NULL};
    fs_chart_bars d = {labels, 3, &s, 1, NULL, NULL, false, -1};
    assert_int_equal(fs_chart_hbar(&cv, 50, 40, 400, 200, &d, &st), FS_OK);
    const rec_op *bars[8];
    assert_int_equal(rects_of(r, s.color, bars, 8), 3);
    /* By hand: labels 5 chars x 4 pt + 3 pt pad = 23 pt left; last tick "8" needs 2 pt right;
     * plot 375 pt wide for the domain 0..8. */
    assert_close(bars[0]->a[0], 73, 1e-9);
    assert_close(bars[0]->a[2], 375, 1e-9);
    assert_close(bars[1]->a[0], 73, 1e-9);
    assert_close(bars[1]->a[2], 93.75, 1e-9);
    assert_close(bars[2]->a[2], 234.375, 1e-9);
    assert_true(bars[0]->a[1] > bars[1]->a[1] && bars[1]->a[1] > bars[2]->a[1]); /* top to bottom */
    assert_close(bars[0]->a[3], bars[2]->a[3], 1e-12);
    const rec_op *axis = find_line(r, st.axis, st.axis_width, false);
    assert_non_null(axis);
    assert_close(axis->a[0], 73, 1e-9);
    assert_close(axis->a[2], 448, 1e-9);
    assert_inside(r, 50, 40, 400, 200);
    free(r);
}

static void test_diverging_from_zero(void **state)
{
    (void)state;
    fs_canvas cv;
    rec *r = rec_new(&cv);
    fs_chart_style st = fs_chart_style_default();
    const char *labels[] = {"a", "b", "c", "d"};
    double v[] = {-3, 1.5, 2, -0.5};
    fs_chart_divbars d = {labels, v, 4, fs_chart_palette(0), fs_chart_palette(1), NULL, NULL, "z", false, -1};
    assert_int_equal(fs_chart_diverging(&cv, 50, 40, 400, 200, &d, &st), FS_OK);
    const rec_op *zero = find_line(r, st.zero, st.zero_width, true);
    assert_non_null(zero);
    /* By hand: left 1 char + pad = 7 pt, right "2"/2 = 2 pt: 391 pt for -3..2, 78.2 pt a unit. */
    assert_close(zero->a[0], 57 + 3 * 78.2, 1e-9);
    const rec_op *neg[4], *pos[4];
    assert_int_equal(rects_of(r, d.neg_color, neg, 4), 2);
    assert_int_equal(rects_of(r, d.pos_color, pos, 4), 2);
    assert_close(neg[0]->a[0] + neg[0]->a[2], zero->a[0], 1e-9); /* ends at the zero line */
    assert_close(neg[0]->a[2], 3 * 78.2, 1e-9);
    assert_close(neg[1]->a[2], 0.5 * 78.2, 1e-9);
    assert_close(pos[0]->a[0], zero->a[0], 1e-9);                /* starts at the zero line */
    assert_close(pos[0]->a[2], 1.5 * 78.2, 1e-9);
    assert_close(pos[1]->a[2], 2 * 78.2, 1e-9);
    assert_inside(r, 50, 40, 400, 200);
    free(r);
}

static void test_grouped_whiskers(void **state)
{
    (void)state;
    fs_canvas cv;
    rec *r = rec_new(&cv);
    fs_chart_style st = fs_chart_style_default();
    const char *labels[] = {"x", "y"};
    double va[] = {4, 2}, la[] = {3, 1.5}, ha[] = {5, 2.5};
    double vb[] = {1, 3}, lb[] = {0.5, 2}, hb[] = {1.5, 6};
    fs_chart_series s[2] = {{"A", fs_chart_palette(0), va, la, ha}, {"B", fs_chart_palette(1), vb, lb, hb}};
    fs_chart_bars d = {labels, 2, s, 2, NULL, "rate", true, 1};
    assert_int_equal(fs_chart_grouped(&cv, 30, 30, 300, 220, &d, &st), FS_OK);
    const rec_op *a[4], *b[4];
    assert_int_equal(rects_of(r, s[0].color, a, 4), 3); /* legend swatch, then two bars */
    assert_int_equal(rects_of(r, s[1].color, b, 4), 3);
    double zero = a[1]->a[0], unit = a[1]->a[2] / 4;
    assert_close(b[1]->a[2], 1 * unit, 1e-9);
    assert_close(b[2]->a[2], 3 * unit, 1e-9);
    const rec_op *bars[4] = {a[1], b[1], a[2], b[2]};
    const double lows[4] = {3, 0.5, 1.5, 2}, highs[4] = {5, 1.5, 2.5, 6};
    size_t found = 0;
    for (size_t i = 0; i < r->n; i++) {
        const rec_op *o = &r->ops[i];
        if (o->kind != OP_LINE || !same_rgb(o->stroke, st.whisker) || o->a[1] != o->a[3])
            continue;
        assert_true(found < 4);
        const rec_op *bar = bars[found];
        assert_close(o->a[1], bar->a[1] + bar->a[3] / 2, 1e-9); /* through the bar's middle */
        assert_close(o->a[0], zero + lows[found] * unit, 1e-9);
        assert_close(o->a[2], zero + highs[found] * unit, 1e-9);
        found++;
    }
    assert_int_equal(found, 4);
    assert_inside(r, 30, 30, 300, 220);
    free(r);
}

static void test_tick_labels_thinned(void **state)
{
    (void)state;
    fs_canvas cv;
    rec *r = rec_new(&cv);
    fs_chart_style st = fs_chart_style_default();
    st.min_tick_spacing = 10; /* ask for crowded ticks so thinning has work to do */
    const char *labels[] = {"p", "q"};
    double v[] = {1234567, 7654321};
    fs_chart_series s = {"n", fs_chart_palette(0), v, NULL, NULL};
    fs_chart_bars d = {labels, 2, &s, 1, NULL, "tokens", false, -1};
    assert_int_equal(fs_chart_hbar(&cv, 0, 0, 160, 100, &d, &st), FS_OK);
    size_t shown = 0;
    for (size_t i = 0; i < r->n; i++) {
        const rec_op *o = &r->ops[i];
        if (o->kind != OP_TEXT || o->align != FS_ALIGN_CENTER || o->size != st.font_size)
            continue;
        shown++;
        for (size_t j = i + 1; j < r->n; j++) {
            const rec_op *p = &r->ops[j];
            if (p->kind != OP_TEXT || p->align != FS_ALIGN_CENTER || p->size != st.font_size)
                continue;
            chart_box bi = text_box(o), bj = text_box(p);
            assert_false(chart_box_overlap(&bi, &bj));
        }
    }
    assert_true(shown >= 2);
    assert_inside(r, 0, 0, 160, 100);
    free(r);
}

static void test_long_labels_ellipsized(void **state)
{
    (void)state;
    fs_canvas cv;
    rec *r = rec_new(&cv);
    fs_chart_style st = fs_chart_style_default();
    const char *labels[] = {"The Guardian international edition, weekend supplement and podcast transcripts", "AP"};
    double v[] = {3, 4};
    fs_chart_series s = {"n", fs_chart_palette(0), v, NULL, NULL};
    fs_chart_bars d = {labels, 2, &s, 1, NULL, NULL, false, 0};
    assert_int_equal(fs_chart_hbar(&cv, 0, 0, 300, 80, &d, &st), FS_OK);
    bool seen = false;
    for (size_t i = 0; i < r->n; i++)
        if (r->ops[i].kind == OP_TEXT && strncmp(r->ops[i].text, "The Guardian", 12) == 0) {
            seen = true;
            assert_non_null(strstr(r->ops[i].text, "\xE2\x80\xA6"));
            chart_box b = text_box(&r->ops[i]);
            assert_true(b.x1 - b.x0 <= st.max_label_share * 300 + 1e-9);
        }
    assert_true(seen);
    assert_inside(r, 0, 0, 300, 80);
    free(r);
}

/* ---------------------------------------------------------------- heatmap */

static void test_heatmap_colours(void **state)
{
    (void)state;
    fs_canvas cv;
    rec *r = rec_new(&cv);
    fs_chart_style st = fs_chart_style_default();
    const char *rows[] = {"src"}, *cols[] = {"lo", "mid", "hi"};
    double v[] = {-2, 0, 2};
    fs_chart_matrix d = {rows, 1, cols, 3, v, FS_CHART_RAMP_DIVERGING, -2, 0, 2, "resid", true, 0, false};
    assert_int_equal(fs_chart_heatmap(&cv, 10, 10, 300, 150, &d, &st), FS_OK);
    const rec_op *lo[2], *mid[2], *hi[2];
    assert_int_equal(rects_of(r, st.div_low, lo, 2), 1);
    assert_int_equal(rects_of(r, st.div_mid, mid, 2), 1);
    assert_int_equal(rects_of(r, st.div_high, hi, 2), 1);
    assert_true(lo[0]->a[0] < mid[0]->a[0] && mid[0]->a[0] < hi[0]->a[0]);
    static const fs_chart_rgb white = {1, 1, 1};
    int checked = 0;
    for (size_t i = 0; i < r->n; i++) {
        const rec_op *o = &r->ops[i];
        if (o->kind != OP_TEXT || o->size != st.value_size)
            continue;
        if (strcmp(o->text, "-2") == 0 || strcmp(o->text, "2") == 0)
            assert_true(same_rgb(o->fill, white)), checked++;   /* dark cells: white text */
        else if (strcmp(o->text, "0") == 0)
            assert_true(same_rgb(o->fill, st.text)), checked++; /* light cell: dark text */
    }
    assert_int_equal(checked, 3);
    assert_inside(r, 10, 10, 300, 150);
    free(r);
}

static void test_heatmap_rotated_labels_inside(void **state)
{
    (void)state;
    fs_canvas cv;
    rec *r = rec_new(&cv);
    fs_chart_style st = fs_chart_style_default();
    const char *rows[] = {"Reuters", "Xinhua News Agency", "Fox"};
    const char *cols[] = {"Economic consequences", "Conflict", "Human interest", "Responsibility"};
    double v[12];
    for (int i = 0; i < 12; i++)
        v[i] = i % 5 - 2.0;
    fs_chart_matrix d = {rows, 3, cols, 4, v, FS_CHART_RAMP_SEQUENTIAL, 0, 0, 0, NULL, true, -1, true};
    double h = fs_chart_preferred_height(FS_CHART_HEATMAP, 3, 4, 220, &st);
    assert_int_equal(fs_chart_heatmap(&cv, 0, 0, 220, h, &d, &st), FS_OK);
    size_t rotated = 0, cells = 0;
    for (size_t i = 0; i < r->n; i++) {
        rotated += r->ops[i].kind == OP_TEXT && r->ops[i].angle != 0;
        cells += r->ops[i].kind == OP_RECT && r->ops[i].a[2] == r->ops[i].a[3]; /* square cells */
    }
    assert_int_equal(rotated, 4);
    assert_true(cells >= 12);
    assert_inside(r, 0, 0, 220, h);
    free(r);
}

/* ---------------------------------------------------------------- scatter and network */

static void test_scatter_labels_disjoint(void **state)
{
    (void)state;
    fs_canvas cv;
    rec *r = rec_new(&cv);
    fs_chart_style st = fs_chart_style_default();
    fs_chart_point pts[40];
    char names[40][16];
    for (int i = 0; i < 40; i++) {
        snprintf(names[i], sizeof names[i], "term%02d", i);
        double a = i * 2.39996, rad = i < 30 ? 0.05 * sqrt(i / 30.0) : 1; /* a crowded core */
        pts[i] = (fs_chart_point){rad * cos(a), rad * sin(a), names[i], fs_chart_palette(0), FS_CHART_MARK_CIRCLE, i == 0};
    }
    fs_chart_xy d = {pts, 40, "dim 1", "dim 2", true, true, NULL, 0};
    fs_chart_info info;
    assert_int_equal(fs_chart_scatter(&cv, 50, 50, 400, 300, &d, &st, &info), FS_OK);
    assert_int_equal(info.labels_placed + info.labels_dropped, 40);
    assert_true(info.labels_placed >= 20);
    size_t texts = 0;
    for (size_t i = 0; i < r->n; i++) {
        const rec_op *o = &r->ops[i];
        if (o->kind != OP_TEXT || strncmp(o->text, "term", 4) != 0)
            continue;
        texts++;
        chart_box bi = text_box(o);
        for (size_t j = 0; j < r->n; j++) {
            const rec_op *p = &r->ops[j];
            if (j != i && p->kind == OP_TEXT && strncmp(p->text, "term", 4) == 0) {
                chart_box bj = text_box(p);
                assert_false(chart_box_overlap(&bi, &bj));
            }
            if (p->kind == OP_CIRCLE) {
                chart_box bj = op_box(p);
                assert_false(chart_box_overlap(&bi, &bj));
            }
        }
    }
    assert_int_equal(texts, info.labels_placed);
    /* Every label sits on a halo in the paper colour, drawn before any label text, that covers
     * its text box (so gridlines and edges never run through a label). */
    for (size_t i = 0; i < r->n; i++) {
        const rec_op *o = &r->ops[i];
        if (o->kind != OP_TEXT || strncmp(o->text, "term", 4) != 0)
            continue;
        chart_box bt = text_box(o);
        bool haloed = false;
        for (size_t j = 0; j < i && !haloed; j++) {
            const rec_op *h = &r->ops[j];
            haloed = h->kind == OP_RECT && h->fill.r == st.paper.r && h->fill.g == st.paper.g &&
                     h->fill.b == st.paper.b && h->a[0] <= bt.x0 + 0.5 && h->a[1] <= bt.y0 + 0.5 &&
                     h->a[0] + h->a[2] >= bt.x1 - 0.5 && h->a[1] + h->a[3] >= bt.y1 - 0.5;
        }
        if (!haloed)
            fail_msg("label \"%s\" has no halo behind it", o->text);
    }
    assert_inside(r, 50, 50, 400, 300);
    free(r);
}

static void network_data(fs_chart_node *nodes, fs_chart_edge *edges, size_t *ne)
{
    static const char *names[] = {"taiwan", "strait", "drills", "navy", "carrier", "tariffs", "chips", "beijing"};
    for (size_t i = 0; i < 8; i++)
        nodes[i] = (fs_chart_node){names[i], fs_chart_palette(i), (double)(8 - i), i < 2};
    *ne = 0;
    for (size_t i = 2; i < 8; i++)
        edges[(*ne)++] = (fs_chart_edge){i % 2, i, (double)i, fs_chart_palette(0)};
    edges[(*ne)++] = (fs_chart_edge){0, 1, 10, fs_chart_palette(0)};
}

static void test_network_deterministic(void **state)
{
    (void)state;
    fs_chart_style st = fs_chart_style_default();
    fs_chart_node nodes[8];
    fs_chart_edge edges[8];
    size_t ne;
    network_data(nodes, edges, &ne);
    fs_chart_graph g = {nodes, 8, edges, ne, false, "logDice", NULL, 0};
    fs_canvas c1, c2, c3;
    rec *r1 = rec_new(&c1), *r2 = rec_new(&c2), *r3 = rec_new(&c3);
    fs_chart_info info;
    assert_int_equal(fs_chart_network(&c1, 20, 20, 300, 220, &g, &st, &info), FS_OK);
    assert_int_equal(fs_chart_network(&c2, 20, 20, 300, 220, &g, &st, NULL), FS_OK);
    assert_int_equal(r1->n, r2->n);
    assert_memory_equal(r1->ops, r2->ops, r1->n * sizeof r1->ops[0]);
    st.seed ^= 1;
    assert_int_equal(fs_chart_network(&c3, 20, 20, 300, 220, &g, &st, NULL), FS_OK);
    assert_true(r3->n != r1->n || memcmp(r1->ops, r3->ops, r1->n * sizeof r1->ops[0]) != 0);
    size_t circles = 0;
    bool widest = false, thinnest = false;
    for (size_t i = 0; i < r1->n; i++) {
        const rec_op *o = &r1->ops[i];
        circles += o->kind == OP_CIRCLE;
        if (o->kind == OP_LINE && same_rgb(o->stroke, st.edge)) {
            widest |= fabs(o->lw - st.edge_width_max) < 1e-9;
            thinnest |= fabs(o->lw - st.edge_width_min) < 1e-9;
        }
    }
    assert_int_equal(circles, 8);
    assert_true(widest && thinnest);
    assert_int_equal(info.labels_placed + info.labels_dropped, 8);
    assert_inside(r1, 20, 20, 300, 220);
    free(r1);
    free(r2);
    free(r3);
}

/* ---------------------------------------------------------------- contracts */

static void test_errors_and_empty(void **state)
{
    (void)state;
    fs_canvas cv;
    rec *r = rec_new(&cv);
    fs_chart_style st = fs_chart_style_default();
    const char *labels[] = {"a"};
    double v[] = {1};
    fs_chart_series s = {"n", fs_chart_palette(0), v, NULL, NULL};
    fs_chart_bars d = {labels, 1, &s, 1, NULL, NULL, false, -1};
    assert_int_equal(fs_chart_hbar(NULL, 0, 0, 100, 100, &d, &st), FS_ERR_INTERNAL);
    assert_int_equal(fs_chart_hbar(&cv, 0, 0, 100, 100, NULL, &st), FS_ERR_INTERNAL);
    assert_int_equal(fs_chart_hbar(&cv, 0, 0, 2, 2, &d, &st), FS_ERR_INTERNAL); /* no room */
    r->n = 0;
    fs_chart_bars empty = {NULL, 0, NULL, 0, NULL, NULL, false, -1};
    assert_int_equal(fs_chart_hbar(&cv, 0, 0, 100, 100, &empty, &st), FS_OK);
    fs_chart_xy none = {NULL, 0, NULL, NULL, false, false, NULL, 0};
    assert_int_equal(fs_chart_scatter(&cv, 0, 0, 100, 100, &none, &st, NULL), FS_OK);
    assert_int_equal(r->n, 0);
    fs_chart_edge bad = {0, 5, 1, {0, 0, 0}};
    fs_chart_node one = {"x", {0, 0, 0}, 1, false};
    fs_chart_graph g = {&one, 1, &bad, 1, false, NULL, NULL, 0};
    assert_int_equal(fs_chart_network(&cv, 0, 0, 100, 100, &g, &st, NULL), FS_ERR_INTERNAL);
    free(r);
}

static void test_preferred_height(void **state)
{
    (void)state;
    fs_chart_style st = fs_chart_style_default();
    double h10 = fs_chart_preferred_height(FS_CHART_HBAR, 10, 1, 400, &st);
    double h20 = fs_chart_preferred_height(FS_CHART_HBAR, 20, 1, 400, &st);
    assert_true(h10 >= 10 * st.row_height);
    assert_close(h20 - h10, 10 * st.row_height, 1e-12);
    assert_true(fs_chart_preferred_height(FS_CHART_GROUPED, 5, 4, 400, &st) > fs_chart_preferred_height(FS_CHART_GROUPED, 5, 1, 400, &st));
    assert_true(fs_chart_preferred_height(FS_CHART_HEATMAP, 6, 6, 400, &st) >= 6 * st.cell_height);
    assert_close(fs_chart_preferred_height(FS_CHART_SCATTER, 0, 0, 400, &st), 400 * st.map_aspect, 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nice_ticks),
        cmocka_unit_test(test_number_format),
        cmocka_unit_test(test_fit_text_ellipsis),
        cmocka_unit_test(test_ramps),
        cmocka_unit_test(test_hbar_lengths),
        cmocka_unit_test(test_diverging_from_zero),
        cmocka_unit_test(test_grouped_whiskers),
        cmocka_unit_test(test_tick_labels_thinned),
        cmocka_unit_test(test_long_labels_ellipsized),
        cmocka_unit_test(test_heatmap_colours),
        cmocka_unit_test(test_heatmap_rotated_labels_inside),
        cmocka_unit_test(test_scatter_labels_disjoint),
        cmocka_unit_test(test_network_deterministic),
        cmocka_unit_test(test_errors_and_empty),
        cmocka_unit_test(test_preferred_height),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
