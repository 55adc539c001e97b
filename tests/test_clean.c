/* test_clean.c: explicit boilerplate rules (each kind), the generic heuristics, the removal
 * record, match limits, near-duplicates (exact and MinHash paths, within and across sources),
 * and the cleaned sample corpus through config/default.json. Run from the repository root. */
#include "testutil.h"

#include <ctype.h>

#include "clean_internal.h"
#include "framescope/clean.h"
#include "framescope/config.h"
#include "framescope/corpus.h"
#include "framescope/utf8.h"

/* ---- helpers -------------------------------------------------------------------------------- */

#define MAX_DOCS 64

/* A hand-built config and corpus (test-owned storage; never passed to the _free functions). */
typedef struct fixture {
    fs_config cfg;
    fs_source_cfg src[2];
    fs_corpus corpus;
    fs_doc docs[MAX_DOCS];
    char ids[MAX_DOCS][16];
} fixture;

static void fx_init(fixture *f, size_t n_sources)
{
    memset(f, 0, sizeof *f);
    tu_config_init(&f->cfg, f->src, n_sources);
    f->corpus.docs = f->docs;
}

static void fx_doc(fixture *f, size_t source, const char *outlet, const char *text)
{
    size_t i = f->corpus.n_docs++;
    assert_true(i < MAX_DOCS);
    snprintf(f->ids[i], sizeof f->ids[i], "d%zu", i);
    fs_doc *d = &f->docs[i];
    d->id = f->ids[i];
    d->path = f->ids[i];
    d->source = source;
    d->outlet = (char *)outlet;
    d->text = (char *)text;
    d->len = strlen(text);
    d->chars_raw = fs_utf8_count(text, d->len);
}

static fs_clean_result *run_ok(fixture *f)
{
    fs_clean_result *r = NULL;
    fs_error err;
    fs_ctx ctx = {0};
    fs_status st = fs_clean_run(&f->cfg, &ctx, &f->corpus, &r, &err);
    if (st != FS_OK)
        fail_msg("fs_clean_run: %s: %s", err.where, err.msg);
    /* Every run: raw characters are accounted for by the cleaned text plus the removals. */
    for (size_t i = 0; i < r->n_docs; i++) {
        size_t sum = r->docs[i].chars_clean;
        for (size_t k = 0; k < r->docs[i].n_removals; k++)
            sum += r->docs[i].removals[k].chars;
        assert_int_equal(sum, f->docs[i].chars_raw);
    }
    return r;
}

static const fs_removal *removal(const fs_clean_doc *d, const char *rule)
{
    for (size_t k = 0; k < d->n_removals; k++)
        if (strcmp(d->removals[k].rule, rule) == 0)
            return &d->removals[k];
    return NULL;
}

static fs_pattern_list one_pattern(fs_pattern *p, char *name, char *pattern)
{
    p->name = name;
    p->pattern = pattern;
    return (fs_pattern_list){p, 1};
}

/* ---- explicit rules ----------------------------------------------------------------------- */

static void test_drop_lines(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f, 1);
    f.cfg.clean.generic = false;
    fs_pattern p;
    f.src[0].clean.drop_lines = one_pattern(&p, "ads", "^Advert");
    fx_doc(&f, 0, NULL, "Keep one.\nAdvert here\nKeep two.\n  Advert indented  \n");
    fs_clean_result *r = run_ok(&f);
    assert_string_equal(r->docs[0].text, "Keep one.\nKeep two.");
    /* "Advert here\n" = 12 chars, "  Advert indented  \n" = 20: patterns see trimmed lines. */
    const fs_removal *rm = removal(&r->docs[0], "ads");
    assert_non_null(rm);
    assert_int_equal(rm->chars, 32);
    assert_int_equal(rm->lines, 2);
    assert_int_equal(r->docs[0].chars_clean, 19);
    fs_clean_free(r);
}

