/* test_config.c: config loading: syntax errors with FILE:LINE:COL, type/range/unknown-key errors
 * with key paths, regexes, inputs on disk, defaults, resolved paths and output placeholders.
 * test_config_schema.c checks config/schema.json against the key tables. */
#include "testutil.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_internal.h"
#include "framescope/config.h"
#include "framescope/fileio.h"

/* A valid minimal config, pieces of which the error rows reuse. */
#define REP "\"report\": {\"title\": \"T\"}"
#define SRC "\"sources\": [{\"id\": \"a\", \"label\": \"A\", \"inputs\": [\"x.txt\"]}]"
#define MIN_CFG "{" REP ", " SRC "}"
#define WITH(extra) "{" REP ", " SRC ", " extra "}"
#define SOURCE(extra) \
    "{" REP ", \"sources\": [{\"id\": \"a\", \"label\": \"A\", \"inputs\": [\"x.txt\"], " extra "}]}"

static fs_config *parse_ok(const char *json, const char *base)
{
    fs_config *cfg = NULL;
    fs_error err = {0};
    fs_status st = fs_config_parse(json, strlen(json), "t.json", base, false, &cfg, &err);
    if (st != FS_OK)
        fail_msg("unexpected error: %s: %s", err.where, err.msg);
    return cfg;
}

typedef struct error_row {
    const char *json;
    fs_status status;
    const char *where;
    const char *msg;   /* substring of the message */
} error_row;

static void check_rows(const error_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fs_config *cfg = (fs_config *)1;
        fs_error err = {0};
        fs_status st = fs_config_parse(rows[i].json, strlen(rows[i].json), "t.json", "/base",
                                       false, &cfg, &err);
        if (st != rows[i].status || strcmp(err.where, rows[i].where) != 0 ||
            !strstr(err.msg, rows[i].msg))
            fail_msg("row %zu (%s): got status %d, %s: %s", i, rows[i].json, (int)st, err.where,
                     err.msg);
        assert_null(cfg);
    }
}

/* ---- key tables ---- */

static void test_tables_and_distance(void **state)
{
    (void)state;
    assert_true(cfg_tables_ok());
    assert_int_equal(cfg_edit_distance("windw", "window"), 1);   /* one insertion */
    assert_int_equal(cfg_edit_distance("widnow", "window"), 1);  /* one transposition */
    assert_int_equal(cfg_edit_distance("kitten", "sitting"), 3); /* k->s, e->i, +g */
    assert_int_equal(cfg_edit_distance("", "abc"), 3);
    /* Optimal string alignment cannot edit a transposed pair again: 3, not Damerau's 2. */
    assert_int_equal(cfg_edit_distance("ca", "abc"), 3);
    assert_int_equal(fs_report_section_count, 12);
    assert_string_equal(fs_report_section_names[0], "cover");
    assert_string_equal(fs_report_section_names[2], "changes"); /* right after the summary */
    assert_string_equal(fs_report_section_names[11], "provenance");
}

/* ---- syntax ---- */

static void test_syntax_errors(void **state)
{
    (void)state;
    static const error_row rows[] = {
        /* Line 4 is `    {"id": "a" "label": "A"}`: "label" starts in column 16. */
        {"{\n  \"report\": {\"title\": \"x\"},\n  \"sources\": [\n    {\"id\": \"a\" \"label\": "
         "\"A\"}\n  ]\n}\n",
         FS_ERR_CONFIG, "t.json:4:16", "expected ',' or '}' after object member, found '\"'"},
        /* `{"a": [1, 2,]}`: the ']' is byte 13. */
        {"{\"a\": [1, 2,]}", FS_ERR_CONFIG, "t.json:1:13", "trailing comma"},
        {"{\"a\": [1 2]}", FS_ERR_CONFIG, "t.json:1:10", "expected ',' or ']' after array element"},
        {"{\"a\" 1}", FS_ERR_CONFIG, "t.json:1:6", "expected ':' after the key"},
        {"{\"a\": 1,}", FS_ERR_CONFIG, "t.json:1:9", "trailing comma"},
        {"{'a': 1}", FS_ERR_CONFIG, "t.json:1:2", "double quotes"},
        {"{\n  // note\n}", FS_ERR_CONFIG, "t.json:2:3", "does not allow comments"},
        {"{\"a\": tru}", FS_ERR_CONFIG, "t.json:1:7", "expected a value"},
        /* The string opens at column 7 and never closes. */
        {"{\"a\": \"abc", FS_ERR_CONFIG, "t.json:1:7", "never closed"},
        {"{\"a\": \"x\\qy\"}", FS_ERR_CONFIG, "t.json:1:9", "invalid escape sequence"},
        /* 14 bytes; the end of the file is column 15; the open object started at 1:1. */
        {"{\"a\": {\"b\": 1}", FS_ERR_CONFIG, "t.json:1:15",
         "expected '}' to close the object opened at t.json:1:1"},
        {"{\"a\": 1} x", FS_ERR_CONFIG, "t.json:1:10", "unexpected 'x' after the end"},
        {"{\"a\": 1}}", FS_ERR_CONFIG, "t.json:1:9", "unexpected '}' after the end"},
        {" \n\t ", FS_ERR_CONFIG, "t.json", "the file is empty"},
        {"[1, 2]", FS_ERR_CONFIG, "t.json:1:1", "must be a JSON object"},
        /* Columns count characters: the bad byte is byte 9 (offset 8), but "é" (two bytes) is one
         * column, so it is in column 8. */
        {"{\"é\": \"\xff\"}", FS_ERR_CONFIG, "t.json:1:8", "invalid UTF-8"},
    };
    check_rows(rows, sizeof rows / sizeof rows[0]);
}

