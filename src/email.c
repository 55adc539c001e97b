/* email.c: the briefing message (RFC 5322 + MIME) and the plain-text summary. */
#include "framescope/email.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "email_internal.h"
#include "framescope/base64.h"
#include "framescope/fileio.h"
#include "framescope/sha256.h"
#include "framescope/strbuf.h"

/* ------------------------------------------------------------------------------------------ */
/* Character classes                                                                          */
/* ------------------------------------------------------------------------------------------ */

static const char hex_digits[] = "0123456789ABCDEF";

static bool is_printable_ascii(unsigned char c)
{
    return c >= 0x20 && c < 0x7f;
}

/* Characters that may stand for themselves inside a "Q" encoded-word. This is the strict set
 * that RFC 2047 section 5 (3) allows in a phrase, so the same words work in Subject and in
 * display names. */
static bool q_literal(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '!' || c == '*' || c == '+' || c == '-' || c == '/';
}

/* RFC 2231 attribute-char: what a percent-encoded parameter value may carry unescaped. */
static bool attr_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           (c != 0 && strchr("!#$&+-.^_`|~", c) != NULL);
}

/* Bytes in the UTF-8 character starting at s[0] (continuation bytes follow the lead byte), so
 * encoded-words and parameter pieces never split a character. Malformed input counts bytewise. */
static size_t utf8_char_len(const unsigned char *s, size_t avail)
{
    size_t n = 1;
    if (s[0] >= 0xc0)
        while (n < avail && n < 4 && (s[n] & 0xc0) == 0x80)
            n++;
    return n;
}

/* ------------------------------------------------------------------------------------------ */
/* Quoted-printable (RFC 2045 section 6.7)                                                    */
/* ------------------------------------------------------------------------------------------ */

fs_status fs_email_qp_encode(fs_strbuf *out, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && s[end] != '\n')
            end++;
        size_t stop = end;           /* a CR before LF belongs to the line break */
        if (stop > i && end < len && s[stop - 1] == '\r')
            stop--;
        size_t col = 0;
        for (size_t k = i; k < stop; k++) {
            unsigned char c = s[k];
            bool last = k + 1 == stop;
            bool at_start = col == 0;
            bool lit = c >= 33 && c <= 126 && c != '=';
            if ((c == ' ' || c == '\t') && !last)
                lit = true;  /* whitespace is only unsafe where transports strip it: line end */
            if (at_start && c == '.')
                lit = false;
            if (at_start && c == 'F' && stop - k >= 5 && memcmp(s + k, "From ", 5) == 0)
                lit = false;
            size_t w = lit ? 1 : 3;
            /* Keep room for the soft-break '='; the final token may use the last column. */
            size_t limit = last ? FS_EMAIL_QP_LINE_MAX : FS_EMAIL_QP_LINE_MAX - 1;
            if (col + w > limit) {
                if (fs_strbuf_append(out, "=\r\n", 3) != FS_OK)
                    return FS_ERR_NOMEM;
                col = 0;
                /* The new line starts here: re-check the start-of-line escapes. */
                if (lit && (c == '.' || (c == 'F' && stop - k >= 5 &&
                                         memcmp(s + k, "From ", 5) == 0))) {
                    lit = false;
                    w = 3;
                }
            }
            char tok[3];
            if (lit) {
                tok[0] = (char)c;
            } else {
                tok[0] = '=';
                tok[1] = hex_digits[c >> 4];
                tok[2] = hex_digits[c & 15];
            }
            if (fs_strbuf_append(out, tok, w) != FS_OK)
                return FS_ERR_NOMEM;
            col += w;
        }
        if (fs_strbuf_append(out, "\r\n", 2) != FS_OK)
            return FS_ERR_NOMEM;
        i = end < len ? end + 1 : end;
    }
    return FS_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Headers (RFC 5322 folding, RFC 2047 encoded-words, RFC 2231 parameters)                    */
/* ------------------------------------------------------------------------------------------ */

/* Appends `name: value` folded before spaces so no line exceeds FS_EMAIL_LINE_MAX where that is
 * possible. Folding only inserts CRLF before existing whitespace, so unfolding restores `value`. */