static void test_cut_from_before_through(void **state)
{
    (void)state;
    static const struct {
        int kind; /* 0 cut_from, 1 cut_before, 2 cut_through */
        const char *expect;
        size_t chars, lines;
    } rows[] = {
        /* Text: "Menu\nStory starts.\nMARK\nStory ends.\nFooter\n" */
        {0, "Menu\nStory starts.", 5 + 12 + 7, 3},  /* "MARK\n" "Story ends.\n" "Footer\n" */
        {1, "MARK\nStory ends.\nFooter", 5 + 14, 2}, /* "Menu\n" "Story starts.\n" */
        {2, "Story ends.\nFooter", 5 + 14 + 5, 3},   /* ... and "MARK\n" */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        fixture f;
        fx_init(&f, 1);
        f.cfg.clean.generic = false;
        fs_pattern p;
        fs_pattern_list l = one_pattern(&p, "rule", "^MARK$");
        if (rows[i].kind == 0)
            f.src[0].clean.cut_from = l;
        else if (rows[i].kind == 1)
            f.src[0].clean.cut_before = l;
        else
            f.src[0].clean.cut_through = l;
        fx_doc(&f, 0, NULL, "Menu\nStory starts.\nMARK\nStory ends.\nFooter\n");
        fs_clean_result *r = run_ok(&f);
        assert_string_equal(r->docs[0].text, rows[i].expect);
        const fs_removal *rm = removal(&r->docs[0], "rule");
        assert_non_null(rm);
        assert_int_equal(rm->chars, rows[i].chars);
        assert_int_equal(rm->lines, rows[i].lines);
        fs_clean_free(r);
    }
}

static void test_drop_blocks(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f, 1);
    f.cfg.clean.generic = false;
    fs_block_rule b = {"related", "^Related:$", "^End related$"};
    f.src[0].clean.drop_blocks = &b;
    f.src[0].clean.n_drop_blocks = 1;
    fx_doc(&f, 0, NULL, "A.\nRelated:\nx\ny\nEnd related\nB.\nRelated:\nz\nC.");
    fx_doc(&f, 0, NULL, "Only a start\nRelated:\nstory continues.");
    fs_clean_result *r = run_ok(&f);
    /* The second "Related:" has no end marker: left alone rather than cutting to the end. */
    assert_string_equal(r->docs[0].text, "A.\nB.\nRelated:\nz\nC.");
    const fs_removal *rm = removal(&r->docs[0], "related");
    assert_non_null(rm);
    assert_int_equal(rm->lines, 4);
    assert_int_equal(rm->chars, 9 + 2 + 2 + 12); /* "Related:\n" "x\n" "y\n" "End related\n" */
    assert_string_equal(r->docs[1].text, "Only a start\nRelated:\nstory continues.");
    assert_int_equal(r->docs[1].n_removals, 0);
    fs_clean_free(r);
}

static void test_global_rules_run_first_and_are_recorded_in_order(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f, 1);
    f.cfg.clean.generic = false;
    fs_pattern g, s;
    f.cfg.clean.global.drop_lines = one_pattern(&g, "global:share", "^Share this");
    f.src[0].clean.cut_from = one_pattern(&s, "source:footer", "^Footer");
    fx_doc(&f, 0, NULL, "Story.\nShare this\nFooter\nShare this");
    fs_clean_result *r = run_ok(&f);
    assert_string_equal(r->docs[0].text, "Story.");
    /* Global rule, source rule, then "whitespace": the newline after "Story." (1 character). */
    assert_int_equal(r->docs[0].n_removals, 3);
    /* The global rule took both "Share this" lines (the second before the cut reached it). */
    assert_string_equal(r->docs[0].removals[0].rule, "global:share");
    assert_int_equal(r->docs[0].removals[0].lines, 2);
    assert_string_equal(r->docs[0].removals[1].rule, "source:footer");
    assert_int_equal(r->docs[0].removals[1].lines, 1);
    assert_string_equal(r->docs[0].removals[2].rule, "whitespace");
    assert_int_equal(r->docs[0].removals[2].chars, 1);
    fs_clean_free(r);
}