static void test_deep_nesting_and_size(void **state)
{
    (void)state;
    /* `{"a": ` then 100 '['. The object is level 1, so the 64th '[' (byte 6 + 63) is level 65. */
    char json[256] = "{\"a\": ";
    memset(json + 6, '[', 100);
    memset(json + 106, ']', 100);
    strcpy(json + 206, "}");
    fs_config *cfg = NULL;
    fs_error err = {0};
    assert_int_equal(fs_config_parse(json, strlen(json), "deep.json", NULL, false, &cfg, &err),
                     FS_ERR_CONFIG);
    assert_string_equal(err.where, "deep.json:1:70");
    assert_non_null(strstr(err.msg, "nested deeper than 64 levels"));

    size_t big = CFG_MAX_BYTES + 1;
    char *huge = malloc(big);
    assert_non_null(huge);
    memset(huge, ' ', big);
    assert_int_equal(fs_config_parse(huge, big, "huge.json", NULL, false, &cfg, &err),
                     FS_ERR_CONFIG);
    assert_string_equal(err.where, "huge.json");
    assert_non_null(strstr(err.msg, "16 MiB"));
    free(huge);
}

/* ---- types, values, keys ---- */

static void test_value_errors(void **state)
{
    (void)state;
    static const error_row rows[] = {
        {WITH("\"analysis\": {\"window\": \"five\"}"), FS_ERR_CONFIG, "analysis.window",
         "expected an integer from 1 to 50, got \"five\""},
        {WITH("\"analysis\": {\"window\": 0}"), FS_ERR_CONFIG, "analysis.window",
         "expected an integer from 1 to 50, got 0"},
        {WITH("\"analysis\": {\"min_count\": 2.5}"), FS_ERR_CONFIG, "analysis.min_count",
         "expected an integer of at least 1, got 2.5"},
        {WITH("\"clean\": {\"dedup_threshold\": 2}"), FS_ERR_CONFIG, "clean.dedup_threshold",
         "expected a number from 0 to 1, got 2"},
        {WITH("\"analysis\": {\"keep_numbers\": \"yes\"}"), FS_ERR_CONFIG, "analysis.keep_numbers",
         "expected true or false, got \"yes\""},
        {"{\"report\": {\"title\": 5}, " SRC "}", FS_ERR_CONFIG, "report.title",
         "expected a non-empty string, got 5"},
        {"{\"report\": {\"title\": \"T\", \"paper\": \"A3\"}, " SRC "}", FS_ERR_CONFIG,
         "report.paper", "expected one of \"A4\", \"Letter\", got \"A3\""},
        {WITH("\"analysis\": {\"aliases\": [\"U.S.\"]}"), FS_ERR_CONFIG, "analysis.aliases",
         "expected an object"},
        {WITH("\"analysis\": {\"aliases\": {\"U.S.\": 1}}"), FS_ERR_CONFIG,
         "analysis.aliases[\"U.S.\"]", "expected a non-empty string, got 1"},
        {WITH("\"analysis\": {\"stopwords\": \"x.txt\"}"), FS_ERR_CONFIG, "analysis.stopwords",
         "expected an array of files or an object"},
        {"{" REP ", \"sources\": {\"id\": \"a\"}}", FS_ERR_CONFIG, "sources",
         "expected an array of source objects, got an object"},
        /* unknown keys, with and without a suggestion */
        {WITH("\"analysis\": {\"windw\": 5}"), FS_ERR_CONFIG, "analysis.windw",
         "unknown key 'windw' in analysis; did you mean 'window'?"},
        {"{" REP ", \"sourcse\": []}", FS_ERR_CONFIG, "sourcse", "did you mean 'sources'?"},
        {SOURCE("\"lable\": \"x\""), FS_ERR_CONFIG, "sources[0].lable", "did you mean 'label'?"},
        {WITH("\"analysis\": {\"zzzzzzzz\": 1}"), FS_ERR_CONFIG, "analysis.zzzzzzzz",
         "(known keys: aliases, ca_terms,"},
        {WITH("\"analysis\": {\"window\": 5, \"window\": 6}"), FS_ERR_CONFIG, "analysis.window",
         "duplicate key 'window'"},
        /* missing required keys and empty arrays */
        {"{\"report\": {}, " SRC "}", FS_ERR_CONFIG, "report.title",
         "missing required key 'title' in report"},
        {"{" REP "}", FS_ERR_CONFIG, "sources", "missing required key 'sources'"},
        {"{" REP ", \"sources\": []}", FS_ERR_CONFIG, "sources", "expected at least one element"},
        {"{" REP ", \"sources\": [{\"id\": \"a\", \"inputs\": [\"x\"]}]}", FS_ERR_CONFIG,
         "sources[0].label", "missing required key 'label' in a source"},
        {"{" REP ", \"sources\": [{\"id\": \"a\", \"label\": \"A\", \"inputs\": []}]}",
         FS_ERR_CONFIG, "sources[0].inputs", "expected at least one element"},
        {"{" REP ", \"sources\": [{\"id\": \"a\", \"label\": \"A\", \"inputs\": [\"x\", 42]}]}",
         FS_ERR_CONFIG, "sources[0].inputs[1]", "expected a non-empty string, got 42"},
        {WITH("\"email\": {\"from\": \"a@example.org\"}"), FS_ERR_CONFIG, "email.to",
         "missing required key 'to'"},
        {WITH("\"email\": {\"from\": \"a@example.org\", \"to\": [\"Jane Doe\"]}"), FS_ERR_CONFIG,
         "email.to[0]",
         "expected an e-mail address"},
        /* ids, colours, dates, sections, placeholders */
        {"{" REP ", \"sources\": [{\"id\": \"Korea Herald\", \"label\": \"A\", \"inputs\": "
         "[\"x\"]}]}",
         FS_ERR_CONFIG, "sources[0].id", "expected an id of lower-case ASCII letters"},
        {"{" REP ", \"sources\": [{\"id\": \"a\", \"label\": \"A\", \"inputs\": [\"x\"]}, "
         "{\"id\": \"b\", \"label\": \"B\", \"inputs\": [\"y\"]}, "
         "{\"id\": \"a\", \"label\": \"C\", \"inputs\": [\"z\"]}]}",
         FS_ERR_CONFIG, "sources[2].id", "duplicate source id 'a' (already used by sources[0])"},
        {SOURCE("\"color\": \"blue\""), FS_ERR_CONFIG, "sources[0].color",
         "expected a colour \"#RRGGBB\" (six hex digits), got \"blue\""},
        {SOURCE("\"color\": \"#12345G\""), FS_ERR_CONFIG, "sources[0].color", "got \"#12345G\""},
        {SOURCE("\"date\": \"2025-02-30\""), FS_ERR_CONFIG, "sources[0].date", "(no such day)"},
        /* 2023 is not a leap year */
        {SOURCE("\"date\": \"2023-02-29\""), FS_ERR_CONFIG, "sources[0].date", "(no such day)"},
        {SOURCE("\"date\": \"2025/02/01\""), FS_ERR_CONFIG, "sources[0].date",
         "expected a date \"YYYY-MM-DD\", got \"2025/02/01\""},
        {SOURCE("\"date\": {\"pattern\": \"(\\\\d+)\", \"default\": \"2024-04-31\"}"),
         FS_ERR_CONFIG, "sources[0].date.default", "no such day"},
        {SOURCE("\"date\": {\"pattern\": \"(\\\\d+)\", \"format\": \"%d/%m\"}"), FS_ERR_CONFIG,
         "sources[0].date.format", "needs a year"},
        {SOURCE("\"jsonl\": {\"date_format\": \"%Y-%j\"}"), FS_ERR_CONFIG,
         "sources[0].jsonl.date_format", "uses a conversion other than"},
        {"{\"report\": {\"title\": \"T\", \"sections\": [\"cover\", \"summry\"]}, " SRC "}",
         FS_ERR_CONFIG, "report.sections[1]", "expected one of \"cover\", \"summary\""},
        {"{\"report\": {\"title\": \"T\", \"sections\": [\"cover\", \"cover\"]}, " SRC "}",
         FS_ERR_CONFIG, "report.sections[1]", "\"cover\" is listed twice"},
        {"{\"report\": {\"title\": \"T\", \"sections\": []}, " SRC "}", FS_ERR_CONFIG,
         "report.sections", "expected at least one element"},
        {"{\"report\": {\"title\": \"T\", \"output\": \"r/{perod}.pdf\"}, " SRC "}", FS_ERR_CONFIG,
         "report.output", "unknown placeholder '{perod}' (allowed: {period}, {date}, {title_slug})"},
        {WITH("\"analysis\": {\"frames\": {\"Empty\": []}}"), FS_ERR_CONFIG,
         "analysis.frames.Empty", "needs at least one pattern"},
        {SOURCE("\"clean\": {\"drop_lines\": [{\"name\": \"x\"}]}"), FS_ERR_CONFIG,
         "sources[0].clean.drop_lines[0].pattern", "missing required key 'pattern'"},
        {SOURCE("\"clean\": {\"drop_blocks\": [{\"start\": \"a\"}]}"), FS_ERR_CONFIG,
         "sources[0].clean.drop_blocks[0].end", "missing required key 'end'"},
    };
    check_rows(rows, sizeof rows / sizeof rows[0]);
}