static fs_status put_folded(fs_strbuf *out, const char *name, const char *value)
{
    size_t start = out->len;
    if (fs_strbuf_printf(out, "%s:", name) != FS_OK)
        return FS_ERR_NOMEM;
    size_t col = out->len - start;
    const char *p = value;
    for (;;) {
        const char *sp = strchr(p, ' ');
        size_t n = sp ? (size_t)(sp - p) : strlen(p);
        if (col + 1 + n > FS_EMAIL_LINE_MAX && col > strlen(name) + 1) {
            if (fs_strbuf_append(out, "\r\n", 2) != FS_OK)
                return FS_ERR_NOMEM;
            col = 0;
        }
        if (fs_strbuf_putc(out, ' ') != FS_OK || fs_strbuf_append(out, p, n) != FS_OK)
            return FS_ERR_NOMEM;
        col += 1 + n;
        if (!sp)
            break;
        p = sp + 1;
    }
    return fs_strbuf_append(out, "\r\n", 2);
}

/* Longest encoded-word we emit: 9 + ": " + 66 stays within 78 on the first line for header
 * names up to 10 characters, and well within RFC 2047's 75-character cap. */
#define ENCODED_WORD_MAX 66

/* Appends `text` as space-separated "Q" encoded-words (whitespace between encoded-words is
 * dropped by decoders, so the text's own spaces are encoded inside the words as '_'). */
static fs_status put_encoded_words(fs_strbuf *out, const char *text)
{
    static const char open[] = "=?utf-8?Q?";
    const unsigned char *s = (const unsigned char *)text;
    size_t len = strlen(text);
    size_t used = 0;   /* characters in the current word, 0 = no word open */
    for (size_t i = 0; i < len;) {
        size_t n = utf8_char_len(s + i, len - i);
        size_t w = 0;
        for (size_t k = 0; k < n; k++)
            w += (q_literal(s[i + k]) || s[i + k] == ' ') ? 1 : 3;
        if (used && used + w + 2 > ENCODED_WORD_MAX) {
            if (fs_strbuf_append(out, "?= ", 3) != FS_OK)
                return FS_ERR_NOMEM;
            used = 0;
        }
        if (!used) {
            if (fs_strbuf_puts(out, open) != FS_OK)
                return FS_ERR_NOMEM;
            used = sizeof open - 1;
        }
        for (size_t k = 0; k < n; k++) {
            unsigned char c = s[i + k];
            char tok[3] = {'=', hex_digits[c >> 4], hex_digits[c & 15]};
            size_t tw = 3;
            if (c == ' ') {
                tok[0] = '_';
                tw = 1;
            } else if (q_literal(c)) {
                tok[0] = (char)c;
                tw = 1;
            }
            if (fs_strbuf_append(out, tok, tw) != FS_OK)
                return FS_ERR_NOMEM;
        }
        used += w;
        i += n;
    }
    if (used && fs_strbuf_append(out, "?=", 2) != FS_OK)
        return FS_ERR_NOMEM;
    return FS_OK;
}

/* Whether unstructured text can go out as is: printable ASCII, nothing that looks like an
 * encoded-word, and every word short enough to fold. */
static bool text_is_plain(const char *name, const char *text)
{
    size_t word = 0;
    size_t max_word = FS_EMAIL_LINE_MAX - 1;
    if (strstr(text, "=?"))
        return false;
    if (strlen(name) + 2 + strcspn(text, " ") > FS_EMAIL_LINE_MAX)
        return false;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (!is_printable_ascii(*p))
            return false;
        word = *p == ' ' ? 0 : word + 1;
        if (word > max_word)
            return false;
    }
    return true;
}

fs_status fs_email_put_text_header(fs_strbuf *out, const char *name, const char *text)
{
    if (text_is_plain(name, text))
        return put_folded(out, name, text);
    fs_strbuf enc = FS_STRBUF_INIT;
    fs_status st = put_encoded_words(&enc, text);
    if (st == FS_OK)
        st = put_folded(out, name, enc.data ? enc.data : "");
    fs_strbuf_free(&enc);
    return st;
}

static bool is_ascii(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0x80)
            return false;
    return true;
}

/* Appends one address ("a@b" or "Name <a@b>") to `out`, encoding a non-ASCII display name.
 * Control characters are refused: a CR or LF here would let the config inject headers. */
