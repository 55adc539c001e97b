/* test_base.c: arena, strbuf, vec, intern, error mapping and atomic output files; the UTF-8
 * fast paths (fs_utf8_valid_prefix, fs_utf8_repair, fs_utf8_count, fs_utf8_nfc_quick) on random
 * mixes of ASCII runs (lengths straddling the 8/16-byte strides), multibyte characters,
 * ill-formed bytes and combining marks, against a byte-at-a-time decoder built from Unicode
 * Table 3-7, a byte-at-a-time count and utf8proc itself; SHA-256 one-shot against incremental
 * (the FIPS vectors are in test_corpus.c). */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include "framescope/arena.h"
#include "framescope/error.h"
#include "framescope/fileio.h"
#include "framescope/intern.h"
#include "framescope/sha256.h"
#include "framescope/strbuf.h"
#include "framescope/utf8.h"
#include "framescope/vec.h"

static void test_arena_strings(void **state)
{
    (void)state;
    fs_arena *a = fs_arena_create(64);
    assert_non_null(a);
    char *s = fs_arena_strdup(a, "taiwan strait");
    char *big = fs_arena_alloc(a, 10000); /* larger than a chunk: gets its own block */
    assert_non_null(big);
    memset(big, 'x', 10000);
    char *t = fs_arena_strndup(a, "deterrence!!", 10);
    assert_string_equal(s, "taiwan strait");
    assert_string_equal(t, "deterrence");
    assert_true(((uintptr_t)big % sizeof(void *)) == 0);
    fs_arena_free(a);
    fs_arena_free(NULL);
}

static void test_strbuf(void **state)
{
    (void)state;
    fs_strbuf b = FS_STRBUF_INIT;
    for (int i = 0; i < 1000; i++)
        assert_int_equal(fs_strbuf_printf(&b, "%d,", i % 10), FS_OK);
    assert_int_equal(b.len, 2000);
    assert_memory_equal(b.data, "0,1,2,", 6);
    fs_strbuf_reset(&b);
    fs_strbuf_puts(&b, "US");
    fs_strbuf_putc(&b, '-');
    fs_strbuf_append(&b, "ROKX", 3);
    char *s = fs_strbuf_detach(&b);
    assert_string_equal(s, "US-ROK");
    assert_null(b.data);
    free(s);
    s = fs_strbuf_detach(&b); /* empty buffer detaches to "" */
    assert_string_equal(s, "");
    free(s);
}

static void test_vec_grow(void **state)
{
    (void)state;
    uint64_t *v = NULL;
    size_t n = 0, cap = 0;
    for (uint64_t x = 0; x < 100; x++) {
        uint64_t *g = fs_vec_grow(v, n, &cap, sizeof *g, 4);
        assert_non_null(g);
        v = g;
        v[n++] = x;
        assert_true(n <= cap);
    }
    assert_int_equal(cap, 128); /* 4, doubled */
    for (uint64_t x = 0; x < 100; x++)
        assert_int_equal(v[x], x);
    /* Room left: the same array, the capacity unchanged. */
    assert_ptr_equal(fs_vec_grow(v, 100, &cap, sizeof *v, 4), v);
    assert_int_equal(cap, 128);
    /* Too large to count in bytes: NULL, the array and its capacity as they were. */
    size_t huge = SIZE_MAX / 2;
    assert_null(fs_vec_grow(v, huge, &huge, sizeof *v, 4));
    assert_int_equal(huge, SIZE_MAX / 2);
    free(v);
}

static void test_vec_reserve(void **state)
{
    (void)state;
    size_t cap = 0;
    void *b = NULL;
    /* Nothing needed yet: fine, and the array may stay NULL (an empty first document). */
    assert_int_equal(fs_vec_reserve(&b, 0, &cap, 1, 64), FS_OK);
    assert_null(b);
    assert_int_equal(fs_vec_reserve(&b, 100, &cap, 1, 64), FS_OK);
    assert_non_null(b);
    assert_int_equal(cap, 128); /* 64 doubled once reaches 100 */
    void *same = b;
    assert_int_equal(fs_vec_reserve(&b, 128, &cap, 1, 64), FS_OK); /* enough already */
    assert_ptr_equal(b, same);
    assert_int_equal(fs_vec_reserve(&b, 1000, &cap, 1, 64), FS_OK);
    assert_int_equal(cap, 1024);
    void *kept = b;
    assert_int_equal(fs_vec_reserve(&b, SIZE_MAX / 4, &cap, 8, 64), FS_ERR_NOMEM); /* overflow */
    assert_int_equal(cap, 1024);
    assert_ptr_equal(b, kept);
    free(b);
}

