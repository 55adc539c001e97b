/* test_count.c: the counting engine on hand-built corpora: frame span de-duplication,
 * provenance, concordance, shard + merge == direct, 1 thread == 2 threads, save/load round trip
 * and rejected files. Co-occurrence and its memory cap are in test_count_cooc.c. */
#include "count_fixture.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <unistd.h>
#include "count_internal.h"
#include "framescope/fileio.h"

/* ---------------------------------------------------------------- tests */

static void test_frames_and_provenance(void **state)
{
    (void)state;
    fixture *f = fixture_new(2, 5);
    /* Korea frame: "South Korea" (matched by both patterns, one span), "North Korea" → 2 hits;
     * Military: "nuclear", "deterrence" → 2 hits. */
    fixture_add(f, 0, "South Korea and North Korea weigh nuclear deterrence.");
    fixture_add(f, 0, "South Korea and North Korea weigh nuclear deterrence.");
    fixture_add(f, 1, "Nothing here about it. DETERRED by nothing.");
    fixture_add(f, 1, "Selected out.");
    f->cdocs[1].excluded = true;
    f->cdocs[1].duplicate_of = 0;
    f->cdocs[1].similarity = 1.0;
    fs_removal rem[] = {{"sources[0].clean.cut_from[0]", 120, 3}, {"generic:navigation", 7, 1}};
    f->cdocs[0].removals = rem;
    f->cdocs[0].n_removals = 2;
    bool select[] = {true, true, true, false};
    fs_counts *c = run(f, 2, select);
    assert_int_equal(fs_counts_doc_frame_hits(c, 0, 0), 2);
    assert_int_equal(fs_counts_doc_frame_hits(c, 0, 1), 2);
    assert_int_equal(fs_counts_doc_frame_hits(c, 2, 1), 1); /* "DETERRED", case-insensitive */
    assert_int_equal(fs_counts_frame_hits(c, 0, 0), 2);      /* doc 1 excluded */
    assert_int_equal(fs_counts_n_docs(c), 4);
    assert_true(fs_counts_doc(c, 0)->counted);
    assert_false(fs_counts_doc(c, 1)->counted);
    assert_string_equal(fs_counts_doc(c, 1)->duplicate_of, "doc000");
    assert_false(fs_counts_doc(c, 3)->counted);
    assert_int_equal(fs_counts_doc(c, 3)->tokens, 0);
    assert_string_equal(fs_counts_doc(c, 0)->removals,
                        "sources[0].clean.cut_from[0]=120;generic:navigation=7");
    assert_string_equal(fs_counts_doc(c, 2)->removals, "");
    assert_int_equal(fs_counts_n_docs_counted(c, 0), 1);
    assert_int_equal(fs_counts_n_docs_counted(c, 1), 1);
    /* doc 0: south korea, and, north, korea, weigh, nuclear, deterrence = 7 tokens, 6 content */
    assert_int_equal(fs_counts_doc(c, 0)->tokens, 7);
    assert_int_equal(fs_counts_doc(c, 0)->content_tokens, 6);
    assert_int_equal(fs_counts_tf(c, 0, fs_counts_term_id(c, "korea")), 1);
    assert_int_equal(fs_counts_tf(c, 0, fs_counts_term_id(c, "south korea")), 1);
    fs_counts_free(c);
    fixture_free(f);
}

/* Hits of one pattern by a plain PCRE2 search (no prefilter), for comparison: matches are
 * counted from the end of the previous one, as frames do, with no merging (one pattern). */
static uint64_t plain_hits(const char *pattern, const char *text)
{
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                     PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS |
                                         PCRE2_MATCH_INVALID_UTF,
                                     &ec, &eo, NULL);
    assert_non_null(code);
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    size_t len = strlen(text), off = 0;
    uint64_t n = 0;
    while (off <= len && pcre2_match(code, (PCRE2_SPTR)text, len, off, 0, md, NULL) >= 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        n++;
        off = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
    }
    pcre2_match_data_free(md);
    pcre2_code_free(code);
    return n;
}

/* Patterns that start with letters are matched only where the text has those letters (or a
 * non-ASCII case variant of the first: the Kelvin sign for k, the long s for s): the hits must
 * be those of a plain search, by hand and by PCRE2 alone. */
