/* frames_match.c: frame hits per document. Every pattern of a frame is matched (PCRE2, UTF,
 * case-insensitive, Unicode \w and \b) over the cleaned text; the frame's match spans are then
 * merged where they overlap or nest, so "South Korea" matched by both "Korea" and "South Korea"
 * is one hit. Spans that only touch stay separate hits.
 *
 * Most patterns start with a word ("\bka\w*"). PCRE2's own search for where a match may start
 * is slow when the first letter has a non-ASCII case variant (k: the Kelvin sign, s: the long
 * s), as then it stops at every byte E2 or C5: every curly quote. Such patterns (frame_pre_make
 * decides which) are matched only where the text has the pattern's leading letters, each
 * attempt limited to start exactly there (PCRE2_USE_OFFSET_LIMIT), which finds the same
 * matches. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "count_internal.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "framescope/rx.h"

#define FRAME_RX_FLAGS (PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF)

/* ---------------------------------------------------------------- leading-letter prefilter */

enum { PRE_REST = 15, PRE_ALTS = 4 };

/* Where a pattern's match can start: at its first letter (either ASCII case, or one of the
 * non-ASCII code points PCRE2 takes for it caselessly) followed by the next letters of the
 * pattern, which have no non-ASCII variants and are compared byte by byte. */
typedef struct frame_pre {
    bool on;
    unsigned char up, low;               /* the first letter */
    unsigned char alt[PRE_ALTS][4];      /* its non-ASCII variants, UTF-8 */
    uint8_t alt_len[PRE_ALTS];
    size_t n_alts;
    unsigned char lead[2];               /* lead bytes of the variants (repeated when one) */
    unsigned char rest[PRE_REST];        /* the following letters, lower case */
    size_t n_rest;
} frame_pre;

static bool is_ascii_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The letters every match of `pat` starts with, when the pattern's syntax makes that certain:
 * an optional \b, then ASCII letters (the last dropped when ? * or { makes it optional), and
 * nothing anywhere that could make an alternative or change how the start is read (top-level
 * |, option settings, verbs, classes, comments, \Q, \G, \K). Returns how many letters (0: no
 * prefilter). */
static size_t leading_letters(const char *pat, char *out, size_t cap)
{
    const char *p = pat;
    if (p[0] == '\\' && p[1] == 'b')
        p += 2;
    size_t n = 0;
    while (is_ascii_letter(p[n]))
        n++;
    if (p[n] == '?' || p[n] == '*' || p[n] == '{')
        n = n ? n - 1 : 0;
    if (n == 0)
        return 0;
    int depth = 0;
    for (const char *q = pat; *q; q++) {
        switch (*q) {
        case '\\':
            if (q[1] == 'Q' || q[1] == 'G' || q[1] == 'K' || q[1] == '\0')
                return 0;
            if (q[1] == 'c') { /* \cX: X is taken as is, even ( or | */
                if (q[2] == '\0')
                    return 0;
                q++;
            }
            q++;
            break;
        case '(':
            if (q[1] == '*' || (q[1] == '?' && q[2] != ':'))
                return 0;
            depth++;
            break;
        case ')':
            depth--;
            break;
        case '|':
            if (depth <= 0)
                return 0;
            break;
        case '[': case '#':
            return 0;
        default:
            break;
        }
    }
    if (n > cap)
        n = cap;
    memcpy(out, p, n);
    return n;
}

static size_t utf8_put(uint32_t cp, unsigned char *b)
{
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | cp >> 6);
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    b[0] = (unsigned char)(0xE0 | cp >> 12);
    b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    b[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
}

/* The non-ASCII code points PCRE2 matches letter `c` with, as PCRE2 itself says: the letter
 * alone is compiled with the frames' flags; its start bitmap names the lead bytes of the
 * variants, and every code point with such a lead byte is tried. Returns how many (stored up to
 * PRE_ALTS), SIZE_MAX when PCRE2 does not say, they are too many, or memory ran out: no
 * prefilter then. */
static size_t letter_variants(char c, uint32_t flags, frame_pre *pre)
{
    char pat[2] = {c, '\0'};
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pat, 1, flags, &ec, &eo, NULL);
    pcre2_match_data *md = code ? pcre2_match_data_create(1, NULL) : NULL;
    size_t found = SIZE_MAX;
    uint32_t type = 0;
    const uint8_t *bitmap = NULL;
    if (!md || pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &type) != 0)
        goto done;
    if (type == 1) { /* a single code unit (in either case): ASCII only */
        found = 0;
        goto done;
    }
    if (type != 0 || pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &bitmap) != 0 || !bitmap)
        goto done;
    found = 0;
    for (unsigned lead = 0x80; lead < 256 && found != SIZE_MAX; lead++) {
        if (!(bitmap[lead / 8] & (1u << (lead % 8))))
            continue;
        uint32_t lo, hi;
        if (lead >= 0xC2 && lead <= 0xDF) {
            lo = (lead & 0x1Fu) << 6;
            hi = lo + 0x3F;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            lo = (lead & 0x0Fu) << 12;
            hi = lo + 0xFFF;
        } else {
            found = SIZE_MAX; /* 4-byte variants: not handled */
            break;
        }
        for (uint32_t cp = lo < 0x80 ? 0x80 : lo; cp <= hi; cp++) {
            unsigned char b[4];
            if (cp >= 0xD800 && cp <= 0xDFFF)
                continue;
            size_t bn = utf8_put(cp, b);
            if ((unsigned)b[0] != lead)
                continue;
            if (pcre2_match(code, b, bn, 0, PCRE2_ANCHORED, md, NULL) < 0)
                continue;
            if (found >= PRE_ALTS) {
                found = SIZE_MAX;
                break;
            }
            memcpy(pre->alt[found], b, bn);
            pre->alt_len[found++] = (uint8_t)bn;
        }
    }
