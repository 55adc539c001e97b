/**
 * config.h: the run's configuration, loaded from JSON (cJSON) into typed structs.
 *
 * Every key is documented in config/schema.json and the README. Loading validates everything a
 * later stage would otherwise trip on: types, ranges, colours, dates, regular expressions
 * (compiled once with PCRE2 to report pattern + offset), unknown keys (with a did-you-mean
 * suggestion), and input patterns that match no file. Errors fill fs_error with `where` set to
 * `FILE:LINE:COL` (syntax) or the key path (`sources[1].inputs[0]`).
 *
 * Ownership: fs_config_load returns an owned fs_config; every string and array in it belongs to
 * it and is freed by fs_config_free. All paths in the struct are already resolved against the
 * config file's folder (absolute or relative to the current directory), except report.output
 * which may hold placeholders ({period}, {date}, {title_slug}) and is relative to the current
 * directory; expand it with fs_config_output_path.
 */
#ifndef FRAMESCOPE_CONFIG_H
#define FRAMESCOPE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "framescope/error.h"

/** A regular expression from the config with its key path as the rule's name. */
typedef struct fs_pattern {
    char *name;     /* key path, e.g. "sources[0].clean.cut_from[0]" or a user-given name */
    char *pattern;  /* PCRE2 syntax, UTF mode */
} fs_pattern;

typedef struct fs_pattern_list {
    fs_pattern *items;
    size_t n;
} fs_pattern_list;

/** Block between two markers (both lines removed too). */
typedef struct fs_block_rule {
    char *name;
    char *start;
    char *end;
} fs_block_rule;

/** Boilerplate rules; each pattern is matched against one line (without its newline). */
typedef struct fs_clean_rules {
    fs_pattern_list drop_lines;   /* drop each matching line */
    fs_pattern_list cut_from;     /* drop the first matching line and everything after it */
    fs_pattern_list cut_before;   /* drop everything before the first matching line (kept) */
    fs_pattern_list cut_through;  /* drop everything up to and including the first matching line */
    fs_block_rule *drop_blocks;
    size_t n_drop_blocks;
} fs_clean_rules;

/** How to extract one metadata field from a plain-text document: the pattern's named group
 *  `value` (or group 1) is the field; for dates `format` (strptime-style: %d %m %Y %y %b %B)
 *  parses it. */
typedef struct fs_meta_rule {
    char *pattern;   /* NULL: not configured */
    char *format;    /* dates only; NULL: ISO 8601 (YYYY-MM-DD) */
} fs_meta_rule;

typedef struct fs_jsonl_fields {
    char *text, *title, *date, *url, *author, *outlet;  /* defaults "text","title","date",... */
    char *date_format;                                   /* NULL: ISO 8601 */
} fs_jsonl_fields;

typedef struct fs_date {
    int year, month, day;   /* all 0: no date */
} fs_date;

typedef struct fs_source_cfg {
    char *id;          /* [a-z0-9_-]+, unique */
    char *label;       /* shown in the report */
    char *color;       /* "#RRGGBB"; NULL: palette default */
    double rgb[3];     /* colour parsed to 0..1 (palette default filled in when color is NULL) */
    char **inputs;     /* files, folders or glob patterns, resolved against the config folder */
    size_t n_inputs;
    char **inputs_raw; /* the patterns as written in the config, for messages */
    char *outlet;      /* fallback outlet (who published the page); NULL: none */
    fs_date date;      /* fallback date; all 0: none */
    fs_meta_rule title_rule, date_rule, author_rule, url_rule, outlet_rule;
    fs_jsonl_fields jsonl;
    fs_clean_rules clean;
} fs_source_cfg;

typedef struct fs_alias {
    char *from;  /* surface form as written: "U.S.", "United States" */
    char *to;    /* the term: "US" */
} fs_alias;

typedef struct fs_frame_cfg {
    char *name;
    fs_pattern_list patterns;  /* matched case-insensitively on the cleaned text */
} fs_frame_cfg;