static void test_frame_prefilter(void **state)
{
    (void)state;
    static const char *pats[] = {
        "\\bka\\w*", "\\bkalo\\b", "\\bforces?\\b", "\\bally\\b|\\ballies\\b", "\\bsma\\b",
        "\\bSpecial Measures Agreement\\b", "\\bdeter(?:rence|s)?\\b", "kalo", "\\bs\\w+",
        "\\bdefen[cs]e\\b", "ka\\c(|x"};
    enum { NP = sizeof pats / sizeof *pats };
    static const char *texts[] = {
        "Kalo kalo KALO kalos xkalo ka k",
        "\xE2\x80\x9Ckalo\xE2\x80\x9D \xE2\x84\xAA" "alo \xE2\x84\xAA" "ALO \xE2\x80\x99s ka",
        "force forces FORCES forced \xC5\xBFma SMA sma\xC5\xBF small",
        "ally allies ALLIES rally special measures agreement Special  Measures Agreement",
        "deter deters deterrence deterred defence defense \xC5\xBFpecial \xC5\xBF",
        "", "k", "kal", "\xE2\x84\xAA", "ka\xE2\x84\xAA", "x\xE2\x80\x94kalo\xE2\x80\x94kalo",
        "Lorem ipsum with many words but none of those frames, far more than sixteen bytes."};
    /* By hand: text 1 has kalo 3 times as a word (+ kalos, xkalo: not \bkalo\b); \bka\w*:
     * Kalo kalo KALO kalos ka = 5; text 2: kalo, Kelvin-alo, Kelvin-ALO = 3 each. */
    static const uint64_t hand_ka[] = {5, 4}, hand_kalo[] = {3, 3};
    fs_pattern items[NP];
    fs_frame_cfg frames[NP];
    for (size_t i = 0; i < NP; i++) {
        items[i] = (fs_pattern){(char *)"p", (char *)pats[i]};
        frames[i] = (fs_frame_cfg){(char *)"f", {items + i, 1}};
    }
    fs_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.analysis.frames = frames;
    cfg.analysis.n_frames = NP;
    frameset *fs = NULL;
    fs_error err = {0};
    assert_int_equal(frameset_create(&cfg, &fs, &err), FS_OK);
    frame_scratch *sc = frame_scratch_create(fs);
    assert_non_null(sc);
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        uint64_t hits[NP];
        assert_int_equal(frameset_count(fs, sc, texts[t], strlen(texts[t]), hits, &err), FS_OK);
        for (size_t i = 0; i < NP; i++)
            assert_int_equal(hits[i], plain_hits(pats[i], texts[t]));
        if (t < 2) {
            assert_int_equal(hits[0], hand_ka[t]);
            assert_int_equal(hits[1], hand_kalo[t]);
        }
    }
    /* The same words at every offset within a 16-byte block, among curly quotes. */
    char buf[256];
    for (size_t pad = 0; pad < 40; pad++) {
        memset(buf, '.', pad);
        snprintf(buf + pad, sizeof buf - pad,
                 "\xE2\x80\x9C\xE2\x84\xAA" "alo\xE2\x80\x9D ka KALO \xC5\xBF" "ma sma "
                 "\xE2\x80\x99kalo \xE2\x84\xAA" "a");
        uint64_t hits[NP];
        assert_int_equal(frameset_count(fs, sc, buf, strlen(buf), hits, &err), FS_OK);
        for (size_t i = 0; i < NP; i++)
            assert_int_equal(hits[i], plain_hits(pats[i], buf));
        assert_int_equal(hits[0], 5); /* Kelvin-alo, ka, KALO, kalo, Kelvin-a */
        assert_int_equal(hits[4], 2); /* long-s ma, sma */
    }
    frame_scratch_free(sc);
    frameset_free(fs);
}

/* Regression (fuzz_count, UBSan): a worker whose first document has no content term (only
 * stopwords, or nothing a word) did pointer arithmetic on its still-NULL term-vector buffer. */
static void test_first_document_without_content_terms(void **state)
{
    (void)state;
    fixture *f = fixture_new(2, 3);
    fixture_add(f, 0, "The of and in the.");   /* stopwords only: 5 tokens, 0 content */
    fixture_add(f, 1, "\xE2\x80\x94 ... !!");  /* no word at all */
    fixture_add(f, 0, "Taiwan and the alliance.");
    for (int threads = 1; threads <= 2; threads++) {
        fs_counts *c = run(f, threads, NULL);
        assert_int_equal(fs_counts_doc(c, 0)->tokens, 5);
        assert_int_equal(fs_counts_doc(c, 0)->content_tokens, 0);
        assert_int_equal(fs_counts_doc(c, 1)->tokens, 0);
        assert_int_equal(fs_counts_content_tokens(c, 0), 2); /* taiwan, alliance */
        assert_int_equal(fs_counts_tf(c, 0, fs_counts_term_id(c, "alliance")), 1);
        fs_counts_free(c);
    }
    fixture_free(f);
}

