/* chart_demo.c: throwaway visual check of every chart kind. Not a test suite (no test_ prefix):
 * draws each chart through a minimal libharu canvas into the PDF named on the command line, to
 * be rendered with pdftoppm and looked at. libharu is used here only, never by src/chart. */
#include <hpdf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "framescope/chart.h"

typedef struct demo_cv {
    HPDF_Doc pdf;
    HPDF_Page page;
    HPDF_Font fonts[6];
} demo_cv;

static void d_fill(void *u, double r, double g, double b) { HPDF_Page_SetRGBFill(((demo_cv *)u)->page, (HPDF_REAL)r, (HPDF_REAL)g, (HPDF_REAL)b); }
static void d_stroke(void *u, double r, double g, double b) { HPDF_Page_SetRGBStroke(((demo_cv *)u)->page, (HPDF_REAL)r, (HPDF_REAL)g, (HPDF_REAL)b); }
static void d_lw(void *u, double w) { HPDF_Page_SetLineWidth(((demo_cv *)u)->page, (HPDF_REAL)w); }
static void d_dash(void *u, double on, double off)
{
    demo_cv *c = u;
    HPDF_UINT16 pat[2] = {(HPDF_UINT16)lround(on), (HPDF_UINT16)lround(off)};
    if (on <= 0)
        HPDF_Page_SetDash(c->page, NULL, 0, 0);
    else
        HPDF_Page_SetDash(c->page, pat, 2, 0);
}
static void d_alpha(void *u, double a)
{
    demo_cv *c = u;
    HPDF_ExtGState gs = HPDF_CreateExtGState(c->pdf);
    HPDF_ExtGState_SetAlphaFill(gs, (HPDF_REAL)a);
    HPDF_ExtGState_SetAlphaStroke(gs, (HPDF_REAL)a);
    HPDF_Page_SetExtGState(c->page, gs);
}
static void d_paint(HPDF_Page p, int fill, int stroke)
{
    if (fill && stroke)
        HPDF_Page_FillStroke(p);
    else if (fill)
        HPDF_Page_Fill(p);
    else
        HPDF_Page_Stroke(p);
}
static void d_rect(void *u, double x, double y, double w, double h, int fill, int stroke)
{
    HPDF_Page p = ((demo_cv *)u)->page;
    HPDF_Page_Rectangle(p, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h);
    d_paint(p, fill, stroke);
}
static void d_line(void *u, double x1, double y1, double x2, double y2)
{
    HPDF_Page p = ((demo_cv *)u)->page;
    HPDF_Page_MoveTo(p, (HPDF_REAL)x1, (HPDF_REAL)y1);
    HPDF_Page_LineTo(p, (HPDF_REAL)x2, (HPDF_REAL)y2);
    HPDF_Page_Stroke(p);
}
static void d_circle(void *u, double x, double y, double r, int fill, int stroke)
{
    HPDF_Page p = ((demo_cv *)u)->page;
    HPDF_Page_Circle(p, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)r);
    d_paint(p, fill, stroke);
}
static double d_width(void *u, const char *s, fs_font_face face, double size)
{
    demo_cv *c = u;
    HPDF_TextWidth tw = HPDF_Font_TextWidth(c->fonts[face], (const HPDF_BYTE *)s, (HPDF_UINT)strlen(s));
    return tw.width * size / 1000.0;
}
static void d_text(void *u, double x, double y, const char *s, fs_font_face face, double size, fs_align align,
                   double angle)
{
    demo_cv *c = u;
    double w = d_width(u, s, face, size), dx = align == FS_ALIGN_RIGHT ? -w : align == FS_ALIGN_CENTER ? -w / 2 : 0;
    double a = angle * M_PI / 180, co = cos(a), si = sin(a);
    HPDF_Page_BeginText(c->page);
    HPDF_Page_SetFontAndSize(c->page, c->fonts[face], (HPDF_REAL)size);
    HPDF_Page_SetTextMatrix(c->page, (HPDF_REAL)co, (HPDF_REAL)si, (HPDF_REAL)-si, (HPDF_REAL)co,
                            (HPDF_REAL)(x + dx * co), (HPDF_REAL)(y + dx * si));
    HPDF_Page_ShowText(c->page, s);
    HPDF_Page_EndText(c->page);
}

static const fs_canvas_ops demo_ops = {d_fill, d_stroke, d_lw, d_dash, d_alpha, d_rect, d_line, d_circle, d_text, d_width, NULL};

static void frame_box(demo_cv *c, double x, double y, double w, double h)
{
    HPDF_Page_SetRGBStroke(c->page, 0.9f, 0.6f, 0.6f);
    HPDF_Page_SetLineWidth(c->page, 0.3f);
    HPDF_Page_Rectangle(c->page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h);
    HPDF_Page_Stroke(c->page);
}

