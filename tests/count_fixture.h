/* count_fixture.h: hand-built corpora for the counting tests (test_count.c, test_count_cooc.c):
 * a fixture holds a config and a corpus with its cleaning result; run() counts it. */
#ifndef FRAMESCOPE_TEST_COUNT_FIXTURE_H
#define FRAMESCOPE_TEST_COUNT_FIXTURE_H

#include "testutil.h"

#include <stdbool.h>
#include "framescope/count.h"

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

static inline fixture *fixture_new(size_t n_sources, int window)
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

static inline void fixture_add(fixture *f, size_t source, const char *text)
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

static inline void fixture_free(fixture *f)
{
    for (size_t i = 0; i < f->corpus.n_docs; i++)
        free(f->texts[i]);
    free(f);
}

static inline fs_counts *run(const fixture *f, int threads, const bool *select)
{
    fs_ctx ctx = {NULL, NULL, FS_LOG_ERROR, threads, NULL, NULL, NULL};
    fs_counts *c = NULL;
    fs_error err;
    fs_status st = fs_count_run(&f->cfg, &ctx, &f->corpus, &f->clean, select, &c, &err);
    if (st != FS_OK)
        fail_msg("count: %s: %s", err.where, err.msg);
    return c;
}

static inline uint64_t pair_count(const fs_counts *c, size_t source, const char *x, const char *y)
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

static inline void assert_counts_equal(const fs_counts *x, const fs_counts *y)
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
        size_t n1 = fs_counts_doc_n_terms(x, d), n2 = fs_counts_doc_n_terms(y, d);
        assert_int_equal(n1, n2);
        assert_true(n1 <= fs_counts_doc_terms_max(x));
        uint32_t *t1 = malloc((n1 + 1) * sizeof *t1), *c1 = malloc((n1 + 1) * sizeof *c1);
        uint32_t *t2 = malloc((n1 + 1) * sizeof *t2), *c2 = malloc((n1 + 1) * sizeof *c2);
        assert_true(t1 && c1 && t2 && c2);
        assert_int_equal(fs_counts_doc_terms(x, d, t1, c1), n1);
        assert_int_equal(fs_counts_doc_terms(y, d, t2, c2), n1);
        for (size_t k = 0; k < n1; k++) {
            assert_int_equal(t1[k], t2[k]);
            assert_int_equal(c1[k], c2[k]);
            assert_true(c1[k] > 0 && t1[k] < fs_counts_n_terms(x));
            if (k)
                assert_true(t1[k - 1] < t1[k]);
        }
        free(t1);
        free(c1);
        free(t2);
        free(c2);
        if (d % 8 == 7) /* eviction keeps the contents: later reads must still match */
            fs_counts_doc_terms_evict(x, d - 7, d + 1);
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
static inline void gen_text(uint64_t *seed, char *buf, size_t cap, size_t words)
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

static inline fixture *generated(size_t n_docs)
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

#endif