done:
    pcre2_match_data_free(md);
    pcre2_code_free(code);
    return found;
}

/* Fills *pre for `pat` (pre->on false: match without the prefilter). FS_OK always: a failure
 * of the analysis only turns the prefilter off. */
static fs_status frame_pre_make(const char *pat, uint32_t flags, frame_pre *pre)
{
    memset(pre, 0, sizeof *pre);
    char lead[1 + PRE_REST];
    size_t n = leading_letters(pat, lead, sizeof lead);
    if (n == 0)
        return FS_OK;
    size_t alts = letter_variants(lead[0], flags, pre);
    if (alts == SIZE_MAX)
        return FS_OK;
    pre->n_alts = alts;
    size_t n_leads = 0;
    for (size_t a = 0; a < alts; a++) {
        bool seen = n_leads && (pre->lead[0] == pre->alt[a][0] ||
                                (n_leads > 1 && pre->lead[1] == pre->alt[a][0]));
        if (seen)
            continue;
        if (n_leads == 2)
            return FS_OK;
        pre->lead[n_leads++] = pre->alt[a][0];
    }
    char c = lead[0];
    pre->low = (unsigned char)(c | 0x20);
    pre->up = (unsigned char)(pre->low - 0x20);
    pre->lead[0] = n_leads ? pre->lead[0] : pre->low;
    pre->lead[1] = n_leads > 1 ? pre->lead[1] : pre->lead[0];
    /* Later letters are compared as ASCII bytes only while they have no other variants. */
    frame_pre probe;
    for (size_t k = 1; k < n; k++) {
        if (letter_variants(lead[k], flags, &probe) != 0)
            break;
        pre->rest[pre->n_rest++] = (unsigned char)(lead[k] | 0x20);
    }
    pre->on = true;
    return FS_OK;
}

/* Is there a possible match start at u[i] (a byte equal to up, low or a lead byte)? */
static inline bool pre_start(const frame_pre *pre, const unsigned char *u, size_t len, size_t i)
{
    if (u[i] == pre->up || u[i] == pre->low) {
        if (len - i <= pre->n_rest)
            return false;
        for (size_t k = 0; k < pre->n_rest; k++)
            if ((u[i + 1 + k] | 0x20) != pre->rest[k])
                return false;
        return true;
    }
    for (size_t a = 0; a < pre->n_alts; a++)
        if (len - i >= pre->alt_len[a] && memcmp(u + i, pre->alt[a], pre->alt_len[a]) == 0)
            return true;
    return false;
}

/* The first possible match start at or after `i`, len when none. */
static size_t frame_pre_next(const frame_pre *pre, const unsigned char *u, size_t len, size_t i)
{
#ifdef __SSE2__
    /* 16 starts at a time, each judged on its byte and the next: the letter and the second
     * letter, or a variant's first two bytes (so that curly quotes, E2 80 .., are passed over
     * here). pre_start still decides. */
    const __m128i vu = _mm_set1_epi8((char)pre->up), vl = _mm_set1_epi8((char)pre->low);
    const __m128i vcase = _mm_set1_epi8(0x20);
    const __m128i any = pre->n_rest ? _mm_setzero_si128() : _mm_set1_epi8(-1);
    const __m128i vr = _mm_set1_epi8((char)(pre->n_rest ? pre->rest[0] : 0));
    /* Without variants, the letter itself stands in for them: no extra starts. */
    const unsigned char l0 = pre->n_alts ? pre->lead[0] : pre->low;
    const unsigned char l1 = pre->n_alts ? pre->lead[1] : pre->low;
    const unsigned char s0 = pre->n_alts ? pre->alt[0][1] : pre->low;
    unsigned char s1 = s0;
    for (size_t a = 1; a < pre->n_alts; a++)
        if (pre->alt[a][0] == l1)
            s1 = pre->alt[a][1];
    const __m128i v0 = _mm_set1_epi8((char)l0), v1 = _mm_set1_epi8((char)l1);
    const __m128i w0 = _mm_set1_epi8((char)s0), w1 = _mm_set1_epi8((char)s1);
    bool exact = pre->n_alts <= 2 && (pre->n_alts < 2 || pre->alt[0][0] != pre->alt[1][0]);
    while (exact && i + 17 <= len) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
        __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(u + i + 1));
        __m128i letter = _mm_and_si128(
            _mm_or_si128(_mm_cmpeq_epi8(x, vu), _mm_cmpeq_epi8(x, vl)),
            _mm_or_si128(_mm_cmpeq_epi8(_mm_or_si128(y, vcase), vr), any));
        __m128i variant =
            _mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(x, v0), _mm_cmpeq_epi8(y, w0)),
                         _mm_and_si128(_mm_cmpeq_epi8(x, v1), _mm_cmpeq_epi8(y, w1)));
        unsigned bits = (unsigned)_mm_movemask_epi8(_mm_or_si128(letter, variant));
        while (bits) {
            size_t at = i + (unsigned)__builtin_ctz(bits);
            if (pre_start(pre, u, len, at))
                return at;
            bits &= bits - 1;
        }
        i += 16;
    }
