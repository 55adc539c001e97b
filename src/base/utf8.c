/* utf8.c: UTF-8 validation, repair with U+FFFD, NFC through utf8proc, code-point helpers. */
#include "framescope/utf8.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- decoding core ------------------------------------------------------------------------ */

/* Length of the well-formed sequence at s (1..4), or 0 when ill-formed; *valid_prefix then holds
 * how many bytes form the maximal ill-formed subpart (>= 1), which is what one U+FFFD replaces.
 * Ranges from Unicode Table 3-7 (well-formed byte sequences): they exclude overlongs (C0, C1,
 * E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code points above U+10FFFF (F4 90.., F5..). */
static size_t seq_len(const unsigned char *s, size_t len, size_t *valid_prefix)
{
    unsigned char c = s[0];
    *valid_prefix = 1;
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (len < 2 || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t k = 2; k < n; k++) {
        *valid_prefix = k;
        if (k >= len || s[k] < 0x80 || s[k] > 0xBF)
            return 0;
    }
    return n;
}

/* Bytes of `p[i..len)` that are ASCII, counted a word pair at a time: news text is mostly
 * ASCII, and this loop is what validation, the NFC check and repair spend their time in. */
static size_t ascii_run(const unsigned char *p, size_t i, size_t len)
{
    while (i + 16 <= len) {
        uint64_t a, b;
        memcpy(&a, p + i, 8);
        memcpy(&b, p + i + 8, 8);
        if ((a | b) & 0x8080808080808080ull)
            break;
        i += 16;
    }
    while (i < len && p[i] < 0x80)
        i++;
    return i;
}

size_t fs_utf8_valid_prefix(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, skip;
    while (i < len) {
        i = ascii_run(p, i, len);
        if (i >= len)
            break;
        size_t n = seq_len(p + i, len - i, &skip);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

fs_status fs_utf8_repair(const char *s, size_t len, char **out, size_t *out_len,
                         size_t *n_invalid, size_t *first_bad)
{
    *out = NULL;
    size_t good = fs_utf8_valid_prefix(s, len);
    size_t bad = 0, first = len;
    /* Worst case every remaining byte becomes a 3-byte U+FFFD. */
    size_t cap = good + (len - good) * 3 + 1;
    char *buf = malloc(cap);
    if (!buf)
        return FS_ERR_NOMEM;
    memcpy(buf, s, good);
    size_t o = good, i = good;
    const unsigned char *p = (const unsigned char *)s;
    while (i < len) {
        size_t a = ascii_run(p, i, len);
        memcpy(buf + o, s + i, a - i);
        o += a - i;
        if ((i = a) >= len)
            break;
        size_t skip;
        size_t n = seq_len(p + i, len - i, &skip);
        if (n) {
            memcpy(buf + o, s + i, n);
            o += n;
            i += n;
            continue;
        }
        if (first == len)
            first = i;
        bad += skip;
        i += skip;
        memcpy(buf + o, "\xEF\xBF\xBD", 3);
        o += 3;
    }
    buf[o] = '\0';
    *out = buf;
    if (out_len)
        *out_len = o;
    if (n_invalid)
        *n_invalid = bad;
    if (first_bad)
        *first_bad = first;
    return FS_OK;
}

/* Three-byte code points the quick check accepts: General Punctuation U+2002..U+206F (quotes,
 * dashes, ellipsis; U+2000/U+2001 decompose to U+2002/U+2003), CJK Unified Ideographs
 * U+4E00..U+9FFF, precomposed Hangul syllables U+AC00..U+D7A3 (a following trailing jamo,
 * which would combine with one, is not accepted, so such text still goes to utf8proc) and
 * U+FFFD. */
static bool nfc_stable3(uint32_t cp)
{
    return (cp >= 0x2002 && cp <= 0x206F) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || cp == 0xFFFD;
}

/* Every code point accepted here is one that NFC never changes and that never combines with a
 * neighbour: none has a canonical decomposition that NFC would apply, a non-zero combining
 * class, or a place as the second half of a composition. Below U+0300 (ASCII, Latin-1, Latin
 * Extended; the combining marks start at U+0300), Cyrillic U+0400..U+04FF but its combining
 * marks U+0483..U+0489, and the three-byte
 * ranges of nfc_stable3. That covers nearly all news text in European languages, Russian,
 * Chinese and Korean; anything else takes utf8proc's path. */
bool fs_utf8_nfc_quick(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        i = ascii_run(p, i, len);
        if (i >= len)
            break;
        unsigned b = p[i];
        if (b < 0xCC || b == 0xD0 || b == 0xD1 || b == 0xD3) {
            i += 2; /* U+0080..U+02FF, U+0400..U+047F, U+04C0..U+04FF */
        } else if (b == 0xD2 && i + 1 < len && (p[i + 1] <= 0x82 || p[i + 1] >= 0x8A)) {
            i += 2; /* U+0480..U+04BF except the combining marks U+0483..U+0489 */
        } else if (b >= 0xE0 && b <= 0xEF && i + 2 < len &&
                   nfc_stable3((uint32_t)(b & 0x0F) << 12 | (uint32_t)(p[i + 1] & 0x3F) << 6 |
                               (p[i + 2] & 0x3F))) {
            i += 3;
        } else {
            return false;
        }
    }
    return true;
}

fs_status fs_utf8_nfc(const char *s, size_t len, char **out, size_t *out_len)
{
    *out = NULL;
    if (fs_utf8_nfc_quick(s, len)) { /* already NFC: skip utf8proc's two passes */
        char *b = malloc(len + 1);
        if (!b)
            return FS_ERR_NOMEM;
        memcpy(b, s, len);
        b[len] = '\0';
        *out = b;
        if (out_len)
            *out_len = len;
        return FS_OK;
    }
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &dst,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n < 0)
        return n == UTF8PROC_ERROR_NOMEM ? FS_ERR_NOMEM : FS_ERR_ENCODING;
    *out = (char *)dst;
    if (out_len)
        *out_len = (size_t)n;
    return FS_OK;
}

size_t fs_utf8_count(const char *s, size_t len)
{
    /* A continuation byte is 10xxxxxx: bit 7 set and bit 6 clear. Shifting a word left by one
     * moves each byte's bit 6 under its bit 7, so one mask marks the continuation bytes of eight
     * at once; the multiply adds the eight 0/1 bytes into the top byte. */
    const uint64_t hi = 0x8080808080808080ull, ones = 0x0101010101010101ull;
    size_t cont = 0, i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        cont += (size_t)((((w & ~(w << 1) & hi) >> 7) * ones) >> 56);
    }
    for (; i < len; i++)
        cont += ((unsigned char)s[i] & 0xC0) == 0x80;
    return len - cont;
}

size_t fs_utf8_decode(const char *s, size_t len, int32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t skip;
    size_t n = p[0] < 0x80 ? 1 : seq_len(p, len, &skip);
    switch (n) {
    case 1: *cp = p[0]; break;
    case 2: *cp = (int32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F); break;
    case 3: *cp = (int32_t)(p[0] & 0x0F) << 12 | (int32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F); break;
    case 4:
        *cp = (int32_t)(p[0] & 0x07) << 18 | (int32_t)(p[1] & 0x3F) << 12 |
              (int32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
        break;
    default: *cp = 0xFFFD; n = 1; break;
    }
    return n;
}

size_t fs_utf8_encode(int32_t cp, char *out)
{
    if (!utf8proc_codepoint_valid(cp))
        return 0;
    return (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out);
}

int fs_utf8_is_alnum(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}