static fs_status put_address(fs_strbuf *out, const char *addr, const char *where, fs_error *err)
{
    bool ascii = true;
    for (const unsigned char *p = (const unsigned char *)addr; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return fs_error_set(err, FS_ERR_CONFIG, where,
                                "address contains a control character: \"%s\"", addr);
        if (*p >= 0x80)
            ascii = false;
    }
    if (!strchr(addr, '@'))
        return fs_error_set(err, FS_ERR_CONFIG, where,
                            "\"%s\" is not an e-mail address (name@domain)", addr);
    if (ascii)
        return fs_strbuf_puts(out, addr);
    /* Without '<' the whole (non-ASCII) string is the address part. */
    const char *lt = strrchr(addr, '<');
    if (!lt || !is_ascii(lt))
        return fs_error_set(err, FS_ERR_CONFIG, where,
                            "non-ASCII in the address part of \"%s\" is not supported; "
                            "only the display name may be non-ASCII",
                            addr);
    /* Display name: trim blanks and one pair of surrounding quotes, then encode. */
    const char *a = addr;
    size_t n = (size_t)(lt - addr);
    while (n && *a == ' ') {
        a++;
        n--;
    }
    while (n && a[n - 1] == ' ')
        n--;
    if (n >= 2 && a[0] == '"' && a[n - 1] == '"') {
        a++;
        n -= 2;
    }
    char *display = strndup(a, n);
    if (!display)
        return fs_error_set(err, FS_ERR_NOMEM, where, "out of memory");
    fs_status st = put_encoded_words(out, display);
    free(display);
    if (st == FS_OK)
        st = fs_strbuf_printf(out, " %s", lt);
    if (st != FS_OK)
        return fs_error_set(err, FS_ERR_NOMEM, where, "out of memory");
    return FS_OK;
}

static fs_status put_address_header(fs_strbuf *out, const char *name, char *const *addrs,
                                    size_t n, const char *key, bool indexed, fs_error *err)
{
    fs_strbuf v = FS_STRBUF_INIT;
    fs_status st = FS_OK;
    char where[64];
    for (size_t i = 0; i < n && st == FS_OK; i++) {
        if (indexed)
            snprintf(where, sizeof where, "%s[%zu]", key, i);
        else
            snprintf(where, sizeof where, "%s", key);
        if (i && fs_strbuf_puts(&v, ", ") != FS_OK)
            st = fs_error_set(err, FS_ERR_NOMEM, key, "out of memory");
        if (st == FS_OK)
            st = put_address(&v, addrs[i], where, err);
    }
    if (st == FS_OK && put_folded(out, name, v.data ? v.data : "") != FS_OK)
        st = fs_error_set(err, FS_ERR_NOMEM, key, "out of memory");
    fs_strbuf_free(&v);
    return st;
}

/* Appends `; name="value"` on its own folded line, or the RFC 2231 form (percent-encoded UTF-8,
 * split into numbered pieces) when the value is not plain ASCII or would make the line too long. */
static fs_status put_param(fs_strbuf *out, const char *name, const char *value)
{
    size_t len = strlen(value);
    bool plain = 1 + strlen(name) + 3 + len <= FS_EMAIL_LINE_MAX;
    for (const unsigned char *p = (const unsigned char *)value; *p && plain; p++)
        if (!is_printable_ascii(*p) || *p == '"' || *p == '\\')
            plain = false;
    if (plain)
        return fs_strbuf_printf(out, ";\r\n %s=\"%s\"", name, value);

    enum { PIECE_MAX = 54 };  /* " name*NN*=" + piece + ";" stays within 78 */
    const unsigned char *s = (const unsigned char *)value;
    fs_strbuf piece = FS_STRBUF_INIT;
    fs_status st = FS_OK;
    unsigned idx = 0;
    size_t i = 0;
    /* A single piece needs no numbering; decide after encoding the whole value once. */
    size_t total = 0;
    for (size_t k = 0; k < len; k++)
        total += attr_char(s[k]) ? 1 : 3;
    bool single = total <= PIECE_MAX;
    while (st == FS_OK && i < len) {
        fs_strbuf_reset(&piece);
        if (idx == 0)
            st = fs_strbuf_puts(&piece, "utf-8''");
        while (st == FS_OK && i < len) {
            size_t n = utf8_char_len(s + i, len - i);
            size_t w = 0;
            for (size_t k = 0; k < n; k++)
                w += attr_char(s[i + k]) ? 1 : 3;
            if (!single && piece.len && piece.len + w > PIECE_MAX)
                break;
            for (size_t k = 0; k < n && st == FS_OK; k++) {
                unsigned char c = s[i + k];
                st = attr_char(c) ? fs_strbuf_putc(&piece, (char)c)
                                  : fs_strbuf_printf(&piece, "%%%02X", c);
            }
            i += n;
        }
        if (st != FS_OK)
            break;
        if (single)
            st = fs_strbuf_printf(out, ";\r\n %s*=%s", name, piece.data);
        else
            st = fs_strbuf_printf(out, ";\r\n %s*%u*=%s", name, idx, piece.data);
        idx++;
    }
    fs_strbuf_free(&piece);
    return st;
}

