/* kwic.c: keyword-in-context lines. The context is about KWIC_WIDTH characters on each side,
 * cut at word boundaries, with whitespace collapsed to single spaces. It never crosses a blank
 * line or a line break that starts a new sentence (the tokenizer's rule: the next line does not
 * start in lower case), so a headline or a navigation line does not bleed into a concordance. */
#include "count_internal.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "framescope/strbuf.h"

static bool is_space(unsigned char b)
{
    return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == '\f' || b == '\v';
}

static bool starts_lower(const char *text, size_t len, size_t i)
{
    if (i >= len)
        return false;
    utf8proc_int32_t cp;
    if (utf8proc_iterate((const utf8proc_uint8_t *)text + i, (utf8proc_ssize_t)(len - i), &cp) <= 0)
        return false;
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

/* A newline at `i` that separates contexts: a blank line follows or the next line does not
 * start in lower case. */
static bool hard_break_after(const char *text, size_t len, size_t i)
{
    size_t k = i + 1;
    while (k < len && text[k] != '\n' && is_space((unsigned char)text[k]))
        k++;
    return k >= len || text[k] == '\n' || !starts_lower(text, len, k);
}

/* Is the newline at `i` preceded (ignoring spaces) by another newline: a blank line? */
static bool blank_before(const char *text, size_t i)
{
    while (i > 0) {
        unsigned char b = (unsigned char)text[--i];
        if (b == '\n')
            return true;
        if (!is_space(b))
            return false;
    }
    return false;
}

/* Appends text[from, to) with whitespace runs collapsed into `b`. */
static void append_collapsed(fs_strbuf *b, const char *text, size_t from, size_t to)
{
    bool space = false;
    for (size_t i = from; i < to; i++) {
        unsigned char c = (unsigned char)text[i];
        if (is_space(c)) {
            space = true;
            continue;
        }
        if (space && b->len)
            fs_strbuf_putc(b, ' ');
        space = false;
        fs_strbuf_putc(b, (char)c);
    }
}

static const char *to_arena(fs_arena *a, fs_strbuf *b)
{
    return fs_arena_strndup(a, b->data ? b->data : "", b->len);
}

fs_status kwic_make(const char *text, size_t len, uint32_t start, uint32_t end, fs_arena *arena,
                    const char **left, const char **keyword, const char **right)
{
    fs_strbuf b = FS_STRBUF_INIT;
    fs_status st = FS_OK;

    /* Right: walk forward counting characters (a whitespace run counts as one). */
    size_t i = end, chars = 0;
    bool cut = false, in_space = false;
    while (i < len) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n' && hard_break_after(text, len, i))
            break;
        if (is_space(c)) {
            if (!in_space)
                chars++;
            in_space = true;
            i++;
            continue;
        }
        in_space = false;
        if (chars >= KWIC_WIDTH) {
            cut = true;
            break;
        }
        chars++;
        i++;
        while (i < len && ((unsigned char)text[i] & 0xC0) == 0x80)
            i++;
    }
    size_t rend = i;
    if (cut) /* do not end inside a word */
        while (rend > end && !is_space((unsigned char)text[rend - 1]))
            rend--;

    /* Left: walk backward the same way. */
    i = start;
    chars = 0;
    cut = false;
    in_space = false;
    while (i > 0) {
        unsigned char c = (unsigned char)text[i - 1];
        if (c == '\n' && (hard_break_after(text, len, i - 1) || blank_before(text, i - 1)))
            break;
        if (is_space(c)) {
            if (!in_space)
                chars++;
            in_space = true;
            i--;
            continue;
        }
        in_space = false;
        if (chars >= KWIC_WIDTH) {
            cut = true;
            break;
        }
        chars++;
        i--;
        while (i > 0 && ((unsigned char)text[i] & 0xC0) == 0x80)
            i--;
    }
    size_t lstart = i;
    if (cut)
        while (lstart < start && !is_space((unsigned char)text[lstart]))
            lstart++;

    append_collapsed(&b, text, lstart, start);
    *left = to_arena(arena, &b);
    fs_strbuf_reset(&b);
    append_collapsed(&b, text, start, end);
    *keyword = to_arena(arena, &b);
    fs_strbuf_reset(&b);
    append_collapsed(&b, text, end, rend);
    *right = to_arena(arena, &b);
    if (b.failed || !*left || !*keyword || !*right)
        st = FS_ERR_NOMEM;
    fs_strbuf_free(&b);
    return st;
}

static int cmp_cand(const void *x, const void *y)
{
    const kwic_cand *a = x, *b = y;
    if (a->focus != b->focus)
        return a->focus < b->focus ? -1 : 1;
    if (a->source != b->source)
        return a->source < b->source ? -1 : 1;
    if (a->doc != b->doc)
        return a->doc < b->doc ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

size_t kwic_select(kwic_cand *c, size_t n, int limit)
{
    qsort(c, n, sizeof *c, cmp_cand);
    size_t m = 0, run = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && (c[i].focus != c[i - 1].focus || c[i].source != c[i - 1].source))
            run = 0;
        if ((int)run++ < limit)
            c[m++] = c[i];
    }
    return m;
}
