/* dedup_words.c: the words and word shingles of a clean text, as hashes, for near-duplicate
 * detection (dedup.c). Every byte of every document passes through here, so ASCII words (nearly
 * all of them) are found with one table lookup per byte and hashed straight from the text, eight
 * bytes at a time, lower-cased in the register; only a word holding a non-ASCII letter or digit
 * is decoded code point by code point, as the reference (clean_words_slow) does everything. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "clean_internal.h"
#include "framescope/utf8.h"

/* A word's hashed bytes are capped (WORD_BUF - 4): longer words are hashed on what fits, still
 * one word. */
#define WORD_BUF 256
#define WORD_MAX (WORD_BUF - 4)

/* The masked over-read below assumes that memcpy into a uint64_t puts the first byte lowest. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WORDS_LE 1
#else
#define WORDS_LE 0
#endif

/* Room for `need` values in a growable buffer. */
static int buf_reserve(uint64_t **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 256;
    while (nc < need)
        nc *= 2;
    uint64_t *nb = realloc(*buf, nc * sizeof *nb);
    if (!nb)
        return -1;
    *buf = nb;
    *cap = nc;
    return 0;
}

/* ASCII bytes of a word, lower-cased; 0 for the others. */
#define WL_OF(b)                                                                              \
    ((b) >= 'a' && (b) <= 'z' ? (b) : (b) >= '0' && (b) <= '9' ? (b)                           \
                                  : (b) >= 'A' && (b) <= 'Z' ? (b) + 32 : 0)
#define WL_R4(b) WL_OF(b), WL_OF((b) + 1), WL_OF((b) + 2), WL_OF((b) + 3)
#define WL_R16(b) WL_R4(b), WL_R4((b) + 4), WL_R4((b) + 8), WL_R4((b) + 12)
#define WL_R64(b) WL_R16(b), WL_R16((b) + 16), WL_R16((b) + 32), WL_R16((b) + 48)

static const unsigned char word_lower[128] = {WL_R64(0), WL_R64(64)};

/* ---- the reference ------------------------------------------------------------------------ */

/* The word starting at text[*pos] (if a letter or digit starts there) decoded code point by
 * code point: lower-cased into word[], its hash appended to out[*m]; *pos moves past the code
 * point that ends it. */
static void slow_word(const char *text, size_t len, size_t *pos, uint64_t *out, size_t *m)
{
    char word[WORD_BUF];
    size_t wl = 0, i = *pos;
    bool in_word = false;
    const unsigned char *u = (const unsigned char *)text;
    for (;;) {
        bool alnum = false;
        size_t step = 1;
        if (i < len && u[i] < 0x80) {
            unsigned char lc = word_lower[u[i]];
            if (lc) {
                alnum = true;
                if (wl + 1 <= WORD_MAX)
                    word[wl++] = (char)lc;
            }
        } else if (i < len) {
            int32_t cp = 0;
            step = fs_utf8_decode(text + i, len - i, &cp);
            if (fs_utf8_is_alnum(cp)) {
                alnum = true;
                char enc[4];
                size_t el = fs_utf8_encode(utf8proc_tolower(cp), enc);
                if (wl + el <= WORD_MAX) {
                    memcpy(word + wl, enc, el);
                    wl += el;
                }
            }
        }
        if (!alnum) {
            if (in_word)
                out[(*m)++] = clean_hash(word, wl);
            *pos = i < len ? i + step : len;
            return;
        }
        in_word = true;
        i += step;
    }
}

/* ---- ASCII words -------------------------------------------------------------------------- */

/* Eight bytes that are ASCII letters, digits or zero padding, lower-cased: in a letter bit 6 is
 * set and bit 5 is clear only in upper case, so copying bit 6 into bit 5 lowers the letters and
 * leaves digits (bit 6 clear) and zeros alone. */
static inline uint64_t lower8(uint64_t w)
{
    return w | ((w & 0x4040404040404040ull) >> 1);
}

/* clean_hash of the lower-cased ASCII word u[0..wl) without copying it: fs_hash_inline's steps
 * (hash.h) on the words as loaded. `avail` bytes from u may be read (>= wl); with 8 of them the
 * tail is one masked load instead of a variable-length copy. The test checks it against
 * clean_hash of the lower-cased copy. */