/* ------------------------------------------------------------------------------------------ */
/* Summary text                                                                               */
/* ------------------------------------------------------------------------------------------ */

static const char *title_of(const fs_config *cfg)
{
    return cfg && cfg->report.title ? cfg->report.title : "framescope report";
}

static const char *period_of(const fs_analysis *a)
{
    return a->params.period ? a->params.period : "all";
}

char *fs_summary_text(const fs_config *cfg, const fs_analysis *a)
{
    fs_strbuf b = FS_STRBUF_INIT;
    fs_strbuf_printf(&b, "%s\n", title_of(cfg));
    fs_strbuf_printf(&b, "Period: %s\n", period_of(a));
    size_t counted = 0;
    for (size_t i = 0; i < a->n_sources; i++)
        counted += a->sources[i].docs;
    fs_strbuf_printf(&b, "Corpus: %zu documents read from %zu sources, %zu merged as "
                     "near-duplicates, %zu counted; %" PRIu64 " word tokens (%" PRIu64
                     " content tokens).\n",
                     a->total_docs, a->n_sources, a->total_duplicates, counted, a->total_tokens,
                     a->total_content_tokens);
    fs_strbuf_puts(&b, "\nFindings:\n");
    /* When the corpus is too small, the first finding already says so in full. */
    if (a->n_findings == 0)
        fs_strbuf_puts(&b, "No findings.\n");
    for (size_t i = 0; i < a->n_findings; i++)
        fs_strbuf_printf(&b, "%zu. %s\n", i + 1, a->findings[i].text ? a->findings[i].text : "");
    return fs_strbuf_detach(&b); /* NULL when an append failed */
}

fs_status fs_summary_write_txt(const fs_config *cfg, const fs_analysis *a, const char *path,
                               fs_error *err)
{
    char *text = fs_summary_text(cfg, a);
    if (!text)
        return fs_error_set(err, FS_ERR_NOMEM, path, "out of memory building the summary");
    fs_status st = fs_write_file_atomic(path, text, strlen(text), err);
    free(text);
    return st;
}

/* ------------------------------------------------------------------------------------------ */
/* The message                                                                                */
/* ------------------------------------------------------------------------------------------ */

/* Replaces {title} {period} {date} in `tmpl`; other braces stay as written. */
static char *expand_subject(const char *tmpl, const char *title, const char *period,
                            const char *date)
{
    static const char *const keys[] = {"{title}", "{period}", "{date}"};
    const char *vals[] = {title, period, date};
    fs_strbuf b = FS_STRBUF_INIT;
    for (const char *p = tmpl; *p;) {
        size_t k = 0;
        for (; k < 3; k++)
            if (strncmp(p, keys[k], strlen(keys[k])) == 0)
                break;
        if (k < 3) {
            fs_strbuf_puts(&b, vals[k]);
            p += strlen(keys[k]);
        } else {
            fs_strbuf_putc(&b, *p++);
        }
    }
    return fs_strbuf_detach(&b); /* NULL when an append failed */
}

/* The domain of the From address, for the Message-ID's right-hand side. */
static char *from_domain(const char *from)
{
    const char *lt = strrchr(from, '<');
    const char *at = strrchr(lt ? lt : from, '@');
    if (!at)
        return strdup("framescope.invalid");
    at++;
    size_t n = strcspn(at, "> \t");
    return n ? strndup(at, n) : strdup("framescope.invalid");
}