static void test_bad_and_catastrophic_patterns(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f, 1);
    fs_pattern p;
    f.src[0].clean.drop_lines = one_pattern(&p, "sources[0].clean.drop_lines[0]", "([a-z]+");
    fx_doc(&f, 0, NULL, "text");
    fs_clean_result *r = NULL;
    fs_error err;
    fs_ctx ctx = {0};
    assert_int_equal(fs_clean_run(&f.cfg, &ctx, &f.corpus, &r, &err), FS_ERR_REGEX);
    assert_string_equal(err.where, "sources[0].clean.drop_lines[0]");
    assert_non_null(strstr(err.msg, "offset"));
    assert_null(r);

    /* Nested quantifiers on a line that almost matches: exponential backtracking, stopped by
     * the match limit with the rule's name instead of hanging. */
    fixture g;
    fx_init(&g, 1);
    fs_pattern q;
    g.src[0].clean.drop_lines = one_pattern(&q, "slow-rule", "^(\\w+\\s?)*$");
    fx_doc(&g, 0, NULL, "ok\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!");
    assert_int_equal(fs_clean_run(&g.cfg, &ctx, &g.corpus, &r, &err), FS_ERR_REGEX);
    assert_string_equal(err.where, "slow-rule");
    assert_non_null(strstr(err.msg, "match limit"));
    assert_non_null(strstr(err.msg, "document d0"));
    assert_null(r);
}

/* ---- generic heuristics ------------------------------------------------------------------- */

static void test_nav_line_rows(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        bool nav;
    } rows[] = {
        {"logo", true},
        {"#", true},
        {"Politics", true},
        {"Help & Search", true},
        {"app-storeplay-store", true},
        {"\xE2\x80\xA2 Politics", true},                  /* "• Politics" */
        {"- Korea Herald", true},
        {"(3,299 posts)", true},
        {"More:", true},
        {"DOWNLOAD THE APP", true},
        {"News>RCO NEWS", true},
        {"Latest Discussions\xC2\xBBIssue Forums\xC2\xBB" "Foreign Affairs\xC2\xBB"
         "Beyond North Korea: Fract...", true},            /* breadcrumb */
        {"He declined.", false},                          /* a sentence */
        {"\xE2\x80\x9CNo.\xE2\x80\x9D", false},           /* “No.”: final mark inside quotes */
        {"Pointless queuing or deterrence diplomacy?", false},
        {"A sham alliance in the face of Beijing", false}, /* 8 words: a subhead, kept */
        {"Get Started Now: Download the App", false},     /* 6 words: needs a source rule */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (clean_is_nav_line(rows[i].line, strlen(rows[i].line), 4) != rows[i].nav)
            fail_msg("\"%s\": expected nav=%d", rows[i].line, rows[i].nav);
    /* nav_max_words is honoured: 5 words pass at 5, not at 4. */
    assert_true(clean_is_nav_line("Sign up for our newsletter", 26, 5));
    assert_false(clean_is_nav_line("Sign up for our newsletter", 26, 4));
}

static void test_link_line_rows(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        bool link;
    } rows[] = {
        {"https://thediplomat.com/2020/02/beyond-north-korea/", true},
        {"<http://example.org/a?b=c>", true},
        {"www.example.com/page", true},
        {"HTTPS://EXAMPLE.ORG", true},
        {"See https://example.org for more", false},
        {"http://", false},
        {"Washington", false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (clean_is_link_line(rows[i].line, strlen(rows[i].line)) != rows[i].link)
            fail_msg("\"%s\": expected link=%d", rows[i].line, rows[i].link);
}

static void test_generic_rules_on_a_page(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f, 1);
    fx_doc(&f, 0, NULL,
           "logo\n"
           "\xE2\x80\xA2 Politics\n"
           "Seoul and Washington disagree on the role of US forces.\n"
           "Seoul and Washington disagree on the role of US forces.\n"
           "\n\n\n"
           "The talks continue next week in Washington.\n"
           "https://example.org/story\n");
    fs_clean_result *r = run_ok(&f);
    assert_string_equal(r->docs[0].text,
                        "Seoul and Washington disagree on the role of US forces.\n\n"
                        "The talks continue next week in Washington.");
    const fs_removal *rep = removal(&r->docs[0], "generic:repeated");
    const fs_removal *nav = removal(&r->docs[0], "generic:navigation");
    const fs_removal *link = removal(&r->docs[0], "generic:link");
    assert_non_null(rep);
    assert_non_null(nav);
    assert_non_null(link);
    assert_int_equal(rep->lines, 1);
    assert_int_equal(rep->chars, 56);  /* the repeated 55-character line and its newline */
    assert_int_equal(nav->lines, 2);
    assert_int_equal(nav->chars, 5 + 11); /* "logo\n", "• Politics\n" (• is one character) */
    assert_int_equal(link->chars, 26);
    /* Three blank lines became one: two of them are whitespace removals. */
    const fs_removal *ws = removal(&r->docs[0], "whitespace");
    assert_non_null(ws);
    assert_int_equal(ws->lines, 2);
    fs_clean_free(r);
}

