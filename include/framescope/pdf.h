/**
 * pdf.h: layout primitives for the report, over libharu. The only module that calls HPDF_*.
 *
 * A fs_pdf is a document plus a flow cursor: sections add headings, paragraphs, tables, figures
 * and keyword-in-context lines one after another, and the cursor breaks pages (headings are kept
 * with what follows, tables repeat their header row, figures are never split). Every size,
 * gap and colour comes from one fs_theme, so sections never hold coordinates of their own.
 * Text is UTF-8; it is drawn through single-byte encoders of embedded TrueType fonts (CP1252
 * first, then CP1250/1251/1253/1254) and what no encoder covers is drawn as a visible box and
 * counted (fs_pdf_replaced_chars).
 *
 * Navigation: fs_pdf_section starts a page, adds an outline entry and a table-of-contents entry;
 * fs_pdf_toc_reserve keeps pages for the contents, filled in by fs_pdf_finish together with the
 * running header and "Page x of y" on every page.
 *
 * Errors: the first libharu error (or allocation failure) is recorded and makes every later call
 * a no-op; fs_pdf_status reports it. Ownership: fs_pdf_create returns an owned document freed by
 * fs_pdf_free; strings passed in are copied when kept; the canvas from fs_pdf_figure is borrowed
 * and valid until the next flow call.
 */
#ifndef FRAMESCOPE_PDF_H
#define FRAMESCOPE_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "framescope/canvas.h"
#include "framescope/ctx.h"
#include "framescope/error.h"

/** All sizes in points, colours RGB 0..1. fs_theme_init fills the house defaults. */
typedef struct fs_theme {
    double page_w, page_h;
    double margin_top, margin_bottom, margin_left, margin_right;
    double header_offset;       /* header baseline above the body top */
    double footer_offset;       /* footer baseline below the body bottom */
    double size_body, size_small, size_note, size_table, size_furniture, size_kwic;
    double size_title, size_subtitle, size_h1, size_h2, size_toc;
    double leading;             /* line height as a multiple of the size */
    double para_gap;            /* after a paragraph */
    double h1_gap_after, h2_gap_before, h2_gap_after;
    double keep_with_heading;   /* room (in body lines) a heading needs below it */
    double cover_top;           /* space above the cover title */
    double cover_gap;           /* between cover blocks */
    double table_pad_x, table_pad_y, table_gap;
    double table_min_col;       /* narrowest a shortened (ellipsis) column gets */
    double table_wrap_min;      /* narrowest a wrapped column gets, share of the width */
    double bullet_indent;
    double figure_h, figure_h_small, figure_gap;
    double kwic_key_at;         /* share of the width where the keyword column starts */
    double rule_width, hairline;
    double rgb_text[3], rgb_muted[3], rgb_heading[3], rgb_rule[3], rgb_stripe[3],
        rgb_header_fill[3], rgb_placeholder[3], rgb_note[3];
} fs_theme;

/** Defaults for "A4" or "Letter" (anything else: A4). */
void fs_theme_init(fs_theme *t, const char *paper);

typedef struct fs_pdf fs_pdf;

typedef enum fs_text_style {
    FS_TEXT_BODY = 0,   /* serif, justified */
    FS_TEXT_SMALL,      /* serif small, ragged */
    FS_TEXT_NOTE,       /* serif italic small, muted: caveats under tables and charts */
    FS_TEXT_TITLE,      /* sans bold, cover title */
    FS_TEXT_SUBTITLE,   /* sans, cover subtitle */
    FS_TEXT_LEAD,       /* sans, cover lines */
    FS_TEXT_MONO        /* mono small */
} fs_text_style;

typedef struct fs_pdf_meta {
    const char *title, *author, *subject, *keywords, *creator;
    time_t created;     /* creation date (UTC); never the clock inside the library */
} fs_pdf_meta;

/** Opens a document with the six faces from `fonts_dir`. NULL on failure (err says why). */
fs_pdf *fs_pdf_create(const fs_theme *theme, const char *fonts_dir, const fs_ctx *ctx,
                      fs_error *err);
void fs_pdf_free(fs_pdf *pdf);

