/* pdf_doc.c: document lifecycle, the libharu error bridge, metadata, pages and saving. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "framescope/fileio.h"
#include "framescope/version.h"
#include "pdf_internal.h"

/* ======== errors ======== */

/* libharu calls this for every raised error; we keep the first one and return (no longjmp). */
static void on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
    fs_pdf *pdf = user;
    if (pdf->status != FS_OK)
        return;
    pdf->status = FS_ERR_PDF;
    pdf->hpdf_code = code;
    pdf->hpdf_detail = detail;
}

bool pdf_ok(const fs_pdf *pdf)
{
    return pdf && pdf->status == FS_OK;
}

void pdf_fail(fs_pdf *pdf, fs_status st)
{
    if (pdf->status == FS_OK)
        pdf->status = st;
}

fs_status fs_pdf_status(const fs_pdf *pdf, fs_error *err)
{
    if (!pdf)
        return fs_error_set(err, FS_ERR_INTERNAL, "pdf", "no document");
    if (pdf->status == FS_ERR_PDF)
        return fs_error_set(err, FS_ERR_PDF, pdf->step,
                            "libharu error 0x%04X (detail %u) while writing the PDF",
                            (unsigned)pdf->hpdf_code, (unsigned)pdf->hpdf_detail);
    if (pdf->status != FS_OK)
        return fs_error_set(err, pdf->status, pdf->step, "%s while writing the PDF",
                            fs_status_str(pdf->status));
    return FS_OK;
}

void fs_pdf_set_step(fs_pdf *pdf, const char *step)
{
    if (pdf)
        snprintf(pdf->step, sizeof pdf->step, "%s", step ? step : "");
}

char *pdf_strdup(const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s ? s : "", n);
    return p;
}

/* ======== lifecycle ======== */

fs_pdf *fs_pdf_create(const fs_theme *theme, const char *fonts_dir, const fs_ctx *ctx,
                      fs_error *err)
{
    fs_pdf *pdf = calloc(1, sizeof *pdf);
    if (!pdf) {
        fs_error_set(err, FS_ERR_NOMEM, "pdf", "out of memory");
        return NULL;
    }
    pdf->th = *theme;
    pdf->ctx = ctx;
    pdf->cur_section = -1;
    pdf->toc_first = -1;
    memset(pdf->width, 0xff, sizeof pdf->width);
    fs_pdf_set_step(pdf, "pdf setup");
    pdf->doc = HPDF_New(on_hpdf_error, pdf);
    if (!pdf->doc) {
        fs_error_set(err, FS_ERR_PDF, "pdf", "libharu could not create a document");
        free(pdf);
        return NULL;
    }
    HPDF_SetCompressionMode(pdf->doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(pdf->doc);   /* outline titles and document info only */
    fs_pdf_set_step(pdf, "fonts");
    if (!pdf_fonts_load(pdf, fonts_dir) || !pdf_ok(pdf)) {
        fs_pdf_status(pdf, err);
        if (pdf->status == FS_ERR_PDF && pdf->hpdf_code == HPDF_FILE_OPEN_ERROR)
            fs_error_set(err, FS_ERR_PDF, fonts_dir,
                         "cannot open a report font in this folder (errno %u); expected "
                         "Liberation Serif/Sans/Mono .ttf files (run scripts/install-deps.sh)",
                         (unsigned)pdf->hpdf_detail);
        fs_pdf_free(pdf);
        return NULL;
    }
    HPDF_SetPageMode(pdf->doc, HPDF_PAGE_MODE_USE_OUTLINE);
    fs_pdf_set_step(pdf, "layout");
    return pdf;
}

void fs_pdf_free(fs_pdf *pdf)
{
    if (!pdf)
        return;
    if (pdf->doc)
        HPDF_Free(pdf->doc);
    for (size_t i = 0; i < pdf->n_toc; i++)
        free(pdf->toc[i].title);
    free(pdf->toc);
    free(pdf->pages);
    free(pdf->page_section);
    free(pdf->running_title);
    free(pdf);
}

const fs_theme *fs_pdf_theme(const fs_pdf *pdf)
{
    return &pdf->th;
}

size_t fs_pdf_replaced_chars(const fs_pdf *pdf)
{
    return pdf ? pdf->replaced : 0;
}

int fs_pdf_page_count(const fs_pdf *pdf)
{
    return pdf ? (int)pdf->n_pages : 0;
}

/* ======== metadata ======== */

void fs_pdf_set_meta(fs_pdf *pdf, const fs_pdf_meta *m)
{
    if (!pdf_ok(pdf))
        return;
    free(pdf->running_title);
    pdf->running_title = pdf_strdup(m->title);
    if (!pdf->running_title) {
        pdf_fail(pdf, FS_ERR_NOMEM);
        return;
    }
    /* Info strings go through the UTF-8 encoder (stored as UTF-16BE): any title survives. */
    HPDF_SetCurrentEncoder(pdf->doc, "UTF-8");
    const struct { HPDF_InfoType type; const char *value; } attrs[] = {
        {HPDF_INFO_TITLE, m->title},       {HPDF_INFO_AUTHOR, m->author},
        {HPDF_INFO_SUBJECT, m->subject},   {HPDF_INFO_KEYWORDS, m->keywords},
        {HPDF_INFO_CREATOR, m->creator},   {HPDF_INFO_PRODUCER, "framescope " FS_VERSION
                                                                " with libHaru 2.3.0"},
    };
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
        if (attrs[i].value && attrs[i].value[0])
            HPDF_SetInfoAttr(pdf->doc, attrs[i].type, attrs[i].value);
    struct tm tm;
    time_t t = m->created;
    if (gmtime_r(&t, &tm)) {
        HPDF_Date d = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                       tm.tm_sec > 59 ? 59 : tm.tm_sec, 'Z', 0, 0};
        HPDF_SetInfoDateAttr(pdf->doc, HPDF_INFO_CREATION_DATE, d);
        HPDF_SetInfoDateAttr(pdf->doc, HPDF_INFO_MOD_DATE, d);
    }
}

