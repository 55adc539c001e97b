/* chart_palette.c: the default chart style, the categorical palette and the colour ramps. */
#include <math.h>

#include "chart/chart_internal.h"

/* ---------------------------------------------------------------- palette */

/* Okabe & Ito (2008), "Color Universal Design", without black (used for text) and ordered so
 * the first colours are the most distinct from each other for every kind of colour vision. */
static const fs_chart_rgb okabe_ito[] = {
    {0.000, 0.447, 0.698}, /* blue            #0072B2 */
    {0.902, 0.624, 0.000}, /* orange          #E69F00 */
    {0.000, 0.620, 0.451}, /* bluish green    #009E73 */
    {0.835, 0.369, 0.000}, /* vermillion      #D55E00 */
    {0.337, 0.706, 0.914}, /* sky blue        #56B4E9 */
    {0.800, 0.475, 0.655}, /* reddish purple  #CC79A7 */
    {0.941, 0.894, 0.259}, /* yellow          #F0E442 */
};

fs_chart_rgb fs_chart_palette(size_t i)
{
    return okabe_ito[i % (sizeof okabe_ito / sizeof okabe_ito[0])];
}

/* ---------------------------------------------------------------- style */

fs_chart_style fs_chart_style_default(void)
{
    fs_chart_style s = {
        .face = FS_FACE_SANS,
        .title_face = FS_FACE_SANS_BOLD,
        .font_size = 8,
        .title_size = 8.5,
        .value_size = 7,
        .axis_width = 0.6,
        .grid_width = 0.4,
        .zero_width = 0.9,
        .grid_dash_on = 2,
        .grid_dash_off = 2,
        .tick_len = 3,
        .pad = 3,
        .band_fill = 0.72,
        .row_height = 14,
        .cell_height = 20,
        .min_tick_spacing = 28,
        .max_ticks = 8,
        .max_label_share = 0.3,
        .legend_swatch = 7,
        .legend_gap = 8,
        .legend_item_width = 90,
        .whisker_width = 0.8,
        .whisker_cap = 4,
        .point_radius = 2,
        .point_radius_emph = 3.5,
        .label_gap = 1.5,
        .label_rings = 4,
        .color_bar_width = 160,
        .color_bar_height = 7,
        .ramp_steps = 64,
        .node_radius_min = 2.5,
        .node_radius_max = 8,
        .edge_width_min = 0.4,
        .edge_width_max = 4,
        .edge_alpha = 0.55,
        .network_iterations = 300,
        .seed = 0x5eed2024u,
        .map_aspect = 0.75,
        .text = {0.10, 0.10, 0.10},
        .paper = {1.0, 1.0, 1.0},
        .muted = {0.40, 0.40, 0.40},
        .axis = {0.30, 0.30, 0.30},
        .grid = {0.85, 0.85, 0.85},
        .zero = {0.20, 0.20, 0.20},
        .whisker = {0.15, 0.15, 0.15},
        .na = {0.93, 0.93, 0.93},
        .edge = {0.55, 0.55, 0.55},
        /* ColorBrewer "Blues" ends and "RdBu" ends; both read correctly under deuteranopia and
         * protanopia (blue against red, light against dark). */
        .seq_low = {0.937, 0.953, 1.000},
        .seq_high = {0.031, 0.188, 0.420},
        .div_low = {0.129, 0.400, 0.675},
        .div_mid = {0.969, 0.969, 0.969},
        .div_high = {0.698, 0.094, 0.169},
    };
    return s;
}

/* ---------------------------------------------------------------- ramps */

static fs_chart_rgb mix(fs_chart_rgb a, fs_chart_rgb b, double t)
{
    fs_chart_rgb c = {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
    return c;
}

fs_chart_rgb fs_chart_ramp_color(const fs_chart_style *st, fs_chart_ramp ramp, double t)
{
    if (!(t > 0)) /* also NAN */
        t = 0;
    if (t > 1)
        t = 1;
    if (ramp == FS_CHART_RAMP_DIVERGING)
        return t < 0.5 ? mix(st->div_low, st->div_mid, t * 2) : mix(st->div_mid, st->div_high, t * 2 - 1);
    return mix(st->seq_low, st->seq_high, t);
}

double chart_luminance(fs_chart_rgb c)
{
    /* Rec. 709 weights on the (approximately linearised) channels. */
    return 0.2126 * pow(c.r, 2.2) + 0.7152 * pow(c.g, 2.2) + 0.0722 * pow(c.b, 2.2);
}
