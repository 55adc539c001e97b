/* test_clean_par.c: the clean stage's fast paths and parallel passes: the inlined line/word hash
 * against fs_hash_bytes, the ASCII fast path of clean_is_nav_line against the decoding reference
 * on random lines, the ASCII fast path of the dedup word hashes against its reference on random
 * texts, results identical for 1, 2 and 5 threads (texts, removal records, pairs, log
 * lines), errors naming the first failing document whatever the thread count, take mode over a
 * spool, MinHash candidates for documents that follow word-less ones, and the hashed
 * repeated-line step against its sorting reference. */
#include "testutil.h"

#include <stdarg.h>

#include "clean_internal.h"
#include "framescope/clean.h"
#include "framescope/config.h"
#include "framescope/corpus.h"
#include "framescope/intern.h"
#include "framescope/spool.h"
#include "framescope/utf8.h"

#define N_DOCS 240

/* xorshift64*: reproducible pseudo-random test data. */
static uint64_t rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1Dull;
}

static void test_hash_matches_fs_hash_bytes(void **state)
{
    (void)state;
    uint64_t seed = 42;
    unsigned char buf[80];
    for (size_t len = 0; len <= sizeof buf; len++)
        for (int rep = 0; rep < 20; rep++) {
            for (size_t i = 0; i < len; i++)
                buf[i] = (unsigned char)rnd(&seed);
            assert_true(clean_hash(buf, len) == fs_hash_bytes(buf, len));
        }
}

/* Pieces random lines are made of: words, ASCII and non-ASCII white space, bullets, closers,
 * breadcrumb separators, sentence ends, letters outside ASCII, symbols, an invalid byte. */
static const char *const pieces[] = {
    "word", "Korea", "42", "US-ROK", " ", "  ", "\t", "\xC2\xA0", "\xE2\x80\xAF", "\xE2\x80\x87",
    "\xE2\x80\xA2", "\xC2\xB7", "-", "*", "|", ">", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x96\xAA",
    "\xC2\xBB", "\xE2\x80\xBA", ".", "!", "?", "\xE2\x80\xA6", "\xE3\x80\x82", "\"", "'", ")",
    "]", "\xE2\x80\x99", "\xE2\x80\x9D", "\xC3\xA9t\xC3\xA9", "\xED\x95\x9C\xEA\xB5\xAD", "#",
    "&", "\xF0\x9F\x98\x80", "\xFF", "(", "\xD9\xA3"};

static void test_nav_fast_path_matches_reference(void **state)
{
    (void)state;
    uint64_t seed = 7;
    size_t n_pieces = sizeof pieces / sizeof pieces[0];
    size_t nav = 0, total = 0;
    char line[600];
    for (int rep = 0; rep < 200000; rep++) {
        size_t len = 0, n = rnd(&seed) % 80;
        for (size_t k = 0; k < n; k++) {
            /* Mostly words, so that long lines and sentences are common, not only breadcrumbs. */
            size_t pick = rnd(&seed) % 10 < 7 ? rnd(&seed) % 4 : rnd(&seed) % n_pieces;
            const char *p = pieces[pick];
            size_t pl = strlen(p);
            memcpy(line + len, p, pl);
            len += pl;
            if (rnd(&seed) % 2) /* words apart often enough for long lines to occur */
                line[len++] = ' ';
        }
        int max_words = (int)(rnd(&seed) % 30);
        bool fast = clean_is_nav_line(line, len, max_words);
        bool slow = clean_is_nav_line_slow(line, len, max_words);
        if (fast != slow)
            fail_msg("line \"%.*s\" (max %d): fast %d, reference %d", (int)len, line, max_words,
                     fast, slow);
        nav += fast;
        total++;
    }
    print_message("%zu of %zu random lines are navigation\n", nav, total);
    /* Both verdicts occur often enough for the comparison to mean something. */
    assert_true(nav > total / 10 && nav < total - total / 10);
}

/* Pieces of random texts for the word hashing: ASCII words in every case and length (past the
 * 252-byte cap too), digits, letters outside ASCII inside and next to ASCII words, upper-case
 * letters outside ASCII, white space and punctuation in and outside ASCII, an invalid byte. */
