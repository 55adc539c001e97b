/* test_tokenize.c: the tokenizer's rules as a table (input → terms), plus alias/phrase
 * precedence, stopwords and their version line, sentence boundaries and the config switches.
 * Expected terms are written by hand from the rules in tokenize.h. */
#include "testutil.h"

#include <stdbool.h>
#include <unistd.h>
#include "framescope/tokenize.h"
#include "tokenize_internal.h"

static char *sw_extra[] = {"the", "of", "and", "in", "us", "to", "its", "let", "on", "he",
                           "will", "a", "is", "it", "eg"};
static fs_alias aliases[] = {{"U.S.", "US"}, {"United States", "US"}};
static char *phrases[] = {"Taiwan Strait", "South Korea", "strategic flexibility"};

static fs_analysis_cfg base_cfg(void)
{
    fs_analysis_cfg a;
    memset(&a, 0, sizeof a);
    a.stopwords_extra = sw_extra;
    a.n_stopwords_extra = sizeof sw_extra / sizeof *sw_extra;
    a.aliases = aliases;
    a.n_aliases = 2;
    a.phrases = phrases;
    a.n_phrases = 3;
    a.keep_acronyms = true;
    a.window = 5;
    return a;
}

/* Terms of `text` joined with '|', stopwords marked with a trailing '*'. */
static char *terms_of(const fs_tokenizer *tk, const char *text)
{
    fs_tokens t = FS_TOKENS_INIT;
    assert_int_equal(fs_tokenize(tk, text, strlen(text), FS_TOKENIZE_MARK_STOP, &t), FS_OK);
    size_t cap = strlen(text) * 2 + 64, n = 0;
    char *out = calloc(1, cap);
    assert_non_null(out);
    for (size_t k = 0; k < t.n; k++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s%s", k ? "|" : "", fs_tokens_str(&t, k),
                              t.terms[k].stop ? "*" : "");
    fs_tokens_free(&t);
    return out;
}

typedef struct tcase {
    const char *in, *want;
} tcase;

static const tcase cases[] = {
    /* possessive ’s dropped; curly single quotes separate */
    {"Washington’s ‘strategic ambiguity’", "washington|strategic|ambiguity"},
    {"the Korea Herald's report", "the*|korea|herald|report"},
    /* internal hyphens keep words whole; acronym parts keep their capitals */
    {"the US-ROK alliance", "the*|US-ROK|alliance"},
    {"non-combat troops", "non-combat|troops"},
    {"US-China conflict", "US-china|conflict"},
    /* a phrase may start inside a hyphen compound; dotted alias before a hyphen */
    {"U.S.-South Korea alliance", "US|south korea|alliance"},
    {"US-South Korea alliance", "US|south korea|alliance"},
    /* acronym possessive */
    {"USFK's involvement and the USFK’s role", "USFK|involvement|and*|the*|USFK|role"},
    /* curly double quotes and dashes separate */
    {"the “linchpin” of its strategy", "the*|linchpin|of*|its*|strategy"},
    {"practical — and largely nonexternal – discussions",
     "practical|and*|largely|nonexternal|discussions"},
    /* shouted line: capitals prove nothing */
    {"DOWNLOAD THE APP", "download|the*|app"},
    /* US (acronym) vs us (pronoun, a stopword) */
    {"Let us go. The US will", "let*|us*|go|the*|US|will*"},
    /* aliases: dotted with and without the final dot, multi-word, possessive after a dot */
    {"United States and the U.S and U.S. and U.S.’s", "US|and*|the*|US|and*|US|and*|US"},
    /* numbers dropped by default */
    {"42 interviews in 2024, 3,299 posts", "interviews|in*|posts"},
    /* phrases: longest match, possessive inside a phrase */
    {"peace in the Taiwan Strait", "peace|in*|the*|taiwan strait"},
    {"South Korea's role", "south korea|role"},
    {"the USFK's 'strategic flexibility'", "the*|USFK|strategic flexibility"},
    /* a phrase does not span punctuation */
    {"Taiwan, Strait", "taiwan|strait"},
    /* contractions keep their apostrophe (as '), mixed acronym with digits */
    {"don’t-care COVID-19 cases", "don't-care|COVID-19|cases"},
    /* dotted abbreviation without an alias; URLs skipped */
    {"e.g. Korea https://thediplomat.com/2020/02/x More", "eg*|korea|more"},
    /* a shouted sentence keeps known acronyms: NATO seen in ordinary text, US an alias target */
    {"NATO met. US AND NATO AGREE", "NATO|met|US|and*|NATO|agree"},
    /* ...but an acronym-shaped word only seen shouted is lower-cased */
    {"THE APP IS FREE", "the*|app|is*|free"},
    /* a lone capitalized acronym in ordinary text stays */
    {"The KEI said", "the*|KEI|said"},
    /* Unicode letters and case folding */
    {"Äußere Sicherheit ÉTÉ", "äußere|sicherheit|ÉTÉ"},
    {"", ""},
};

