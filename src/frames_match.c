/* frames_match.c: frame hits per document. Every pattern of a frame is matched (PCRE2, UTF,
 * case-insensitive, Unicode \w and \b) over the cleaned text; the frame's match spans are then
 * merged where they overlap or nest, so "South Korea" matched by both "Korea" and "South Korea"
 * is one hit. Spans that only touch stay separate hits. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "count_internal.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "framescope/rx.h"

typedef struct frame_pats {
    pcre2_code **codes;
    size_t n;
} frame_pats;

struct frameset {
    frame_pats *frames;
    size_t n_frames;
};

typedef struct span {
    size_t start, end;
} span;

struct frame_scratch {
    pcre2_match_data *md;
    span *spans;
    size_t cap;
};

void frameset_free(frameset *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_frames; i++) {
        for (size_t k = 0; k < f->frames[i].n; k++)
            pcre2_code_free(f->frames[i].codes[k]);
        free(f->frames[i].codes);
    }
    free(f->frames);
    free(f);
}

fs_status frameset_create(const fs_config *cfg, frameset **out, fs_error *err)
{
    *out = NULL;
    const fs_analysis_cfg *a = &cfg->analysis;
    frameset *f = calloc(1, sizeof *f);
    if (!f || !(f->frames = calloc(a->n_frames + 1, sizeof *f->frames))) {
        free(f);
        return fs_error_set(err, FS_ERR_NOMEM, "analysis.frames", "out of memory");
    }
    f->n_frames = a->n_frames;
    for (size_t i = 0; i < a->n_frames; i++) {
        const fs_pattern_list *pl = &a->frames[i].patterns;
        f->frames[i].codes = calloc(pl->n + 1, sizeof *f->frames[i].codes);
        if (!f->frames[i].codes) {
            frameset_free(f);
            return fs_error_set(err, FS_ERR_NOMEM, "analysis.frames", "out of memory");
        }
        for (size_t k = 0; k < pl->n; k++) {
            int ec;
            PCRE2_SIZE eo;
            pcre2_code *code = pcre2_compile(
                (PCRE2_SPTR)pl->items[k].pattern, PCRE2_ZERO_TERMINATED,
                PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF, &ec, &eo, NULL);
            if (!code) {
                PCRE2_UCHAR msg[256];
                pcre2_get_error_message(ec, msg, sizeof msg);
                frameset_free(f);
                return fs_error_set(err, FS_ERR_REGEX, pl->items[k].name ? pl->items[k].name : "",
                                    "pattern \"%s\" does not compile at offset %zu: %s",
                                    pl->items[k].pattern, (size_t)eo, (const char *)msg);
            }
            if (fs_rx_jit_ok()) /* best effort: interpreter otherwise */
                pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
            f->frames[i].codes[f->frames[i].n++] = code;
        }
    }
    *out = f;
    return FS_OK;
}

frame_scratch *frame_scratch_create(const frameset *f)
{
    (void)f;
    frame_scratch *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->md = pcre2_match_data_create(1, NULL);
    if (!s->md) {
        free(s);
        return NULL;
    }
    return s;
}

void frame_scratch_free(frame_scratch *s)
{
    if (!s)
        return;
    pcre2_match_data_free(s->md);
    free(s->spans);
    free(s);
}

static int cmp_span(const void *x, const void *y)
{
    const span *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->end < b->end ? -1 : a->end > b->end;
}

fs_status frameset_count(const frameset *f, frame_scratch *s, const char *text, size_t len,
                         uint64_t *hits, fs_error *err)
{
    for (size_t i = 0; i < f->n_frames; i++) {
        size_t n = 0;
        for (size_t k = 0; k < f->frames[i].n; k++) {
            PCRE2_SIZE off = 0;
            while (off <= len) {
                int rc = pcre2_match(f->frames[i].codes[k], (PCRE2_SPTR)text, len, off, 0, s->md,
                                     NULL);
                if (rc == PCRE2_ERROR_NOMATCH)
                    break;
                if (rc < 0) {
                    PCRE2_UCHAR msg[256];
                    pcre2_get_error_message(rc, msg, sizeof msg);
                    return fs_error_set(err, FS_ERR_REGEX, "analysis.frames",
                                        "matching a pattern of frame %zu failed: %s", i,
                                        (const char *)msg);
                }
                PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
                size_t a = ov[0], b = ov[1];
                if (b > a) {
                    if (n == s->cap) {
                        size_t cap = s->cap ? s->cap * 2 : 64;
                        span *p = realloc(s->spans, cap * sizeof *p);
                        if (!p)
                            return fs_error_set(err, FS_ERR_NOMEM, "analysis.frames",
                                                "out of memory");
                        s->spans = p;
                        s->cap = cap;
                    }
                    s->spans[n++] = (span){a, b};
                    off = b;
                } else { /* empty match: step over one character */
                    off = b + 1;
                    while (off < len && ((unsigned char)text[off] & 0xC0) == 0x80)
                        off++;
                }
            }
        }
        if (f->frames[i].n > 1 && n > 1)
            qsort(s->spans, n, sizeof *s->spans, cmp_span);
        uint64_t h = 0;
        size_t end = 0;
        for (size_t k = 0; k < n; k++) {
            if (h && s->spans[k].start < end) {
                if (s->spans[k].end > end)
                    end = s->spans[k].end;
                continue;
            }
            h++;
            end = s->spans[k].end;
        }
        hits[i] = h;
    }
    return FS_OK;
}