static inline uint64_t ascii_word_hash(const unsigned char *u, size_t wl, size_t avail)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (wl * 0xA0761D6478BD642Full);
    size_t r = wl;
    while (r >= 8) {
        uint64_t w;
        memcpy(&w, u, 8);
        h = fs_hash_mix(h ^ lower8(w), 0xE7037ED1A0B428DBull);
        u += 8;
        r -= 8;
        avail -= 8;
    }
    uint64_t tail = 0;
    if (WORDS_LE && r && avail >= 8) {
        memcpy(&tail, u, 8);
        tail &= ~0ull >> (64 - 8 * r);
    } else {
        memcpy(&tail, u, r);
    }
    return fs_hash_mix(h ^ lower8(tail) ^ ((uint64_t)r << 56), 0x8EBC6AF09C88C6E3ull);
}

#define ONES 0x0101010101010101ull
#define HIGH 0x8080808080808080ull

/* The bytes of an 8-byte group that are ASCII letters or digits, as their bit 7: for a byte
 * b < 0x80, b + (0x80 - lo) has bit 7 set iff b >= lo, and b + (0x7F - hi) iff b > hi, with no
 * carry into the next byte; upper case is folded onto lower case by setting bit 5, which maps
 * no non-letter into a..z. Bytes >= 0x80 (not ASCII) are never set. */
static inline uint64_t word_bytes(uint64_t x)
{
    uint64_t y = x & ~HIGH, z = y | 0x20 * ONES;
    uint64_t digit = (y + 0x50 * ONES) & ~(y + 0x46 * ONES);
    uint64_t letter = (z + 0x1F * ONES) & ~(z + 0x05 * ONES);
    return (digit | letter) & ~x & HIGH;
}

static inline uint64_t load8(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

/* Bit 7 of each byte of m gathered into the low 8 bits, byte k to bit k: the multiplier moves
 * input bit 8k to bit 56 + k, and no two partial products meet, so nothing carries. */
static inline uint64_t gather8(uint64_t m)
{
    return ((m >> 7) * 0x0102040810204080ull) >> 56;
}

/* Bit k of *word: byte base + k is an ASCII letter or digit; of *high: it is not ASCII. Bytes
 * past len are neither. */
static void block_masks(const unsigned char *u, size_t len, size_t base, uint64_t *word,
                        uint64_t *high)
{
    uint64_t w = 0, h = 0;
    if (WORDS_LE && base + 64 <= len) {
        for (unsigned k = 0; k < 64; k += 8) {
            uint64_t x = load8(u + base + k);
            w |= gather8(word_bytes(x)) << k;
            h |= gather8(x & HIGH) << k;
        }
    } else {
        for (size_t k = 0; k < 64 && base + k < len; k++) {
            unsigned char c = u[base + k];
            w |= (uint64_t)(c < 0x80 && word_lower[c]) << k;
            h |= (uint64_t)(c >= 0x80) << k;
        }
    }
    *word = w;
    *high = h;
}

/* Where the ASCII word running into u[i] stops: the first byte from i that is not an ASCII
 * letter or digit, or len. */
static size_t ascii_word_end(const unsigned char *u, size_t i, size_t len)
{
    if (WORDS_LE)
        for (; i + 8 <= len; i += 8) {
            uint64_t stop = ~word_bytes(load8(u + i)) & HIGH;
            if (stop)
                return i + ((unsigned)__builtin_ctzll(stop) >> 3);
        }
    while (i < len && u[i] < 0x80 && word_lower[u[i]])
        i++;
    return i;
}

/* The word or non-ASCII code point at u[p]: a word's hash goes to out[*m]; returns the position
 * after the byte or code point that ends it. `word` is p's block mask (bit 0 for p). */
static size_t take_word(const unsigned char *u, size_t len, size_t p, uint64_t word,
                        size_t block_end, uint64_t *out, size_t *m)
{
    const char *text = (const char *)u;
    size_t j = p;
    if (u[p] < 0x80) {
        j = word == ~0ull ? block_end : p + (size_t)__builtin_ctzll(~word);
        if (j == block_end) /* block_end <= len: blocks ending past len have no word bit there */
            j = ascii_word_end(u, j, len);
    }
    /* The word ends at j unless a non-ASCII letter or digit continues it there; then (or for
     * a non-ASCII start) the reference takes the whole word. */
    size_t next = j + 1;
    if (j < len && u[j] >= 0x80) {
        int32_t cp = 0;
        next = j + fs_utf8_decode(text + j, len - j, &cp);
        if (fs_utf8_is_alnum(cp)) {
            slow_word(text, len, &p, out, m);
            return p;
        }
    }
    if (j > p) {
        size_t wl = j - p < WORD_MAX ? j - p : WORD_MAX;
        out[(*m)++] = ascii_word_hash(u + p, wl, len - p);
    }
    return next < len ? next : len;
}

/* Appends the hash of each word of `text` (runs of letters and digits, lower-cased; hashed as
 * clean_hash does) to (*buf)[*n...]. A text of `len` bytes has at most len / 2 + 1 words. The
 * text is read in 64-byte blocks turned into bit masks, and each block's candidates (ASCII
 * letters or digits after a byte that is not one, and bytes outside ASCII, which the reference
 * decodes one code point at a time) are visited by counting trailing zeros. */
static int text_words(const char *text, size_t len, uint64_t **buf, size_t *cap, size_t *n)
{
    if (buf_reserve(buf, cap, *n + len / 2 + 1) != 0)
        return -1;
    uint64_t *out = *buf;
    size_t m = *n;
    const unsigned char *u = (const unsigned char *)text;
    size_t i = 0; /* bytes before i are done with */
    for (size_t base = 0; base < len; base += 64) {
        if (i >= base + 64)
            continue;
        uint64_t word, high;
        block_masks(u, len, base, &word, &high);
        /* The byte before a candidate at or after i is never an unfinished word byte: i
         * always follows a word's end. */
        uint64_t cand = (word & ~(word << 1)) | high;
        if (i > base)
            cand &= ~0ull << (i - base);
        while (cand) {
            unsigned k = (unsigned)__builtin_ctzll(cand);
            uint64_t wk = word >> k;
            if (wk & 1) {
                /* Most words: ASCII, ending inside the block at an ASCII byte. No candidate
                 * lies inside such a word or on the byte ending it, so the next one is the
                 * next set bit. */
                unsigned e = wk == ~0ull ? 64 : k + (unsigned)__builtin_ctzll(~wk);
                if (e < 64 && !((high >> e) & 1)) {
                    size_t p = base + k;
                    out[m++] = ascii_word_hash(u + p, e - k, len - p);
                    i = base + e + 1;
                    cand &= cand - 1;
                    continue;
                }
            }
            i = take_word(u, len, base + k, wk, base + 64, out, &m);
            if (i >= base + 64)
                break;
            cand &= ~0ull << (i - base);
        }
    }
    *n = m;
    return 0;
}

/* text_words decoding every code point: the reference. */
static int text_words_slow(const char *text, size_t len, uint64_t **buf, size_t *cap, size_t *n)
{
    if (buf_reserve(buf, cap, *n + len / 2 + 1) != 0)
        return -1;
    size_t m = *n;
    for (size_t i = 0; i < len;)
        slow_word(text, len, &i, *buf, &m);
    *n = m;
    return 0;
}

/* ---- shingles ----------------------------------------------------------------------------- */

/* clean_hash of `k` consecutive word hashes, i.e. of their 8k bytes: the length is a multiple
 * of 8, so fs_hash_inline's tail is empty. */
static inline uint64_t shingle_hash(const uint64_t *w, size_t k)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (k * 8 * 0xA0761D6478BD642Full);
    for (size_t i = 0; i < k; i++) {
        uint64_t x;
        memcpy(&x, &w[i], 8);
        h = fs_hash_mix(h ^ x, 0xE7037ED1A0B428DBull);
    }
    return fs_hash_mix(h, 0x8EBC6AF09C88C6E3ull);
}

