/**
 * canvas.h: the drawing surface charts draw on. The PDF layer (src/pdf/) implements it over a
 * libharu page; tests implement it with a recorder to check what a chart draws and where.
 * Charts therefore never call HPDF_* themselves.
 *
 * Coordinates are PDF points with the origin at the bottom-left of the page, y upwards.
 * Colours are RGB in 0..1. Text is UTF-8; the implementation maps what its fonts cannot draw.
 */
#ifndef FRAMESCOPE_CANVAS_H
#define FRAMESCOPE_CANVAS_H

typedef enum fs_font_face {
    FS_FACE_SANS = 0,       /* charts, headings */
    FS_FACE_SANS_BOLD,
    FS_FACE_SERIF,          /* body */
    FS_FACE_SERIF_BOLD,
    FS_FACE_SERIF_ITALIC,
    FS_FACE_MONO
} fs_font_face;

typedef enum fs_align { FS_ALIGN_LEFT = 0, FS_ALIGN_CENTER, FS_ALIGN_RIGHT } fs_align;

typedef struct fs_canvas_ops {
    void (*set_fill)(void *user, double r, double g, double b);
    void (*set_stroke)(void *user, double r, double g, double b);
    void (*set_line_width)(void *user, double width);
    /* Dash pattern in points; on = 0 gives a solid line. */
    void (*set_dash)(void *user, double on, double off);
    /* Opacity for later fills and strokes (1 = opaque). */
    void (*set_alpha)(void *user, double alpha);
    void (*rect)(void *user, double x, double y, double w, double h, int fill, int stroke);
    void (*line)(void *user, double x1, double y1, double x2, double y2);
    void (*circle)(void *user, double cx, double cy, double r, int fill, int stroke);
    /* Text with its baseline at y; x is the left, centre or right end per `align`; `angle` in
     * degrees counter-clockwise about (x, y). */
    void (*text)(void *user, double x, double y, const char *utf8, fs_font_face face, double size,
                 fs_align align, double angle);
    double (*text_width)(void *user, const char *utf8, fs_font_face face, double size);
    /* Optional: an internal link area; may be NULL. */
    void (*link)(void *user, double x, double y, double w, double h, int target_page);
} fs_canvas_ops;

typedef struct fs_canvas {
    const fs_canvas_ops *ops;
    void *user;
} fs_canvas;

#endif
