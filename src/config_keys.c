/* config_keys.c: the table of every config key, one sorted table per JSON object level.
 *
 * The tables drive config.c (how each key is read, its range and default), the unknown-key
 * error (bsearch misses) and its did-you-mean suggestion (edit distance against the same
 * level). config/schema.json documents the same keys for editors; keep the two in step.
 * Every table MUST stay sorted by name in strcmp order: cfg_tables_ok() checks it in the tests.
 */
#include "config_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Section names in the default report order (DESIGN.md). The trailing NULL lets the same array
 * serve as a `choices` list; fs_report_section_count does not count it. */
const char *const fs_report_section_names[] = {
    "cover", "summary", "changes", "corpus", "vocabulary", "keyness", "frames",
    "cooccurrence", "similarity", "concordance", "methods", "provenance", NULL};
const size_t fs_report_section_count =
    sizeof fs_report_section_names / sizeof fs_report_section_names[0] - 1;

static const char *const paper_choices[] = {"A4", "Letter", NULL};
static const char *const output_placeholders[] = {"period", "date", "title_slug", NULL};
static const char *const subject_placeholders[] = {"title", "period", "date", NULL};

#define NOMAX HUGE_VAL
#define OFF(type, field) .off = offsetof(type, field)
#define CNT(type, field) .count_off = offsetof(type, field)

#define T_INT(nm, type, field, lo, hi, d) \
    {.name = nm, .kind = K_INT, OFF(type, field), .min = lo, .max = hi, .def = d}
#define T_SIZE(nm, type, field, lo, hi, d) \
    {.name = nm, .kind = K_SIZE, OFF(type, field), .min = lo, .max = hi, .def = d}
#define T_DOUBLE(nm, type, field, lo, hi, d) \
    {.name = nm, .kind = K_DOUBLE, OFF(type, field), .min = lo, .max = hi, .def = d}
#define T_BOOL(nm, type, field, d) {.name = nm, .kind = K_BOOL, OFF(type, field), .def = d}
#define T_STR(nm, type, field, fl, d) \
    {.name = nm, .kind = K_STR, .flags = fl, OFF(type, field), .def_str = d}
#define T_KIND(nm, k, fl, type, field) {.name = nm, .kind = k, .flags = fl, OFF(type, field)}
#define T_LIST(nm, k, fl, type, field, count) \
    {.name = nm, .kind = k, .flags = fl, OFF(type, field), CNT(type, count)}
#define T_SUB(nm, k, fl, type, field, table) \
    {.name = nm, .kind = k, .flags = fl, OFF(type, field), .sub = &table}
#define T_PATS(nm, type, field) \
    {.name = nm, .kind = K_PATTERNS, OFF(type, field), .sub = &pattern_table}
#define T_BLOCKS(nm, type, field, count) \
    {.name = nm, .kind = K_BLOCKS, OFF(type, field), CNT(type, count), .sub = &block_table}
