/* pdf_theme.c: the house theme: paper, margins, type scale, spacing and colours in one place. */
#include <string.h>
#include "framescope/pdf.h"

static void rgb(double *dst, double r, double g, double b)
{
    dst[0] = r;
    dst[1] = g;
    dst[2] = b;
}

void fs_theme_init(fs_theme *t, const char *paper)
{
    memset(t, 0, sizeof *t);
    if (paper && (strcmp(paper, "Letter") == 0 || strcmp(paper, "letter") == 0)) {
        t->page_w = 612.0;
        t->page_h = 792.0;
    } else {
        t->page_w = 595.276;
        t->page_h = 841.89;
    }
    t->margin_top = 72.0;
    t->margin_bottom = 64.0;
    t->margin_left = 62.0;
    t->margin_right = 62.0;
    t->header_offset = 26.0;
    t->footer_offset = 30.0;

    t->size_body = 10.0;
    t->size_small = 8.5;
    t->size_note = 8.0;
    t->size_table = 8.0;
    t->size_furniture = 7.5;
    t->size_kwic = 8.0;
    t->size_title = 26.0;
    t->size_subtitle = 15.0;
    t->size_h1 = 18.0;
    t->size_h2 = 12.0;
    t->size_toc = 11.0;
    t->leading = 1.32;

    t->para_gap = 6.0;
    t->h1_gap_after = 14.0;
    t->h2_gap_before = 12.0;
    t->h2_gap_after = 5.0;
    t->keep_with_heading = 4.0;
    t->cover_top = 170.0;
    t->cover_gap = 18.0;
    t->table_pad_x = 4.0;
    t->table_pad_y = 2.2;
    t->table_gap = 8.0;
    t->table_min_col = 56.0;
    t->table_wrap_min = 0.25;
    t->bullet_indent = 12.0;
    t->figure_h = 230.0;
    t->figure_h_small = 170.0;
    t->figure_gap = 8.0;
    t->kwic_key_at = 0.44;
    t->rule_width = 0.8;
    t->hairline = 0.35;

    rgb(t->rgb_text, 0.10, 0.10, 0.12);
    rgb(t->rgb_muted, 0.42, 0.42, 0.45);
    rgb(t->rgb_heading, 0.08, 0.20, 0.36);
    rgb(t->rgb_rule, 0.70, 0.72, 0.75);
    rgb(t->rgb_stripe, 0.95, 0.96, 0.97);
    rgb(t->rgb_header_fill, 0.89, 0.91, 0.94);
    rgb(t->rgb_placeholder, 0.80, 0.20, 0.20);
    rgb(t->rgb_note, 0.45, 0.30, 0.10);
}