static void test_table(void **state)
{
    (void)state;
    fs_analysis_cfg a = base_cfg();
    fs_tokenizer *tk;
    fs_error err;
    assert_int_equal(fs_tokenizer_create(&a, &tk, &err), FS_OK);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = terms_of(tk, cases[i].in);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("case %zu \"%s\": got \"%s\", want \"%s\"", i, cases[i].in, got,
                     cases[i].want);
        free(got);
    }
    fs_tokenizer_free(tk);
}

/* The fast paths (ASCII scanning, lone words that start no alias or phrase) must give exactly
 * what the general code gives: terms, spans and sentences of every table case and of random
 * texts built from tricky fragments. */
static void expect_same_tokens(fs_tokenizer *tk, const char *text)
{
    fs_tokens fast = FS_TOKENS_INIT, slow = FS_TOKENS_INIT;
    tk->slow_scan = false;
    assert_int_equal(fs_tokenize(tk, text, strlen(text), FS_TOKENIZE_MARK_STOP, &fast), FS_OK);
    tk->slow_scan = true;
    assert_int_equal(fs_tokenize(tk, text, strlen(text), FS_TOKENIZE_MARK_STOP, &slow), FS_OK);
    tk->slow_scan = false;
    if (fast.n != slow.n || fast.n_sentences != slow.n_sentences)
        fail_msg("\"%s\": %zu terms, %u sentences (fast) vs %zu, %u (slow)", text, fast.n,
                 fast.n_sentences, slow.n, slow.n_sentences);
    for (size_t k = 0; k < fast.n; k++) {
        const fs_term *a = &fast.terms[k], *b = &slow.terms[k];
        if (strcmp(fs_tokens_str(&fast, k), fs_tokens_str(&slow, k)) != 0 ||
            a->len != b->len || a->start != b->start || a->end != b->end ||
            a->sentence != b->sentence || a->stop != b->stop)
            fail_msg("\"%s\" term %zu: \"%s\" %u-%u s%u (fast) vs \"%s\" %u-%u s%u", text, k,
                     fs_tokens_str(&fast, k), a->start, a->end, a->sentence,
                     fs_tokens_str(&slow, k), b->start, b->end, b->sentence);
    }
    fs_tokens_free(&fast);
    fs_tokens_free(&slow);
}

