/* test_ingest.c: the fast paths of ingest against slow references written here, and the
 * parallel reader against itself on one thread.
 *  - UTF-8: fs_utf8_valid_prefix, fs_utf8_repair, fs_utf8_count and fs_utf8_nfc_quick are
 *    checked on random mixes of ASCII runs (lengths straddling the 8/16-byte strides), multibyte
 *    characters, ill-formed bytes and combining marks, against a byte-at-a-time decoder built from
 *    Unicode Table 3-7, a byte-at-a-time count, and utf8proc's own NFC.
 *  - SHA-256: one-shot and incremental digests of the same input agree (the FIPS vectors are in
 *    test_corpus.c).
 *  - Ingest: a generated JSONL file (more lines than one batch; malformed, blank, invalid-UTF-8,
 *    non-NFC and badly dated lines at known places) and 300 plain-text files (more than one
 *    batch) are read with 1, 2 and 3 threads: the documents, counters and the whole log must be
 *    identical, and equal to the values the generator knows; a regex failure must name the first
 *    failing document for any thread count; the spool's pages must have left the resident set.
 * Run from the repository root (tests/run.sh does). */
#include "testutil.h"

#include <dirent.h>
#include <unistd.h>
#include <utf8proc.h>

#include "corpus_internal.h"
#include "framescope/config.h"
#include "framescope/corpus.h"
#include "framescope/sha256.h"
#include "framescope/utf8.h"

/* ---- references --------------------------------------------------------------------------- */

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

/* ---- ingest ------------------------------------------------------------------------------- */

typedef struct biglog {
    char *buf;
    size_t len, cap;
} biglog;

static void big_log(void *user, fs_log_level level, const char *msg)
{
    biglog *b = user;
    size_t need = strlen(msg) + 4;
    if (b->len + need >= b->cap) {
        b->cap = (b->cap + need) * 2;
        b->buf = realloc(b->buf, b->cap);
        assert_non_null(b->buf);
    }
    b->len += (size_t)snprintf(b->buf + b->len, b->cap - b->len, "%d %s\n", (int)level, msg);
}

static char tmpdir[64];

static int make_tmp(void **state)
{
    (void)state;
    return tu_make_temp_dir(tmpdir, sizeof tmpdir, "ingest");
}

static int remove_tmp(void **state)
{
    (void)state;
    return tu_remove_tree(tmpdir);
}

static char *path_in_tmp(const char *name)
{
    size_t n = strlen(tmpdir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", tmpdir, name);
    return p;
}

#define JSONL_LINES 5000

/* Line k (1-based) of the generated feed: every 7th blank, every 11th malformed, every 13th with
 * an ill-formed byte, every 17th non-NFC (e + combining acute), every 19th with a date that does
 * not exist. Returns the expected text of the document, or NULL when the line yields none. */
static const char *feed_line(size_t k, char *line, size_t cap, char *text, size_t tcap)
{
    if (k % 7 == 0) {
        snprintf(line, cap, "   ");
        return NULL;
    }
    if (k % 11 == 0) {
        snprintf(line, cap, "{\"text\": \"broken %zu\"", k);
        return NULL;
    }
    const char *accent = k % 17 == 0 ? "e\xCC\x81" : "";
    const char *bad = k % 13 == 0 ? "\xFF" : "";
    const char *date = k % 19 == 0 ? "2025-02-30" : "2025-03-01";
    snprintf(line, cap, "{\"title\": \"T%zu\", \"date\": \"%s\", \"text\": \"Doc %zu caf%s%s "
             "about the alliance and its talks, %zu.\"}", k, date, k, accent, bad, k * 7);
    snprintf(text, tcap, "Doc %zu caf%s%s about the alliance and its talks, %zu.", k,
             k % 17 == 0 ? "\xC3\xA9" : "", k % 13 == 0 ? "\xEF\xBF\xBD" : "", k * 7);
    return text;
}

static char *write_feed(void)
{
    char *p = path_in_tmp("feed.jsonl");
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    char line[256], text[256];
    for (size_t k = 1; k <= JSONL_LINES; k++) {
        feed_line(k, line, sizeof line, text, sizeof text);
        fprintf(f, "%s\n", line);
    }
    fclose(f);
    return p;
}

static void write_text_files(size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char name[64], body[128];
        snprintf(name, sizeof name, "t%03zu.txt", i);
        /* every 50th empty (skipped), every 30th with a combining mark */
        if (i % 50 == 0)
            snprintf(body, sizeof body, "  \n");
        else
            snprintf(body, sizeof body, "Plain file %zu%s.\n", i, i % 30 == 0 ? "a\xCC\x8A" : "");
        char *p = tu_write_temp(tmpdir, name, body);
        assert_non_null(p);
        free(p);
    }
}

/* Points a test source at its inputs (one path). */
static void source_inputs(fs_source_cfg *src, char **inputs)
{
    src->inputs = inputs;
    src->n_inputs = 1;
}