static void test_regex_errors(void **state)
{
    (void)state;
    static const error_row rows[] = {
        /* "(unclosed" is 9 bytes; PCRE2 notices the missing ')' at the end, offset 9. */
        {SOURCE("\"clean\": {\"drop_lines\": [\"^ok$\", \"^fine$\", \"(unclosed\"]}"), FS_ERR_REGEX,
         "sources[0].clean.drop_lines[2]",
         "invalid pattern at offset 9: missing closing parenthesis"},
        {WITH("\"analysis\": {\"frames\": {\"Deterrence and military\": [\"\\\\bdeter\\\\w*\", "
              "\"[abc\"]}}"),
         FS_ERR_REGEX, "analysis.frames[\"Deterrence and military\"][1]",
         "invalid pattern at offset 4: missing terminating ] for character class"},
        {WITH("\"clean\": {\"cut_from\": [{\"name\": \"n\", \"pattern\": \"a{2,1}\"}]}"),
         FS_ERR_REGEX, "clean.cut_from[0].pattern", "invalid pattern at offset"},
        /* metadata rules need a group to extract the value */
        {SOURCE("\"title\": {\"pattern\": \"^Title: .+$\"}"), FS_ERR_REGEX,
         "sources[0].title.pattern", "needs a capture group"},
    };
    check_rows(rows, sizeof rows / sizeof rows[0]);
}

