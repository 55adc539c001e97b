/* test_corpus.c: SHA-256, UTF-8 repair and NFC, date formats, input expansion, plain text and
 * JSON Lines reading (malformed lines, binary, empty, oversized and invalid UTF-8 files),
 * metadata rules, and the facts of the sample corpus through config/default.json.
 * Run from the repository root (tests/run.sh does). */
#include "testutil.h"

#include <dirent.h>
#include <unistd.h>

#include "corpus_internal.h"
#include "framescope/config.h"
#include "framescope/corpus.h"
#include "framescope/sha256.h"
#include "framescope/utf8.h"

/* ---- helpers -------------------------------------------------------------------------------- */

typedef struct logcap {
    char buf[16384];
    size_t len;
    int warns;
} logcap;

static void cap_log(void *user, fs_log_level level, const char *msg)
{
    logcap *c = user;
    if (level == FS_LOG_WARN)
        c->warns++;
    int n = snprintf(c->buf + c->len, sizeof c->buf - c->len, "%s\n", msg);
    if (n > 0 && (size_t)n < sizeof c->buf - c->len)
        c->len += (size_t)n;
}

/* A one-source config built by hand (test-owned storage, never passed to fs_config_free). */
typedef struct tcfg {
    fs_config cfg;
    fs_source_cfg src[2];
    char *inputs[2][4];
} tcfg;

static void tcfg_init(tcfg *t, size_t n_sources)
{
    memset(t, 0, sizeof *t);
    tu_config_init(&t->cfg, t->src, n_sources);
    t->cfg.clean.max_file_mb = 256;
    for (size_t s = 0; s < n_sources; s++)
        t->src[s].inputs = t->inputs[s];
}

static void tcfg_input(tcfg *t, size_t s, char *path)
{
    t->src[s].inputs[t->src[s].n_inputs++] = path;
}

static char tmpdir[64];

static char *write_bytes(const char *name, const char *data, size_t len)
{
    size_t n = strlen(tmpdir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return p;
}

static int make_tmp(void **state)
{
    (void)state;
    return tu_make_temp_dir(tmpdir, sizeof tmpdir, "corpus");
}

static int remove_tmp(void **state)
{
    (void)state;
    /* The tests write plain files only, directly in the folder. */
    DIR *d = opendir(tmpdir);
    if (!d)
        return -1;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
        unlink(path);
    }
    closedir(d);
    return rmdir(tmpdir);
}

/* ---- SHA-256 ------------------------------------------------------------------------------ */

static void test_sha256_fips_vectors(void **state)
{
    (void)state;
    /* FIPS 180-2 appendix B examples (also in NIST's SHA examples). */
    static const struct {
        const char *msg;
        const char *hex;
    } rows[] = {
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    char hex[65];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_true(fs_sha256_hex(rows[i].msg, strlen(rows[i].msg), hex));
        assert_string_equal(hex, rows[i].hex);
    }
    /* One million 'a' fed in uneven chunks (7 bytes at a time) exercises the block buffering. */
    fs_sha256 s;
    unsigned char d[32];
    char a[7];
    memset(a, 'a', sizeof a);
    fs_sha256_init(&s);
    size_t left = 1000000;
    while (left) {
        size_t n = left < sizeof a ? left : sizeof a;
        fs_sha256_update(&s, a, n);
        left -= n;
    }
    assert_true(fs_sha256_final(&s, d));
    static const unsigned char million_a[4] = {0xcd, 0xc7, 0x6e, 0x5c}; /* cdc76e5c... */
    assert_memory_equal(d, million_a, 4);
    assert_int_equal(d[31], 0xd0); /* ...7112cd0 */
}

/* ---- UTF-8 -------------------------------------------------------------------------------- */