static void test_fast_path_same(void **state)
{
    (void)state;
    static const char *const frags[] = {
        "the", "The", "US", "U.S.", "U.S", "e.g.", "NATO", "AGREE", "Dr.", "J.", "Feb.", "3.",
        "3,299", "1.5", "42", "a1", "COVID-19", "x", "Korea", "Strait", "Taiwan", "South",
        "United", "States", "don't", "don’t", "'s", "’s", "USFK's", "-", "--", "‐", "—", " ",
        " ", " ", "  ", "\n", "\n\n", ".", ". ", "!", "?", "…", ",", "\"", "“", "”", "(", ")",
        "https://x.org/a b", "www.x.com", "http", "Äußere", "ÉTÉ", "é", "\xCC\x81", "\t",
        "a.b.c", "A.B", "abc-", "-abc", "\xC2\xA0", "'", "strategic flexibility", "KEI",
        "internationalization", "abcdefghIJK", "abcdefgh1,5", "abcdefghé", "abcdefgh’s",
        "abcdefghijklmnop-qrstuvwxyz", "Abcdefghij", "ABCDEFGHIJ", "abcdefg.", "abcdefgh2024",
        /* capitals and digits met 8 bytes at a time, words that may start an alias/phrase */
        "abcdEFGHijk", "A1B2C3D4E5", "ABCDEFGH’s", "ABCDEFGH's", "abcdefgH-Ijk", "ÀBCDEFGHIJ",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "12345678.5", "1234567,89", "abcdefgh-", "AbcDefgHijKl",
        "Taiwan-Strait", "US-ROK", "United-States", "South-Korea", "STRAIT", "UNITED STATES",
        "abcdefghI.", "ABCDEFG.", "Z", "zZ9", "\xC3\xA4" "bcdefghij", "\xE4" "bc",
        /* possessives taken by the ASCII path, and what only looks like one */
        "s", "S", "’S", "'S", "’", "’st", "’s-", "e’s", "ab’s.", "US’s", "U.S.’s", "it's",
        "’sé", "'s\xCC\x81", "’s’", "\xE2\x80", "abc\xE2\x80\x99",
    };
    size_t nf = sizeof frags / sizeof *frags;
    const bool acr[] = {true, false, true};
    for (int v = 0; v < 3; v++) {
        fs_analysis_cfg a = base_cfg();
        a.keep_acronyms = acr[v];
        a.keep_numbers = v == 1;
        if (v == 2) { /* no aliases or phrases: no entry can start anywhere */
            a.n_aliases = 0;
            a.n_phrases = 0;
        }
        fs_tokenizer *tk;
        fs_error err;
        assert_int_equal(fs_tokenizer_create(&a, &tk, &err), FS_OK);
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
            expect_same_tokens(tk, cases[i].in);
        uint64_t seed = 0x9E3779B97F4A7C15ull;
        char buf[512];
        for (int r = 0; r < 3000; r++) {
            size_t n = 0;
            int parts = 1 + (int)(seed % 24);
            for (int k = 0; k < parts; k++) {
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                const char *f = frags[(seed >> 33) % nf];
                size_t fl = strlen(f);
                if (n + fl + 1 >= sizeof buf)
                    break;
                memcpy(buf + n, f, fl);
                n += fl;
                if ((seed >> 20) % 3 == 0)
                    buf[n++] = ' ';
            }
            buf[n] = '\0';
            expect_same_tokens(tk, buf);
        }
        fs_tokenizer_free(tk);
    }
}

static void test_alias_vs_phrase(void **state)
{
    (void)state;
    fs_analysis_cfg a = base_cfg();
    /* Same surface as alias and phrase: the alias wins. A longer phrase beats a shorter alias. */
    fs_alias al[] = {{"South Korea", "ROK"}, {"United States", "US"}};
    char *ph[] = {"South Korea", "United States Forces Korea"};
    a.aliases = al;
    a.n_aliases = 2;
    a.phrases = ph;
    a.n_phrases = 2;
    fs_tokenizer *tk;
    fs_error err;
    assert_int_equal(fs_tokenizer_create(&a, &tk, &err), FS_OK);
    char *got = terms_of(tk, "South Korea and United States Forces Korea and United States troops");
    assert_string_equal(got, "ROK|and*|united states forces korea|and*|US|troops");
    free(got);
    fs_tokenizer_free(tk);
}