/** FS_OK, or the first recorded error (FS_ERR_PDF with the libharu code, FS_ERR_NOMEM). */
fs_status fs_pdf_status(const fs_pdf *pdf, fs_error *err);
/** Names the current step in error messages ("section frames"). Copied. */
void fs_pdf_set_step(fs_pdf *pdf, const char *step);
const fs_theme *fs_pdf_theme(const fs_pdf *pdf);
size_t fs_pdf_replaced_chars(const fs_pdf *pdf);
int fs_pdf_page_count(const fs_pdf *pdf);

/** Document information (UTF-8) and the running header title. */
void fs_pdf_set_meta(fs_pdf *pdf, const fs_pdf_meta *meta);

/* ---- flow ---- */
void fs_pdf_new_page(fs_pdf *pdf);
double fs_pdf_width(const fs_pdf *pdf);      /* width of the text block */
double fs_pdf_avail(const fs_pdf *pdf);      /* height left on the current page */
/** Starts a new page unless `height` fits below the cursor. */
void fs_pdf_ensure(fs_pdf *pdf, double height);
/** Vertical gap; ignored at the top of a page. */
void fs_pdf_space(fs_pdf *pdf, double height);
/** Moves the cursor down even at the top of a page (cover layout). */
void fs_pdf_skip(fs_pdf *pdf, double height);
/** Line height of a style. */
double fs_pdf_line_height(const fs_pdf *pdf, fs_text_style style);

/** A new page with a section title, an outline entry and (if `in_toc`) a contents entry. */
void fs_pdf_section(fs_pdf *pdf, const char *title, bool in_toc);
/** Reserves contents pages here for `n_entries` entries (filled by fs_pdf_finish). */
void fs_pdf_toc_reserve(fs_pdf *pdf, size_t n_entries);
/** A subheading kept on the page with `keep_next` points of what follows (0: theme default). */
void fs_pdf_heading(fs_pdf *pdf, const char *utf8, double keep_next);
void fs_pdf_paragraph(fs_pdf *pdf, const char *utf8, fs_text_style style);
/** A paragraph with a hanging bullet. */
void fs_pdf_bullet(fs_pdf *pdf, const char *utf8, fs_text_style style);
/** One keyword-in-context line: left context right-aligned to the keyword column. */
void fs_pdf_kwic(fs_pdf *pdf, const char *left, const char *keyword, const char *right);

/** Reserves a figure of `height` (never split) and hands out a canvas over it. The box is in
 *  page coordinates (origin bottom-left). Returns false after an error. */
typedef struct fs_box { double x, y, w, h; } fs_box;
bool fs_pdf_figure(fs_pdf *pdf, double height, fs_canvas *canvas, fs_box *box);

/* ---- tables ---- */
typedef enum fs_col_kind {
    FS_COL_WRAP = 0,   /* text, wrapped over several lines when narrow */
    FS_COL_CLIP,       /* text, one line, shortened with an ellipsis */
    FS_COL_NUM         /* right-aligned number */
} fs_col_kind;

typedef struct fs_pdf_table fs_pdf_table;

/** A table of `ncols` columns; NULL on OOM. Cells are copied. */
fs_pdf_table *fs_pdf_table_create(size_t ncols);
void fs_pdf_table_free(fs_pdf_table *t);
/** Column header and kind; `decimals` is used by fs_pdf_table_num for this column. */
void fs_pdf_table_column(fs_pdf_table *t, size_t col, const char *header, fs_col_kind kind,
                         int decimals);
/** Starts a row; the cells follow left to right. */
void fs_pdf_table_row(fs_pdf_table *t);
void fs_pdf_table_text(fs_pdf_table *t, const char *utf8);
/** A number with the column's decimals and thousands separators; NaN prints as an en dash. */
void fs_pdf_table_num(fs_pdf_table *t, double v);
/** An integer count with thousands separators. */
void fs_pdf_table_count(fs_pdf_table *t, uint64_t v);
/** p or q values: "< 0.001" below, else three decimals. */
void fs_pdf_table_pvalue(fs_pdf_table *t, double p);
/** Lays the table out at the cursor: split across pages only when it must, header repeated. */
void fs_pdf_table_draw(fs_pdf *pdf, const fs_pdf_table *t);

/* ---- output ---- */
/** Writes contents entries, links, running headers and "Page x of y" (call once, at the end). */
void fs_pdf_finish(fs_pdf *pdf);
/** Saves to `path` through a temporary file and rename; *bytes gets the size. */
fs_status fs_pdf_save(fs_pdf *pdf, const char *path, size_t *bytes, fs_error *err);

#endif