/* ======== pages ======== */

double pdf_top(const fs_pdf *pdf)
{
    return pdf->th.page_h - pdf->th.margin_top;
}

double pdf_bottom(const fs_pdf *pdf)
{
    return pdf->th.margin_bottom;
}

void fs_pdf_new_page(fs_pdf *pdf)
{
    if (!pdf_ok(pdf))
        return;
    if (pdf->n_pages == pdf->cap_pages) {
        size_t cap = pdf->cap_pages ? pdf->cap_pages * 2 : 32;
        HPDF_Page *p = realloc(pdf->pages, cap * sizeof *p);
        if (p)
            pdf->pages = p;
        int *s = realloc(pdf->page_section, cap * sizeof *s);
        if (s)
            pdf->page_section = s;
        if (!p || !s) {
            pdf_fail(pdf, FS_ERR_NOMEM);
            return;
        }
        pdf->cap_pages = cap;
    }
    HPDF_Page page = HPDF_AddPage(pdf->doc);
    if (!page)
        return;
    HPDF_Page_SetWidth(page, (HPDF_REAL)pdf->th.page_w);
    HPDF_Page_SetHeight(page, (HPDF_REAL)pdf->th.page_h);
    pdf->pages[pdf->n_pages] = page;
    pdf->page_section[pdf->n_pages] = pdf->cur_section;
    pdf->n_pages++;
    pdf->page = page;
    pdf->y = pdf_top(pdf);
    pdf->page_fresh = true;
}

/* ======== saving ======== */

fs_status fs_pdf_save(fs_pdf *pdf, const char *path, size_t *bytes, fs_error *err)
{
    fs_pdf_set_step(pdf, "save");
    fs_status st = fs_pdf_status(pdf, err);
    if (st != FS_OK)
        return st;
    if (HPDF_SaveToStream(pdf->doc) != HPDF_OK)
        return fs_pdf_status(pdf, err);
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf->doc);
    unsigned char *buf = malloc(size ? size : 1);
    if (!buf)
        return fs_error_set(err, FS_ERR_NOMEM, path, "out of memory for a %u-byte PDF",
                            (unsigned)size);
    HPDF_UINT32 got = 0;
    while (got < size) {
        HPDF_UINT32 chunk = size - got;
        HPDF_STATUS rc = HPDF_ReadFromStream(pdf->doc, buf + got, &chunk);
        got += chunk;
        if (rc == HPDF_STREAM_EOF || chunk == 0)
            break;
        if (rc != HPDF_OK) {
            free(buf);
            return fs_pdf_status(pdf, err);
        }
    }
    if (got != size) {
        free(buf);
        return fs_error_set(err, FS_ERR_PDF, path, "PDF stream ended after %u of %u bytes",
                            (unsigned)got, (unsigned)size);
    }
    st = fs_write_file_atomic(path, buf, size, err);
    free(buf);
    if (st != FS_OK)
        return st;
    if (bytes)
        *bytes = size;
    return FS_OK;
}