typedef struct loaded {
    fs_corpus *c;
    biglog log;
    fs_status st;
    fs_error err;
} loaded;

static void load_with(const fs_config *cfg, int threads, loaded *out)
{
    memset(out, 0, sizeof *out);
    fs_ctx ctx = {big_log, &out->log, FS_LOG_DEBUG, threads, NULL, NULL, NULL};
    out->st = fs_corpus_load(cfg, &ctx, &out->c, &out->err);
}

static void assert_same_corpus(const fs_corpus *a, const fs_corpus *b)
{
    assert_int_equal(a->n_docs, b->n_docs);
    assert_int_equal(a->skipped_lines, b->skipped_lines);
    assert_int_equal(a->skipped_files, b->skipped_files);
    assert_int_equal(a->invalid_bytes, b->invalid_bytes);
    assert_int_equal(a->undated, b->undated);
    for (size_t i = 0; i < a->n_docs; i++) {
        const fs_doc *x = &a->docs[i], *y = &b->docs[i];
        assert_string_equal(x->id, y->id);
        assert_string_equal(x->path, y->path);
        assert_int_equal(x->line, y->line);
        assert_int_equal(x->source, y->source);
        assert_int_equal(x->len, y->len);
        assert_memory_equal(x->text, y->text, x->len + 1);
        assert_int_equal(x->chars_raw, y->chars_raw);
        assert_int_equal(x->invalid_bytes, y->invalid_bytes);
        assert_string_equal(x->sha256, y->sha256);
        assert_int_equal(x->date.year, y->date.year);
        assert_int_equal(x->date.day, y->date.day);
        assert_true((x->title == NULL) == (y->title == NULL));
        if (x->title)
            assert_string_equal(x->title, y->title);
        assert_true((x->outlet == NULL) == (y->outlet == NULL));
        if (x->outlet)
            assert_string_equal(x->outlet, y->outlet);
    }
}

static void test_parallel_ingest_is_thread_independent(void **state)
{
    (void)state;
    char *feed = write_feed();
    write_text_files(300);
    char *glob_txt = path_in_tmp("t*.txt");
    fs_config cfg;
    fs_source_cfg src[2];
    tu_config_init(&cfg, src, 2);
    cfg.clean.max_file_mb = 64;
    char *in0[] = {feed}, *in1[] = {glob_txt};
    source_inputs(&src[0], in0);
    source_inputs(&src[1], in1);
    src[0].outlet = "Feed";
    loaded one, more[2];
    load_with(&cfg, 1, &one);
    assert_int_equal(one.st, FS_OK);
    /* What the generator says. */
    size_t docs = 0, skipped = 0, invalid = 0, undated = 0, k_doc = 0;
    char line[256], text[256];
    for (size_t k = 1; k <= JSONL_LINES; k++) {
        const char *t = feed_line(k, line, sizeof line, text, sizeof text);
        skipped += k % 7 != 0 && k % 11 == 0;
        if (!t)
            continue;
        const fs_doc *d = &one.c->docs[docs++];
        char id[32];
        snprintf(id, sizeof id, "feed.jsonl:%zu", k);
        assert_string_equal(d->id, id);
        assert_string_equal(d->text, t);
        assert_int_equal(d->chars_raw, ref_count(t, strlen(t)));
        invalid += k % 13 == 0;
        undated += k % 19 == 0;
        if (k == 17 * 3)
            k_doc = docs - 1;
    }
    /* The sha256 is of the text field as parsed (before NFC): line 51 has e + U+0301. */
    char expect[65], raw[128];
    snprintf(raw, sizeof raw, "Doc 51 cafe\xCC\x81 about the alliance and its talks, 357.");
    fs_sha256_hex(raw, strlen(raw), expect);
    assert_string_equal(one.c->docs[k_doc].sha256, expect);
    size_t files = 0;
    for (size_t i = 0; i < 300; i++) {
        if (i % 50 == 0)
            continue;
        const fs_doc *d = &one.c->docs[docs + files++];
        char id[16], t[64];
        snprintf(id, sizeof id, "t%03zu", i);
        snprintf(t, sizeof t, "Plain file %zu%s.\n", i, i % 30 == 0 ? "\xC3\xA5" : "");
        assert_string_equal(d->id, id);
        assert_string_equal(d->text, t);
        assert_string_equal(d->outlet ? d->outlet : "", "");
    }
    assert_int_equal(one.c->n_docs, docs + files);
    assert_int_equal(one.c->skipped_lines, skipped);
    assert_int_equal(one.c->skipped_files, 6);
    assert_int_equal(one.c->invalid_bytes, invalid);
    assert_int_equal(one.c->undated, undated + files); /* plain files have no date */
    /* The same corpus and the very same log on more threads. */
    for (int t = 0; t < 2; t++) {
        load_with(&cfg, t + 2, &more[t]);
        assert_int_equal(more[t].st, FS_OK);
        assert_same_corpus(one.c, more[t].c);
        assert_int_equal(more[t].log.len, one.log.len);
        assert_memory_equal(more[t].log.buf, one.log.buf, one.log.len);
        fs_corpus_free(more[t].c);
        free(more[t].log.buf);
    }
    /* Spot checks of the log order: line 11's complaint precedes line 13's. */
    const char *l11 = strstr(one.log.buf, "feed.jsonl:11: malformed JSON");
    const char *l13 = strstr(one.log.buf, "feed.jsonl:13: 1 invalid UTF-8 byte replaced");
    assert_non_null(l11);
    assert_non_null(l13);
    assert_true(l11 < l13);
    assert_non_null(strstr(one.log.buf, "feed.jsonl:19: date \"2025-02-30\" does not match"));
    fs_corpus_free(one.c);
    free(one.log.buf);
    free(feed);
    free(glob_txt);
}