static const char *const word_pieces[] = {
    "the", "Korea", "ALLIANCE", "42", "x", "Strategic", "flexibility", "US-ROK", " ", "\n",
    "  ", ", ", ".", "\xE2\x80\x99", "\xE2\x80\x9C", "\xC2\xA0", "caf\xC3\xA9", "\xC3\x89t\xC3\xA9",
    "\xED\x95\x9C\xEA\xB5\xAD", "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0", "\xFF",
    "\xF0\x9F\x98\x80", "\xD9\xA3", "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "_", "@"};

static void test_word_hash_fast_path_matches_reference(void **state)
{
    (void)state;
    /* Values from the definition: "Hello WORLD" has the words "hello" and "world"; with k = 1
     * each shingle is the hash of one word's 8-byte hash. */
    uint64_t *buf = NULL, *ref = NULL;
    size_t cap = 0, ref_cap = 0, n = 0, nr = 0;
    assert_int_equal(clean_shingle_hashes("Hello WORLD", 11, 1, &buf, &cap, &n), FS_OK);
    assert_int_equal(n, 2);
    uint64_t w[2] = {fs_hash_bytes("hello", 5), fs_hash_bytes("world", 5)};
    assert_true(buf[0] == fs_hash_bytes(&w[0], 8) && buf[1] == fs_hash_bytes(&w[1], 8));
    assert_int_equal(clean_shingle_hashes("Hello WORLD", 11, 2, &buf, &cap, &n), FS_OK);
    assert_true(n == 1 && buf[0] == fs_hash_bytes(w, 16));
    /* A 300-letter word is hashed on its first 252 letters, lower-cased. */
    char big[300], low[252];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)((i % 3 ? 'a' : 'A') + i % 26);
    for (size_t i = 0; i < sizeof low; i++)
        low[i] = (char)('a' + i % 26);
    assert_int_equal(clean_shingle_hashes(big, sizeof big, 1, &buf, &cap, &n), FS_OK);
    w[0] = fs_hash_bytes(low, sizeof low);
    assert_true(n == 1 && buf[0] == fs_hash_bytes(&w[0], 8));

    uint64_t seed = 11;
    size_t n_pieces = sizeof word_pieces / sizeof word_pieces[0];
    size_t total = 0;
    for (int rep = 0; rep < 30000; rep++) {
        size_t len = 0, np = rnd(&seed) % 60;
        char *text = malloc(np * 40 + 310);
        assert_non_null(text);
        for (size_t k = 0; k < np; k++) {
            if (rnd(&seed) % 200 == 0) { /* now and then a word past the length cap */
                size_t wl = 250 + rnd(&seed) % 10;
                for (size_t i = 0; i < wl; i++)
                    text[len++] = (char)('A' + rnd(&seed) % 58); /* some not letters */
                continue;
            }
            const char *p = word_pieces[rnd(&seed) % n_pieces];
            memcpy(text + len, p, strlen(p));
            len += strlen(p);
        }
        /* An exact-size copy, so that the sanitizers see any read past the text. */
        char *t = malloc(len ? len : 1);
        assert_non_null(t);
        memcpy(t, text, len);
        int k = 1 + (int)(rnd(&seed) % 6);
        assert_int_equal(clean_shingle_hashes(t, len, k, &buf, &cap, &n), FS_OK);
        assert_int_equal(clean_shingle_hashes_slow(t, len, k, &ref, &ref_cap, &nr), FS_OK);
        if (n != nr || (n && memcmp(buf, ref, n * sizeof *buf) != 0))
            fail_msg("text \"%.*s\" (k %d): %zu shingles, reference %zu", (int)len, t, k, n, nr);
        total += n;
        free(t);
        free(text);
    }
    print_message("%zu shingles compared\n", total);
    assert_true(total > 100000);
    free(buf);
    free(ref);
}

/* ---- a corpus exercising every step ------------------------------------------------------- */