/* ---- inputs on disk ---- */

static char *make_tree(void)
{
    char tmpl[] = "/tmp/fs-config-XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/corpus", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/corpus/deep", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/empty", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/corpus", dir);
    free(tu_write_temp(path, "a.txt", "text"));
    snprintf(path, sizeof path, "%s/corpus/deep", dir);
    free(tu_write_temp(path, "b.txt", "text"));
    return strdup(dir);
}

static void remove_tree(char *dir)
{
    assert_int_equal(tu_remove_tree(dir), 0);
    free(dir);
}

static void test_inputs_must_match(void **state)
{
    (void)state;
    char *dir = make_tree();
    static const struct {
        const char *input, *msg;
    } bad[] = {
        {"corpus/x/*.txt", "source 'korea-herald': input 'corpus/x/*.txt' matches no file"},
        {"corpus/nope.txt", "source 'korea-herald': input 'corpus/nope.txt' matches no file"},
        {"empty", "source 'korea-herald': input 'empty' matches no file (the folder"},
    };
    char json[1024];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(json, sizeof json,
                 "{" REP ", \"sources\": [{\"id\": \"korea-herald\", \"label\": \"KH\", "
                 "\"inputs\": [\"corpus/*.txt\", \"%s\"]}]}",
                 bad[i].input);
        fs_config *cfg = NULL;
        fs_error err = {0};
        assert_int_equal(fs_config_parse(json, strlen(json), "t.json", dir, true, &cfg, &err),
                         FS_ERR_CONFIG);
        assert_string_equal(err.where, "sources[0].inputs[1]");
        if (!strstr(err.msg, bad[i].msg))
            fail_msg("row %zu: %s", i, err.msg);
        /* Without the check the same config loads. */
        cfg = parse_ok(json, dir);
        fs_config_free(cfg);
    }
    /* A glob, a plain file and a folder whose only file is in a subfolder all match. */
    snprintf(json, sizeof json,
             "{" REP ", \"sources\": [{\"id\": \"k\", \"label\": \"K\", \"inputs\": "
             "[\"corpus/*.txt\", \"corpus/a.txt\", \"corpus/deep\", \"%s/corpus\"]}]}",
             dir);
    fs_config *cfg = NULL;
    fs_error err = {0};
    assert_int_equal(fs_config_parse(json, strlen(json), "t.json", dir, true, &cfg, &err), FS_OK);
    fs_config_free(cfg);
    remove_tree(dir);
}