static void test_repeated_across_outlet_documents(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f, 1);
    /* Three different stories of one outlet share a footer sentence: it is boilerplate. A
     * fourth document of another outlet has the same sentence once: not repeated there.
     * The stories are longer than the footer, as real articles are: a document whose shared
     * lines outweigh its own is treated as a copy and left to the near-duplicate step. */
    const char *footer = "Subscribe to our newsletter for more stories like this every morning.";
    char a[512], b[512], c[512], d[512];
    snprintf(a, sizeof a, "Talks on tariffs stalled again in Geneva on Monday.\n"
                          "Negotiators blamed each other and set no date for the next round.\n%s",
             footer);
    snprintf(b, sizeof b, "The navy held drills near the island this week.\n"
                          "Officials said the exercise had been planned for months.\n%s", footer);
    snprintf(c, sizeof c, "Parliament passed the budget after a long debate.\n"
                          "The opposition walked out before the final vote was taken.\n%s",
             footer);
    snprintf(d, sizeof d, "A different outlet ran a different story today.\n%s", footer);
    fx_doc(&f, 0, "Outlet A", a);
    fx_doc(&f, 0, "Outlet A", b);
    fx_doc(&f, 0, "Outlet A", c);
    fx_doc(&f, 0, "Outlet B", d);
    fs_clean_result *r = run_ok(&f);
    assert_null(strstr(r->docs[0].text, "Subscribe"));
    assert_string_equal(r->docs[2].text, "Parliament passed the budget after a long debate.\n"
                                         "The opposition walked out before the final vote was "
                                         "taken.");
    const fs_removal *rep = removal(&r->docs[1], "generic:repeated");
    assert_non_null(rep);
    assert_int_equal(rep->chars, strlen(footer)); /* the last line: no newline after it */
    assert_non_null(strstr(r->docs[3].text, "Subscribe"));
    fs_clean_free(r);
}

static void test_two_captures_of_one_story_are_not_emptied(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f, 1);
    /* Same outlet, the same story twice (one word changed): every line is shared, so the
     * repeated-line rule must leave them alone and the near-duplicate step merge them. */
    fx_doc(&f, 0, "Outlet A",
           "The alliance faces strain over cost sharing and command structure.\n"
           "Officials in Seoul said talks would resume after the election.\n"
           "Analysts expect a compromise on the special measures agreement soon.\n"
           "The two governments have negotiated cost sharing since the early nineties.\n"
           "Both capitals want the deal signed before the summit in the spring.");
    fx_doc(&f, 0, "Outlet A",
           "The alliance faces strain over cost sharing and command structure.\n"
           "Officials in Seoul said talks would resume after the vote.\n"
           "Analysts expect a compromise on the special measures agreement soon.\n"
           "The two governments have negotiated cost sharing since the early nineties.\n"
           "Both capitals want the deal signed before the summit in the spring.");
    fs_clean_result *r = run_ok(&f);
    assert_null(removal(&r->docs[0], "generic:repeated"));
    assert_null(removal(&r->docs[1], "generic:repeated"));
    /* 10 + 10 + 10 + 11 + 12 = 53 words, 49 distinct 5-shingles; "vote" for "election"
     * changes the 5 shingles that hold it: J = 44 / (49 + 49 - 44) = 44/54 = 0.815. The first
     * document is longer and kept. */
    assert_false(r->docs[0].excluded);
    assert_true(r->docs[1].excluded);
    assert_int_equal(r->docs[1].duplicate_of, 0);
    assert_close(r->docs[1].similarity, 44.0 / 54.0, 1e-12);
    fs_clean_free(r);
}