static void test_intern_ids_dense_and_stable(void **state)
{
    (void)state;
    fs_intern *t = fs_intern_create();
    assert_non_null(t);
    char word[32];
    /* 50,000 distinct words force several rehashes; ids must stay dense and stable. */
    for (uint32_t i = 0; i < 50000; i++) {
        int n = snprintf(word, sizeof word, "w%u", i);
        uint32_t id;
        assert_int_equal(fs_intern_add(t, word, (size_t)n, &id), FS_OK);
        assert_int_equal(id, i);
    }
    uint32_t id;
    assert_int_equal(fs_intern_add(t, "w123", 4, &id), FS_OK);
    assert_int_equal(id, 123);
    assert_int_equal(fs_intern_count(t), 50000);
    assert_string_equal(fs_intern_str(t, 49999), "w49999");
    assert_int_equal(fs_intern_len(t, 10), 3);
    assert_int_equal(fs_intern_find(t, "w7", 2), 7);
    assert_int_equal(fs_intern_find(t, "US", 2), FS_INTERN_NONE);
    /* Case matters: "US" and "us" are different terms. */
    uint32_t a, b;
    fs_intern_add(t, "US", 2, &a);
    fs_intern_add(t, "us", 2, &b);
    assert_int_not_equal(a, b);
    fs_intern_free(t);
}

static void test_exit_codes(void **state)
{
    (void)state;
    /* The table documented in --help and the README. */
    assert_int_equal(fs_status_exit_code(FS_OK), 0);
    assert_int_equal(fs_status_exit_code(FS_ERR_CONFIG), 2);
    assert_int_equal(fs_status_exit_code(FS_ERR_USAGE), 2);
    assert_int_equal(fs_status_exit_code(FS_ERR_REGEX), 2);
    assert_int_equal(fs_status_exit_code(FS_ERR_INPUT), 3);
    assert_int_equal(fs_status_exit_code(FS_ERR_OUTPUT), 4);
    assert_int_equal(fs_status_exit_code(FS_ERR_NOMEM), 1);
    fs_error e;
    assert_int_equal(fs_error_set(&e, FS_ERR_CONFIG, "sources[1].inputs[0]", "bad %s", "glob"),
                     FS_ERR_CONFIG);
    assert_string_equal(e.where, "sources[1].inputs[0]");
    assert_string_equal(e.msg, "bad glob");
}

static void test_outfile_atomic(void **state)
{
    (void)state;
    char dir[] = "/tmp/fs-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/sub/deeper/out.txt", dir);
    fs_error err;
    /* An aborted write leaves nothing behind, and an old file stays as it was. */
    assert_int_equal(fs_write_file_atomic(path, "old\n", 4, &err), FS_OK);
    fs_outfile f;
    assert_int_equal(fs_outfile_open(&f, path, &err), FS_OK);
    fputs("partial", f.fp);
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", f.tmp);
    fs_outfile_abort(&f);
    assert_int_not_equal(access(tmp, F_OK), 0);
    char *data;
    size_t len;
    assert_int_equal(fs_read_file(path, 0, &data, &len, &err), FS_OK);
    assert_string_equal(data, "old\n");
    free(data);
    /* A missing file is an input error naming the path. */
    assert_int_equal(fs_read_file("/nonexistent/x.txt", 0, &data, &len, &err), FS_ERR_INPUT);
    assert_string_equal(err.where, "/nonexistent/x.txt");
    /* A size cap is enforced. */
    assert_int_equal(fs_read_file(path, 2, &data, &len, &err), FS_ERR_INPUT);
    unlink(path);
    assert_int_equal(tu_remove_tree(dir), 0);
}