/* ---- successful loads ---- */

static void assert_rgb(const double *rgb, int r, int g, int b)
{
    assert_close(rgb[0], r / 255.0, 1e-12);
    assert_close(rgb[1], g / 255.0, 1e-12);
    assert_close(rgb[2], b / 255.0, 1e-12);
}

static void test_defaults(void **state)
{
    (void)state;
    fs_config *cfg = parse_ok("{" REP ", \"sources\": [{\"id\": \"a\", \"label\": \"A\", "
                              "\"inputs\": [\"x\"]}, {\"id\": \"b\", \"label\": \"B\", "
                              "\"inputs\": [\"y\"]}]}",
                              "/proj/config");
    const fs_analysis_cfg *a = &cfg->analysis;
    assert_int_equal(a->min_count, 2);
    assert_int_equal(a->window, 5);
    assert_int_equal(a->min_pair_count, 2);
    assert_int_equal(a->ca_terms, 60);
    assert_int_equal(a->min_source_tokens, 500);
    assert_close(a->prior_strength, 0.0, 0);
    assert_false(a->keep_numbers);
    assert_false(a->sentence_cooccurrence);
    assert_true(a->keep_acronyms);
    assert_int_equal(a->cooc_memory_mb, 512);
    assert_int_equal(a->kwic_per_term, 8);
    assert_int_equal(a->top_terms, 20);
    assert_int_equal(a->threads, 0);
    assert_int_equal(a->n_stopword_files, 1);
    /* /proj/config has no stopwords-en.txt, so the shipped list of the build tree is used. */
    assert_string_equal(a->stopword_files[0], FS_DATADIR "/stopwords-en.txt");
    assert_int_equal(a->n_frames, 0);
    assert_int_equal(a->n_aliases, 0);

    assert_true(cfg->clean.generic);
    assert_int_equal(cfg->clean.nav_max_words, 4);
    assert_close(cfg->clean.dedup_threshold, 0.8, 1e-15);
    assert_int_equal(cfg->clean.shingle_size, 5);
    assert_false(cfg->clean.dedup_across_sources);
    assert_int_equal(cfg->clean.max_file_mb, 256);
    assert_false(cfg->run.include_undated);
    assert_null(cfg->run.history_dir);
    assert_null(cfg->run.lock_file);
    assert_false(cfg->email.enabled);
    assert_string_equal(cfg->email.subject, "{title} ({period})");

    const fs_report_cfg *r = &cfg->report;
    assert_string_equal(r->title, "T");
    assert_null(r->subtitle);
    assert_string_equal(r->output, "reports/{title_slug}.pdf");
    assert_string_equal(r->paper, "A4");
    assert_int_equal(r->provenance_rows, 300);
    assert_string_equal(r->fonts_dir, FS_FONTDIR); /* /proj/fonts does not exist: the build tree's */
    assert_int_equal(r->n_sections, fs_report_section_count);
    for (size_t i = 0; i < r->n_sections; i++)
        assert_string_equal(r->sections[i], fs_report_section_names[i]);

    /* Palette by position: #0072B2 then #D55E00 (Okabe-Ito). */
    assert_null(cfg->sources[0].color);
    assert_rgb(cfg->sources[0].rgb, 0x00, 0x72, 0xB2);
    assert_rgb(cfg->sources[1].rgb, 0xD5, 0x5E, 0x00);
    assert_string_equal(cfg->sources[0].jsonl.text, "text");
    assert_string_equal(cfg->sources[0].jsonl.outlet, "outlet");
    assert_null(cfg->sources[0].jsonl.date_format);
    assert_int_equal(cfg->sources[0].date.year, 0);
    assert_null(cfg->sources[0].date_rule.pattern);
    assert_int_equal(fs_config_source_index(cfg, "b"), 1);
    assert_int_equal(fs_config_source_index(cfg, "c"), -1);
    fs_config_free(cfg);

    /* Config in the current folder: no ../fonts or ./stopwords-en.txt here (the tests run in
     * the project root), so the build tree's shipped copies are used. */
    cfg = parse_ok(MIN_CFG, NULL);
    assert_string_equal(cfg->base_dir, ".");
    assert_string_equal(cfg->report.fonts_dir, FS_FONTDIR);
    assert_string_equal(cfg->analysis.stopword_files[0], FS_DATADIR "/stopwords-en.txt");
    assert_string_equal(cfg->sources[0].inputs[0], "x.txt");
    fs_config_free(cfg);

    /* A project laid out like this one: fonts/ beside config/, its own stopword list. */
    char proj[] = "/tmp/fs-cfg-proj-XXXXXX";
    assert_non_null(mkdtemp(proj));
    char cfgdir[64], fonts[64], sw[96];
    snprintf(cfgdir, sizeof cfgdir, "%s/config", proj);
    snprintf(fonts, sizeof fonts, "%s/fonts", proj);
    snprintf(sw, sizeof sw, "%s/stopwords-en.txt", cfgdir);
    assert_int_equal(mkdir(cfgdir, 0755), 0);
    assert_int_equal(mkdir(fonts, 0755), 0);
    FILE *f = fopen(sw, "w");
    assert_non_null(f);
    fputs("the\n", f);
    fclose(f);
    cfg = parse_ok(MIN_CFG, cfgdir);
    assert_string_equal(cfg->report.fonts_dir, fonts);
    assert_string_equal(cfg->analysis.stopword_files[0], sw);
    fs_config_free(cfg);
    assert_int_equal(tu_remove_tree(proj), 0);
    fs_config_free(NULL);
}

