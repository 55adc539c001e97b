/* test_count.c: the counting engine on hand-built corpora: hand-counted co-occurrence, frame
 * span de-duplication, provenance, concordance, shard + merge == direct, 1 thread == 2 threads,
 * save/load round trip and rejected files, the memory cap (spilling exactly, pruning the same
 * way for any thread count). */
#include "testutil.h"

#include <stdbool.h>
#include <unistd.h>
#include "framescope/count.h"
#include "framescope/fileio.h"
#include "count_internal.h"

/* ---------------------------------------------------------------- fixtures */

typedef struct fixture {
    fs_config cfg;
    fs_source_cfg sources[4];
    fs_frame_cfg frames[2];
    fs_pattern pats[4];
    fs_corpus corpus;
    fs_doc docs[400];
    fs_clean_result clean;
    fs_clean_doc cdocs[400];
    char *texts[400];
    char ids[400][16];
} fixture;

static char *stop_extra[] = {"the", "a", "of", "and", "in", "us", "on", "said"};
static char *focus[] = {"Taiwan", "US"};
static fs_alias aliases[] = {{"U.S.", "US"}};
static char *phrases[] = {"South Korea", "Taiwan Strait"};
static const char *source_ids[] = {"herald", "quincy", "diplomat", "realnews"};

static fixture *fixture_new(size_t n_sources, int window)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->cfg.sources = f->sources;
    f->cfg.n_sources = n_sources;
    for (size_t s = 0; s < n_sources; s++) {
        f->sources[s].id = (char *)source_ids[s];
        f->sources[s].label = (char *)source_ids[s];
    }
    fs_analysis_cfg *a = &f->cfg.analysis;
    a->stopwords_extra = stop_extra;
    a->n_stopwords_extra = sizeof stop_extra / sizeof *stop_extra;
    a->aliases = aliases;
    a->n_aliases = 1;
    a->phrases = phrases;
    a->n_phrases = 2;
    a->focus = focus;
    a->n_focus = 2;
    a->window = window;
    a->keep_acronyms = true;
    a->cooc_memory_mb = 512;
    a->kwic_per_term = 2;
    f->pats[0] = (fs_pattern){"analysis.frames.korea[0]", "Korea"};
    f->pats[1] = (fs_pattern){"analysis.frames.korea[1]", "South Korea"};
    f->pats[2] = (fs_pattern){"analysis.frames.military[0]", "\\bdeter\\w*"};
    f->pats[3] = (fs_pattern){"analysis.frames.military[1]", "\\bnuclear\\b"};
    f->frames[0] = (fs_frame_cfg){"Korea", {f->pats, 2}};
    f->frames[1] = (fs_frame_cfg){"Military", {f->pats + 2, 2}};
    a->frames = f->frames;
    a->n_frames = 2;
    f->corpus.docs = f->docs;
    f->clean.docs = f->cdocs;
    return f;
}

static void fixture_add(fixture *f, size_t source, const char *text)
{
    size_t i = f->corpus.n_docs++;
    f->clean.n_docs = f->corpus.n_docs;
    f->texts[i] = strdup(text);
    assert_non_null(f->texts[i]);
    snprintf(f->ids[i], sizeof f->ids[i], "doc%03zu", i);
    fs_doc *d = &f->docs[i];
    d->id = f->ids[i];
    d->path = f->ids[i];
    d->source = source;
    d->text = f->texts[i];
    d->len = strlen(text);
    d->chars_raw = d->len;
    for (int k = 0; k < 64; k++)
        d->sha256[k] = "0123456789abcdef"[(i * 7 + (size_t)k) % 16];
    fs_clean_doc *c = &f->cdocs[i];
    c->text = f->texts[i];
    c->len = d->len;
    c->chars_clean = d->len;
    c->duplicate_of = -1;
}

static void fixture_free(fixture *f)
{
    for (size_t i = 0; i < f->corpus.n_docs; i++)
        free(f->texts[i]);
    free(f);
}