static void test_kwic(void **state)
{
    (void)state;
    fixture *f = fixture_new(1, 5);
    fixture_add(f, 0, "Menu\nThe report on  Taiwan said many\nthings about the US and Taiwan. "
                      "More on Taiwan later.");
    fixture_add(f, 0, "A very long sentence that goes on and on with many words before we finally "
                      "reach Taiwan and then continues for quite a while after it as well so "
                      "that the right side must be cut at a word boundary somewhere.");
    f->cfg.analysis.kwic_per_term = 2;
    fs_counts *c = run(f, 1, NULL);
    /* focus 0 (taiwan): first two in doc 0; focus 1 (US): one line. Ordered by focus. */
    assert_int_equal(fs_counts_n_kwic(c), 3);
    const fs_kwic *k = fs_counts_kwic(c, 0);
    assert_int_equal(k->focus, 0);
    assert_int_equal(k->doc, 0);
    assert_string_equal(k->left, "The report on");   /* "Menu" line is a separate sentence */
    assert_string_equal(k->keyword, "Taiwan");
    assert_string_equal(k->right, "said many things about the US and Taiwan. More on Taiwan");
    k = fs_counts_kwic(c, 2);
    assert_int_equal(k->focus, 1);
    assert_string_equal(k->keyword, "US");
    fs_counts_free(c);

    f->cfg.analysis.kwic_per_term = 8;
    c = run(f, 1, NULL);
    assert_int_equal(fs_counts_n_kwic(c), 5);
    k = fs_counts_kwic(c, 3);
    assert_int_equal(k->doc, 1);
    /* at most 60 characters, whole words */
    assert_true(strlen(k->left) <= 60 && strlen(k->right) <= 60);
    assert_string_equal(k->right, "and then continues for quite a while after it as well so");
    /* 60 characters including the space before the keyword: "that" just fits */
    assert_string_equal(k->left, "that goes on and on with many words before we finally reach");
    fs_counts_free(c);
    fixture_free(f);
}

static void test_threads_equal(void **state)
{
    (void)state;
    fixture *f = generated(300);
    fs_counts *one = run(f, 1, NULL), *two = run(f, 2, NULL), *four = run(f, 4, NULL);
    assert_counts_equal(one, two);
    assert_counts_equal(one, four);
    assert_true(fs_counts_n_terms(one) > 10);
    assert_false(fs_counts_doc(one, 5)->counted);
    fs_counts_free(one);
    fs_counts_free(two);
    fs_counts_free(four);
    fixture_free(f);
}

/* A vocabulary large enough that the worker's term tables and per-term records outgrow
 * 2 MiB (the huge-page tables) while documents are counted through the lookahead pipeline.
 * Term k (four letters, base 26, after 0, 4, 8 or 16 q's by k % 4: every lookup table, tiny,
 * short and long, and the 8-byte boundary of the tiny one) is written (k % 3) + 1 times, one occurrence per document in
 * turn, so its expected tf and df come from k alone; "ab" is used once in every document, and
 * very short documents (fewer tokens than the lookahead) are mixed in. Expected values are
 * computed here from that construction, not by the tokenizer. */
#define BIG_TERMS 40000
#define BIG_DOCS 390

#define BIG_TERM_MAX 21 /* bytes of big_term's longest text, with its NUL */

static void big_term(size_t k, char out[BIG_TERM_MAX])
{
    static const int pad[4] = {0, 4, 8, 16};
    int q = pad[k % 4];
    memset(out, 'q', (size_t)q);
    for (int p = q + 3; p >= q; p--, k /= 26)
        out[p] = (char)('a' + k % 26);
    out[q + 4] = '\0';
}