/* A full disk: the write itself fails (ENOSPC). /dev/full stands in for the disk under the
 * temporary file; the error must surface at commit and the destination must stay as it was. */
static void test_outfile_full_disk(void **state)
{
    (void)state;
    char dir[] = "/tmp/fs-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/report.pdf", dir);
    fs_error err;
    assert_int_equal(fs_write_file_atomic(path, "previous report", 15, &err), FS_OK);
    fs_outfile f;
    assert_int_equal(fs_outfile_open(&f, path, &err), FS_OK);
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", f.tmp);
    fclose(f.fp);
    f.fp = fopen("/dev/full", "wb");
    assert_non_null(f.fp);
    static char block[1 << 16];
    fwrite(block, 1, sizeof block, f.fp); /* buffered: fails now or at the flush in commit */
    assert_int_equal(fs_outfile_commit(&f, &err), FS_ERR_OUTPUT);
    assert_non_null(strstr(err.msg, "No space left"));
    assert_int_not_equal(access(tmp, F_OK), 0);
    char *data;
    size_t len;
    assert_int_equal(fs_read_file(path, 0, &data, &len, &err), FS_OK);
    assert_string_equal(data, "previous report");
    free(data);
    assert_int_equal(tu_remove_tree(dir), 0);
}

static void test_outfile_unwritable(void **state)
{
    (void)state;
    /* A path through a device fails for root too (permissions would not). */
    fs_error err;
    assert_int_equal(fs_write_file_atomic("/dev/null/x/out.pdf", "x", 1, &err), FS_ERR_OUTPUT);
    assert_non_null(strstr(err.where, "/dev/null"));
}

/* ---- UTF-8 fast paths against references --------------------------------------------------------------------------- */

/* Length of the well-formed sequence at s[0..len) by Table 3-7, else 0 with *sub set to the
 * maximal subpart (the bytes that are a prefix of some well-formed sequence, at least 1). */
static size_t ref_seq(const unsigned char *s, size_t len, size_t *sub)
{
    static const struct {
        unsigned char lead_lo, lead_hi, n, lo, hi;
    } rows[] = {
        {0x00, 0x7F, 1, 0, 0},       {0xC2, 0xDF, 2, 0x80, 0xBF}, {0xE0, 0xE0, 3, 0xA0, 0xBF},
        {0xE1, 0xEC, 3, 0x80, 0xBF}, {0xED, 0xED, 3, 0x80, 0x9F}, {0xEE, 0xEF, 3, 0x80, 0xBF},
        {0xF0, 0xF0, 4, 0x90, 0xBF}, {0xF1, 0xF3, 4, 0x80, 0xBF}, {0xF4, 0xF4, 4, 0x80, 0x8F},
    };
    *sub = 1;
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        if (s[0] < rows[r].lead_lo || s[0] > rows[r].lead_hi)
            continue;
        size_t n = rows[r].n;
        for (size_t k = 1; k < n; k++) {
            unsigned char lo = k == 1 ? rows[r].lo : 0x80, hi = k == 1 ? rows[r].hi : 0xBF;
            if (k >= len || s[k] < lo || s[k] > hi) {
                *sub = k;
                return 0;
            }
        }
        return n;
    }
    return 0;
}

static size_t ref_valid_prefix(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, sub;
    while (i < len) {
        size_t n = ref_seq(p + i, len - i, &sub);
        if (!n)
            return i;
        i += n;
    }
    return len;
}

/* Repair by the maximal-subpart rule into out (room for 3 * len + 1). */
static size_t ref_repair(const char *s, size_t len, char *out, size_t *bad, size_t *first)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, o = 0, sub;
    *bad = 0;
    *first = len;
    while (i < len) {
        size_t n = ref_seq(p + i, len - i, &sub);
        if (n) {
            memcpy(out + o, s + i, n);
            o += n;
            i += n;
            continue;
        }
        if (*first == len)
            *first = i;
        *bad += sub;
        i += sub;
        memcpy(out + o, "\xEF\xBF\xBD", 3);
        o += 3;
    }
    out[o] = '\0';
    return o;
}

/* Code points: bytes that are not continuation bytes (10xxxxxx), one at a time. */
static size_t ref_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* ---- random text -------------------------------------------------------------------------- */