static fs_counts *run(const fixture *f, int threads, const bool *select)
{
    fs_ctx ctx = {NULL, NULL, FS_LOG_ERROR, threads, NULL, NULL, NULL};
    fs_counts *c = NULL;
    fs_error err;
    fs_status st = fs_count_run(&f->cfg, &ctx, &f->corpus, &f->clean, select, &c, &err);
    if (st != FS_OK)
        fail_msg("count: %s: %s", err.where, err.msg);
    return c;
}

static uint64_t pair_count(const fs_counts *c, size_t source, const char *x, const char *y)
{
    uint32_t a = fs_counts_term_id(c, x), b = fs_counts_term_id(c, y);
    if (a == UINT32_MAX || b == UINT32_MAX)
        return 0;
    if (a > b) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < fs_counts_n_pairs(c, source); i++) {
        uint32_t pa, pb;
        uint64_t n;
        fs_counts_pair(c, source, i, &pa, &pb, &n);
        if (pa == a && pb == b)
            return n;
    }
    return 0;
}

static void assert_counts_equal(const fs_counts *x, const fs_counts *y)
{
    size_t ns = fs_counts_n_sources(x);
    assert_int_equal(ns, fs_counts_n_sources(y));
    assert_int_equal(fs_counts_n_terms(x), fs_counts_n_terms(y));
    for (uint32_t t = 0; t < fs_counts_n_terms(x); t++) {
        assert_string_equal(fs_counts_term(x, t), fs_counts_term(y, t));
        for (size_t s = 0; s < ns; s++) {
            assert_int_equal(fs_counts_tf(x, s, t), fs_counts_tf(y, s, t));
            assert_int_equal(fs_counts_df(x, s, t), fs_counts_df(y, s, t));
        }
    }
    for (size_t s = 0; s < ns; s++) {
        assert_int_equal(fs_counts_tokens(x, s), fs_counts_tokens(y, s));
        assert_int_equal(fs_counts_content_tokens(x, s), fs_counts_content_tokens(y, s));
        assert_int_equal(fs_counts_n_docs_counted(x, s), fs_counts_n_docs_counted(y, s));
        assert_int_equal(fs_counts_n_pairs(x, s), fs_counts_n_pairs(y, s));
        for (size_t i = 0; i < fs_counts_n_pairs(x, s); i++) {
            uint32_t a1, b1, a2, b2;
            uint64_t n1, n2;
            fs_counts_pair(x, s, i, &a1, &b1, &n1);
            fs_counts_pair(y, s, i, &a2, &b2, &n2);
            assert_int_equal(a1, a2);
            assert_int_equal(b1, b2);
            assert_int_equal(n1, n2);
            assert_true(a1 < b1);
        }
        for (size_t fr = 0; fr < fs_counts_n_frames(x); fr++)
            assert_int_equal(fs_counts_frame_hits(x, s, fr), fs_counts_frame_hits(y, s, fr));
    }
    assert_int_equal(fs_counts_n_docs(x), fs_counts_n_docs(y));
    for (size_t d = 0; d < fs_counts_n_docs(x); d++) {
        const fs_doc_info *p = fs_counts_doc(x, d), *q = fs_counts_doc(y, d);
        assert_string_equal(p->id, q->id);
        assert_int_equal(p->counted, q->counted);
        assert_int_equal(p->tokens, q->tokens);
        assert_int_equal(p->content_tokens, q->content_tokens);
        assert_string_equal(p->sha256, q->sha256);
        const uint32_t *t1, *c1, *t2, *c2;
        size_t n1, n2;
        fs_counts_doc_terms(x, d, &t1, &c1, &n1);
        fs_counts_doc_terms(y, d, &t2, &c2, &n2);
        assert_int_equal(n1, n2);
        for (size_t k = 0; k < n1; k++) {
            assert_int_equal(t1[k], t2[k]);
            assert_int_equal(c1[k], c2[k]);
            if (k)
                assert_true(t1[k - 1] < t1[k]);
        }
        for (size_t fr = 0; fr < fs_counts_n_frames(x); fr++)
            assert_int_equal(fs_counts_doc_frame_hits(x, d, fr),
                             fs_counts_doc_frame_hits(y, d, fr));
    }
    assert_int_equal(fs_counts_n_kwic(x), fs_counts_n_kwic(y));
    for (size_t i = 0; i < fs_counts_n_kwic(x); i++) {
        const fs_kwic *p = fs_counts_kwic(x, i), *q = fs_counts_kwic(y, i);
        assert_int_equal(p->doc, q->doc);
        assert_int_equal(p->focus, q->focus);
        assert_int_equal(p->source, q->source);
        assert_string_equal(p->left, q->left);
        assert_string_equal(p->keyword, q->keyword);
        assert_string_equal(p->right, q->right);
    }
    assert_int_equal(fs_counts_cooc_pruned(x), fs_counts_cooc_pruned(y));
    assert_string_equal(fs_counts_stopwords_version(x), fs_counts_stopwords_version(y));
}