static void test_full_fixture(void **state)
{
    (void)state;
    fs_config *cfg = NULL;
    fs_error err = {0};
    /* Loaded from disk with input checks: every input of the fixture exists. */
    if (fs_config_load("tests/data/config/full.json", &cfg, &err) != FS_OK)
        fail_msg("%s: %s", err.where, err.msg);
    assert_string_equal(cfg->path, "tests/data/config/full.json");
    assert_string_equal(cfg->base_dir, "tests/data/config");
    assert_string_equal(cfg->report.paper, "Letter");
    assert_string_equal(cfg->report.fonts_dir, "tests/data/config/fonts");
    assert_int_equal(cfg->report.n_sections, 3);
    assert_string_equal(cfg->report.sections[1], "frames");

    const fs_source_cfg *kh = &cfg->sources[0], *tm = &cfg->sources[1];
    assert_int_equal(kh->n_inputs, 2);
    assert_string_equal(kh->inputs_raw[0], "corpus/herald/*.txt");
    assert_string_equal(kh->inputs[0], "tests/data/config/corpus/herald/*.txt");
    assert_string_equal(kh->color, "#0072b2");
    assert_rgb(kh->rgb, 0x00, 0x72, 0xB2);
    assert_rgb(tm->rgb, 0xD5, 0x5E, 0x00); /* second source, no colour: palette slot 2 */
    assert_string_equal(kh->outlet, "The Korea Herald");
    assert_string_equal(kh->title_rule.pattern, "^Title: (.+)$");
    assert_string_equal(kh->date_rule.pattern, "time(\\d{2}-\\d{2}-\\d{4})");
    assert_string_equal(kh->date_rule.format, "%d-%m-%Y");
    assert_int_equal(kh->date.year, 2025);
    assert_int_equal(kh->date.month, 4);
    assert_int_equal(kh->date.day, 1);
    assert_int_equal(kh->clean.cut_from.n, 1);
    assert_string_equal(kh->clean.cut_from.items[0].name, "sources[0].clean.cut_from[0]");
    assert_int_equal(kh->clean.drop_lines.n, 2);
    assert_string_equal(kh->clean.drop_lines.items[1].name, "ads");
    assert_string_equal(kh->clean.drop_lines.items[1].pattern, "^Advertisement$");
    assert_int_equal(kh->clean.n_drop_blocks, 1);
    assert_string_equal(kh->clean.drop_blocks[0].name, "sources[0].clean.drop_blocks[0]");
    assert_string_equal(kh->clean.drop_blocks[0].end, "^</nav>$");

    assert_string_equal(tm->outlet, "The Times");
    assert_string_equal(tm->outlet_rule.pattern, "^Source: (?<value>.+)$");
    assert_int_equal(tm->date.year, 2024); /* 2024-02-29: a leap day */
    assert_int_equal(tm->date.day, 29);
    assert_string_equal(tm->jsonl.text, "body");
    assert_string_equal(tm->jsonl.url, "url");
    assert_string_equal(tm->jsonl.date_format, "%Y-%m-%d");

    const fs_analysis_cfg *a = &cfg->analysis;
    assert_int_equal(a->n_stopword_files, 1);
    assert_string_equal(a->stopword_files[0], "tests/data/config/stopwords-en.txt");
    assert_int_equal(a->n_stopwords_extra, 1);
    assert_string_equal(a->stopwords_extra[0], "said");
    assert_string_equal(a->stopwords_keep[0], "us");
    assert_int_equal(a->n_aliases, 2);
    assert_string_equal(a->aliases[0].from, "U.S.");
    assert_string_equal(a->aliases[1].from, "United States");
    assert_string_equal(a->aliases[1].to, "US");
    assert_int_equal(a->n_phrases, 2);
    assert_string_equal(a->focus[1], "US");
    assert_int_equal(a->n_frames, 2);
    assert_string_equal(a->frames[0].name, "Deterrence and military");
    assert_int_equal(a->frames[0].patterns.n, 2);
    assert_string_equal(a->frames[0].patterns.items[1].name,
                        "analysis.frames[\"Deterrence and military\"][1]");
    assert_string_equal(a->frames[1].patterns.items[0].name, "diplomacy");
    assert_int_equal(a->min_count, 3);
    assert_int_equal(a->window, 7);
    assert_close(a->prior_strength, 1500.5, 1e-15);
    assert_true(a->sentence_cooccurrence);
    assert_int_equal(a->threads, 2);
    assert_int_equal(a->top_terms, 20);

    assert_int_equal(cfg->clean.global.drop_lines.n, 1);
    assert_string_equal(cfg->clean.global.drop_lines.items[0].name, "clean.drop_lines[0]");
    assert_close(cfg->clean.dedup_threshold, 0.9, 1e-15);
    assert_int_equal(cfg->clean.max_file_mb, 64);
    assert_true(cfg->clean.generic);
    assert_false(cfg->run.include_undated);
    assert_string_equal(cfg->run.history_dir, "tests/data/config/../history");
    assert_true(cfg->email.enabled);
    assert_string_equal(cfg->email.to[0], "analyst@example.org");
    assert_string_equal(cfg->email.subject, "{title}: {period}");

    char *out = fs_config_output_path(cfg, NULL, "2025-04", "2025-05-01");
    assert_string_equal(out, "reports/2025-04/how-sources-frame-the-us-rok-alliance.pdf");
    free(out);
    fs_config_free(cfg);
}