static void test_spans_and_sentences(void **state)
{
    (void)state;
    fs_analysis_cfg a = base_cfg();
    fs_tokenizer *tk;
    fs_error err;
    assert_int_equal(fs_tokenizer_create(&a, &tk, &err), FS_OK);
    /* Abbreviations, initials, months and "U.S." before a non-stopword do not end sentences;
     * "3." does; "U.S. The" does (capitalized stopword follows). Hand-assigned sentence numbers:
     * Dr Smith met J Smith in the US on Feb → 0; He left → 1; US President Biden spoke → 1;
     * in the US → 2... see `want`. */
    const char *text = "Dr. Smith met J. Smith in the U.S. on Feb. 3. He left. Mr. Lee flew "
                       "to the U.S. The report, by Prof. Kim, is out!\nHeadline Here\n"
                       "Body starts\nwrapped line\ncontinues here";
    const char *want_terms[] = {"dr", "smith", "met", "j", "smith", "in", "the", "US", "on",
                                "feb", "he", "left", "mr", "lee", "flew", "to", "the", "US",
                                "the", "report", "by", "prof", "kim", "is", "out", "headline",
                                "here", "body", "starts", "wrapped", "line", "continues", "here"};
    const uint32_t want_sent[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 2, 2, 2,
                                  3, 3, 3, 3, 3, 3, 3, 4, 4, 5, 5, 5, 5, 5, 5};
    fs_tokens t = FS_TOKENS_INIT;
    assert_int_equal(fs_tokenize(tk, text, strlen(text), 0, &t), FS_OK);
    assert_int_equal(t.n, sizeof want_terms / sizeof *want_terms);
    for (size_t k = 0; k < t.n; k++) {
        assert_string_equal(fs_tokens_str(&t, k), want_terms[k]);
        if (t.terms[k].sentence != want_sent[k])
            fail_msg("term %zu (%s): sentence %u, want %u", k, want_terms[k],
                     t.terms[k].sentence, want_sent[k]);
    }
    assert_int_equal(t.n_sentences, 6);
    /* Spans point at the text as written: "U.S." is bytes 30..34. */
    assert_int_equal(t.terms[7].start, 30);
    assert_int_equal(t.terms[7].end, 34);

    /* A phrase term spans both words; a possessive is outside the span. */
    const char *t2 = "near the Taiwan Strait’s edge";
    assert_int_equal(fs_tokenize(tk, t2, strlen(t2), 0, &t), FS_OK);
    assert_int_equal(t.n, 4);
    assert_string_equal(fs_tokens_str(&t, 2), "taiwan strait");
    assert_int_equal(t.terms[2].start, 9);
    assert_int_equal(t.terms[2].end, 22);
    fs_tokens_free(&t);
    fs_tokenizer_free(tk);
}

/* Every known abbreviation, in any case, keeps "X. Smith" one sentence; words that are not
 * abbreviations (near misses, too long, digits, accents, a letter without any) end it. The
 * list is the one the README documents, written out here rather than read from the scanner. */
static void test_abbreviations(void **state)
{
    (void)state;
    static const char *const known[] = {
        "adm", "al", "apr", "approx", "aug", "ave", "blvd", "capt", "cf", "cmdr", "co", "col",
        "corp", "dec", "dept", "dr", "est", "etc", "feb", "fig", "figs", "ft", "gen", "gov",
        "hon", "inc", "jan", "jr", "jul", "jun", "lt", "ltd", "maj", "mar", "mr", "mrs", "ms",
        "mt", "no", "nos", "nov", "oct", "op", "pres", "prof", "rep", "rev", "sen", "sep",
        "sept", "sgt", "sr", "st", "univ", "vol", "vols", "vs", "J", "Q"};
    static const char *const not_known[] = {
        "ad", "approxx", "approxim", "gent", "dx", "co3", "zz", "xy", "Ét", "d'r", "a", "dr-xy",
        "mrss", "vss", "s", "t"};
    fs_analysis_cfg a = base_cfg();
    fs_tokenizer *tk;
    fs_error err;
    assert_int_equal(fs_tokenizer_create(&a, &tk, &err), FS_OK);
    fs_tokens t = FS_TOKENS_INIT;
    char text[64];
    for (size_t k = 0; k < sizeof known / sizeof *known + sizeof not_known / sizeof *not_known;
         k++) {
        bool is_known = k < sizeof known / sizeof *known;
        const char *w = is_known ? known[k] : not_known[k - sizeof known / sizeof *known];
        for (int form = 0; form < 3; form++) { /* as listed, Capitalized, UPPER */
            size_t n = strlen(w);
            for (size_t b = 0; b < n; b++) {
                char c = w[b];
                if ((form == 1 && b == 0) || form == 2)
                    c = c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
                text[b] = c;
            }
            snprintf(text + n, sizeof text - n, ". Smith left");
            for (int slow = 0; slow < 2; slow++) {
                tk->slow_scan = slow;
                assert_int_equal(fs_tokenize(tk, text, strlen(text), 0, &t), FS_OK);
                /* A capital letter alone is an initial, a small one is not. */
                bool keeps = n == 1 ? text[0] >= 'A' && text[0] <= 'Z' : is_known;
                if (t.n_sentences != (keeps ? 1u : 2u))
                    fail_msg("\"%s\" (slow %d): %u sentences", text, slow, t.n_sentences);
            }
            expect_same_tokens(tk, text);
        }
    }
    fs_tokens_free(&t);
    fs_tokenizer_free(tk);
}