/* A deterministic synthetic document: words from a small vocabulary with capitals, acronyms,
 * aliases, phrases and punctuation, so every rule takes part. */
static void gen_text(uint64_t *seed, char *buf, size_t cap, size_t words)
{
    static const char *const vocab[] = {
        "alliance", "Taiwan", "the", "deterrence", "US", "us", "U.S.", "South Korea", "nuclear",
        "a", "of", "China", "Seoul", "Taiwan Strait", "troops", "non-combat", "USFK’s",
        "policy", "and", "“strategic”", "—", "said", "Washington’s", "42", "in", "Korea"};
    size_t n = 0;
    for (size_t w = 0; w < words && n + 32 < cap; w++) {
        *seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
        size_t k = (size_t)(*seed >> 33) % (sizeof vocab / sizeof *vocab);
        const char *sep = (*seed >> 20) % 11 == 0 ? ". " : (*seed >> 24) % 29 == 0 ? "\n" : " ";
        n += (size_t)snprintf(buf + n, cap - n, "%s%s", vocab[k], sep);
    }
    buf[n] = '\0';
}

static fixture *generated(size_t n_docs)
{
    fixture *f = fixture_new(3, 4);
    uint64_t seed = 12345;
    char buf[8192];
    for (size_t i = 0; i < n_docs; i++) {
        gen_text(&seed, buf, sizeof buf, 50 + (seed >> 40) % 400);
        fixture_add(f, i % 3, buf);
    }
    f->cdocs[5].excluded = true; /* a duplicate: in provenance, not counted */
    f->cdocs[5].duplicate_of = 2;
    return f;
}

/* ---------------------------------------------------------------- tests */

static void test_cooccurrence_hand_counted(void **state)
{
    (void)state;
    fixture *f = fixture_new(1, 2);
    /* Content positions: alpha0 beta1 gamma2 alpha3 beta4 ("the" is a stopword). With window 2,
     * pairs (i<j, j-i<=2): 01 ab, 02 ag, 12 bg, 13 ba, 23 ga, 24 gb, 34 ab
     * → alpha-beta 3, alpha-gamma 2, beta-gamma 2. */
    fixture_add(f, 0, "alpha beta the gamma alpha beta");
    fs_counts *c = run(f, 1, NULL);
    assert_int_equal(fs_counts_n_terms(c), 3);
    assert_string_equal(fs_counts_term(c, 0), "alpha");
    assert_string_equal(fs_counts_term(c, 2), "gamma");
    assert_int_equal(fs_counts_tokens(c, 0), 6);
    assert_int_equal(fs_counts_content_tokens(c, 0), 5);
    assert_int_equal(fs_counts_tf(c, 0, 0), 2);
    assert_int_equal(fs_counts_df(c, 0, 0), 1);
    assert_int_equal(fs_counts_n_pairs(c, 0), 3);
    assert_int_equal(pair_count(c, 0, "alpha", "beta"), 3);
    assert_int_equal(pair_count(c, 0, "alpha", "gamma"), 2);
    assert_int_equal(pair_count(c, 0, "beta", "gamma"), 2);
    fs_counts_free(c);

    /* Sentence-bounded: [alpha beta] [gamma alpha beta] → alpha-beta 1 + 1, and in the second
     * sentence gamma-alpha 1, gamma-beta 1, alpha-beta 1 → alpha-beta 2, alpha-gamma 1,
     * beta-gamma 1. Without the bound the window also pairs beta0..gamma2 etc. */
    f->texts[0][0] = '\0';
    free(f->texts[0]);
    f->corpus.n_docs = 0;
    fixture_add(f, 0, "alpha beta. Gamma alpha beta");
    f->cfg.analysis.sentence_cooccurrence = true;
    c = run(f, 1, NULL);
    assert_int_equal(pair_count(c, 0, "alpha", "beta"), 2);
    assert_int_equal(pair_count(c, 0, "alpha", "gamma"), 1);
    assert_int_equal(pair_count(c, 0, "beta", "gamma"), 1);
    fs_counts_free(c);
    fixture_free(f);
}

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