static void test_load_errors(void **state)
{
    (void)state;
    fs_config *cfg = (fs_config *)1;
    fs_error err = {0};
    assert_int_equal(fs_config_load("tests/data/config/nope.json", &cfg, &err), FS_ERR_CONFIG);
    assert_null(cfg);
    assert_string_equal(err.where, "tests/data/config/nope.json");
    /* The same broken file the CLI test uses: "label" without a comma before it, line 4. */
    assert_int_equal(fs_config_load("tests/data/config/syntax-error.json", &cfg, &err),
                     FS_ERR_CONFIG);
    assert_string_equal(err.where, "tests/data/config/syntax-error.json:4:16");
    assert_non_null(strstr(err.msg, "expected ',' or '}' after object member"));
}

static void test_stopword_forms(void **state)
{
    (void)state;
    fs_config *cfg = parse_ok(WITH("\"analysis\": {\"stopwords\": [\"a.txt\", \"/abs/b.txt\"]}"),
                              "/cfg");
    assert_int_equal(cfg->analysis.n_stopword_files, 2);
    assert_string_equal(cfg->analysis.stopword_files[0], "/cfg/a.txt");
    assert_string_equal(cfg->analysis.stopword_files[1], "/abs/b.txt");
    fs_config_free(cfg);
    /* An explicit empty list means no stopword file at all. */
    cfg = parse_ok(WITH("\"analysis\": {\"stopwords\": {\"files\": [], \"add\": [\"said\"]}}"),
                   "/cfg");
    assert_int_equal(cfg->analysis.n_stopword_files, 0);
    assert_int_equal(cfg->analysis.n_stopwords_extra, 1);
    fs_config_free(cfg);
    /* The object form without files keeps the default file. */
    cfg = parse_ok(WITH("\"analysis\": {\"stopwords\": {\"remove\": [\"us\"]}}"), "/cfg");
    assert_int_equal(cfg->analysis.n_stopword_files, 1);
    assert_string_equal(cfg->analysis.stopword_files[0], FS_DATADIR "/stopwords-en.txt");
    assert_string_equal(cfg->analysis.stopwords_keep[0], "us");
    fs_config_free(cfg);
}