fs_status fs_email_write(const fs_config *cfg, const fs_analysis *a, const char *pdf_path,
                         const char *eml_path, time_t date, fs_error *err)
{
    static const char *const wday[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    fs_status st = FS_OK;
    fs_strbuf m = FS_STRBUF_INIT;
    char *pdf = NULL, *subject = NULL, *domain = NULL, *summary = NULL;
    size_t pdf_len = 0;
    const fs_email_cfg *ec = &cfg->email;

    if (!ec->from || !ec->from[0]) {
        st = fs_error_set(err, FS_ERR_CONFIG, "email.from", "a sender address is required");
        goto done;
    }
    if (ec->n_to == 0) {
        st = fs_error_set(err, FS_ERR_CONFIG, "email.to", "at least one recipient is required");
        goto done;
    }
    struct tm tm;
    if (!gmtime_r(&date, &tm)) {
        st = fs_error_set(err, FS_ERR_INTERNAL, "email", "date out of range");
        goto done;
    }
    st = fs_read_file(pdf_path, 0, &pdf, &pdf_len, err);
    if (st != FS_OK)
        goto done;

    char day[40];
    snprintf(day, sizeof day, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    subject = expand_subject(ec->subject ? ec->subject : "{title}: {period}", title_of(cfg),
                             period_of(a), day);
    domain = from_domain(ec->from);
    summary = fs_summary_text(cfg, a);
    if (!subject || !domain || !summary) {
        st = fs_error_set(err, FS_ERR_NOMEM, eml_path, "out of memory");
        goto done;
    }

    /* The PDF's SHA-256 names both the message and the boundary: the same report gives the same
     * Message-ID (so a re-sent copy can be recognised as such). The boundary starts with "=_",
     * which base64 never produces and quoted-printable only as an escape followed by two hex
     * digits, so it cannot occur inside either part. */
    char digest[65];
    fs_sha256_hex(pdf, pdf_len, digest);
    char boundary[64];
    snprintf(boundary, sizeof boundary, "=_framescope_%.24s", digest);

    fs_strbuf_printf(&m, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", wday[tm.tm_wday],
                     tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                     tm.tm_sec);
    char *const from_list[] = {ec->from};
    st = put_address_header(&m, "From", from_list, 1, "email.from", false, err);
    if (st == FS_OK)
        st = put_address_header(&m, "To", ec->to, ec->n_to, "email.to", true, err);
    if (st == FS_OK && ec->n_cc)
        st = put_address_header(&m, "Cc", ec->cc, ec->n_cc, "email.cc", true, err);
    if (st != FS_OK)
        goto done;
    fs_email_put_text_header(&m, "Subject", subject);
    fs_strbuf_printf(&m, "Message-ID: <framescope.%.40s@%s>\r\n", digest, domain);
    fs_strbuf_puts(&m, "MIME-Version: 1.0\r\n");
    fs_strbuf_printf(&m, "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n\r\n", boundary);
    fs_strbuf_puts(&m, "This is a multi-part message in MIME format.\r\n");

    fs_strbuf_printf(&m, "\r\n--%s\r\n", boundary);
    fs_strbuf_puts(&m, "Content-Type: text/plain; charset=utf-8\r\n"
                       "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
    fs_email_qp_encode(&m, summary, strlen(summary));

    const char *base = fs_path_basename(pdf_path);
    fs_strbuf_printf(&m, "\r\n--%s\r\n", boundary);
    fs_strbuf_puts(&m, "Content-Type: application/pdf");
    put_param(&m, "name", base);
    fs_strbuf_puts(&m, "\r\nContent-Disposition: attachment");
    put_param(&m, "filename", base);
    fs_strbuf_puts(&m, "\r\nContent-Transfer-Encoding: base64\r\n\r\n");
    fs_base64_encode(&m, pdf, pdf_len, FS_EMAIL_QP_LINE_MAX);
    fs_strbuf_printf(&m, "\r\n--%s--\r\n", boundary);

    /* The strbuf's failure flag is sticky, so one check covers every append above. */
    if (m.failed) {
        st = fs_error_set(err, FS_ERR_NOMEM, eml_path, "out of memory building the message");
        goto done;
    }
    st = fs_write_file_atomic(eml_path, m.data, m.len, err);

done:
    fs_strbuf_free(&m);
    free(pdf);
    free(subject);
    free(domain);
    free(summary);
    return st;
}