static uint64_t rng_next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Appends random pieces to buf (cap bytes) and returns the length. With `valid` only
 * well-formed pieces. */
static size_t random_text(uint64_t *rng, char *buf, size_t cap, bool valid)
{
    static const char *const good[] = {
        "\xC3\xA9",         /* é, precomposed */
        "e\xCC\x81",        /* e + combining acute: NFC composes it */
        "\xCC\x88",         /* a lone combining diaeresis */
        "\xE2\x80\x99",     /* ’ */
        "\xE2\x80\x94",     /* — */
        "\xE2\x80\x80",     /* U+2000, which NFC maps to U+2002 */
        "\xEF\xBF\xBD",     /* U+FFFD */
        "\xED\x95\x9C",     /* Hangul syllable 한 */
        "\xE1\x84\x92\xE1\x85\xA1", /* conjoining jamo: NFC composes 하 */
        "\xF0\x9F\x98\x80", /* 😀 */
        "\xC5\xBF",         /* ſ U+017F */
        "\xCB\xBF",         /* U+02FF, the last two-byte code point before the marks */
        "\xCD\x82",         /* U+0342, a combining mark */
        "\xE2\x84\xAB",     /* U+212B ANGSTROM SIGN: NFC maps it to U+00C5 */
        "\xD0\x98",         /* Cyrillic И, which a following U+0306 makes Й */
        "\xCC\x86",         /* U+0306 COMBINING BREVE */
        "\xE4\xB8\xAD",     /* CJK 中 */
        "\xED\x95\x98",     /* Hangul LV syllable 하, which a trailing jamo makes 한 */
        "\xE1\x86\xAB",     /* U+11AB HANGUL JONGSEONG NIEUN */
        "\xEF\xA4\x80",     /* U+F900 CJK compatibility ideograph: NFC maps it to U+8C48 */
        "\xCE\x87",         /* U+0387 GREEK ANO TELEIA: NFC maps it to U+00B7 */
        "\xD2\x83",         /* U+0483 COMBINING CYRILLIC TITLO */
    };
    static const char *const bad[] = {"\x80", "\xC0", "\xFF", "\xE2\x82", "\xF0\x9F\x98",
                                      "\xED\xA0\x80", "\xC3", "\xF4\x90\x80\x80"};
    size_t n = 0;
    size_t pieces = rng_next(rng) % 12;
    for (size_t k = 0; k < pieces; k++) {
        char piece[64];
        size_t plen;
        unsigned kind = (unsigned)(rng_next(rng) % 8);
        if (kind < 4) { /* an ASCII run, often across a stride boundary */
            plen = rng_next(rng) % 40;
            for (size_t i = 0; i < plen; i++)
                piece[i] = (char)(' ' + rng_next(rng) % 95);
        } else if (kind < 7 || valid) {
            const char *g = good[rng_next(rng) % (sizeof good / sizeof good[0])];
            plen = strlen(g);
            memcpy(piece, g, plen);
        } else {
            const char *b = bad[rng_next(rng) % (sizeof bad / sizeof bad[0])];
            plen = strlen(b);
            memcpy(piece, b, plen);
        }
        if (n + plen >= cap)
            break;
        memcpy(buf + n, piece, plen);
        n += plen;
    }
    buf[n] = '\0';
    return n;
}