static void test_paths_resolved(void **state)
{
    (void)state;
    fs_config *cfg = parse_ok("{\"report\": {\"title\": \"T\", \"fonts_dir\": \"/usr/share/f\"}, "
                              "\"sources\": [{\"id\": \"a\", \"label\": \"A\", \"inputs\": "
                              "[\"corpus/a.txt\", \"/abs/b.txt\"]}], "
                              "\"run\": {\"history_dir\": \"hist\", \"lock_file\": \"run.lock\"}}",
                              "/data/cfg");
    assert_string_equal(cfg->sources[0].inputs[0], "/data/cfg/corpus/a.txt");
    assert_string_equal(cfg->sources[0].inputs[1], "/abs/b.txt");
    assert_string_equal(cfg->sources[0].inputs_raw[0], "corpus/a.txt");
    assert_string_equal(cfg->report.fonts_dir, "/usr/share/f");
    assert_string_equal(cfg->run.history_dir, "/data/cfg/hist");
    assert_string_equal(cfg->run.lock_file, "/data/cfg/run.lock");
    /* report.output is not resolved: it is relative to the current directory. */
    assert_string_equal(cfg->report.output, "reports/{title_slug}.pdf");
    fs_config_free(cfg);
}

static void test_output_path(void **state)
{
    (void)state;
    fs_config *cfg = parse_ok("{\"report\": {\"title\": \"  Frames: 2025 / Q2 -- Draft!  \", "
                              "\"output\": \"out/{period}/{title_slug}-{date}.pdf\"}, " SRC "}",
                              "/cfg");
    /* Every run of non-alphanumerics becomes one dash; none at either end. */
    char *p = fs_config_output_path(cfg, NULL, "2025-04", "2025-05-01");
    assert_string_equal(p, "out/2025-04/frames-2025-q2-draft-2025-05-01.pdf");
    free(p);
    p = fs_config_output_path(cfg, NULL, NULL, "2025-05-01");
    assert_string_equal(p, "out/all/frames-2025-q2-draft-2025-05-01.pdf");
    free(p);
    /* --output is used as given, placeholders expanded. */
    p = fs_config_output_path(cfg, "/tmp/x-{period}.pdf", "2025-04", "2025-05-01");
    assert_string_equal(p, "/tmp/x-2025-04.pdf");
    free(p);
    /* Without a date: today's, YYYY-MM-DD (length 10) in place of {date}. */
    p = fs_config_output_path(cfg, "{date}", "all", NULL);
    assert_int_equal(strlen(p), 10);
    assert_int_equal(p[4], '-');
    free(p);
    fs_config_free(cfg);

    /* A title with no ASCII letter or digit still gives a file name. */
    cfg = parse_ok("{\"report\": {\"title\": \"—\"}, " SRC "}", "/cfg");
    p = fs_config_output_path(cfg, NULL, "all", "2025-01-01");
    assert_string_equal(p, "reports/report.pdf");
    free(p);
    fs_config_free(cfg);
}

static void test_bom_and_email(void **state)
{
    (void)state;
    /* A UTF-8 byte-order mark is skipped; email present means enabled. */
    fs_config *cfg = parse_ok("\xEF\xBB\xBF" WITH("\"email\": {\"from\": \"Desk <desk@example.org>\", "
                                                  "\"to\": [\"a@example.org\", "
                                                  "\"Bé Kim <b@example.org>\"], \"cc\": "
                                                  "[\"c@example.org\"]}"),
                              "/cfg");
    assert_true(cfg->email.enabled);
    assert_int_equal(cfg->email.n_to, 2);
    assert_int_equal(cfg->email.n_cc, 1);
    assert_string_equal(cfg->email.from, "Desk <desk@example.org>");
    fs_config_free(cfg);

    /* Address checks: plain or with a display name; no name alone, no second address. */
    assert_true(cfg_check_email("a.b@example.org"));
    assert_true(cfg_check_email("Analyst Team <team@example.org>"));
    assert_false(cfg_check_email("Jane Doe"));
    assert_false(cfg_check_email("a@example.org, b@example.org"));
    assert_false(cfg_check_email("<a@example.org> x"));
    assert_false(cfg_check_email("a@example.org\r\nBcc: x@example.org"));
    assert_false(cfg_check_email("a@b"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_and_distance),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_deep_nesting_and_size),
        cmocka_unit_test(test_value_errors),
        cmocka_unit_test(test_regex_errors),
        cmocka_unit_test(test_inputs_must_match),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_full_fixture),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_stopword_forms),
        cmocka_unit_test(test_paths_resolved),
        cmocka_unit_test(test_output_path),
        cmocka_unit_test(test_bom_and_email),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
