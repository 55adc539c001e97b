/* pdf_internal.h: the fs_pdf layout and the helpers shared by the src/pdf files (and tests/test_pdf.c).
 * Only src/pdf includes hpdf.h. */
#ifndef FRAMESCOPE_PDF_INTERNAL_H
#define FRAMESCOPE_PDF_INTERNAL_H

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "framescope/pdf.h"

#define PDF_FACES 6
#define PDF_ENCS 5            /* CP1252, CP1250, CP1251, CP1253, CP1254 */
#define PDF_PLACEHOLDER (-1)  /* glyph enc for characters no encoder/font covers */
#define PDF_PLACEHOLDER_W 600 /* its advance, 1/1000 em */

/* One character ready to draw: the encoder that holds it, its byte, its advance. */
typedef struct pdf_glyph {
    uint32_t cp;
    int8_t enc;
    uint8_t byte;
    uint16_t w;        /* 1/1000 em */
} pdf_glyph;

/* A shaped string (owned array). */
typedef struct pdf_text {
    pdf_glyph *g;
    size_t n;
} pdf_text;

/* One broken line: glyphs [start, end) without surrounding spaces. */
typedef struct pdf_line {
    size_t start, end;
    double width;      /* natural width in points */
    int spaces;        /* inner spaces (for word spacing) */
    bool last;         /* last line of the paragraph (never justified) */
} pdf_line;

typedef struct pdf_rev {   /* unicode -> byte for one encoder, sorted by cp */
    uint32_t cp[224];
    uint8_t byte[224];
    size_t n;
} pdf_rev;

typedef struct pdf_toc_entry {
    char *title;
    int page;              /* page index */
    bool listed;           /* shown in the contents (the cover is not) */
    HPDF_Destination dst;
} pdf_toc_entry;

struct fs_pdf {
    HPDF_Doc doc;
    fs_theme th;
    const fs_ctx *ctx;
    /* first error */
    fs_status status;
    HPDF_STATUS hpdf_code, hpdf_detail;
    char step[96];
    /* fonts */
    const char *font_name[PDF_FACES];          /* owned by libharu */
    HPDF_Font font[PDF_FACES][PDF_ENCS];       /* created lazily */
    int16_t width[PDF_FACES][PDF_ENCS][256];   /* -1: not measured yet */
    pdf_rev rev[PDF_ENCS];
    size_t replaced;
    /* pages */
    HPDF_Page *pages;
    int *page_section;                         /* toc entry index shown in the header, -1 none */
    size_t n_pages, cap_pages;
    HPDF_Page page;
    double y;                                  /* flow cursor: top of the next block */
    bool page_fresh;                           /* nothing drawn below the top yet */
    HPDF_Page title_page;                      /* page and cursor right after a section title */
    double title_y;
    /* navigation */
    pdf_toc_entry *toc;
    size_t n_toc, cap_toc;
    int cur_section;
    int toc_first, toc_pages;                  /* reserved contents pages, -1 none */
    size_t toc_capacity;
    char *running_title;
    HPDF_ExtGState alpha[11];
    bool canvas_dirty;                         /* a chart may have left dash/alpha set */
};

/* pdf_doc.c */
bool pdf_ok(const fs_pdf *pdf);
void pdf_fail(fs_pdf *pdf, fs_status st);
double pdf_top(const fs_pdf *pdf);
double pdf_bottom(const fs_pdf *pdf);
char *pdf_strdup(const char *s);

/* pdf_font.c */
bool pdf_fonts_load(fs_pdf *pdf, const char *dir);
HPDF_Font pdf_font(fs_pdf *pdf, fs_font_face face, int enc);
/* Decodes, normalises and maps UTF-8 to glyphs of `face`; spaces collapsed, ends trimmed.
 * Returns false on OOM. */
bool pdf_shape(fs_pdf *pdf, fs_font_face face, const char *utf8, pdf_text *out);
void pdf_text_free(pdf_text *t);
double pdf_glyphs_width(const pdf_glyph *g, size_t n, double size);

/* pdf_text.c: line breaking and drawing */
/* Greedy breaker: lines no wider than `width` (a word wider than a line is split). Breaks only at
 * spaces, so hyphenated words stay whole. *lines is malloc'd; returns the count (0 on OOM). */
size_t pdf_break(const pdf_glyph *g, size_t n, double size, double width, pdf_line **lines);
/* Word spacing that justifies `ln` to `width` (0 for the last line, no spaces, or huge gaps). */
double pdf_justify_space(const pdf_line *ln, double size, double width);
/* Draws glyphs with the baseline start at (x, y), rotated by `angle` degrees, word spacing `tw`.
 * Uses the current fill colour; placeholders become boxes and are counted. */
void pdf_draw_glyphs(fs_pdf *pdf, fs_font_face face, double size, const pdf_glyph *g, size_t n,
                     double x, double y, double tw, double angle);
/* Draws UTF-8 aligned at x (left/centre/right). */
void pdf_draw_utf8(fs_pdf *pdf, const char *utf8, fs_font_face face, double size, double x,
                   double y, fs_align align, double angle);
double pdf_utf8_width(fs_pdf *pdf, const char *utf8, fs_font_face face, double size);
/* How many glyphs from the start (from_end: from the end) fit into `width` together with an
 * ellipsis; n when all fit without one. */
size_t pdf_fit(const pdf_glyph *g, size_t n, double size, double width, double ell_w,
               bool from_end);
/* Draws one line shortened with an ellipsis to `width`, aligned within [x, x + width]. */
void pdf_draw_clipped(fs_pdf *pdf, const char *utf8, fs_font_face face, double size, double x,
                      double y, double width, fs_align align);

/* pdf_flow.c */
void pdf_set_fill(fs_pdf *pdf, const double rgb[3]);
void pdf_set_stroke(fs_pdf *pdf, const double rgb[3]);

/* pdf_canvas.c */
void pdf_canvas_init(fs_pdf *pdf, fs_canvas *cv);
/* Solid lines and full opacity again on the current page (after a chart). */
void pdf_reset_state(fs_pdf *pdf);

/* pdf_nav.c */
void pdf_furniture(fs_pdf *pdf);

#endif