static void test_utf8_fast_paths_match_references(void **state)
{
    (void)state;
    uint64_t rng = 0x9E3779B97F4A7C15ull;
    char in[512], ref[3 * 512 + 1];
    size_t quick_true = 0, quick_false = 0, invalid_seen = 0;
    for (int iter = 0; iter < 20000; iter++) {
        bool valid = iter % 2 == 0;
        size_t len = random_text(&rng, in, sizeof in, valid);
        /* Every start offset, so ill-formed bytes land on every stride position. */
        size_t off = (size_t)iter % 9 < len ? (size_t)iter % 9 : 0;
        const char *s = in + off;
        size_t n = len - off;
        size_t vp = ref_valid_prefix(s, n);
        assert_int_equal(fs_utf8_valid_prefix(s, n), vp);
        assert_int_equal(fs_utf8_count(s, n), ref_count(s, n));
        size_t rbad, rfirst;
        size_t rlen = ref_repair(s, n, ref, &rbad, &rfirst);
        char *out;
        size_t olen, bad, first;
        assert_int_equal(fs_utf8_repair(s, n, &out, &olen, &bad, &first), FS_OK);
        assert_int_equal(olen, rlen);
        assert_memory_equal(out, ref, rlen);
        assert_int_equal(bad, rbad);
        assert_int_equal(first, rfirst);
        invalid_seen += bad > 0;
        /* NFC: the quick check may only say yes when utf8proc leaves the text as it is, and
         * fs_utf8_nfc must always give what utf8proc gives. */
        utf8proc_uint8_t *nfc = NULL;
        utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)out, (utf8proc_ssize_t)olen,
                                          &nfc, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        assert_true(m >= 0);
        if (fs_utf8_nfc_quick(out, olen)) {
            quick_true++;
            assert_int_equal((size_t)m, olen);
            assert_memory_equal(nfc, out, olen);
        } else {
            quick_false++;
        }
        char *mine;
        size_t mlen;
        assert_int_equal(fs_utf8_nfc(out, olen, &mine, &mlen), FS_OK);
        assert_int_equal(mlen, (size_t)m);
        assert_memory_equal(mine, nfc, mlen);
        free(mine);
        free(nfc);
        free(out);
    }
    /* The generator reached both answers of the quick check and ill-formed input. */
    assert_true(quick_true > 1000 && quick_false > 1000 && invalid_seen > 1000);
}

