/* pdf_font.c: embedded TrueType faces, single-byte encoders with fallbacks, and shaping of
 * UTF-8 into drawable glyphs (see docs/libharu-notes.md sections 1-2). */
#include <hpdf_fontdef.h>
#include <stdlib.h>
#include <string.h>
#include "framescope/fileio.h"
#include "pdf_internal.h"

/* Order matters twice: it is the fallback order, and load order fixes the subset tags. */
static const char *const enc_names[PDF_ENCS] = {"CP1252", "CP1250", "CP1251", "CP1253",
                                                "CP1254"};
static const char *const face_files[PDF_FACES] = {
    "LiberationSans-Regular.ttf",  "LiberationSans-Bold.ttf",   "LiberationSerif-Regular.ttf",
    "LiberationSerif-Bold.ttf",    "LiberationSerif-Italic.ttf", "LiberationMono-Regular.ttf",
};

/* ======== loading ======== */

static void rev_sort(pdf_rev *r)
{
    for (size_t i = 1; i < r->n; i++) {   /* insertion sort: 224 entries, once per encoder */
        uint32_t cp = r->cp[i];
        uint8_t b = r->byte[i];
        size_t j = i;
        while (j > 0 && r->cp[j - 1] > cp) {
            r->cp[j] = r->cp[j - 1];
            r->byte[j] = r->byte[j - 1];
            j--;
        }
        r->cp[j] = cp;
        r->byte[j] = b;
    }
}

bool pdf_fonts_load(fs_pdf *pdf, const char *dir)
{
    for (int f = 0; f < PDF_FACES; f++) {
        char *path = fs_path_join(dir ? dir : "fonts", face_files[f]);
        if (!path) {
            pdf_fail(pdf, FS_ERR_NOMEM);
            return false;
        }
        pdf->font_name[f] = HPDF_LoadTTFontFromFile(pdf->doc, path, HPDF_TRUE);
        free(path);
        if (!pdf->font_name[f])
            return false;
    }
    for (int e = 0; e < PDF_ENCS; e++) {
        HPDF_Encoder enc = HPDF_GetEncoder(pdf->doc, enc_names[e]);
        if (!enc)
            return false;
        pdf_rev *r = &pdf->rev[e];
        r->n = 0;
        for (unsigned b = 0x20; b <= 0xFF; b++) {
            HPDF_UNICODE u = HPDF_Encoder_GetUnicode(enc, (HPDF_UINT16)b);
            if (u == 0 || (b >= 0x7F && b <= 0x9F && u < 0xA0))
                continue;   /* undefined slot or control */
            r->cp[r->n] = u;
            r->byte[r->n] = (uint8_t)b;
            r->n++;
        }
        rev_sort(r);
    }
    return true;
}

/* The HPDF_Font of a face under an encoder, created on first use (unused pairs stay out). */
HPDF_Font pdf_font(fs_pdf *pdf, fs_font_face face, int enc)
{
    if (!pdf->font[face][enc])
        pdf->font[face][enc] = HPDF_GetFont(pdf->doc, pdf->font_name[face], enc_names[enc]);
    return pdf->font[face][enc];
}

static int rev_find(const pdf_rev *r, uint32_t cp)
{
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r->cp[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->n && r->cp[lo] == cp ? r->byte[lo] : -1;
}

static uint16_t glyph_width(fs_pdf *pdf, fs_font_face face, int enc, uint8_t byte)
{
    int16_t *w = &pdf->width[face][enc][byte];
    if (*w < 0) {
        HPDF_Font font = pdf_font(pdf, face, enc);
        HPDF_TextWidth tw = {0, 0, 0, 0};
        if (font)
            tw = HPDF_Font_TextWidth(font, &byte, 1);
        *w = (int16_t)(tw.width > 30000 ? 30000 : tw.width);
    }
    return (uint16_t)*w;
}

/* ======== UTF-8 ======== */

/* Decodes one code point; malformed input gives U+FFFD and advances one byte. */
static uint32_t utf8_next(const unsigned char **ps)
{
    const unsigned char *s = *ps;
    uint32_t c = s[0];
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0) {
        *ps = s + 1;
        return 0xFFFD;
    }
    if (len == 1) {
        *ps = s + 1;
        return c;
    }
    c &= (uint32_t)(0x7F >> len);
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *ps = s + 1;
            return 0xFFFD;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    *ps = s + len;
    return c;
}

/* Normalises a code point for drawing: 0 drops it, ' ' marks a break opportunity. */
static uint32_t normalise(uint32_t c)
{
    switch (c) {
    case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF:
        return 0;                    /* soft hyphen, zero-width characters */
    case 0x00A0: case 0x2002: case 0x2003: case 0x2009: case 0x202F:
    case '\t': case '\n': case '\r': case '\f': case '\v':
        return ' ';
    case 0x2212:
        return 0x2013;               /* minus sign -> en dash (in CP1252) */
    case 0x2010: case 0x2011:
        return '-';
    default:
        return c < 0x20 || (c >= 0x7F && c < 0xA0) ? 0 : c;
    }
}

bool pdf_shape(fs_pdf *pdf, fs_font_face face, const char *utf8, pdf_text *out)
{
    out->g = NULL;
    out->n = 0;
    if (!utf8)
        return true;
    size_t cap = strlen(utf8) + 1;
    out->g = malloc(cap * sizeof *out->g);
    if (!out->g) {
        pdf_fail(pdf, FS_ERR_NOMEM);
        return false;
    }
    HPDF_FontDef fd = HPDF_GetFontDef(pdf->doc, pdf->font_name[face]);
    const unsigned char *s = (const unsigned char *)utf8;
    while (*s) {
        uint32_t c = normalise(utf8_next(&s));
        if (c == 0)
            continue;
        if (c == ' ' && (out->n == 0 || out->g[out->n - 1].cp == ' '))
            continue;                /* collapse runs, trim the start */
        pdf_glyph g = {c, PDF_PLACEHOLDER, '?', PDF_PLACEHOLDER_W};
        for (int e = 0; e < PDF_ENCS; e++) {
            int b = rev_find(&pdf->rev[e], c);
            if (b < 0)
                continue;
            if (c != ' ' && fd && HPDF_TTFontDef_GetGlyphid(fd, (HPDF_UINT16)c) == 0)
                break;               /* encoder has it, the font has no glyph */
            g.enc = (int8_t)e;
            g.byte = (uint8_t)b;
            g.w = glyph_width(pdf, face, e, (uint8_t)b);
            break;
        }
        out->g[out->n++] = g;
    }
    while (out->n > 0 && out->g[out->n - 1].cp == ' ')
        out->n--;
    return true;
}

void pdf_text_free(pdf_text *t)
{
    free(t->g);
    t->g = NULL;
    t->n = 0;
}

double pdf_glyphs_width(const pdf_glyph *g, size_t n, double size)
{
    unsigned long sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += g[i].w;
    return (double)sum * size / 1000.0;
}
