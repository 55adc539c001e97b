/* corpus_meta.c: PCRE2 wrapper shared by the corpus and clean stages, date parsing, and the
 * per-source metadata rules (title, date, author, url, outlet) with their fallbacks. */
#include "corpus_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framescope/rx.h"

/* ---- regular expressions ------------------------------------------------------------------ */

fs_status corpus_rx_compile(corpus_rx *rx, const char *name, const char *pattern,
                            uint32_t options, fs_error *err)
{
    memset(rx, 0, sizeof *rx);
    snprintf(rx->name, sizeof rx->name, "%s", name ? name : pattern);
    int ec;
    PCRE2_SIZE eo;
    rx->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF | options, &ec,
                             &eo, NULL);
    if (!rx->code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        return fs_error_set(err, FS_ERR_REGEX, rx->name,
                            "pattern \"%s\" does not compile at offset %zu: %s", pattern,
                            (size_t)eo, (const char *)msg);
    }
    /* JIT is an optimisation only: when unavailable the interpreter runs the same pattern. */
    if (fs_rx_jit_ok())
        (void)pcre2_jit_compile(rx->code, PCRE2_JIT_COMPLETE);
    rx->md = pcre2_match_data_create_from_pattern(rx->code, NULL);
    rx->mctx = pcre2_match_context_create(NULL);
    if (!rx->md || !rx->mctx) {
        corpus_rx_free(rx);
        return fs_error_set(err, FS_ERR_NOMEM, name, "out of memory compiling a pattern");
    }
    pcre2_set_match_limit(rx->mctx, CORPUS_RX_MATCH_LIMIT);
    pcre2_set_depth_limit(rx->mctx, CORPUS_RX_DEPTH_LIMIT);
    uint32_t captures = 0;
    pcre2_pattern_info(rx->code, PCRE2_INFO_CAPTURECOUNT, &captures);
    /* The named group `value` when present; -1 when (?J) gives several groups that name, the
     * first one set is then chosen per match. */
    int named = pcre2_substring_nametable_scan(rx->code, (PCRE2_SPTR) "value", NULL, NULL);
    if (named > 0)
        rx->value_group = named;
    else if (named == PCRE2_ERROR_NOUNIQUESUBSTRING)
        rx->value_group = -1;
    else
        rx->value_group = captures >= 1 ? 1 : 0;
    return FS_OK;
}

int corpus_rx_match(corpus_rx *rx, const char *s, size_t len, size_t start, fs_error *err)
{
    int rc = pcre2_match(rx->code, (PCRE2_SPTR)s, len, start, 0, rx->md, rx->mctx);
    if (rc >= 0)
        return 1;
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(rc, msg, sizeof msg);
    bool limit = rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
                 rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT;
    fs_error_set(err, FS_ERR_REGEX, rx->name, "%s%s", (const char *)msg,
                 limit ? " (the pattern backtracks catastrophically: simplify it or anchor it)"
                       : "");
    return -1;
}

bool corpus_rx_value(const corpus_rx *rx, size_t *begin, size_t *end)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rx->md);
    uint32_t n = pcre2_get_ovector_count(rx->md);
    int g = rx->value_group;
    if (g < 0) {
        /* The first set group among those named `value` (name table entries: 2-byte group
         * number, big-endian, then the name). */
        PCRE2_SPTR first = NULL, last = NULL;
        int entry = pcre2_substring_nametable_scan(rx->code, (PCRE2_SPTR) "value", &first, &last);
        g = 0;
        for (PCRE2_SPTR e = first; entry > 0 && e && e <= last; e += entry) {
            int cand = e[0] << 8 | e[1];
            if ((uint32_t)cand < n && ov[2 * cand] != PCRE2_UNSET) {
                g = cand;
                break;
            }
        }
        if (g == 0)
            return false;
    }
    if ((uint32_t)g >= n || ov[2 * g] == PCRE2_UNSET)
        return false;
    *begin = ov[2 * g];
    *end = ov[2 * g + 1];
    return true;
}