static void test_utf8_fast_path_edges(void **state)
{
    (void)state;
    /* An ill-formed byte at each position of a 40-byte ASCII run: the first bad offset is that
     * position whatever the word stride. */
    char buf[48];
    for (size_t at = 0; at < 40; at++) {
        memset(buf, 'a', 40);
        buf[at] = (char)0xFF;
        assert_int_equal(fs_utf8_valid_prefix(buf, 40), at);
        assert_int_equal(fs_utf8_count(buf, 40), 40); /* FF is not a continuation byte */
        char *out;
        size_t olen, bad, first;
        assert_int_equal(fs_utf8_repair(buf, 40, &out, &olen, &bad, &first), FS_OK);
        assert_int_equal(olen, 42);
        assert_int_equal(bad, 1);
        assert_int_equal(first, at);
        assert_memory_equal(out + at, "\xEF\xBF\xBD", 3);
        free(out);
        /* A combining mark after a base letter at the same position: NFC must compose it. */
        memset(buf, 'a', 40);
        memcpy(buf + at, "e\xCC\x81", 3);
        assert_false(fs_utf8_nfc_quick(buf, at + 3));
        char *nfc;
        size_t nlen;
        assert_int_equal(fs_utf8_nfc(buf, at + 3, &nfc, &nlen), FS_OK);
        assert_int_equal(nlen, at + 2);
        assert_memory_equal(nfc + at, "\xC3\xA9", 2);
        free(nfc);
    }
    /* Every code point of the ranges the quick check accepts beyond ASCII is its own NFC and
     * has combining class 0 (utf8proc's tables, checked one by one). */
    static const int32_t ranges[][2] = {{0x80, 0x2FF},     {0x400, 0x482},
                                        {0x48A, 0x4FF},    {0x2002, 0x206F},
                                        {0x4E00, 0x9FFF},  {0xAC00, 0xD7A3},
                                        {0xFFFD, 0xFFFD}};
    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++)
        for (int32_t cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
            char enc[4];
            size_t n = fs_utf8_encode(cp, enc);
            assert_true(n >= 2);
            assert_true(fs_utf8_nfc_quick(enc, n));
            assert_int_equal(utf8proc_get_property(cp)->combining_class, 0);
            utf8proc_uint8_t *nfc = NULL;
            utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)enc,
                                              (utf8proc_ssize_t)n, &nfc,
                                              UTF8PROC_STABLE | UTF8PROC_COMPOSE);
            assert_int_equal(m, (utf8proc_ssize_t)n);
            assert_memory_equal(nfc, enc, n);
            free(nfc);
        }
    /* None of them can be the second half of a composition, which would let it merge with the
     * character before: the second halves are the last code points of the canonical
     * decompositions of all of Unicode (Hangul syllables included, as L V T jamo). */
    for (int32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (!utf8proc_codepoint_valid(cp))
            continue;
        utf8proc_int32_t dec[32];
        int bound = 0;
        utf8proc_ssize_t nd = utf8proc_decompose_char(cp, dec, 32, UTF8PROC_DECOMPOSE, &bound);
        if (nd < 2)
            continue;
        char enc[4];
        size_t n = fs_utf8_encode(dec[nd - 1], enc);
        assert_true(n > 0);
        if (fs_utf8_nfc_quick(enc, n))
            fail_msg("U+%04X ends the decomposition of U+%04X", (unsigned)dec[nd - 1],
                     (unsigned)cp);
    }
    /* Just outside them: U+0300 and U+0483..U+0489 (marks), U+2001 (decomposes), U+F900 (maps
     * to U+8C48). */
    assert_false(fs_utf8_nfc_quick("\xCC\x80", 2));
    for (int32_t cp = 0x483; cp <= 0x489; cp++) {
        char enc[4];
        assert_int_equal(fs_utf8_encode(cp, enc), 2);
        assert_false(fs_utf8_nfc_quick(enc, 2));
    }
    assert_false(fs_utf8_nfc_quick("\xE2\x80\x81", 3));
    assert_false(fs_utf8_nfc_quick("\xEF\xA4\x80", 3));
    /* 하 + trailing jamo: utf8proc composes 한. */
    char *h;
    size_t hl;
    assert_false(fs_utf8_nfc_quick("\xED\x95\x98\xE1\x86\xAB", 6));
    assert_int_equal(fs_utf8_nfc("\xED\x95\x98\xE1\x86\xAB", 6, &h, &hl), FS_OK);
    assert_string_equal(h, "\xED\x95\x9C");
    free(h);
    /* A three-byte character cut by the end of the input is ill-formed, not quick NFC input. */
    assert_int_equal(fs_utf8_valid_prefix("abc\xE2\x80", 5), 3);
    assert_true(fs_utf8_nfc_quick("caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D", 18));
    assert_false(fs_utf8_nfc_quick("\xE2\x80\x80", 3)); /* U+2000 -> U+2002 */
    assert_int_equal(fs_utf8_count("", 0), 0);
    /* 4 code points of 4 bytes, then 9 ASCII: 13 */
    assert_int_equal(fs_utf8_count("\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80"
                                   "\xF0\x9F\x98\x80" "123456789", 25), 13);
}

static void test_sha256_one_shot_equals_incremental(void **state)
{
    (void)state;
    size_t n = 100003;
    unsigned char *data = malloc(n);
    assert_non_null(data);
    for (size_t i = 0; i < n; i++)
        data[i] = (unsigned char)(i * 131 + 7);
    char hex[65], hex2[65];
    assert_true(fs_sha256_hex(data, n, hex));
    fs_sha256 s;
    fs_sha256_init(&s);
    for (size_t i = 0; i < n; i += 997)
        fs_sha256_update(&s, data + i, n - i < 997 ? n - i : 997);
    unsigned char d[32];
    assert_true(fs_sha256_final(&s, d));
    for (int i = 0; i < 32; i++)
        snprintf(hex2 + 2 * i, 3, "%02x", d[i]);
    assert_string_equal(hex, hex2);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena_strings),
        cmocka_unit_test(test_strbuf),
        cmocka_unit_test(test_vec_grow),
        cmocka_unit_test(test_vec_reserve),
        cmocka_unit_test(test_intern_ids_dense_and_stable),
        cmocka_unit_test(test_exit_codes),
        cmocka_unit_test(test_outfile_atomic),
        cmocka_unit_test(test_outfile_unwritable),
        cmocka_unit_test(test_outfile_full_disk),
        cmocka_unit_test(test_utf8_fast_paths_match_references),
        cmocka_unit_test(test_utf8_fast_path_edges),
        cmocka_unit_test(test_sha256_one_shot_equals_incremental),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
