/* config_value.c: checks of single config values, and the expansion of report.output.
 *
 * These know nothing about key paths or JSON; config.c wraps their verdicts into errors that
 * name the key.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "config_internal.h"

#include <ctype.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "framescope/strbuf.h"

/* ---- colours ---- */

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool cfg_parse_color(const char *s, double rgb[3])
{
    if (strlen(s) != 7 || s[0] != '#')
        return false;
    for (int i = 0; i < 3; i++) {
        int hi = hex_value(s[1 + 2 * i]), lo = hex_value(s[2 + 2 * i]);
        if (hi < 0 || lo < 0)
            return false;
        rgb[i] = (hi * 16 + lo) / 255.0;
    }
    return true;
}

void cfg_palette(size_t index, double rgb[3])
{
    /* Okabe & Ito (2008): distinguishable under the common colour-vision deficiencies. */
    static const char *const okabe_ito[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                            "#E69F00", "#56B4E9", "#F0E442", "#000000"};
    size_t n = sizeof okabe_ito / sizeof okabe_ito[0];
    cfg_parse_color(okabe_ito[index % n], rgb);
}

/* ---- dates ---- */

static bool leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

int cfg_parse_date(const char *s, fs_date *d)
{
    static const char shape[] = "dddd-dd-dd";
    if (strlen(s) != sizeof shape - 1)
        return 1;
    for (size_t i = 0; shape[i]; i++) {
        bool digit = isdigit((unsigned char)s[i]) != 0;
        if (shape[i] == 'd' ? !digit : s[i] != '-')
            return 1;
    }
    int y = atoi(s), m = atoi(s + 5), day = atoi(s + 8);
    if (y < 1 || m < 1 || m > 12 || day < 1 || day > days_in_month(y, m))
        return 2;
    d->year = y;
    d->month = m;
    d->day = day;
    return 0;
}

const char *cfg_check_datefmt(const char *fmt)
{
    /* The corpus stage's parser understands exactly these conversions. */
    bool year = false, month = false;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        switch (*++p) {
        case 'Y': case 'y': year = true; break;
        case 'm': case 'b': case 'B': month = true; break;
        case 'd': case '%': break;
        case '\0': return "ends with a lone '%'";
        default: return "uses a conversion other than %d %m %Y %y %b %B %%";
        }
    }
    if (!year || !month)
        return "needs a year (%Y or %y) and a month (%m, %b or %B)";
    return NULL;
}

/* ---- ids, addresses, placeholders ---- */

bool cfg_check_id(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-' || *s == '_'))
            return false;
    return true;
}

static bool plain_address(const char *s, size_t len)
{
    const char *at = memchr(s, '@', len);
    if (!at || at == s || at == s + len - 1 || memchr(at + 1, '@', (size_t)(s + len - at - 1)) ||
        !memchr(at + 1, '.', (size_t)(s + len - at - 1)))
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] <= ' ' || strchr(",;<>\"()[]\\", s[i]))
            return false;
    return true;
}

bool cfg_check_email(const char *s)
{
    /* Not RFC 5322: enough to catch a name typed where an address belongs, and to keep
     * header-breaking characters (line breaks, commas) out of the mail headers. Accepts
     * "name@example.org" and "Display Name <name@example.org>". */
    size_t len = strlen(s);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
            return false;
    const char *lt = strrchr(s, '<');
    if (len > 0 && s[len - 1] == '>' && lt)
        return strchr(s, '>') == s + len - 1 && plain_address(lt + 1, (size_t)(s + len - 1 - lt - 1));
    return plain_address(s, len);
}

bool cfg_check_placeholders(const char *s, const char *const *names, char *bad, size_t n)
{
    for (const char *p = strchr(s, '{'); p; p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        size_t len = end ? (size_t)(end - p - 1) : strlen(p + 1);
        bool known = false;
        for (size_t i = 0; end && names[i] && !known; i++)
            known = strlen(names[i]) == len && memcmp(names[i], p + 1, len) == 0;
        if (!known) {
            snprintf(bad, n, "%.*s", (int)(end ? len + 2 : len + 1), p);
            return false;
        }
    }
    return true;
}

/* ---- regular expressions ---- */

bool cfg_check_regex(const char *pattern, uint32_t extra, bool need_group, char *msg, size_t n)
{
    int code = 0;
    PCRE2_SIZE offset = 0;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_UCP | extra, &code, &offset, NULL);
    if (!re) {
        PCRE2_UCHAR text[256];
        if (pcre2_get_error_message(code, text, sizeof text) < 0)
            snprintf((char *)text, sizeof text, "error %d", code);
        snprintf(msg, n, "invalid pattern at offset %zu: %s (pattern \"%s\")", (size_t)offset,
                 (const char *)text, pattern);
        return false;
    }
    uint32_t groups = 0;
    pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &groups);
    pcre2_code_free(re);
    if (need_group && groups == 0) {
        snprintf(msg, n, "the pattern needs a capture group for the value: a group named 'value' "
                         "or group 1 (pattern \"%s\")", pattern);
        return false;
    }
    return true;
}

/* ---- output path ---- */

static fs_status put_slug(fs_strbuf *b, const char *title)
{
    /* ASCII letters and digits survive, lower-cased; every other run becomes one dash. Kept
     * short so that the file name stays readable and well within NAME_MAX. */
    enum { MAX_SLUG = 80 };
    size_t start = b->len, used = 0;
    bool dash = false;
    for (const unsigned char *p = (const unsigned char *)title; *p && used < MAX_SLUG; p++) {
        if (isalnum(*p) && *p < 0x80) {
            if (dash && used > 0) {
                fs_strbuf_putc(b, '-');
                used++;
            }
            dash = false;
            fs_strbuf_putc(b, (char)tolower(*p));
            used++;
        } else {
            dash = true;
        }
    }
    while (b->len > start && b->data[b->len - 1] == '-')
        b->data[--b->len] = '\0';
    if (b->len == start)
        fs_strbuf_puts(b, "report");
    return b->failed ? FS_ERR_NOMEM : FS_OK;
}

char *fs_config_output_path(const fs_config *cfg, const char *override, const char *period,
                            const char *date)
{
    const char *tmpl = override ? override : cfg->report.output;
    char today[16];
    if (!date) {
        time_t now = time(NULL);
        struct tm tm;
        if (localtime_r(&now, &tm) && strftime(today, sizeof today, "%Y-%m-%d", &tm))
            date = today;
        else
            date = "unknown-date";
    }
    if (!period)
        period = "all";
    if (!tmpl)
        tmpl = "reports/{title_slug}.pdf";
    fs_strbuf b = FS_STRBUF_INIT;
    for (const char *p = tmpl; *p;) {
        if (strncmp(p, "{period}", 8) == 0) {
            fs_strbuf_puts(&b, period);
            p += 8;
        } else if (strncmp(p, "{date}", 6) == 0) {
            fs_strbuf_puts(&b, date);
            p += 6;
        } else if (strncmp(p, "{title_slug}", 12) == 0) {
            put_slug(&b, cfg->report.title ? cfg->report.title : "");
            p += 12;
        } else {
            fs_strbuf_putc(&b, *p++);
        }
    }
    /* report.output is relative to the current directory (the project root under `make run`),
     * not to the config folder: it names where the analyst wants the report, like --output. */
    return fs_strbuf_detach(&b); /* NULL when an append failed */
}