#endif
    for (; i < len; i++) {
        unsigned char b = u[i];
        if ((b == pre->up || b == pre->low || b == pre->lead[0] || b == pre->lead[1]) &&
            pre_start(pre, u, len, i))
            return i;
    }
    return len;
}

typedef struct frame_pats {
    pcre2_code **codes;
    frame_pre *pre;       /* per pattern; pre[k].on false: plain search */
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
    pcre2_match_context *mc;  /* offset limit of the current attempt */
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
        free(f->frames[i].pre);
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
        f->frames[i].pre = calloc(pl->n + 1, sizeof *f->frames[i].pre);
        if (!f->frames[i].codes || !f->frames[i].pre) {
            frameset_free(f);
            return fs_error_set(err, FS_ERR_NOMEM, "analysis.frames", "out of memory");
        }
        for (size_t k = 0; k < pl->n; k++) {
            int ec;
            PCRE2_SIZE eo;
            frame_pre *pre = &f->frames[i].pre[k];
            if (frame_pre_make(pl->items[k].pattern, FRAME_RX_FLAGS, pre) != FS_OK) {
                frameset_free(f);
                return fs_error_set(err, FS_ERR_NOMEM, "analysis.frames", "out of memory");
            }
            pcre2_code *code = pcre2_compile(
                (PCRE2_SPTR)pl->items[k].pattern, PCRE2_ZERO_TERMINATED,
                FRAME_RX_FLAGS | (pre->on ? PCRE2_USE_OFFSET_LIMIT : 0), &ec, &eo, NULL);
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
    s->mc = pcre2_match_context_create(NULL);
    if (!s->md || !s->mc) {
        pcre2_match_data_free(s->md);
        pcre2_match_context_free(s->mc);
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
    pcre2_match_context_free(s->mc);
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

/* Appends a span; FS_ERR_NOMEM. */
static fs_status add_span(frame_scratch *s, size_t *n, size_t a, size_t b)
{
    if (*n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        span *p = realloc(s->spans, cap * sizeof *p);
        if (!p)
            return FS_ERR_NOMEM;
        s->spans = p;
        s->cap = cap;
    }
    s->spans[(*n)++] = (span){a, b};
    return FS_OK;
}

/* Appends the spans of every match of `code` (the leftmost, then from its end on) to s->spans;
 * a negative PCRE2 code or FS_ERR_NOMEM (returned as 1). */
static int match_all(const pcre2_code *code, const frame_pre *pre, frame_scratch *s,
                     const char *text, size_t len, size_t *n)
{
    const unsigned char *u = (const unsigned char *)text;
    PCRE2_SIZE off = 0;
    while (off <= len) {
        size_t at = 0;
        if (pre->on) {
            at = frame_pre_next(pre, u, len, off);
            if (at >= len)
                break;
            pcre2_set_offset_limit(s->mc, at); /* the attempt starts at `at` or not at all */
        }
        int rc = pcre2_match(code, (PCRE2_SPTR)text, len, pre->on ? at : off, 0, s->md,
                             pre->on ? s->mc : NULL);
        if (rc == PCRE2_ERROR_NOMATCH) {
            if (!pre->on)
                break;
            off = at + 1; /* a continuation byte there is never taken for a start */
            continue;
        }
        if (rc < 0)
            return rc;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
        size_t a = ov[0], b = ov[1];
        if (b > a) {
            if (add_span(s, n, a, b) != FS_OK)
                return 1;
            off = b;
        } else { /* empty match: step over one character */
            off = b + 1;
            while (off < len && (u[off] & 0xC0) == 0x80)
                off++;
        }
    }
    return 0;
}

fs_status frameset_count(const frameset *f, frame_scratch *s, const char *text, size_t len,
                         uint64_t *hits, fs_error *err)
{
    for (size_t i = 0; i < f->n_frames; i++) {
        size_t n = 0;
        for (size_t k = 0; k < f->frames[i].n; k++) {
            int rc = match_all(f->frames[i].codes[k], &f->frames[i].pre[k], s, text, len, &n);
            if (rc == 1)
                return fs_error_set(err, FS_ERR_NOMEM, "analysis.frames", "out of memory");
            if (rc < 0) {
                PCRE2_UCHAR msg[256];
                pcre2_get_error_message(rc, msg, sizeof msg);
                return fs_error_set(err, FS_ERR_REGEX, "analysis.frames",
                                    "matching a pattern of frame %zu failed: %s", i,
                                    (const char *)msg);
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