static void test_empty_after_cleaning_is_excluded(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f, 1);
    fx_doc(&f, 0, NULL, "logo\n#\nHome\n");
    fs_clean_result *r = run_ok(&f);
    assert_string_equal(r->docs[0].text, "");
    assert_true(r->docs[0].excluded);
    assert_int_equal(r->docs[0].duplicate_of, -1);
    fs_clean_free(r);
}

/* ---- near-duplicates ---------------------------------------------------------------------- */

static void test_shingles_and_jaccard(void **state)
{
    (void)state;
    uint64_t *a, *b;
    size_t na, nb;
    /* Words are lower-cased runs of letters/digits: "US-ROK" is two words. 5 words, k = 2:
     * 4 shingles. */
    assert_int_equal(clean_shingles("The US-ROK alliance, again", 26, 2, &a, &na), FS_OK);
    assert_int_equal(na, 4);
    assert_int_equal(clean_shingles("the us rok ALLIANCE again!", 26, 2, &b, &nb), FS_OK);
    assert_close(clean_jaccard(a, na, b, nb), 1.0, 1e-12);
    free(b);
    /* Fewer words than k: one shingle of them all. */
    assert_int_equal(clean_shingles("two words", 9, 5, &b, &nb), FS_OK);
    assert_int_equal(nb, 1);
    free(b);
    assert_int_equal(clean_shingles("-- !!", 5, 5, &b, &nb), FS_OK);
    assert_int_equal(nb, 0);
    assert_null(b);
    free(a);
    uint64_t x[3] = {1, 2, 3}, y[3] = {2, 3, 4};
    assert_close(clean_jaccard(x, 3, y, 3), 2.0 / 4.0, 1e-12); /* {2,3} / {1,2,3,4} */
    assert_close(clean_jaccard(x, 0, y, 0), 0.0, 1e-12);
}

/* "w0 w1 ... w(n-1)" with word `change` replaced by `repl` (NULL: none); reversed when asked. */
static char *word_text(size_t n, size_t change, const char *repl, bool reversed, const char *tag)
{
    size_t cap = n * 12 + 64;
    char *s = malloc(cap);
    assert_non_null(s);
    size_t o = 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = reversed ? n - 1 - k : k;
        if (repl && i == change)
            o += (size_t)snprintf(s + o, cap - o, "%s ", repl);
        else
            o += (size_t)snprintf(s + o, cap - o, "%s%zu ", tag, i);
    }
    s[o ? o - 1 : 0] = '\0';
    return s;
}

static void test_near_duplicates_within_and_across_sources(void **state)
{
    (void)state;
    /* 100 distinct words give 96 5-shingles. Changing word 50 changes the 5 shingles that
     * hold it: J = 91 / (96 + 96 - 91) = 91/101 = 0.90099 >= 0.8. The reversed text has the
     * same words (same topic) but no shingle in common: J = 0. */
    char *a = word_text(100, 0, NULL, false, "w");
    char *b = word_text(100, 50, "changedword", false, "w");
    char *c = word_text(100, 0, NULL, true, "w");
    fixture f;
    fx_init(&f, 2);
    fx_doc(&f, 0, NULL, a); /* d0 */
    fx_doc(&f, 0, NULL, b); /* d1: longer ("changedword" vs "w50"), so kept */
    fx_doc(&f, 0, NULL, c); /* d2: same topic, not a duplicate */
    fx_doc(&f, 1, NULL, a); /* d3: a copy in the other source */
    fs_clean_result *r = run_ok(&f);
    assert_true(r->docs[0].excluded);
    assert_int_equal(r->docs[0].duplicate_of, 1);
    assert_close(r->docs[0].similarity, 91.0 / 101.0, 1e-12);
    assert_false(r->docs[1].excluded);
    assert_false(r->docs[2].excluded);
    assert_int_equal(r->docs[2].duplicate_of, -1);
    assert_false(r->docs[3].excluded); /* cross-source: reported, kept */
    /* Pairs (0,1) 0.901, (0,3) 1.0 cross, (1,3) 0.901 cross; sorted by (a, b). */
    assert_int_equal(r->n_pairs, 3);
    assert_int_equal(r->pairs[0].a, 0);
    assert_int_equal(r->pairs[0].b, 1);
    assert_false(r->pairs[0].cross_source);
    assert_int_equal(r->pairs[1].b, 3);
    assert_true(r->pairs[1].cross_source);
    assert_close(r->pairs[1].similarity, 1.0, 1e-12);
    assert_int_equal(r->pairs[2].a, 1);
    assert_true(r->pairs[2].cross_source);
    fs_clean_free(r);

    /* With dedup_across_sources the copy in source 1 joins the group kept as d1. */
    f.cfg.clean.dedup_across_sources = true;
    r = run_ok(&f);
    assert_true(r->docs[3].excluded);
    assert_int_equal(r->docs[3].duplicate_of, 1);
    fs_clean_free(r);
    free(a);
    free(b);
    free(c);
}