typedef struct corpus_fx {
    fs_config cfg;
    fs_source_cfg src[2];
    fs_pattern drop, cut;
    fs_corpus corpus;
    fs_doc docs[N_DOCS];
    char ids[N_DOCS][16];
    char *texts[N_DOCS];
} corpus_fx;

/* Document i: a story of distinct words (so the story lines are unique), with boilerplate:
 * an outlet footer shared by the outlet's documents, a menu line, a link line, a headline
 * printed twice, a "Advertisement" line for the drop rule and a "Related:" tail for the cut
 * rule; every 17th document has no words at all, every 11th is a copy of the one before with
 * a word changed (a near-duplicate), every 50th is empty once cleaned. */
#define TEXT_CAP 8192

static void put(char *t, size_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void put(char *t, size_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    *n += (size_t)vsnprintf(t + *n, TEXT_CAP - *n, fmt, ap);
    va_end(ap);
}

static char *make_text(size_t i, uint64_t *seed)
{
    size_t n = 0;
    char *t = malloc(TEXT_CAP);
    assert_non_null(t);
#define PUT(...) put(t, &n, __VA_ARGS__)
    if (i % 17 == 5) {
        PUT("* * *\n###\n");
        return t;
    }
    if (i % 50 == 7) {
        PUT("Home \xC2\xBB World \xC2\xBB Asia\nhttps://example.com/%zu\n", i);
        return t;
    }
    size_t story = i % 11 == 10 ? i - 1 : i;
    PUT("  Headline number w%zu about the alliance  \n\n", story);
    PUT("\xE2\x80\xA2 Section %zu\n", i);
    for (int p = 0; p < 4; p++) {
        for (int w = 0; w < 30; w++)
            PUT("%sw%zuq%d%s", w ? " " : "", story, p * 30 + w,
                i != story && p == 2 && w == 3 ? "x" : "");
        PUT(".\n\n\n");
    }
    PUT("Headline number w%zu about the alliance\n", story);
    PUT("Advertisement\n");
    PUT("Copyright outlet %zu, all rights reserved.\n", i % 3);
    PUT("<https://example.com/story/%zu>\n", i);
    if (rnd(seed) % 2)
        PUT("Related: more stories w%zu\nsomething after the cut\n", i);
#undef PUT
    return t;
}

static const char *const outlets[3] = {"Outlet A", "Outlet B", NULL};

static void cfx_init(corpus_fx *f)
{
    memset(f, 0, sizeof *f);
    tu_config_init(&f->cfg, f->src, 2);
    f->drop = (fs_pattern){.name = "sources[0].clean.drop_lines[0]", .pattern = "^Advertisement$"};
    f->cut = (fs_pattern){.name = "global.cut_from[0]", .pattern = "^Related:"};
    f->src[0].clean.drop_lines = (fs_pattern_list){&f->drop, 1};
    f->cfg.clean.global.cut_from = (fs_pattern_list){&f->cut, 1};
    f->corpus.docs = f->docs;
    f->corpus.n_docs = N_DOCS;
    uint64_t seed = 99;
    for (size_t i = 0; i < N_DOCS; i++) {
        f->texts[i] = make_text(i, &seed);
        snprintf(f->ids[i], sizeof f->ids[i], "d%zu", i);
        fs_doc *d = &f->docs[i];
        d->id = d->path = f->ids[i];
        d->source = i % 5 == 4 ? 1 : 0;
        d->outlet = (char *)outlets[i % 3];
        d->text = f->texts[i];
        d->len = strlen(f->texts[i]);
        d->chars_raw = fs_utf8_count(d->text, d->len);
    }
}

static void cfx_free(corpus_fx *f)
{
    for (size_t i = 0; i < N_DOCS; i++)
        free(f->texts[i]);
}

typedef struct log_buf {
    char text[1 << 16];
    size_t n;
} log_buf;

static void log_line(void *user, fs_log_level level, const char *msg)
{
    log_buf *b = user;
    b->n += (size_t)snprintf(b->text + b->n, sizeof b->text - b->n, "%d %s\n", (int)level, msg);
}

static fs_clean_result *run_threads(corpus_fx *f, int threads, log_buf *lb)
{
    fs_ctx ctx = {.threads = threads, .log = log_line, .log_user = lb,
                  .verbosity = FS_LOG_DEBUG};
    lb->n = 0;
    lb->text[0] = '\0';
    fs_clean_result *r = NULL;
    fs_error err;
    if (fs_clean_run(&f->cfg, &ctx, &f->corpus, &r, &err) != FS_OK)
        fail_msg("fs_clean_run: %s: %s", err.where, err.msg);
    return r;
}

static void assert_same_result(const fs_clean_result *a, const fs_clean_result *b)
{
    assert_int_equal(a->n_docs, b->n_docs);
    for (size_t i = 0; i < a->n_docs; i++) {
        const fs_clean_doc *x = &a->docs[i], *y = &b->docs[i];
        assert_int_equal(x->len, y->len);
        assert_memory_equal(x->text, y->text, x->len);
        assert_int_equal(x->chars_clean, y->chars_clean);
        assert_int_equal(x->duplicate_of, y->duplicate_of);
        assert_true(x->similarity == y->similarity);
        assert_int_equal(x->excluded, y->excluded);
        assert_int_equal(x->n_removals, y->n_removals);
        for (size_t k = 0; k < x->n_removals; k++) {
            assert_string_equal(x->removals[k].rule, y->removals[k].rule);
            assert_int_equal(x->removals[k].chars, y->removals[k].chars);
            assert_int_equal(x->removals[k].lines, y->removals[k].lines);
        }
    }
    assert_int_equal(a->n_pairs, b->n_pairs);
    for (size_t p = 0; p < a->n_pairs; p++) {
        assert_int_equal(a->pairs[p].a, b->pairs[p].a);
        assert_int_equal(a->pairs[p].b, b->pairs[p].b);
        assert_true(a->pairs[p].similarity == b->pairs[p].similarity);
        assert_int_equal(a->pairs[p].cross_source, b->pairs[p].cross_source);
    }
}

static const fs_removal *removal(const fs_clean_doc *d, const char *rule)
{
    for (size_t k = 0; k < d->n_removals; k++)
        if (strcmp(d->removals[k].rule, rule) == 0)
            return &d->removals[k];
    return NULL;
}

static void test_same_results_for_any_thread_count(void **state)
{
    (void)state;
    corpus_fx *f = malloc(sizeof *f);
    static log_buf l1, l2, l5;
    assert_non_null(f);
    cfx_init(f);
    fs_clean_result *r1 = run_threads(f, 1, &l1);
    fs_clean_result *r2 = run_threads(f, 2, &l2);
    fs_clean_result *r5 = run_threads(f, 5, &l5);
    assert_same_result(r1, r2);
    assert_same_result(r1, r5);
    assert_string_equal(l1.text, l2.text);
    assert_string_equal(l1.text, l5.text);

    /* Values known from how make_text built the documents. Document 0 (source 0, outlet A,
     * story w0): the story paragraphs and the headline once remain. */
    const fs_clean_doc *d0 = &r1->docs[0];
    static const char head[] = "Headline number w0 about the alliance";
    static const char foot[] = "Copyright outlet 0, all rights reserved.";
    static const char start[] = "Headline number w0 about the alliance\n\nw0q0 w0q1 ";
    assert_true(strncmp(d0->text, start, strlen(start)) == 0);
    assert_int_equal(strstr(d0->text, "Headline number w0") - d0->text, 0);
    assert_null(strstr(d0->text + 1, "Headline number w0"));
    assert_null(strstr(d0->text, "Section"));
    assert_null(strstr(d0->text, "Copyright"));
    assert_null(strstr(d0->text, "Advertisement"));
    assert_null(strstr(d0->text, "example.com"));
    assert_null(strstr(d0->text, "Related"));
    /* Its repeated headline and the outlet footer (shared by the
     * outlet's documents) are "generic:repeated"; the menu, "generic:navigation"; the link,
     * "generic:link"; "Advertisement" (13 + 1), the source rule. */
    const fs_removal *rep = removal(d0, "generic:repeated");
    assert_non_null(rep);
    assert_int_equal(rep->lines, 2);
    assert_int_equal(rep->chars, strlen(head) + 1 + strlen(foot) + 1);
    assert_int_equal(removal(d0, "generic:navigation")->lines, 1);
    assert_int_equal(removal(d0, "generic:link")->lines, 1);
    assert_int_equal(removal(d0, "sources[0].clean.drop_lines[0]")->chars, 14);
    /* Every 11th document is a near-duplicate of the one before (one word of 120 changed,
     * shingles of 5: Jaccard (116 - 5 + 1) / (116 + 5) or so, above 0.8). */
    size_t dups = 0;
    for (size_t p = 0; p < r1->n_pairs; p++) {
        assert_int_equal(r1->pairs[p].b, r1->pairs[p].a + 1);
        assert_int_equal(r1->pairs[p].b % 11, 10);
        assert_true(r1->pairs[p].similarity > 0.8);
        dups++;
    }
    assert_true(dups >= 15);
    /* Documents with no word, or only a breadcrumb and a link, are empty and excluded. */
    assert_true(r1->docs[5].excluded);
    assert_int_equal(r1->docs[5].len, 0);
    assert_true(r1->docs[7].excluded);
    assert_non_null(strstr(l1.text, "d7: nothing left after cleaning"));
    fs_clean_free(r1);
    fs_clean_free(r2);
    fs_clean_free(r5);
    cfx_free(f);
    free(f);
}

static void test_first_failing_document_is_reported(void **state)
{
    (void)state;
    corpus_fx *f = malloc(sizeof *f);
    assert_non_null(f);
    cfx_init(f);
    /* A backtracking rule that hits the match limit on the long runs planted in documents 60
     * and 200 only (no other line starts with a lower-case a). */
    static fs_pattern slow = {.name = "slow-rule", .pattern = "^a(\\w+\\s?)*$"};
    f->src[0].clean.drop_lines = (fs_pattern_list){&slow, 1};
    static const char bad[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\nok";
    f->docs[60].text = f->docs[200].text = (char *)bad;
    f->docs[60].len = f->docs[200].len = strlen(bad);
    f->docs[60].source = f->docs[200].source = 0;
    for (int threads = 1; threads <= 4; threads++) {
        fs_ctx ctx = {.threads = threads};
        fs_clean_result *r = NULL;
        fs_error err;
        assert_int_equal(fs_clean_run(&f->cfg, &ctx, &f->corpus, &r, &err), FS_ERR_REGEX);
        assert_string_equal(err.where, "slow-rule");
        assert_non_null(strstr(err.msg, "(document d60)"));
        assert_null(r);
    }
    cfx_free(f);
    free(f);
}

static void test_take_mode_over_a_spool(void **state)
{
    (void)state;
    corpus_fx *f = malloc(sizeof *f);
    assert_non_null(f);
    cfx_init(f);
    log_buf *lb = malloc(sizeof *lb);
    assert_non_null(lb);
    fs_clean_result *ref = run_threads(f, 2, lb);
    /* The same texts in an on-disk spool (falls back to the heap where no disk can be used),
     * cleaned over themselves. */
    fs_spool *sp;
    assert_int_equal(fs_spool_create(false, &sp), FS_OK);
    f->corpus.spool = sp;
    for (size_t i = 0; i < N_DOCS; i++) {
        f->docs[i].text = fs_spool_add(sp, f->texts[i], f->docs[i].len);
        assert_non_null(f->docs[i].text);
    }
    fs_ctx ctx = {.threads = 2};
    fs_clean_result *r = NULL;
    fs_error err;
    assert_int_equal(fs_clean_run_take(&f->cfg, &ctx, &f->corpus, &r, &err), FS_OK);
    assert_ptr_equal(r->spool, sp);
    for (size_t i = 0; i < N_DOCS; i++)
        assert_null(f->docs[i].text);
    assert_same_result(ref, r);
    fs_clean_free(r);
    fs_clean_free(ref);
    fs_spool_free(sp);
    free(lb);
    cfx_free(f);
    free(f);
}

static void test_minhash_after_wordless_documents(void **state)
{
    (void)state;
    /* Word-less documents first, so that a document's position among those compared is not its
     * index: MinHash must still propose exactly the pairs the exact path finds. */
    corpus_fx *f = malloc(sizeof *f);
    assert_non_null(f);
    cfx_init(f);
    log_buf *lb = malloc(sizeof *lb);
    assert_non_null(lb);
    for (size_t i = 0; i < 12; i++) {
        f->docs[i].text = "* * *\n";
        f->docs[i].len = 6;
        f->docs[i].chars_raw = 6;
    }
    fs_clean_result *exact = run_threads(f, 2, lb);
    assert_true(exact->n_pairs >= 15);
    for (int threads = 1; threads <= 2; threads++) {
        fs_clean_result *mh = run_threads(f, 2, lb);
        for (size_t i = 0; i < mh->n_docs; i++) {
            mh->docs[i].excluded = mh->docs[i].len == 0;
            mh->docs[i].duplicate_of = -1;
            mh->docs[i].similarity = 0;
        }
        fs_error err;
        fs_ctx ctx = {.threads = threads};
        assert_int_equal(clean_dedup(&f->cfg, &ctx, &f->corpus, mh, 0, &err), FS_OK);
        assert_same_result(exact, mh);
        fs_clean_free(mh);
    }
    fs_clean_free(exact);
    free(lb);
    cfx_free(f);
    free(f);
}

/* Random line records (few distinct lines, so that many repeat; documents more or less made of
 * shared lines, so that some are mostly shared): the hashed, partitioned repeated-line step
 * tags exactly the lines the sorting reference does, for any thread count. */
static void test_repeated_lines_match_reference(void **state)
{
    (void)state;
    enum { ND = 400 };
    static char out_a[] = "A", out_b[] = "B";
    char *const groups[] = {out_a, out_b, NULL}; /* NULL: grouped by source */
    fs_doc *fd = calloc(ND, sizeof *fd);
    clean_lines *ref = calloc(ND, sizeof *ref), *got = calloc(ND, sizeof *got);
    assert_true(fd && ref && got);
    uint64_t s = 0x1234567ull;
    for (size_t d = 0; d < ND; d++) {
        fd[d].outlet = groups[d % 3];
        fd[d].source = d % 2;
        size_t n = rnd(&s) % 24, pool = 1 + d % 5; /* d % 5 == 0: nearly all shared */
        ref[d].lines = calloc(n ? n : 1, sizeof *ref[d].lines);
        got[d].lines = calloc(n ? n : 1, sizeof *got[d].lines);
        assert_true(ref[d].lines && got[d].lines);
        ref[d].n = got[d].n = n;
        for (size_t i = 0; i < n; i++) {
            clean_line *l = &ref[d].lines[i];
            uint64_t r = rnd(&s);
            l->hash = r % pool == 0 ? r % 37 : rnd(&s);
            l->len = r % 11 == 0 ? 0 : (uint32_t)(1 + r % 90);
            l->chars = l->len + 1;
            l->tag = r % 13 == 0 ? 3 : -1 - (int32_t)(r % 4);
        }
    }
    /* got keeps the records as generated, each run starts from them */
    for (size_t d = 0; d < ND; d++)
        memcpy(got[d].lines, ref[d].lines, ref[d].n * sizeof *ref[d].lines);
    fs_corpus c = {.docs = fd, .n_docs = ND};
    assert_int_equal(clean_generic_repeated_slow(&c, ref, 99, NULL), FS_OK);
    size_t tagged = 0;
    for (int threads = 1; threads <= 3; threads++) {
        clean_lines *run = calloc(ND, sizeof *run);
        assert_non_null(run);
        for (size_t d = 0; d < ND; d++) {
            run[d].n = got[d].n;
            run[d].lines = malloc((got[d].n ? got[d].n : 1) * sizeof *run[d].lines);
            assert_non_null(run[d].lines);
            memcpy(run[d].lines, got[d].lines, got[d].n * sizeof *got[d].lines);
        }
        fs_ctx ctx = {.threads = threads};
        assert_int_equal(clean_generic_repeated(&c, run, 99, &ctx), FS_OK);
        for (size_t d = 0; d < ND; d++) {
            for (size_t i = 0; i < ref[d].n; i++) {
                assert_int_equal(run[d].lines[i].tag, ref[d].lines[i].tag);
                tagged += ref[d].lines[i].tag == 99;
            }
            free(run[d].lines);
        }
        free(run);
    }
    assert_true(tagged > 0);
    for (size_t d = 0; d < ND; d++) {
        free(ref[d].lines);
        free(got[d].lines);
    }
    free(ref);
    free(got);
    free(fd);
}

/* A bucket of more than LSH_BUCKET_ALL_PAIRS copies (linked as a star) besides small ones: the
 * hashed banding, shared out among threads, gives the same pairs and merges for any thread
 * count, and every copy goes to the first. */
static void test_large_lsh_bucket_any_thread_count(void **state)
{
    (void)state;
    enum { ND = 90 };
    static char text[ND][160];
    fs_doc *fd = calloc(ND, sizeof *fd);
    fs_config *cfg = calloc(1, sizeof *cfg);
    assert_true(fd && cfg);
    fs_corpus c = {.docs = fd, .n_docs = ND};
    fs_clean_result *res[2];
    for (int t = 0; t < 2; t++) {
        res[t] = calloc(1, sizeof *res[t]);
        assert_non_null(res[t]);
        res[t]->docs = calloc(ND, sizeof *res[t]->docs);
        assert_non_null(res[t]->docs);
        res[t]->n_docs = ND;
        for (size_t d = 0; d < ND; d++) {
            /* 0..69: one text; then pairs of texts of their own */
            size_t v = d < 70 ? 0 : (d - 70) / 2 + 1;
            int n = snprintf(text[d], sizeof text[d],
                             "story %zu begins w%zu and runs w%zu with words w%zu beta gamma "
                             "w%zu epsilon zeta w%zu theta iota w%zu lambda mu w%zu xi",
                             v, v, v, v, v, v, v, v);
            res[t]->docs[d] = (fs_clean_doc){.text = text[d], .len = (size_t)n,
                                             .chars_clean = (size_t)n, .duplicate_of = -1};
        }
        fs_error err;
        fs_ctx ctx = {.threads = t + 1};
        assert_int_equal(clean_dedup(cfg, &ctx, &c, res[t], 0, &err), FS_OK);
    }
    assert_int_equal(res[0]->n_pairs, res[1]->n_pairs);
    for (size_t p = 0; p < res[0]->n_pairs; p++) {
        assert_int_equal(res[0]->pairs[p].a, res[1]->pairs[p].a);
        assert_int_equal(res[0]->pairs[p].b, res[1]->pairs[p].b);
    }
    for (size_t d = 0; d < ND; d++) {
        long want = d == 0 ? -1 : d < 70 ? 0 : (d - 70) % 2 ? (long)d - 1 : -1;
        assert_int_equal(res[0]->docs[d].duplicate_of, want);
        assert_int_equal(res[1]->docs[d].duplicate_of, want);
    }
    for (int t = 0; t < 2; t++) {
        res[t]->spool = (fs_spool *)1; /* texts are static: fs_clean_free must not free them */
        fs_clean_free(res[t]);
    }
    free(cfg);
    free(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_matches_fs_hash_bytes),
        cmocka_unit_test(test_nav_fast_path_matches_reference),
        cmocka_unit_test(test_word_hash_fast_path_matches_reference),
        cmocka_unit_test(test_same_results_for_any_thread_count),
        cmocka_unit_test(test_first_failing_document_is_reported),
        cmocka_unit_test(test_take_mode_over_a_spool),
        cmocka_unit_test(test_minhash_after_wordless_documents),
        cmocka_unit_test(test_repeated_lines_match_reference),
        cmocka_unit_test(test_large_lsh_bucket_any_thread_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