typedef struct fs_analysis_cfg {
    char **stopword_files;     /* resolved paths; default: config/stopwords-en.txt beside config */
    size_t n_stopword_files;
    char **stopwords_extra;    /* extra words from the config */
    size_t n_stopwords_extra;
    char **stopwords_keep;     /* words removed from the list */
    size_t n_stopwords_keep;
    fs_alias *aliases;
    size_t n_aliases;
    char **phrases;            /* multiword terms as written: "Taiwan Strait" */
    size_t n_phrases;
    char **focus;              /* focus terms (as the tokenizer writes them: "taiwan", "US") */
    size_t n_focus;
    fs_frame_cfg *frames;
    size_t n_frames;
    int min_count;             /* default 2: terms below this corpus count are not tested */
    int window;                /* default 5 */
    int min_pair_count;        /* default 2 */
    int ca_terms;              /* default 60 */
    int min_source_tokens;     /* default 500 */
    double prior_strength;     /* default 0: use N (the corpus content-token total) */
    bool keep_numbers;         /* default false */
    bool sentence_cooccurrence;/* default false: windows may cross sentence boundaries */
    bool keep_acronyms;        /* default true: 2-5 capitals stay upper case ("US" != "us") */
    size_t cooc_memory_mb;     /* default 512: cap before rare terms are pruned from co-occurrence */
    int kwic_per_term;         /* default 8: concordance lines per focus term and source */
    int top_terms;             /* default 20: terms per source in report tables */
    int threads;               /* default 0: number of online CPUs */
} fs_analysis_cfg;

typedef struct fs_clean_cfg {
    fs_clean_rules global;     /* applied to every source before its own rules */
    bool generic;              /* default true: repeated-line, navigation and link-only heuristics */
    int nav_max_words;         /* default 4: a line this short with no sentence punctuation is navigation */
    double dedup_threshold;    /* default 0.8 (Jaccard of word shingles) */
    int shingle_size;          /* default 5 */
    bool dedup_across_sources; /* default false: cross-source duplicates are reported, kept in both */
    size_t max_file_mb;        /* default 256: larger files are refused */
} fs_clean_cfg;

typedef struct fs_report_cfg {
    char *title;
    char *subtitle;            /* may be NULL */
    char *organization;        /* may be NULL */
    char *output;              /* PDF path as written (may hold {period} {date} {title_slug}) */
    char *paper;               /* "A4" (default) or "Letter" */
    char **sections;           /* order of sections; default: all, in the DESIGN.md order */
    size_t n_sections;
    char *fonts_dir;           /* resolved; default "fonts" beside the project (config folder's parent) */
    int provenance_rows;       /* default 300: documents listed in the PDF's provenance table
                                  (duplicates and excluded documents first); all are in documents.csv */
} fs_report_cfg;

typedef struct fs_run_cfg {
    bool include_undated;      /* default false: undated documents are left out of period runs */
    char *history_dir;         /* resolved; NULL: no history */
    char *lock_file;           /* resolved; NULL: "<output>.lock" */
} fs_run_cfg;

typedef struct fs_email_cfg {
    bool enabled;
    char *from;
    char **to;
    size_t n_to;
    char **cc;
    size_t n_cc;
    char *subject;             /* may hold {title} {period} {date} */
} fs_email_cfg;

typedef struct fs_config {
    char *path;                /* the config file as given */
    char *base_dir;            /* its folder */
    fs_report_cfg report;
    fs_source_cfg *sources;
    size_t n_sources;
    fs_analysis_cfg analysis;
    fs_clean_cfg clean;
    fs_run_cfg run;
    fs_email_cfg email;
} fs_config;

/** Loads, validates and resolves `path`. On failure *out is NULL and err says where and why. */
fs_status fs_config_load(const char *path, fs_config **out, fs_error *err);
/** Same from a buffer; `name` is used in messages, `base_dir` resolves relative paths.
 *  `check_inputs`: also require every input pattern to match at least one file. */
fs_status fs_config_parse(const char *json, size_t len, const char *name, const char *base_dir,
                          bool check_inputs, fs_config **out, fs_error *err);
void fs_config_free(fs_config *cfg);

/** Index of the source with `id`, or -1. */
int fs_config_source_index(const fs_config *cfg, const char *id);

/** Expands the placeholders of report.output ({period}: e.g. "2025-04" or "all"; {date}: the
 *  run date YYYY-MM-DD, today when `date` is NULL; {title_slug}: the title in lower-case ASCII
 *  with dashes). `period` NULL means "all". Unlike the other paths, report.output is NOT resolved
 *  against the config folder: it is relative to the current directory (the project root under
 *  `make run`), like --output. `override` (from --output) replaces report.output when not NULL
 *  and is used as given. Returns a malloc'd path or NULL on OOM. */
char *fs_config_output_path(const fs_config *cfg, const char *override, const char *period,
                            const char *date);

/** Names of the report sections, in the default order (the array also ends with a NULL, not
 *  counted in fs_report_section_count). */
extern const char *const fs_report_section_names[];
extern const size_t fs_report_section_count;

#endif