static void new_page(demo_cv *c)
{
    c->page = HPDF_AddPage(c->pdf);
    HPDF_Page_SetSize(c->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
}

int main(int argc, char **argv)
{
    demo_cv c = {0};
    c.pdf = HPDF_New(NULL, NULL);
    HPDF_UseUTFEncodings(c.pdf);
    HPDF_SetCurrentEncoder(c.pdf, "UTF-8");
    const char *reg = HPDF_LoadTTFontFromFile(c.pdf, "fonts/LiberationSans-Regular.ttf", HPDF_TRUE);
    const char *bold = HPDF_LoadTTFontFromFile(c.pdf, "fonts/LiberationSans-Bold.ttf", HPDF_TRUE);
    for (int i = 0; i < 6; i++)
        c.fonts[i] = HPDF_GetFont(c.pdf, (i == FS_FACE_SANS_BOLD || i == FS_FACE_SERIF_BOLD) ? bold : reg, "UTF-8");
    fs_canvas cv = {&demo_ops, &c};
    fs_chart_style st = fs_chart_style_default();
    double W = 480, X = 58;
    fs_chart_info info;

    /* Page 1: corpus size hbar, top terms hbar, diverging. */
    new_page(&c);
    const char *srcs[] = {"Reuters", "Xinhua News Agency", "Fox News", "The Guardian (international edition)"};
    double tokens[] = {183402, 96011, 12874, 240337};
    fs_chart_rgb cols[4] = {fs_chart_palette(0), fs_chart_palette(1), fs_chart_palette(2), fs_chart_palette(3)};
    fs_chart_series s1 = {"tokens", fs_chart_palette(0), tokens, NULL, NULL};
    fs_chart_bars b1 = {srcs, 4, &s1, 1, cols, "Content tokens", true, -1};
    double h1 = fs_chart_preferred_height(FS_CHART_HBAR, 4, 1, W, &st);
    frame_box(&c, X, 800 - h1, W, h1);
    fs_chart_hbar(&cv, X, 800 - h1, W, h1, &b1, &st);

    const char *terms[] = {"taiwan", "strait", "military", "drills", "deterrence", "sovereignty", "exercise",
                           "president", "beijing", "washington", "reunification", "provocation"};
    double per10k[] = {84.2, 61.0, 44.9, 40.3, 33.3, 28.1, 25.5, 22.0, 19.7, 15.2, 9.8, 7.1};
    fs_chart_series s2 = {"per 10k", fs_chart_palette(4), per10k, NULL, NULL};
    fs_chart_bars b2 = {terms, 12, &s2, 1, NULL, "Occurrences per 10,000 tokens", true, 1};
    double h2 = fs_chart_preferred_height(FS_CHART_HBAR, 12, 1, W, &st);
    double y2 = 800 - h1 - 30 - h2;
    frame_box(&c, X, y2, W, h2);
    fs_chart_hbar(&cv, X, y2, W, h2, &b2, &st);

    const char *dterms[] = {"reunification", "separatist", "provocation", "compatriots", "democracy", "deterrence",
                            "freedom of navigation", "allies"};
    double z[] = {9.3, 7.7, 5.2, 3.1, -2.4, -4.8, -6.6, -8.9};
    fs_chart_divbars dv = {dterms, z, 8, fs_chart_palette(0), fs_chart_palette(3), "More in other sources",
                           "More in Xinhua", "Weighted log-odds (z)", true, 1};
    double h3 = fs_chart_preferred_height(FS_CHART_DIVERGING, 8, 2, W, &st);
    double y3 = y2 - 30 - h3;
    frame_box(&c, X, y3, W, h3);
    fs_chart_diverging(&cv, X, y3, W, h3, &dv, &st);

    /* Page 2: grouped with whiskers, heatmaps. */
    new_page(&c);
    const char *frames[] = {"Conflict", "Economic consequences", "Human interest", "Morality", "Responsibility"};
    double r[4][5] = {{4.1, 2.2, 1.1, 0.6, 1.9}, {2.3, 3.8, 0.7, 1.5, 1.2}, {5.2, 1.0, 1.8, 2.4, 2.8}, {3.0, 2.0, 2.2, 0.9, 1.4}};
    double lo[4][5], hi[4][5];
    fs_chart_series gs[4];
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 5; j++) {
            lo[i][j] = r[i][j] * 0.78;
            hi[i][j] = r[i][j] * 1.25;
        }
        gs[i] = (fs_chart_series){srcs[i], cols[i], r[i], lo[i], hi[i]};
    }
    fs_chart_bars gb = {frames, 5, gs, 4, NULL, "Frame hits per 1,000 tokens (95% interval)", false, -1};
    double h4 = fs_chart_preferred_height(FS_CHART_GROUPED, 5, 4, W, &st);
    frame_box(&c, X, 800 - h4, W, h4);
    fs_chart_grouped(&cv, X, 800 - h4, W, h4, &gb, &st);

    double sim[16] = {1, 0.82, 0.64, 0.91, 0.82, 1, 0.55, 0.77, 0.64, 0.55, 1, 0.60, 0.91, 0.77, 0.60, 1};
    fs_chart_matrix hm = {srcs, 4, srcs, 4, sim, FS_CHART_RAMP_SEQUENTIAL, 0, 0, 0, "Cosine similarity", true, 2, true};
    double h5 = fs_chart_preferred_height(FS_CHART_HEATMAP, 4, 4, 300, &st);
    double y5 = 800 - h4 - 30 - h5;
    frame_box(&c, X, y5, 300, h5);
    fs_chart_heatmap(&cv, X, y5, 300, h5, &hm, &st);

    double res[20];
    for (int i = 0; i < 20; i++)
        res[i] = 3.4 * sin(i * 1.7);
    fs_chart_matrix hr = {srcs, 4, frames, 5, res, FS_CHART_RAMP_DIVERGING, 0, 0, 0, "Standardized residual", true, 1, false};
    double h6 = fs_chart_preferred_height(FS_CHART_HEATMAP, 4, 5, W, &st);
    double y6 = y5 - 30 - h6;
    frame_box(&c, X, y6, W, h6);
    fs_chart_heatmap(&cv, X, y6, W, h6, &hr, &st);

    /* Page 3: CA scatter and network. */
    new_page(&c);
    fs_chart_point pts[60];
    char lab[60][24];
    size_t np = 0;
    for (int i = 0; i < 4; i++)
        pts[np++] = (fs_chart_point){cos(i * 1.9) * 1.1, sin(i * 1.9) * 0.8, srcs[i], cols[i], FS_CHART_MARK_SQUARE, true};
    for (int i = 0; i < 40; i++) {
        snprintf(lab[i], sizeof lab[i], "%s%d", terms[i % 12], i / 12);
        double a = i * 2.39996, rr = 0.15 + 0.9 * sqrt(i / 40.0);
        pts[np++] = (fs_chart_point){rr * cos(a) * 0.9, rr * sin(a) * 0.6, lab[i], st.muted, FS_CHART_MARK_CIRCLE, false};
    }
    fs_chart_legend_item leg[4];
    for (int i = 0; i < 4; i++)
        leg[i] = (fs_chart_legend_item){srcs[i], cols[i], 0};
    fs_chart_xy xy = {pts, np, "Dimension 1 (41.2%)", "Dimension 2 (23.5%)", true, true, leg, 4};
    double h7 = fs_chart_preferred_height(FS_CHART_SCATTER, 0, 4, W, &st);
    frame_box(&c, X, 800 - h7, W, h7);
    fs_chart_scatter(&cv, X, 800 - h7, W, h7, &xy, &st, &info);
    fprintf(stderr, "scatter: placed %zu moved %zu dropped %zu\n", info.labels_placed, info.labels_moved, info.labels_dropped);

    fs_chart_node nodes[16];
    const char *nl[] = {"taiwan", "strait", "military", "drills", "deterrence", "sovereignty", "exercise", "president",
                        "beijing", "washington", "reunification", "provocation", "navy", "carrier", "tariffs", "chips"};
    for (int i = 0; i < 16; i++)
        nodes[i] = (fs_chart_node){nl[i], i < 2 ? st.text : cols[i % 4], 16.0 - i, i < 2};
    fs_chart_edge edges[22];
    size_t ne = 0;
    for (int i = 2; i < 14; i++)
        edges[ne++] = (fs_chart_edge){(size_t)(i % 2), (size_t)i, 1.0 + (i * 7 % 10), cols[i % 4]};
    edges[ne++] = (fs_chart_edge){12, 13, 5, cols[0]};
    edges[ne++] = (fs_chart_edge){14, 15, 3, cols[1]};
    edges[ne++] = (fs_chart_edge){0, 1, 12, cols[2]};
    fs_chart_graph g = {nodes, 16, edges, ne, true, "logDice", leg, 4};
    double h8 = fs_chart_preferred_height(FS_CHART_NETWORK, 0, 6, W, &st);
    double y8 = 800 - h7 - 30 - h8;
    frame_box(&c, X, y8, W, h8);
    fs_chart_network(&cv, X, y8, W, h8, &g, &st, &info);
    fprintf(stderr, "network: placed %zu moved %zu dropped %zu\n", info.labels_placed, info.labels_moved, info.labels_dropped);

    HPDF_SaveToFile(c.pdf, argc > 1 ? argv[1] : "/tmp/charts.pdf");
    fprintf(stderr, "hpdf error %#lx\n", (unsigned long)HPDF_GetError(c.pdf));
    HPDF_Free(c.pdf);
    return 0;
}