void corpus_rx_free(corpus_rx *rx)
{
    if (!rx)
        return;
    pcre2_match_data_free(rx->md);
    pcre2_match_context_free(rx->mctx);
    pcre2_code_free(rx->code);
    rx->md = NULL;
    rx->mctx = NULL;
    rx->code = NULL;
}

/* ---- dates -------------------------------------------------------------------------------- */

static const char *const month_names[12] = {"january", "february", "march",     "april",
                                            "may",     "june",     "july",      "august",
                                            "september", "october", "november", "december"};

static int days_in_month(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

/* Reads 1..maxd digits (exactly maxd when `exact`). Returns digits read, 0 on failure. */
static size_t read_num(const char *s, size_t len, size_t i, size_t maxd, bool exact, int *v)
{
    size_t k = 0;
    int x = 0;
    while (k < maxd && i + k < len && isdigit((unsigned char)s[i + k])) {
        x = x * 10 + (s[i + k] - '0');
        k++;
    }
    if (k == 0 || (exact && k != maxd))
        return 0;
    *v = x;
    return k;
}

/* A month name or an abbreviation of at least three letters (optionally with a dot):
 * "Feb", "Feb.", "Sept", "February". Returns the characters used, 0 when no month. */
static size_t read_month(const char *s, size_t len, size_t i, int *m)
{
    size_t k = 0;
    while (i + k < len && isalpha((unsigned char)s[i + k]))
        k++;
    if (k < 3 || k > 9)
        return 0;
    for (int mo = 0; mo < 12; mo++) {
        size_t full = strlen(month_names[mo]);
        if (k > full)
            continue;
        size_t j = 0;
        while (j < k && tolower((unsigned char)s[i + j]) == month_names[mo][j])
            j++;
        if (j == k) {
            *m = mo + 1;
            if (k < full && i + k < len && s[i + k] == '.')
                k++;
            return k;
        }
    }
    return 0;
}

bool corpus_parse_date(const char *s, size_t len, const char *format, fs_date *out)
{
    if (!format || !*format)
        format = "%Y-%m-%d";
    int y = -1, m = -1, d = -1;
    size_t i = 0;
    while (i < len && isspace((unsigned char)s[i]))
        i++;
    while (len > i && isspace((unsigned char)s[len - 1]))
        len--;
    for (const char *f = format; *f; f++) {
        if (isspace((unsigned char)*f)) {
            while (i < len && isspace((unsigned char)s[i]))
                i++;
            continue;
        }
        if (*f != '%' || f[1] == '%') {
            if (*f == '%')
                f++;
            if (i >= len || tolower((unsigned char)s[i]) != tolower((unsigned char)*f))
                return false;
            i++;
            continue;
        }
        size_t k = 0;
        switch (*++f) {
        case 'd':
        case 'e': k = read_num(s, len, i, 2, false, &d); break;
        case 'm': k = read_num(s, len, i, 2, false, &m); break;
        case 'Y': k = read_num(s, len, i, 4, true, &y); break;
        case 'y':
            k = read_num(s, len, i, 2, true, &y);
            /* POSIX strptime: 69..99 are 1969..1999, 00..68 are 2000..2068. */
            y += y >= 69 ? 1900 : 2000;
            break;
        case 'b':
        case 'B':
        case 'h': k = read_month(s, len, i, &m); break;
        default: return false; /* unsupported conversion (also catches a trailing '%') */
        }
        if (k == 0)
            return false;
        i += k;
    }
    if (i != len || y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return false;
    out->year = y;
    out->month = m;
    out->day = d;
    return true;
}

/* ---- metadata rules ----------------------------------------------------------------------- */

fs_status corpus_meta_compile(const fs_source_cfg *src, size_t source_index,
                              corpus_meta_rules *rules, fs_error *err)
{
    memset(rules, 0, sizeof *rules);
    struct {
        const fs_meta_rule *rule;
        corpus_rx *rx;
        bool *has;
        const char *key;
    } fields[] = {
        {&src->title_rule, &rules->title, &rules->has_title, "title"},
        {&src->date_rule, &rules->date, &rules->has_date, "date"},
        {&src->author_rule, &rules->author, &rules->has_author, "author"},
        {&src->url_rule, &rules->url, &rules->has_url, "url"},
        {&src->outlet_rule, &rules->outlet, &rules->has_outlet, "outlet"},
    };
    for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
        if (!fields[k].rule->pattern)
            continue;
        char name[96];
        snprintf(name, sizeof name, "sources[%zu].%s.pattern", source_index, fields[k].key);
        /* Multiline: metadata patterns run over the whole document, and ^/$ mean a line. */
        fs_status st = corpus_rx_compile(fields[k].rx, name, fields[k].rule->pattern,
                                         PCRE2_MULTILINE, err);
        if (st != FS_OK) {
            corpus_meta_free(rules);
            return st;
        }
        *fields[k].has = true;
    }
    return FS_OK;
}

void corpus_meta_free(corpus_meta_rules *rules)
{
    if (!rules)
        return;
    corpus_rx_free(&rules->title);
    corpus_rx_free(&rules->date);
    corpus_rx_free(&rules->author);
    corpus_rx_free(&rules->url);
    corpus_rx_free(&rules->outlet);
}

/* Runs `rx` over the document and returns the trimmed value (malloc'd) in *val, NULL when the
 * rule does not match or the value is blank. */
static fs_status extract(corpus_rx *rx, const fs_doc *doc, char **val, fs_error *err)
{
    *val = NULL;
    int r = corpus_rx_match(rx, doc->text, doc->len, 0, err);
    if (r < 0) {
        if (err)
            snprintf(err->where, sizeof err->where, "%s (document %s)", rx->name, doc->id);
        return FS_ERR_REGEX;
    }
    size_t b, e;
    if (r == 0 || !corpus_rx_value(rx, &b, &e))
        return FS_OK;
    while (b < e && isspace((unsigned char)doc->text[b]))
        b++;
    while (e > b && isspace((unsigned char)doc->text[e - 1]))
        e--;
    if (b == e)
        return FS_OK;
    char *v = malloc(e - b + 1);
    if (!v)
        return fs_error_set(err, FS_ERR_NOMEM, doc->id, "out of memory");
    memcpy(v, doc->text + b, e - b);
    v[e - b] = '\0';
    *val = v;
    return FS_OK;
}

fs_status corpus_meta_extract(const fs_source_cfg *src, corpus_meta_rules *rules,
                              const fs_ctx *ctx, fs_doc *doc, fs_error *err)
{
    fs_status st = FS_OK;
    struct {
        bool has;
        corpus_rx *rx;
        char **field;
    } text_fields[] = {
        {rules->has_title, &rules->title, &doc->title},
        {rules->has_author, &rules->author, &doc->author},
        {rules->has_url, &rules->url, &doc->url},
        {rules->has_outlet, &rules->outlet, &doc->outlet},
    };
    for (size_t k = 0; k < sizeof text_fields / sizeof text_fields[0]; k++) {
        if (!text_fields[k].has || *text_fields[k].field)
            continue;
        if ((st = extract(text_fields[k].rx, doc, text_fields[k].field, err)) != FS_OK)
            return st;
    }
    bool dated = doc->date.year != 0;
    if (!dated && rules->has_date) {
        char *v = NULL;
        if ((st = extract(&rules->date, doc, &v, err)) != FS_OK)
            return st;
        if (v && corpus_parse_date(v, strlen(v), src->date_rule.format, &doc->date))
            dated = true;
        else if (v)
            fs_log(ctx, FS_LOG_WARN, "%s: date \"%s\" does not match the format \"%s\"",
                   doc->path, v, src->date_rule.format ? src->date_rule.format : "%Y-%m-%d");
        else
            fs_log(ctx, FS_LOG_DEBUG, "%s: the date rule found nothing", doc->path);
        free(v);
    }
    if (!dated && src->date.year)
        doc->date = src->date;
    if (!doc->outlet && src->outlet) {
        doc->outlet = strdup(src->outlet);
        if (!doc->outlet)
            return fs_error_set(err, FS_ERR_NOMEM, doc->id, "out of memory");
    }
    return FS_OK;
}