static void test_memory_cap_prunes(void **state)
{
    (void)state;
    /* ~60,000 distinct random words in one document: the pair table outgrows a 1 MB cap. */
    fixture *f = fixture_new(1, 10);
    size_t cap = 600000, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    uint64_t seed = 7;
    for (int w = 0; w < 60000; w++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        n += (size_t)snprintf(buf + n, cap - n, "w%llx ", (unsigned long long)(seed >> 44));
    }
    fixture_add(f, 0, buf);
    free(buf);
    f->cfg.analysis.cooc_memory_mb = 1;
    fs_counts *c = run(f, 1, NULL);
    assert_true(fs_counts_cooc_pruned(c));
    assert_true(fs_counts_n_pairs(c, 0) > 0);
    assert_true(fs_counts_n_pairs(c, 0) < 600000);
    assert_int_equal(fs_counts_content_tokens(c, 0), 60000); /* term counts are never pruned */
    fs_counts_free(c);
    f->cfg.analysis.cooc_memory_mb = 512;
    c = run(f, 1, NULL);
    assert_false(fs_counts_cooc_pruned(c));
    fs_counts_free(c);
    fixture_free(f);
}

static void note_spill(void *user, fs_log_level level, const char *msg)
{
    (void)level;
    if (strstr(msg, "spilled"))
        *(int *)user = 1;
}

/* Random words (w0..w<vocab-1 in hex) in `docs` documents of `words` words each; with `walk`,
 * each word is 1-3 after the previous one (mod vocab), so few distinct pairs recur often. */
static fixture *random_words(size_t docs, size_t words, unsigned vocab, int window, bool walk)
{
    fixture *f = fixture_new(2, window);
    size_t cap = words * 8 + 1;
    char *buf = malloc(cap);
    assert_non_null(buf);
    uint64_t seed = 99;
    unsigned at = 0;
    for (size_t d = 0; d < docs; d++) {
        size_t n = 0;
        for (size_t w = 0; w < words; w++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            at = walk ? (at + 1 + (unsigned)(seed >> 33) % 3) % vocab : (unsigned)(seed >> 33) % vocab;
            n += (size_t)snprintf(buf + n, cap - n, "w%x ", at);
        }
        fixture_add(f, d % 2, buf);
    }
    free(buf);
    return f;
}

static void test_memory_cap_spills_exactly(void **state)
{
    (void)state;
    /* ~36,000 distinct pairs (a result that fits 1 MB) from 800,000 occurrences: the workers'
     * sorted runs outgrow their share of 1 MB and go to a temporary file; nothing is lost. */
    fixture *f = random_words(400, 1000, 3000, 2, true);
    fs_counts *ref = run(f, 1, NULL);
    assert_false(fs_counts_cooc_pruned(ref));
    f->cfg.analysis.cooc_memory_mb = 1;
    int threads[] = {1, 2, 4};
    for (size_t k = 0; k < 3; k++) {
        int spilled = 0;
        fs_ctx ctx = {note_spill, &spilled, FS_LOG_DEBUG, threads[k], NULL, NULL, NULL};
        fs_counts *c = NULL;
        fs_error err;
        assert_int_equal(fs_count_run(&f->cfg, &ctx, &f->corpus, &f->clean, NULL, &c, &err), FS_OK);
        assert_true(spilled);
        assert_counts_equal(ref, c);
        fs_counts_free(c);
    }
    fs_counts_free(ref);
    fixture_free(f);
}