static void test_large_vocabulary(void **state)
{
    (void)state;
    fixture *f = fixture_new(2, 5);
    size_t cap = 64 * BIG_TERMS / BIG_DOCS * 5 + 64 * BIG_TERM_MAX;
    char *buf = malloc(cap);
    assert_non_null(buf);
    /* Occurrence r of term k goes to document (k + r * 7) % BIG_DOCS: distinct documents. */
    for (size_t d = 0; d < BIG_DOCS; d++) {
        size_t n = (size_t)snprintf(buf, cap, "ab");
        if (d % 10 == 3) { /* a document shorter than the pipeline */
            fixture_add(f, d % 2, "ab zz");
            continue;
        }
        for (size_t k = 0; k < BIG_TERMS; k++)
            for (size_t r = 0; r <= k % 3; r++)
                if ((k + r * 7) % BIG_DOCS == d) {
                    char w[BIG_TERM_MAX];
                    big_term(k, w);
                    assert_true(n + BIG_TERM_MAX + 1 < cap);
                    n += (size_t)snprintf(buf + n, cap - n, " %s", w);
                }
        fixture_add(f, d % 2, buf);
    }
    free(buf);
    fs_counts *one = run(f, 1, NULL), *two = run(f, 2, NULL);
    assert_counts_equal(one, two);
    uint64_t tf[2] = {0, 0}, df[2] = {0, 0};
    size_t checked = 0;
    for (size_t k = 0; k < BIG_TERMS; k++) {
        char w[BIG_TERM_MAX];
        big_term(k, w);
        if (strcmp(w, "said") == 0)
            continue; /* a stopword of the fixture */
        memset(tf, 0, sizeof tf);
        memset(df, 0, sizeof df);
        for (size_t r = 0; r <= k % 3; r++) {
            size_t d = (k + r * 7) % BIG_DOCS;
            if (d % 10 == 3)
                continue; /* replaced by a short document */
            tf[d % 2]++;
            df[d % 2]++;
        }
        uint32_t id = fs_counts_term_id(one, w);
        if (tf[0] + tf[1] == 0) {
            assert_int_equal(id, UINT32_MAX);
            continue;
        }
        assert_int_not_equal(id, UINT32_MAX);
        for (size_t s = 0; s < 2; s++) {
            assert_int_equal(fs_counts_tf(one, s, id), tf[s]);
            assert_int_equal(fs_counts_df(one, s, id), df[s]);
        }
        checked++;
    }
    assert_true(checked > BIG_TERMS * 9 / 10);
    /* "ab" opens every document (BIG_DOCS / 2 per source); "zz" is in the 39 short ones. */
    uint32_t ab = fs_counts_term_id(one, "ab"), zz = fs_counts_term_id(one, "zz");
    assert_int_equal(fs_counts_tf(one, 0, ab) + fs_counts_tf(one, 1, ab), BIG_DOCS);
    assert_int_equal(fs_counts_df(one, 1, zz) + fs_counts_df(one, 0, zz), BIG_DOCS / 10);
    fs_counts_free(one);
    fs_counts_free(two);
    fixture_free(f);
}

static void shard_merge_equals_direct(fixture *f)
{
    size_t n = f->corpus.n_docs;
    bool *s1 = calloc(n, sizeof *s1), *s2 = calloc(n, sizeof *s2);
    assert_non_null(s1);
    assert_non_null(s2);
    for (size_t i = 0; i < n; i++) {
        s1[i] = i < n / 2;
        s2[i] = !s1[i];
    }
    char dir[] = "/tmp/fs_count_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p1[64], p2[64];
    snprintf(p1, sizeof p1, "%s/1.counts", dir);
    snprintf(p2, sizeof p2, "%s/2.counts", dir);
    fs_error err;
    fs_counts *direct = run(f, 2, NULL), *a = run(f, 1, s1), *b = run(f, 2, s2);
    assert_int_equal(fs_counts_save(a, p1, &err), FS_OK);
    assert_int_equal(fs_counts_save(b, p2, &err), FS_OK);
    fs_counts_free(a);
    fs_counts_free(b);
    assert_int_equal(fs_counts_load(p1, &a, &err), FS_OK);
    assert_int_equal(fs_counts_load(p2, &b, &err), FS_OK);
    assert_int_equal(fs_counts_merge(a, b, &err), FS_OK);
    assert_counts_equal(direct, a);
    /* merging the same shard again counts documents twice: refused, a unchanged */
    assert_int_equal(fs_counts_merge(a, b, &err), FS_ERR_INPUT);
    assert_counts_equal(direct, a);
    fs_counts_free(a);
    fs_counts_free(b);
    fs_counts_free(direct);
    unlink(p1);
    unlink(p2);
    rmdir(dir);
    free(s1);
    free(s2);
}

static void test_shard_merge_hand(void **state)
{
    (void)state;
    fixture *f = fixture_new(2, 3);
    fixture_add(f, 0, "Taiwan and the US-ROK alliance. Washington’s policy on Taiwan.");
    fixture_add(f, 1, "DOWNLOAD THE APP\nThe U.S. and South Korea discuss deterrence.");
    fixture_add(f, 0, "South Korea's nuclear debate; US troops stay. Taiwan Strait tensions.");
    fixture_add(f, 1, "non-combat roles for USFK's troops near the Taiwan Strait");
    shard_merge_equals_direct(f);
    fixture_free(f);
}

