/**
 * config_internal.h: the pieces of the config module shared between its files and its tests.
 *
 * - config_keys.c: the sorted key tables (one per JSON object level) that drive parsing, defaults,
 *   unknown-key errors and did-you-mean suggestions.
 * - config_syntax.c: turns JSON text into a cJSON tree, or a FILE:LINE:COL error that says what
 *   was expected and what was found.
 * - config_value.c: checks of single values (colours, dates, date formats, ids, addresses,
 *   placeholders, regular expressions) and the output-path expansion.
 * - config_walk.c: walks the tree along the tables into an fs_config (types, ranges, defaults).
 * - config.c: the public API; checks that need the whole config (unique ids, inputs that match
 *   files), path defaults, and freeing.
 *
 * Nothing here is public API; names carry a cfg_ prefix, not fs_.
 */
#ifndef FRAMESCOPE_CONFIG_INTERNAL_H
#define FRAMESCOPE_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cJSON.h>
#include "framescope/config.h"
#include "framescope/error.h"

/* Limits on the config text: far above any real config, low enough to refuse garbage early. */
#define CFG_MAX_BYTES ((size_t)16 * 1024 * 1024)
#define CFG_MAX_DEPTH 64

/* What a key holds; decides how config.c reads it. */
typedef enum cfg_kind {
    K_IGNORE,    /* accepted and ignored ($schema) */
    K_OBJECT,    /* nested object: `sub` walked into the struct at `off` */
    K_INT,       /* int in [min, max] */
    K_SIZE,      /* size_t in [min, max] */
    K_DOUBLE,    /* double in [min, max] */
    K_BOOL,
    K_STR,       /* non-empty string; `choices` limits the values (or, with F_PLACEHOLDERS, names
                    the {placeholders} it may hold) */
    K_PATH,      /* string resolved against the config folder */
    K_DATE,      /* "YYYY-MM-DD" into an fs_date */
    K_DATEFMT,   /* strptime-style format */
    K_REGEX,     /* PCRE2 pattern, compiled once to validate */
    K_STRLIST,   /* array of non-empty strings: char ** at off, size_t at count_off */
    K_PATHLIST,  /* same, each resolved against the config folder */
    K_PATTERNS,  /* array of pattern entries into an fs_pattern_list */
    K_BLOCKS,    /* array of {name, start, end}: fs_block_rule * at off, size_t at count_off */
    K_SOURCES,   /* the sources array (fs_config) */
    K_COLOR,     /* "#RRGGBB" into fs_source_cfg color + rgb */
    K_INPUTS,    /* a source's inputs (raw and resolved) */
    K_OUTLET,    /* string, or object `sub` (into fs_source_cfg) */
    K_SRCDATE,   /* "YYYY-MM-DD", or object `sub` (into fs_source_cfg) */
    K_ALIASES,   /* object: surface form -> term (fs_analysis_cfg) */
    K_FRAMES,    /* object: frame name -> pattern entries (fs_analysis_cfg) */
    K_STOPWORDS  /* array of files, or object `sub` (into fs_analysis_cfg) */
} cfg_kind;

enum {
    F_REQUIRED = 1u << 0,     /* missing key is an error */
    F_NONEMPTY = 1u << 1,     /* arrays: at least one element */
    F_UNIQUE = 1u << 2,       /* arrays of strings: no repeats */
    F_ID = 1u << 3,           /* strings: [a-z0-9_-]+ */
    F_EMAIL = 1u << 4,        /* strings: a plain address (no spaces, one '@') */
    F_GROUP = 1u << 5,        /* regex: needs a capture group (metadata rules) */
    F_PLACEHOLDERS = 1u << 6  /* strings: `choices` are the allowed {placeholders} */
};

typedef struct cfg_table cfg_table;

typedef struct cfg_key {
    const char *name;
    cfg_kind kind;
    unsigned flags;
    size_t off;                  /* field in the struct of this level */
    size_t count_off;            /* lists: the element count field */
    double min, max;             /* numbers; max = HUGE_VAL for "no upper bound" */
    double def;                  /* numbers and booleans: default value */
    const char *def_str;         /* strings: default value (NULL: none) */
    const char *const *choices;  /* NULL-terminated */
    const cfg_table *sub;        /* nested objects */
} cfg_key;

struct cfg_table {
    const char *what;            /* for messages: "report", "a source", ... */
    const cfg_key *keys;         /* sorted by name (strcmp), for bsearch */
    size_t n;                    /* at most 64 (config.c tracks seen keys in a bit mask) */
};

/* ---- config_keys.c ---- */
extern const cfg_table cfg_top_table;
/** The key called `name` in `t`, or NULL. */
const cfg_key *cfg_key_find(const cfg_table *t, const char *name);
/** The known key closest to `name` when it is close enough to be a likely typo, else NULL. */
const char *cfg_key_suggest(const cfg_table *t, const char *name);
/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), in bytes. */
size_t cfg_edit_distance(const char *a, const char *b);
/** True when every table reachable from the top is sorted and fits the 64-key limit. */
bool cfg_tables_ok(void);

/* ---- config_syntax.c ---- */
/** Parses `json` (name used in FILE:LINE:COL); checks size, UTF-8, depth, trailing text and that
 *  the top level is an object. On success *out is an owned cJSON tree. */
fs_status cfg_json_parse(const char *json, size_t len, const char *name, cJSON **out,
                         fs_error *err);

/* ---- config_walk.c ---- */
/** Fills `cfg` (zeroed, with path and base_dir set) from `root`: defaults first, then every key.
 *  *stopword_files_given tells whether the config listed stopword files (maybe none). */
fs_status cfg_walk(fs_config *cfg, const cJSON *root, bool *stopword_files_given, fs_error *err);

/* ---- config_value.c ---- */
bool cfg_parse_color(const char *s, double rgb[3]);
/** 0: ok; 1: not YYYY-MM-DD; 2: no such day. */
int cfg_parse_date(const char *s, fs_date *d);
/** NULL when `fmt` is a usable date format, else a static description of the problem. */
const char *cfg_check_datefmt(const char *fmt);
bool cfg_check_id(const char *s);
bool cfg_check_email(const char *s);
/** First {placeholder} in `s` not among `names`, copied into `bad`; false when there is one. */
bool cfg_check_placeholders(const char *s, const char *const *names, char *bad, size_t n);
/** Compiles `pattern` (UTF, UCP, plus `extra` PCRE2 options). On failure writes the reason
 *  into `msg` and returns false. `need_group`: the pattern must have a capture group. */
bool cfg_check_regex(const char *pattern, uint32_t extra, bool need_group, char *msg, size_t n);
/** The palette colour for the source at `index` (Okabe-Ito order, cycling). */
void cfg_palette(size_t index, double rgb[3]);

#endif