/* A title rule that backtracks catastrophically on lines 30 and 40 only: the error names line 30
 * whatever the thread count, after the same log. */
static void test_first_failure_wins(void **state)
{
    (void)state;
    char *p = path_in_tmp("rx.jsonl");
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    for (int k = 1; k <= 64; k++) {
        if (k == 30 || k == 40)
            fprintf(f, "{\"text\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\", \"date\": \"x\"}\n");
        else if (k % 5 == 0)
            fprintf(f, "not json %d\n", k);
        else
            fprintf(f, "{\"text\": \"b%d\"}\n", k);
    }
    fclose(f);
    fs_config cfg;
    fs_source_cfg src[1];
    tu_config_init(&cfg, src, 1);
    char *in[] = {p};
    source_inputs(src, in);
    src->title_rule.pattern = "^(a+)+$";
    loaded r[3];
    for (int t = 0; t < 3; t++) {
        load_with(&cfg, t + 1, &r[t]);
        assert_int_equal(r[t].st, FS_ERR_REGEX);
        assert_non_null(strstr(r[t].err.where, "(document rx.jsonl:30)"));
        assert_null(r[t].c);
        if (t > 0) {
            assert_string_equal(r[t].err.where, r[0].err.where);
            assert_string_equal(r[t].err.msg, r[0].err.msg);
            assert_int_equal(r[t].log.len, r[0].log.len);
            assert_memory_equal(r[t].log.buf, r[0].log.buf, r[0].log.len);
        }
    }
    /* The lines before 30 were all logged (25 is malformed), none after it (35 is too). */
    assert_non_null(strstr(r[0].log.buf, "rx.jsonl:25: malformed JSON"));
    assert_null(strstr(r[0].log.buf, "rx.jsonl:35:"));
    for (int t = 0; t < 3; t++)
        free(r[t].log.buf);
    free(p);
}

/* Resident bytes of the mapping that holds `addr` (from /proc/self/smaps); -1 when unknown. */
static long rss_of_mapping(const void *addr)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f)
        return -1;
    char line[512];
    bool in = false;
    long kb = -1;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        /* A mapping's header starts "lo-hi "; its fields start with a name and a colon. */
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
            in = (uintptr_t)addr >= lo && (uintptr_t)addr < hi;
            continue;
        }
        if (in && sscanf(line, "Rss: %ld kB", &kb) == 1)
            break;
    }
    fclose(f);
    return kb;
}

static void test_ingest_evicts_the_spool(void **state)
{
    (void)state;
    /* 3000 lines of ~4 KB: 12 MB of text, more than one batch. */
    char *p = path_in_tmp("big.jsonl");
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    for (int k = 0; k < 3000; k++) {
        fprintf(f, "{\"text\": \"");
        for (int w = 0; w < 400; w++)
            fprintf(f, "word%05d ", (k * 400 + w) % 99991);
        fprintf(f, "\"}\n");
    }
    fclose(f);
    fs_config cfg;
    fs_source_cfg src[1];
    tu_config_init(&cfg, src, 1);
    char *in[] = {p};
    source_inputs(src, in);
    loaded r;
    load_with(&cfg, 2, &r);
    assert_int_equal(r.st, FS_OK);
    assert_int_equal(r.c->n_docs, 3000);
    if (fs_spool_on_disk(r.c->spool)) {
        long kb = rss_of_mapping(r.c->docs[1500].text);
        /* 12 MB written; what stays resident is at most the 2 MiB block the last batch ended
         * in (the kernel may keep nothing at all). */
        if (kb >= 0)
            assert_true(kb <= 2048 + 64);
    }
    /* Evicted texts are intact: they come back from the file. */
    assert_int_equal(strncmp(r.c->docs[2999].text, "word", 4), 0);
    assert_int_equal(r.c->docs[2999].len, 4000);
    fs_corpus_free(r.c);
    free(r.log.buf);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_fast_paths_match_references),
        cmocka_unit_test(test_utf8_fast_path_edges),
        cmocka_unit_test(test_sha256_one_shot_equals_incremental),
        cmocka_unit_test(test_parallel_ingest_is_thread_independent),
        cmocka_unit_test(test_first_failure_wins),
        cmocka_unit_test(test_ingest_evicts_the_spool),
    };
    return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