static fs_status shingles_of(const char *text, size_t len, int k, bool slow, uint64_t **buf,
                             size_t *cap, size_t *n)
{
    *n = 0;
    if (k < 1)
        k = 1;
    size_t nw = 0;
    int r = slow ? text_words_slow(text, len, buf, cap, &nw)
                 : text_words(text, len, buf, cap, &nw);
    if (r != 0)
        return FS_ERR_NOMEM;
    if (nw == 0)
        return FS_OK;
    uint64_t *w = *buf;
    size_t kk = nw < (size_t)k ? nw : (size_t)k;
    size_t ns = nw - kk + 1;
    /* In place: shingle i only reads words i..i+kk-1, which are not yet overwritten. */
    if (slow) {
        for (size_t i = 0; i < ns; i++)
            w[i] = clean_hash(&w[i], kk * sizeof *w);
    } else {
        for (size_t i = 0; i < ns; i++)
            w[i] = shingle_hash(&w[i], kk);
    }
    *n = ns;
    return FS_OK;
}

fs_status clean_shingle_hashes(const char *text, size_t len, int k, uint64_t **buf, size_t *cap,
                               size_t *n)
{
    return shingles_of(text, len, k, false, buf, cap, n);
}

fs_status clean_shingle_hashes_slow(const char *text, size_t len, int k, uint64_t **buf,
                                    size_t *cap, size_t *n)
{
    return shingles_of(text, len, k, true, buf, cap, n);
}