static void test_shard_merge_generated(void **state)
{
    (void)state;
    fixture *f = generated(200);
    shard_merge_equals_direct(f);
    fixture_free(f);
}

static void test_merge_appends_other_corpus(void **state)
{
    (void)state;
    fixture *f = fixture_new(1, 5);
    fixture_add(f, 0, "alpha beta gamma");
    fixture *g = fixture_new(1, 5);
    fixture_add(g, 0, "beta delta");
    fixture_add(g, 0, "unrelated words");
    fs_counts *a = run(f, 1, NULL), *b = run(g, 1, NULL);
    fs_error err;
    assert_int_equal(fs_counts_merge(a, b, &err), FS_OK);
    /* different documents: appended; vocabulary alpha beta delta gamma unrelated words */
    assert_int_equal(fs_counts_n_docs(a), 3);
    assert_int_equal(fs_counts_n_terms(a), 6);
    assert_int_equal(fs_counts_tf(a, 0, fs_counts_term_id(a, "beta")), 2);
    assert_int_equal(fs_counts_df(a, 0, fs_counts_term_id(a, "beta")), 2);
    assert_int_equal(pair_count(a, 0, "beta", "delta"), 1);
    assert_int_equal(pair_count(a, 0, "alpha", "beta"), 1);
    fs_counts_free(b);
    /* a different configuration cannot be merged */
    g->cfg.analysis.window = 3;
    b = run(g, 1, NULL);
    assert_int_equal(fs_counts_merge(a, b, &err), FS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "window"));
    fs_counts_free(a);
    fs_counts_free(b);
    fixture_free(f);
    fixture_free(g);
}

static void test_save_load_and_corruption(void **state)
{
    (void)state;
    fixture *f = generated(60);
    fs_counts *c = run(f, 2, NULL), *back = NULL;
    char dir[] = "/tmp/fs_count_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/x.counts", dir);
    fs_error err;
    assert_int_equal(fs_counts_save(c, path, &err), FS_OK);
    assert_int_equal(fs_counts_load(path, &back, &err), FS_OK);
    assert_counts_equal(c, back);
    fs_counts_free(back);

    char *data;
    size_t len;
    assert_int_equal(fs_read_file(path, 0, &data, &len, &err), FS_OK);
    char bad[80];
    snprintf(bad, sizeof bad, "%s/bad.counts", dir);
    /* one flipped byte in the payload: checksum mismatch */
    data[len / 2] ^= 0x20;
    assert_int_equal(fs_write_file_atomic(bad, data, len, &err), FS_OK);
    assert_int_equal(fs_counts_load(bad, &back, &err), FS_ERR_INPUT);
    assert_null(back);
    assert_string_equal(err.where, bad);
    assert_non_null(strstr(err.msg, "checksum"));
    data[len / 2] ^= 0x20;
    /* truncated */
    assert_int_equal(fs_write_file_atomic(bad, data, len - 100, &err), FS_OK);
    assert_int_equal(fs_counts_load(bad, &back, &err), FS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "truncated"));
    /* bad magic, unknown version */
    data[0] = 'X';
    assert_int_equal(fs_write_file_atomic(bad, data, len, &err), FS_OK);
    assert_int_equal(fs_counts_load(bad, &back, &err), FS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "magic"));
    data[0] = 'F';
    data[8] = 9;
    assert_int_equal(fs_write_file_atomic(bad, data, len, &err), FS_OK);
    assert_int_equal(fs_counts_load(bad, &back, &err), FS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "version 9"));
    /* format 1 (fixed-width integers) is refused by number, not misread as varints */
    data[8] = 1;
    assert_int_equal(fs_write_file_atomic(bad, data, len, &err), FS_OK);
    assert_int_equal(fs_counts_load(bad, &back, &err), FS_ERR_INPUT);
    assert_non_null(strstr(err.msg, "version 1 is not supported"));
    assert_null(back);
    free(data);
    unlink(bad);
    unlink(path);
    rmdir(dir);
    fs_counts_free(c);
    fixture_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frames_and_provenance),
        cmocka_unit_test(test_frame_prefilter),
        cmocka_unit_test(test_first_document_without_content_terms),
        cmocka_unit_test(test_kwic),
        cmocka_unit_test(test_threads_equal),
        cmocka_unit_test(test_large_vocabulary),
        cmocka_unit_test(test_shard_merge_hand),
        cmocka_unit_test(test_shard_merge_generated),
        cmocka_unit_test(test_merge_appends_other_corpus),
        cmocka_unit_test(test_save_load_and_corruption),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