static void test_switches(void **state)
{
    (void)state;
    fs_analysis_cfg a = base_cfg();
    a.keep_acronyms = false;
    a.keep_numbers = true;
    fs_tokenizer *tk;
    fs_error err;
    assert_int_equal(fs_tokenizer_create(&a, &tk, &err), FS_OK);
    char *got = terms_of(tk, "US and us: 42 interviews, 3,299 posts, 1.5 percent in 2024-2025");
    /* without acronyms US merges with us (a stopword); numbers stay as written */
    assert_string_equal(got, "us*|and*|us*|42|interviews|3,299|posts|1.5|percent|in*|2024-2025");
    free(got);
    fs_tokenizer_free(tk);
}

static void test_stopword_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/fs_tok_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *p1 = tu_write_temp(dir, "a.txt", "# list A v2\n# more comments\nThe\nus\n\n  of  \nDon’t\n");
    char *p2 = tu_write_temp(dir, "b.txt", "# list B\nwithin\nmore\n");
    char *files[] = {p1, p2};
    char *extra[] = {"Said"};
    char *keep[] = {"more"};
    fs_analysis_cfg a = base_cfg();
    a.stopword_files = files;
    a.n_stopword_files = 2;
    a.stopwords_extra = extra;
    a.n_stopwords_extra = 1;
    a.stopwords_keep = keep;
    a.n_stopwords_keep = 1;
    fs_tokenizer *tk;
    fs_error err;
    assert_int_equal(fs_tokenizer_create(&a, &tk, &err), FS_OK);
    assert_string_equal(fs_tokenizer_stopwords_version(tk), "list A v2; list B");
    /* the, us, of, don't, within, said: 6 (more was kept out) */
    assert_int_equal(fs_tokenizer_n_stopwords(tk), 6);
    assert_true(fs_tokenizer_is_stopword(tk, "us", 2));
    assert_false(fs_tokenizer_is_stopword(tk, "US", 2));
    assert_true(fs_tokenizer_is_stopword(tk, "don't", 5));
    assert_true(fs_tokenizer_is_stopword(tk, "said", 4));
    assert_false(fs_tokenizer_is_stopword(tk, "more", 4));
    fs_tokenizer_free(tk);

    /* A missing file is an input error naming it. */
    char *missing[] = {"/nonexistent/stop.txt"};
    a.stopword_files = missing;
    a.n_stopword_files = 1;
    assert_int_equal(fs_tokenizer_create(&a, &tk, &err), FS_ERR_INPUT);
    assert_non_null(strstr(err.where, "/nonexistent/stop.txt"));
    unlink(p1);
    unlink(p2);
    rmdir(dir);
    free(p1);
    free(p2);
}

static void test_shipped_list(void **state)
{
    (void)state;
    char *files[] = {"config/stopwords-en.txt"};
    fs_analysis_cfg a = base_cfg();
    a.stopword_files = files;
    a.n_stopword_files = 1;
    a.n_stopwords_extra = 0;
    fs_tokenizer *tk;
    fs_error err;
    if (fs_tokenizer_create(&a, &tk, &err) != FS_OK)
        fail_msg("%s: %s (run from the repository root)", err.where, err.msg);
    assert_string_equal(fs_tokenizer_stopwords_version(tk),
                        "framescope English stopwords v1 (function words; written for "
                        "framescope, 2026)");
    assert_in_range(fs_tokenizer_n_stopwords(tk), 300, 400);
    assert_true(fs_tokenizer_is_stopword(tk, "us", 2));
    assert_false(fs_tokenizer_is_stopword(tk, "US", 2));
    assert_false(fs_tokenizer_is_stopword(tk, "alliance", 8));
    char *term = fs_tokenizer_term_of(tk, "Taiwan Strait");
    assert_string_equal(term, "taiwan strait");
    free(term);
    term = fs_tokenizer_term_of(tk, "US");
    assert_string_equal(term, "US");
    free(term);
    fs_tokenizer_free(tk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_fast_path_same),
        cmocka_unit_test(test_alias_vs_phrase),
        cmocka_unit_test(test_spans_and_sentences),
        cmocka_unit_test(test_abbreviations),
        cmocka_unit_test(test_switches),
        cmocka_unit_test(test_stopword_files),
        cmocka_unit_test(test_shipped_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