#define TABLE(var, what_) \
    static const cfg_table var = {what_, var##_keys, sizeof var##_keys / sizeof var##_keys[0]}

/* ---- pattern entries, blocks, metadata rules ---- */

static const cfg_key pattern_table_keys[] = {
    T_STR("name", fs_pattern, name, 0, NULL),
    T_KIND("pattern", K_REGEX, F_REQUIRED, fs_pattern, pattern),
};
TABLE(pattern_table, "a pattern entry");

static const cfg_key block_table_keys[] = {
    T_KIND("end", K_REGEX, F_REQUIRED, fs_block_rule, end),
    T_STR("name", fs_block_rule, name, 0, NULL),
    T_KIND("start", K_REGEX, F_REQUIRED, fs_block_rule, start),
};
TABLE(block_table, "a block rule");

static const cfg_key meta_table_keys[] = {
    T_KIND("pattern", K_REGEX, F_REQUIRED | F_GROUP, fs_meta_rule, pattern),
};
TABLE(meta_table, "a metadata rule");

/* The object forms of a source's `outlet` and `date` write into the source itself: the pattern
 * goes to the rule, the default to the fallback field. */
static const cfg_key outlet_table_keys[] = {
    T_STR("default", fs_source_cfg, outlet, 0, NULL),
    T_KIND("pattern", K_REGEX, F_REQUIRED | F_GROUP, fs_source_cfg, outlet_rule.pattern),
};
TABLE(outlet_table, "an outlet rule");

static const cfg_key date_table_keys[] = {
    T_KIND("default", K_DATE, 0, fs_source_cfg, date),
    T_KIND("format", K_DATEFMT, 0, fs_source_cfg, date_rule.format),
    T_KIND("pattern", K_REGEX, F_REQUIRED | F_GROUP, fs_source_cfg, date_rule.pattern),
};
TABLE(date_table, "a date rule");

static const cfg_key jsonl_table_keys[] = {
    T_STR("author", fs_jsonl_fields, author, 0, "author"),
    T_STR("date", fs_jsonl_fields, date, 0, "date"),
    T_KIND("date_format", K_DATEFMT, 0, fs_jsonl_fields, date_format),
    T_STR("outlet", fs_jsonl_fields, outlet, 0, "outlet"),
    T_STR("text", fs_jsonl_fields, text, 0, "text"),
    T_STR("title", fs_jsonl_fields, title, 0, "title"),
    T_STR("url", fs_jsonl_fields, url, 0, "url"),
};
TABLE(jsonl_table, "jsonl");

/* ---- clean rules: per source, and global (the same rules plus the heuristics' settings) ---- */

static const cfg_key rules_table_keys[] = {
    T_PATS("cut_before", fs_clean_rules, cut_before),
    T_PATS("cut_from", fs_clean_rules, cut_from),
    T_PATS("cut_through", fs_clean_rules, cut_through),
    T_BLOCKS("drop_blocks", fs_clean_rules, drop_blocks, n_drop_blocks),
    T_PATS("drop_lines", fs_clean_rules, drop_lines),
};
TABLE(rules_table, "clean");

static const cfg_key clean_table_keys[] = {
    T_PATS("cut_before", fs_clean_cfg, global.cut_before),
    T_PATS("cut_from", fs_clean_cfg, global.cut_from),
    T_PATS("cut_through", fs_clean_cfg, global.cut_through),
    T_BOOL("dedup_across_sources", fs_clean_cfg, dedup_across_sources, 0),
    T_DOUBLE("dedup_threshold", fs_clean_cfg, dedup_threshold, 0, 1, 0.8),
    T_BLOCKS("drop_blocks", fs_clean_cfg, global.drop_blocks, global.n_drop_blocks),
    T_PATS("drop_lines", fs_clean_cfg, global.drop_lines),
    T_BOOL("generic", fs_clean_cfg, generic, 1),
    T_SIZE("max_file_mb", fs_clean_cfg, max_file_mb, 1, 4096, 256),
    T_INT("nav_max_words", fs_clean_cfg, nav_max_words, 1, 20, 4),
    T_INT("shingle_size", fs_clean_cfg, shingle_size, 1, 20, 5),
};
TABLE(clean_table, "clean");

/* ---- sources ---- */

static const cfg_key source_table_keys[] = {
    T_SUB("author", K_OBJECT, 0, fs_source_cfg, author_rule, meta_table),
    T_SUB("clean", K_OBJECT, 0, fs_source_cfg, clean, rules_table),
    T_KIND("color", K_COLOR, 0, fs_source_cfg, color),
    T_SUB("date", K_SRCDATE, 0, fs_source_cfg, date, date_table),
    T_STR("id", fs_source_cfg, id, F_REQUIRED | F_ID, NULL),
    T_LIST("inputs", K_INPUTS, F_REQUIRED | F_NONEMPTY, fs_source_cfg, inputs, n_inputs),
    T_SUB("jsonl", K_OBJECT, 0, fs_source_cfg, jsonl, jsonl_table),
    T_STR("label", fs_source_cfg, label, F_REQUIRED, NULL),
    T_SUB("outlet", K_OUTLET, 0, fs_source_cfg, outlet, outlet_table),
    T_SUB("title", K_OBJECT, 0, fs_source_cfg, title_rule, meta_table),
    T_SUB("url", K_OBJECT, 0, fs_source_cfg, url_rule, meta_table),
};
TABLE(source_table, "a source");

/* ---- report, analysis, run, email ---- */

static const cfg_key report_table_keys[] = {
    T_KIND("fonts_dir", K_PATH, 0, fs_report_cfg, fonts_dir),
    T_STR("organization", fs_report_cfg, organization, 0, NULL),
    {.name = "output", .kind = K_STR, .flags = F_PLACEHOLDERS, OFF(fs_report_cfg, output),
     .def_str = "reports/{title_slug}.pdf", .choices = output_placeholders},
    {.name = "paper", .kind = K_STR, OFF(fs_report_cfg, paper), .def_str = "A4",
     .choices = paper_choices},
    T_INT("provenance_rows", fs_report_cfg, provenance_rows, 0, 100000, 300),
    {.name = "sections", .kind = K_STRLIST, .flags = F_NONEMPTY | F_UNIQUE,
     OFF(fs_report_cfg, sections), CNT(fs_report_cfg, n_sections),
     .choices = fs_report_section_names},
    T_STR("subtitle", fs_report_cfg, subtitle, 0, NULL),
    T_STR("title", fs_report_cfg, title, F_REQUIRED, NULL),
};
TABLE(report_table, "report");

static const cfg_key stopwords_table_keys[] = {
    T_LIST("add", K_STRLIST, 0, fs_analysis_cfg, stopwords_extra, n_stopwords_extra),
    T_LIST("files", K_PATHLIST, 0, fs_analysis_cfg, stopword_files, n_stopword_files),
    T_LIST("remove", K_STRLIST, 0, fs_analysis_cfg, stopwords_keep, n_stopwords_keep),
};
TABLE(stopwords_table, "stopwords");

static const cfg_key analysis_table_keys[] = {
    T_LIST("aliases", K_ALIASES, 0, fs_analysis_cfg, aliases, n_aliases),
    T_INT("ca_terms", fs_analysis_cfg, ca_terms, 2, 1000, 60),
    T_SIZE("cooc_memory_mb", fs_analysis_cfg, cooc_memory_mb, 1, NOMAX, 512),
    T_LIST("focus", K_STRLIST, F_UNIQUE, fs_analysis_cfg, focus, n_focus),
    {.name = "frames", .kind = K_FRAMES, OFF(fs_analysis_cfg, frames),
     CNT(fs_analysis_cfg, n_frames), .sub = &pattern_table},
    T_BOOL("keep_acronyms", fs_analysis_cfg, keep_acronyms, 1),
    T_BOOL("keep_numbers", fs_analysis_cfg, keep_numbers, 0),
    T_INT("kwic_per_term", fs_analysis_cfg, kwic_per_term, 0, 100, 8),
    T_INT("min_count", fs_analysis_cfg, min_count, 1, NOMAX, 2),
    T_INT("min_pair_count", fs_analysis_cfg, min_pair_count, 1, NOMAX, 2),
    T_INT("min_source_tokens", fs_analysis_cfg, min_source_tokens, 0, NOMAX, 500),
    T_LIST("phrases", K_STRLIST, F_UNIQUE, fs_analysis_cfg, phrases, n_phrases),
    T_DOUBLE("prior_strength", fs_analysis_cfg, prior_strength, 0, NOMAX, 0),
    T_BOOL("sentence_cooccurrence", fs_analysis_cfg, sentence_cooccurrence, 0),
    T_SUB("stopwords", K_STOPWORDS, 0, fs_analysis_cfg, stopword_files, stopwords_table),
    T_INT("threads", fs_analysis_cfg, threads, 0, 64, 0),
    T_INT("top_terms", fs_analysis_cfg, top_terms, 1, 200, 20),
    T_INT("window", fs_analysis_cfg, window, 1, 50, 5),
};
TABLE(analysis_table, "analysis");

static const cfg_key run_table_keys[] = {
    T_KIND("history_dir", K_PATH, 0, fs_run_cfg, history_dir),
    T_BOOL("include_undated", fs_run_cfg, include_undated, 0),
    T_KIND("lock_file", K_PATH, 0, fs_run_cfg, lock_file),
};
TABLE(run_table, "run");

static const cfg_key email_table_keys[] = {
    T_LIST("cc", K_STRLIST, F_EMAIL | F_UNIQUE, fs_email_cfg, cc, n_cc),
    T_STR("from", fs_email_cfg, from, F_REQUIRED | F_EMAIL, NULL),
    {.name = "subject", .kind = K_STR, .flags = F_PLACEHOLDERS, OFF(fs_email_cfg, subject),
     .def_str = "{title} ({period})", .choices = subject_placeholders},
    T_LIST("to", K_STRLIST, F_REQUIRED | F_NONEMPTY | F_EMAIL | F_UNIQUE, fs_email_cfg, to, n_to),
};
TABLE(email_table, "email");

/* ---- top level ---- */

static const cfg_key top_table_keys[] = {
    {.name = "$schema", .kind = K_IGNORE},
    T_SUB("analysis", K_OBJECT, 0, fs_config, analysis, analysis_table),
    T_SUB("clean", K_OBJECT, 0, fs_config, clean, clean_table),
    T_SUB("email", K_OBJECT, 0, fs_config, email, email_table),
    T_SUB("report", K_OBJECT, F_REQUIRED, fs_config, report, report_table),
    T_SUB("run", K_OBJECT, 0, fs_config, run, run_table),
    {.name = "sources", .kind = K_SOURCES, .flags = F_REQUIRED | F_NONEMPTY,
     OFF(fs_config, sources), CNT(fs_config, n_sources), .sub = &source_table},
};
const cfg_table cfg_top_table = {"the config", top_table_keys,
                                 sizeof top_table_keys / sizeof top_table_keys[0]};

/* ---- lookup ---- */

static int compare_key(const void *name, const void *key)
{
    return strcmp(name, ((const cfg_key *)key)->name);
}

const cfg_key *cfg_key_find(const cfg_table *t, const char *name)
{
    return bsearch(name, t->keys, t->n, sizeof *t->keys, compare_key);
}

size_t cfg_edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    /* Keys are short; longer input (a pasted value used as a key) is simply not a typo. */
    enum { MAXLEN = 64 };
    if (n > MAXLEN || m > MAXLEN)
        return (size_t)-1;
    /* Three rolling rows are enough for the transposition step, which looks two rows back. */
    size_t rows[3][MAXLEN + 1];
    size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= m; j++)
        prev[j] = j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (prev[j - 1] + cost < best)
                best = prev[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            cur[j] = best;
        }
        size_t *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[m];
}

const char *cfg_key_suggest(const cfg_table *t, const char *name)
{
    /* Allow more edits for longer names: one typo in "url" already makes another word. */
    size_t len = strlen(name);
    size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < t->n; i++) {
        if (t->keys[i].name[0] == '$')
            continue;
        size_t d = cfg_edit_distance(name, t->keys[i].name);
        if (d < best_d) { /* strict: ties keep the first key in sorted order */
            best_d = d;
            best = t->keys[i].name;
        }
    }
    return best;
}

static bool table_ok(const cfg_table *t)
{
    if (t->n > 64)
        return false;
    for (size_t i = 0; i < t->n; i++) {
        if (i > 0 && strcmp(t->keys[i - 1].name, t->keys[i].name) >= 0)
            return false;
        if (t->keys[i].sub && !table_ok(t->keys[i].sub))
            return false;
    }
    return true;
}

bool cfg_tables_ok(void)
{
    return table_ok(&cfg_top_table);
}