static void test_minhash_path_finds_the_exact_pairs(void **state)
{
    (void)state;
    /* 20 base texts (distinct word tags) and, for the first 10, a copy with one word changed
     * (J = 0.901 as above). MinHash with 32 bands of 4 rows misses a 0.9 pair with
     * probability (1 - 0.9^4)^32 < 1e-14, and candidates are verified exactly. */
    fixture f;
    fx_init(&f, 1);
    char *texts[30];
    for (size_t i = 0; i < 20; i++) {
        char tag[8];
        snprintf(tag, sizeof tag, "t%zux", i);
        texts[i] = word_text(100, 0, NULL, false, tag);
        fx_doc(&f, 0, NULL, texts[i]);
    }
    for (size_t i = 0; i < 10; i++) {
        char tag[8];
        snprintf(tag, sizeof tag, "t%zux", i);
        texts[20 + i] = word_text(100, 50, "zz", false, tag);
        fx_doc(&f, 0, NULL, texts[20 + i]);
    }
    fs_clean_result *exact = run_ok(&f);
    fs_clean_result *mh = run_ok(&f);
    /* Re-run only the dedup step of the second result through MinHash. */
    for (size_t i = 0; i < mh->n_docs; i++) {
        mh->docs[i].excluded = false;
        mh->docs[i].duplicate_of = -1;
        mh->docs[i].similarity = 0;
    }
    fs_error err;
    fs_ctx ctx = {0};
    assert_int_equal(clean_dedup(&f.cfg, &ctx, &f.corpus, mh, 0, &err), FS_OK);
    assert_int_equal(exact->n_pairs, 10);
    assert_int_equal(mh->n_pairs, 10);
    for (size_t p = 0; p < 10; p++) {
        assert_int_equal(mh->pairs[p].a, exact->pairs[p].a);
        assert_int_equal(mh->pairs[p].b, exact->pairs[p].b);
        assert_close(mh->pairs[p].similarity, 91.0 / 101.0, 1e-12);
    }
    for (size_t i = 0; i < 30; i++) {
        assert_int_equal(mh->docs[i].excluded, exact->docs[i].excluded);
        assert_int_equal(mh->docs[i].duplicate_of, exact->docs[i].duplicate_of);
    }
    /* The copies ("zz" replaces "t0x50": shorter) are the ones excluded. */
    assert_true(exact->docs[20].excluded);
    assert_int_equal(exact->docs[20].duplicate_of, 0);
    fs_clean_free(exact);
    fs_clean_free(mh);
    for (size_t i = 0; i < 30; i++)
        free(texts[i]);
}

/* ---- the sample corpus -------------------------------------------------------------------- */

/* Case-insensitive search for `word` as a whole word (not inside "appeared" for "app"). */
static bool has_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = text; *p; p++) {
        if (strncasecmp(p, word, n) != 0)
            continue;
        bool left = p == text || !isalnum((unsigned char)p[-1]);
        bool right = !isalnum((unsigned char)p[n]);
        if (left && right)
            return true;
    }
    return false;
}