static void test_utf8_repair_rows(void **state)
{
    (void)state;
    /* Expected outputs by Unicode's "maximal subpart" practice (Table 3-8 examples). */
    static const struct {
        const char *in;
        size_t in_len;
        const char *out;
        size_t invalid, first;
    } rows[] = {
        {"abc", 3, "abc", 0, 3},
        {"a\xFF" "b", 3, "a\xEF\xBF\xBD" "b", 1, 1},
        /* truncated euro sign: E2 82 is one maximal subpart -> one U+FFFD for 2 bytes */
        {"\xE2\x82", 2, "\xEF\xBF\xBD", 2, 0},
        /* overlong C0 AF: C0 is never valid, AF is a lone continuation -> two U+FFFD */
        {"\xC0\xAF", 2, "\xEF\xBF\xBD\xEF\xBF\xBD", 2, 0},
        /* surrogate ED A0 80: ED's second byte must be 80..9F -> three U+FFFD */
        {"\xED\xA0\x80", 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 3, 0},
        /* truncated 4-byte emoji at the end: one U+FFFD for 3 bytes */
        {"x\xF0\x9F\x98", 4, "x\xEF\xBF\xBD", 3, 1},
        /* valid multi-byte text passes unchanged: é € 😀 */
        {"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", 9, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", 0, 9},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *out;
        size_t len, bad, first;
        assert_int_equal(fs_utf8_repair(rows[i].in, rows[i].in_len, &out, &len, &bad, &first),
                         FS_OK);
        assert_string_equal(out, rows[i].out);
        assert_int_equal(len, strlen(rows[i].out));
        assert_int_equal(bad, rows[i].invalid);
        assert_int_equal(first, rows[i].first);
        assert_int_equal(fs_utf8_valid_prefix(out, len), len);
        free(out);
    }
}

static void test_utf8_nfc_count_decode(void **state)
{
    (void)state;
    char *out;
    size_t len;
    /* e + COMBINING ACUTE ACCENT composes to é (U+00E9, C3 A9). */
    assert_int_equal(fs_utf8_nfc("Caf" "e\xCC\x81", 6, &out, &len), FS_OK);
    assert_string_equal(out, "Caf\xC3\xA9");
    assert_int_equal(len, 5);
    assert_int_equal(fs_utf8_count(out, len), 4);
    free(out);
    /* Already NFC and ASCII: unchanged. */
    assert_int_equal(fs_utf8_nfc("US-ROK", 6, &out, &len), FS_OK);
    assert_string_equal(out, "US-ROK");
    free(out);
    /* Curly quote U+2019 is E2 80 99: 3 bytes, 1 code point. */
    int32_t cp;
    assert_int_equal(fs_utf8_decode("\xE2\x80\x99s", 4, &cp), 3);
    assert_int_equal(cp, 0x2019);
    assert_int_equal(fs_utf8_decode("\xFF", 1, &cp), 1);
    assert_int_equal(cp, 0xFFFD);
    char enc[4];
    assert_int_equal(fs_utf8_encode(0x2014, enc), 3); /* em dash */
    assert_memory_equal(enc, "\xE2\x80\x94", 3);
    assert_int_equal(fs_utf8_encode(0xD800, enc), 0); /* a surrogate is not a code point */
    assert_true(fs_utf8_is_alnum(0x00E9));
    assert_true(fs_utf8_is_alnum(0xD55C)); /* Hangul syllable */
    assert_false(fs_utf8_is_alnum(0x2014));
}

/* ---- dates -------------------------------------------------------------------------------- */

static void test_parse_date_rows(void **state)
{
    (void)state;
    static const struct {
        const char *s, *fmt;
        bool ok;
        int y, m, d;
    } rows[] = {
        {"01-04-2025", "%d-%m-%Y", true, 2025, 4, 1},   /* Korea Herald's day-month-year */
        {"February 11, 2020", "%B %d, %Y", true, 2020, 2, 11},
        {"Feb 11, 2020", "%b %d, %Y", true, 2020, 2, 11},
        {"Sept. 3, 2021", "%b %d, %Y", true, 2021, 9, 3},
        {"29 Feb 2024", "%d %b %Y", true, 2024, 2, 29}, /* 2024 is a leap year */
        {"29 Feb 2023", "%d %b %Y", false, 0, 0, 0},    /* 2023 is not */
        {"29 Feb 1900", "%d %b %Y", false, 0, 0, 0},    /* century, not divisible by 400 */
        {"2025-04-01", NULL, true, 2025, 4, 1},         /* ISO by default */
        {" 2025-04-01 ", NULL, true, 2025, 4, 1},       /* surrounding space is ignored */
        {"2025-13-01", NULL, false, 0, 0, 0},
        {"2025-04-01x", NULL, false, 0, 0, 0},          /* trailing text */
        {"99/12/31", "%y/%m/%d", true, 1999, 12, 31},   /* POSIX: 69..99 -> 19xx */
        {"05/06/07", "%d/%m/%y", true, 2007, 6, 5},     /* 00..68 -> 20xx */
        {"11  February   2020", "%d %B %Y", true, 2020, 2, 11},
        {"Febuary 11, 2020", "%B %d, %Y", false, 0, 0, 0},
        {"01-04-2025", "%d-%m", false, 0, 0, 0},        /* no year */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        fs_date d = {0, 0, 0};
        bool ok = corpus_parse_date(rows[i].s, strlen(rows[i].s), rows[i].fmt, &d);
        if (ok != rows[i].ok)
            fail_msg("row %zu (\"%s\"): expected %d", i, rows[i].s, rows[i].ok);
        if (ok) {
            assert_int_equal(d.year, rows[i].y);
            assert_int_equal(d.month, rows[i].m);
            assert_int_equal(d.day, rows[i].d);
        }
    }
}

/* ---- inputs and formats ------------------------------------------------------------------- */

static void test_folder_recursive_sorted(void **state)
{
    (void)state;
    tcfg t;
    tcfg_init(&t, 1);
    tcfg_input(&t, 0, "tests/data/corpus/folder");
    fs_ctx ctx = {0};
    fs_corpus *c = NULL;
    fs_error err;
    assert_int_equal(fs_corpus_load(&t.cfg, &ctx, &c, &err), FS_OK);
    /* a.txt, sub/b.txt, z.txt in path order; notes.md and .hidden.txt ignored. */
    assert_int_equal(c->n_docs, 3);
    assert_string_equal(c->docs[0].id, "a");
    assert_string_equal(c->docs[1].id, "b");
    assert_string_equal(c->docs[2].id, "z");
    assert_string_equal(c->docs[0].text, "Alpha document in the folder root.\n");
    /* "Alpha document in the folder root.\n" is 35 ASCII characters. */
    assert_int_equal(c->docs[0].chars_raw, 35);
    assert_int_equal(c->docs[0].line, 0);
    assert_int_equal(c->undated, 3);
    fs_corpus_free(c);
}

static void test_glob_and_duplicate_inputs(void **state)
{
    (void)state;
    tcfg t;
    tcfg_init(&t, 1);
    tcfg_input(&t, 0, "tests/data/corpus/folder/*.txt");
    tcfg_input(&t, 0, "tests/data/corpus/folder/z.txt"); /* listed twice: read once */
    tcfg_input(&t, 0, "tests/data/corpus/folder/nothing-*.txt");
    logcap cap = {0};
    fs_ctx ctx = {cap_log, &cap, FS_LOG_DEBUG, 1, NULL, NULL, NULL};
    fs_corpus *c = NULL;
    fs_error err;
    assert_int_equal(fs_corpus_load(&t.cfg, &ctx, &c, &err), FS_OK);
    assert_int_equal(c->n_docs, 2); /* a.txt, z.txt: the glob does not descend into sub/ */
    assert_string_equal(c->docs[1].id, "z");
    assert_non_null(strstr(cap.buf, "sources[0].inputs[2]"));
    assert_non_null(strstr(cap.buf, "matches no readable file"));
    fs_corpus_free(c);
}

static void test_jsonl_fields_and_malformed_line(void **state)
{
    (void)state;
    tcfg t;
    tcfg_init(&t, 1);
    tcfg_input(&t, 0, "tests/data/corpus/feed.jsonl");
    t.src[0].jsonl = (fs_jsonl_fields){"body", "headline", "published", "link", NULL, "site",
                                       "%d/%m/%Y"};
    t.src[0].outlet = "Fallback Outlet";
    logcap cap = {0};
    fs_ctx ctx = {cap_log, &cap, FS_LOG_WARN, 1, NULL, NULL, NULL};
    fs_corpus *c = NULL;
    fs_error err;
    assert_int_equal(fs_corpus_load(&t.cfg, &ctx, &c, &err), FS_OK);
    /* Lines 1, 3, 5 are documents; line 2 is malformed JSON, line 4 blank (ignored). */
    assert_int_equal(c->n_docs, 3);
    assert_int_equal(c->skipped_lines, 1);
    assert_non_null(strstr(cap.buf, "tests/data/corpus/feed.jsonl:2: malformed JSON"));
    /* Line 3's date 31/02/2025 does not exist: a warning and no date. */
    assert_non_null(strstr(cap.buf, "feed.jsonl:3: date \"31/02/2025\""));
    const fs_doc *d = &c->docs[0];
    assert_string_equal(d->id, "feed.jsonl:1");
    assert_int_equal(d->line, 1);
    assert_string_equal(d->text, "Seoul and Washington met again.");
    assert_string_equal(d->title, "Talks resume");
    assert_string_equal(d->outlet, "Wire One");
    assert_string_equal(d->url, "https://example.org/1");
    assert_null(d->author);
    assert_int_equal(d->date.year, 2025);
    assert_int_equal(d->date.month, 4);
    assert_int_equal(d->date.day, 1);
    /* sha256 of the text field: the same as hashing the string itself. */
    char hex[65];
    fs_sha256_hex("Seoul and Washington met again.", 31, hex);
    assert_string_equal(d->sha256, hex);
    assert_string_equal(c->docs[1].id, "feed.jsonl:3");
    assert_int_equal(c->docs[1].date.year, 0);
    assert_string_equal(c->docs[1].outlet, "Fallback Outlet"); /* no "site": source fallback */
    assert_string_equal(c->docs[2].id, "feed.jsonl:5");
    assert_string_equal(c->docs[2].outlet, "Wire Two");
    assert_null(c->docs[2].title);
    assert_int_equal(c->undated, 2);
    fs_corpus_free(c);
}

static void test_jsonl_other_reasons(void **state)
{
    (void)state;
    const char *feed = "[1, 2]\n"                          /* not an object */
                       "{\"title\": \"no text\"}\n"        /* no text field */
                       "{\"text\": 42}\n"                  /* text is not a string */
                       "{\"text\": \"   \"}\n"             /* blank text */
                       "{\"text\": \"ok\"} trailing\n"     /* garbage after the object */
                       "{\"text\": \"Caf\\u0065\\u0301 talks\"}\n"; /* decomposed é: NFC */
    char *p = write_bytes("reasons.jsonl", feed, strlen(feed));
    tcfg t;
    tcfg_init(&t, 1);
    tcfg_input(&t, 0, p);
    logcap cap = {0};
    fs_ctx ctx = {cap_log, &cap, FS_LOG_WARN, 1, NULL, NULL, NULL};
    fs_corpus *c = NULL;
    fs_error err;
    assert_int_equal(fs_corpus_load(&t.cfg, &ctx, &c, &err), FS_OK);
    assert_int_equal(c->skipped_lines, 5);
    assert_int_equal(cap.warns, 5);
    assert_non_null(strstr(cap.buf, "reasons.jsonl:1: not a JSON object"));
    assert_non_null(strstr(cap.buf, "reasons.jsonl:2: no non-empty string field \"text\""));
    assert_non_null(strstr(cap.buf, "reasons.jsonl:4: the text field is blank"));
    assert_non_null(strstr(cap.buf, "reasons.jsonl:5: malformed JSON"));
    assert_int_equal(c->n_docs, 1);
    assert_string_equal(c->docs[0].text, "Caf\xC3\xA9 talks");
    assert_int_equal(c->docs[0].chars_raw, 10);
    fs_corpus_free(c);
    free(p);
}

static void test_invalid_utf8_binary_empty_oversized(void **state)
{
    (void)state;
    /* "café " is 6 bytes (é = C3 A9), so the first bad byte FF is at offset 6; FE follows. */
    const char bad[] = "caf\xC3\xA9 \xFF\xFEok\n";
    const char bin[] = "PDF\0binary";
    char *p1 = write_bytes("1-bad.txt", bad, sizeof bad - 1);
    char *p2 = write_bytes("2-binary.txt", bin, sizeof bin - 1);
    char *p3 = write_bytes("3-empty.txt", "  \n", 3);
    /* 1 MiB + 1 byte against max_file_mb = 1. */
    size_t big_len = 1024 * 1024 + 1;
    char *big = malloc(big_len);
    assert_non_null(big);
    memset(big, 'a', big_len);
    char *p4 = write_bytes("4-big.txt", big, big_len);
    free(big);
    char *p5 = write_bytes("5-bom.txt", "\xEF\xBB\xBFHello", 8);
    tcfg t;
    tcfg_init(&t, 1);
    t.cfg.clean.max_file_mb = 1;
    char pattern[96];
    snprintf(pattern, sizeof pattern, "%s/*.txt", tmpdir);
    tcfg_input(&t, 0, pattern);
    logcap cap = {0};
    fs_ctx ctx = {cap_log, &cap, FS_LOG_WARN, 1, NULL, NULL, NULL};
    fs_corpus *c = NULL;
    fs_error err;
    assert_int_equal(fs_corpus_load(&t.cfg, &ctx, &c, &err), FS_OK);
    assert_int_equal(c->n_docs, 2);
    assert_int_equal(c->skipped_files, 3); /* binary, empty, oversized */
    assert_int_equal(c->invalid_bytes, 2);
    const fs_doc *d = &c->docs[0];
    assert_string_equal(d->id, "1-bad");
    /* FF and FE are two maximal subparts: two U+FFFD. */
    assert_string_equal(d->text, "caf\xC3\xA9 \xEF\xBF\xBD\xEF\xBF\xBDok\n");
    assert_int_equal(d->invalid_bytes, 2);
    assert_int_equal(d->chars_raw, 10); /* c a f é space FFFD FFFD o k \n */
    assert_non_null(strstr(cap.buf, "1-bad.txt: 2 invalid UTF-8 bytes replaced by U+FFFD "
                                    "(first at byte offset 6)"));
    assert_non_null(strstr(cap.buf, "2-binary.txt: binary file (NUL byte at offset 3); skipped"));
    assert_non_null(strstr(cap.buf, "3-empty.txt: empty file; skipped"));
    assert_non_null(strstr(cap.buf, "4-big.txt: file is larger than 1048576 bytes"));
    /* The BOM is dropped from the text but part of the hashed bytes. */
    assert_string_equal(c->docs[1].text, "Hello");
    char hex[65];
    fs_sha256_hex("\xEF\xBB\xBFHello", 8, hex);
    assert_string_equal(c->docs[1].sha256, hex);
    fs_corpus_free(c);
    free(p1);
    free(p2);
    free(p3);
    free(p4);
    free(p5);
}

static void test_no_document_is_an_input_error(void **state)
{
    (void)state;
    char *p = write_bytes("only-binary.txt", "a\0b", 3);
    tcfg t;
    tcfg_init(&t, 1);
    tcfg_input(&t, 0, p);
    fs_ctx ctx = {0};
    fs_corpus *c = NULL;
    fs_error err;
    assert_int_equal(fs_corpus_load(&t.cfg, &ctx, &c, &err), FS_ERR_INPUT);
    assert_null(c);
    assert_non_null(strstr(err.msg, "no document could be read"));
    free(p);
}

/* ---- metadata rules ----------------------------------------------------------------------- */

static void test_metadata_rules_and_fallbacks(void **state)
{
    (void)state;
    tcfg t;
    tcfg_init(&t, 1);
    tcfg_input(&t, 0, "tests/data/corpus/meta.txt");
    t.src[0].title_rule.pattern = "\\A(?<value>[^\\n]+)";       /* named group */
    t.src[0].date_rule.pattern = "^Posted (\\d+ \\w+ \\d{4})";  /* group 1 */
    t.src[0].date_rule.format = "%d %B %Y";
    t.src[0].author_rule.pattern = "by (?<value>.+)$";
    t.src[0].outlet = "Notes Weekly";
    fs_ctx ctx = {0};
    fs_corpus *c = NULL;
    fs_error err;
    assert_int_equal(fs_corpus_load(&t.cfg, &ctx, &c, &err), FS_OK);
    const fs_doc *d = &c->docs[0];
    assert_string_equal(d->title, "Alliance notes");
    assert_string_equal(d->author, "Jane Roe");
    assert_string_equal(d->outlet, "Notes Weekly");
    assert_int_equal(d->date.year, 2020);
    assert_int_equal(d->date.month, 2);
    assert_int_equal(d->date.day, 11);
    assert_int_equal(c->undated, 0);
    fs_corpus_free(c);

    /* A date rule whose value does not parse: WARN, then the source's fallback date. */
    t.src[0].date_rule.format = "%Y-%m-%d";
    t.src[0].date = (fs_date){2019, 12, 31};
    logcap cap = {0};
    fs_ctx wctx = {cap_log, &cap, FS_LOG_WARN, 1, NULL, NULL, NULL};
    assert_int_equal(fs_corpus_load(&t.cfg, &wctx, &c, &err), FS_OK);
    assert_int_equal(c->docs[0].date.year, 2019);
    assert_non_null(strstr(cap.buf, "date \"11 February 2020\" does not match the format"));
    fs_corpus_free(c);

    /* A pattern that does not compile names its rule. */
    t.src[0].title_rule.pattern = "(unclosed";
    assert_int_equal(fs_corpus_load(&t.cfg, &ctx, &c, &err), FS_ERR_REGEX);
    assert_string_equal(err.where, "sources[0].title.pattern");
    assert_non_null(strstr(err.msg, "offset"));
}

static void test_duplicate_named_value_groups(void **state)
{
    (void)state;
    corpus_rx rx;
    fs_error err;
    /* (?J) allows two groups named `value`; the one that took part is the value. */
    assert_int_equal(corpus_rx_compile(&rx, "outlet", "(?J)^Site: (?<value>\\w+)|via (?<value>\\w+)",
                                       PCRE2_MULTILINE, &err),
                     FS_OK);
    const char *s = "story text via Daily8 today";
    assert_int_equal(corpus_rx_match(&rx, s, strlen(s), 0, &err), 1);
    size_t b, e;
    assert_true(corpus_rx_value(&rx, &b, &e));
    assert_int_equal(e - b, 6);
    assert_memory_equal(s + b, "Daily8", 6);
    corpus_rx_free(&rx);
}

/* ---- the sample corpus -------------------------------------------------------------------- */

static void test_sample_corpus_facts(void **state)
{
    (void)state;
    fs_config *cfg = tu_load_default_config();
    fs_error err;
    fs_ctx ctx = {0};
    fs_corpus *c = NULL;
    assert_int_equal(fs_corpus_load(cfg, &ctx, &c, &err), FS_OK);
    assert_int_equal(c->n_docs, 5);
    static const char *const ids[5] = {"000_0ed14d34ca05656e", "001_bde32c43c36c47eb",
                                       "002_c13fbc61cf03b603", "003_ee9696c772a7f5d9",
                                       "004_a98cb7febba4ebfd"};
    static const size_t sources[5] = {0, 0, 1, 2, 3};
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(c->docs[i].id, ids[i]);
        assert_int_equal(c->docs[i].source, sources[i]);
        assert_int_equal(c->docs[i].invalid_bytes, 0);
    }
    /* `sha256sum corpus/alliance/000_*.txt` gives 501f41e3…67e7cd. */
    assert_string_equal(c->docs[0].sha256,
                        "501f41e3124c52decd563f2c3b6e657563dad4a7d306eb0758c7978b6c67e7cd");
    /* 000: "time01-04-2025" is day-month-year: 1 April 2025. */
    assert_int_equal(c->docs[0].date.year, 2025);
    assert_int_equal(c->docs[0].date.month, 4);
    assert_int_equal(c->docs[0].date.day, 1);
    /* 003: "February 11, 2020". */
    assert_int_equal(c->docs[3].date.year, 2020);
    assert_int_equal(c->docs[3].date.month, 2);
    assert_int_equal(c->docs[3].date.day, 11);
    /* 001, 002 and 004 carry no date. */
    assert_int_equal(c->undated, 3);
    assert_string_equal(c->docs[1].outlet, "Daily8");
    assert_string_equal(c->docs[2].outlet, "RCO News");
    assert_string_equal(c->docs[3].outlet, "Democratic Underground");
    assert_string_equal(c->docs[4].outlet, "Real News Now");
    assert_string_equal(c->docs[0].title,
                        "South Korea, US should go beyond rhetoric, get real on Taiwan "
                        "contingency: report");
    assert_string_equal(c->docs[3].title,
                        "Beyond North Korea: Fractures in the US-South Korea Alliance");
    assert_string_equal(c->docs[3].author, "Clint Work");
    assert_string_equal(c->docs[4].title, "U.S.-South Korea Alliance Under Strain due to "
                                          "Biden\xE2\x80\x99s Lack of Clear Nuclear Policy");
    /* 000 is 5167 bytes; its em dashes (3 bytes each) and bullets make it 5149 code points. */
    assert_int_equal(c->docs[0].len, 5167);
    assert_int_equal(c->docs[0].chars_raw, 5149);
    fs_corpus_free(c);
    fs_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_fips_vectors),
        cmocka_unit_test(test_utf8_repair_rows),
        cmocka_unit_test(test_utf8_nfc_count_decode),
        cmocka_unit_test(test_parse_date_rows),
        cmocka_unit_test(test_folder_recursive_sorted),
        cmocka_unit_test(test_glob_and_duplicate_inputs),
        cmocka_unit_test(test_jsonl_fields_and_malformed_line),
        cmocka_unit_test(test_jsonl_other_reasons),
        cmocka_unit_test(test_invalid_utf8_binary_empty_oversized),
        cmocka_unit_test(test_no_document_is_an_input_error),
        cmocka_unit_test(test_metadata_rules_and_fallbacks),
        cmocka_unit_test(test_duplicate_named_value_groups),
        cmocka_unit_test(test_sample_corpus_facts),
    };
    return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