static void test_memory_cap_prunes_deterministically(void **state)
{
    (void)state;
    /* Far more distinct pairs than 1 MB holds, spread over many documents: what is dropped
     * depends on the corpus only, not on which worker saw which document. */
    fixture *f = random_words(60, 1500, 40000, 10, false);
    f->cfg.analysis.cooc_memory_mb = 1;
    fs_counts *one = run(f, 1, NULL), *two = run(f, 2, NULL), *four = run(f, 4, NULL);
    assert_true(fs_counts_cooc_pruned(one));
    assert_counts_equal(one, two);
    assert_counts_equal(one, four);
    size_t total = 0;
    for (size_t s = 0; s < 2; s++) {
        total += fs_counts_n_pairs(one, s);
        for (size_t i = 0; i < fs_counts_n_pairs(one, s); i++) {
            uint32_t a, b;
            uint64_t n;
            fs_counts_pair(one, s, i, &a, &b, &n);
            /* kept pairs: both terms seen at least twice in the whole corpus */
            assert_true(fs_counts_tf(one, 0, a) + fs_counts_tf(one, 1, a) >= 2);
            assert_true(fs_counts_tf(one, 0, b) + fs_counts_tf(one, 1, b) >= 2);
        }
    }
    assert_true(total > 0);
    assert_true(total * 16 <= 1024 * 1024);
    fs_counts_free(one);
    fs_counts_free(two);
    fs_counts_free(four);
    fixture_free(f);
}

/* Dense slots given to chosen ids midway (cooc_set_dense, as count.c does with its top terms)
 * count exactly what identity slots count. Random documents over 3,000 ids, two sources. */
static void cooc_run_docs(bool rerank, fs_pair **pairs, size_t *n_pairs)
{
    cooc_state c, *cs = &c;
    assert_int_equal(cooc_init(&c, 2, 64u << 20), FS_OK);
    uint32_t ids[200], sent[200], map[3000], top[64];
    for (uint32_t i = 0; i < 3000; i++)
        map[i] = i;
    for (uint32_t i = 0; i < 64; i++)
        top[i] = 2999 - 7 * i; /* slots for late, sparse ids */
    uint64_t x = 12345;
    for (int d = 0; d < 400; d++) {
        for (int k = 0; k < 200; k++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            ids[k] = (uint32_t)((x >> 33) % (x >> 62 ? 3000 : 40));
            sent[k] = (uint32_t)k / 17;
        }
        if (rerank && d == 150)
            assert_int_equal(cooc_set_dense(&c, top, 64, 3000), FS_OK);
        assert_int_equal(cooc_add_doc(&c, (size_t)d % 2, ids, sent, 200, 5, d % 3 == 0, 3000),
                         FS_OK);
    }
    assert_int_equal(cooc_finish(&c, 3000), FS_OK);
    const uint32_t *maps[] = {map};
    for (size_t s = 0; s < 2; s++)
        assert_int_equal(cooc_collect(&cs, 1, maps, 3000, s, &pairs[s], &n_pairs[s]), FS_OK);
    cooc_free(&c);
}

static void test_cooc_dense_slots(void **state)
{
    (void)state;
    fs_pair *a[2], *b[2];
    size_t na[2], nb[2];
    cooc_run_docs(false, a, na);
    cooc_run_docs(true, b, nb);
    for (size_t s = 0; s < 2; s++) {
        assert_true(na[s] > 1000);
        assert_int_equal(na[s], nb[s]);
        assert_memory_equal(a[s], b[s], na[s] * sizeof *a[s]);
        free(a[s]);
        free(b[s]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cooccurrence_hand_counted),
        cmocka_unit_test(test_frames_and_provenance),
        cmocka_unit_test(test_kwic),
        cmocka_unit_test(test_threads_equal),
        cmocka_unit_test(test_shard_merge_hand),
        cmocka_unit_test(test_shard_merge_generated),
        cmocka_unit_test(test_merge_appends_other_corpus),
        cmocka_unit_test(test_save_load_and_corruption),
        cmocka_unit_test(test_memory_cap_prunes),
        cmocka_unit_test(test_memory_cap_spills_exactly),
        cmocka_unit_test(test_memory_cap_prunes_deterministically),
        cmocka_unit_test(test_cooc_dense_slots),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