static size_t count_str(const char *text, const char *s)
{
    size_t n = 0;
    for (const char *p = strstr(text, s); p; p = strstr(p + 1, s))
        n++;
    return n;
}

static void test_sample_corpus_cleaned(void **state)
{
    (void)state;
    fs_config *cfg = tu_load_default_config();
    fs_error err;
    fs_ctx ctx = {0};
    fs_corpus *c = NULL;
    fs_clean_result *r = NULL;
    assert_int_equal(fs_corpus_load(cfg, &ctx, &c, &err), FS_OK);
    assert_int_equal(fs_clean_run(cfg, &ctx, c, &r, &err), FS_OK);
    assert_int_equal(r->n_docs, 5);
    /* 000 and 001 are one Korea Herald story: 001 is merged into 000 (the longer by the
     * headline 000 keeps once), and the pair is a same-source pair. */
    assert_false(r->docs[0].excluded);
    assert_true(r->docs[1].excluded);
    assert_int_equal(r->docs[1].duplicate_of, 0);
    assert_true(r->docs[1].similarity >= 0.8);
    assert_int_equal(r->n_pairs, 1);
    assert_false(r->pairs[0].cross_source);
    /* 001's cleaned text is the same story, without the related articles. */
    assert_non_null(strstr(r->docs[1].text, "Siloed No More"));
    assert_false(has_word(r->docs[1].text, "Cheong"));
    static const char *const noise[] = {"download", "app", "hashtags", "Cheong Wa Dae",
                                        "Yeo Han-koo", "special counsel", "soryang",
                                        "Star Member", "RCO", "appeared first"};
    for (size_t i = 0; i < 5; i++) {
        if (r->docs[i].excluded)
            continue;
        for (size_t k = 0; k < sizeof noise / sizeof noise[0]; k++)
            if (has_word(r->docs[i].text, noise[k]))
                fail_msg("%s still holds \"%s\"", c->docs[i].id, noise[k]);
    }
    /* The stories are kept, headlines once. */
    assert_int_equal(count_str(r->docs[0].text, "get real on Taiwan contingency"), 1);
    assert_non_null(strstr(r->docs[0].text, "calibrating expectations."));
    assert_non_null(strstr(r->docs[2].text, "Quincy Institute for Responsible Governance"));
    assert_non_null(strstr(r->docs[2].text, "stop promoting a huge coalition against China."));
    assert_int_equal(count_str(r->docs[3].text, "Fractures in the US-South Korea Alliance"), 1);
    assert_non_null(strstr(r->docs[3].text, "linchpin"));
    assert_non_null(strstr(r->docs[3].text, "compared to the cost"));
    assert_non_null(strstr(r->docs[4].text, "changes in Pyongyang\xE2\x80\x99s nuclear stance."));
    for (size_t i = 0; i < 5; i++)
        assert_true(r->docs[i].chars_clean < c->docs[i].chars_raw);
    fs_clean_free(r);
    fs_corpus_free(c);
    fs_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drop_lines),
        cmocka_unit_test(test_cut_from_before_through),
        cmocka_unit_test(test_drop_blocks),
        cmocka_unit_test(test_global_rules_run_first_and_are_recorded_in_order),
        cmocka_unit_test(test_bad_and_catastrophic_patterns),
        cmocka_unit_test(test_nav_line_rows),
        cmocka_unit_test(test_link_line_rows),
        cmocka_unit_test(test_generic_rules_on_a_page),
        cmocka_unit_test(test_repeated_across_outlet_documents),
        cmocka_unit_test(test_two_captures_of_one_story_are_not_emptied),
        cmocka_unit_test(test_empty_after_cleaning_is_excluded),
        cmocka_unit_test(test_shingles_and_jaccard),
        cmocka_unit_test(test_near_duplicates_within_and_across_sources),
        cmocka_unit_test(test_minhash_path_finds_the_exact_pairs),
        cmocka_unit_test(test_sample_corpus_cleaned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
