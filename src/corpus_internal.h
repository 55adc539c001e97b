/* corpus_internal.h: helpers shared by corpus.c, corpus_meta.c, clean.c and dedup.c, and
 * exposed to tests/test_corpus.c and tests/test_clean.c. Not part of the public API. */
#ifndef FRAMESCOPE_CORPUS_INTERNAL_H
#define FRAMESCOPE_CORPUS_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>

#include "framescope/config.h"
#include "framescope/corpus.h"
#include "framescope/ctx.h"
#include "framescope/error.h"

/* ---- regular expressions (corpus_meta.c) ------------------------------------------------- */

/* Limits every match so that a catastrophic pattern fails with FS_ERR_REGEX naming its rule
 * instead of hanging the run. A match step budget this size is far beyond what a sane line
 * pattern needs on a paragraph, and small enough to fail in well under a second. */
#define CORPUS_RX_MATCH_LIMIT 2000000u
#define CORPUS_RX_DEPTH_LIMIT 20000u

typedef struct corpus_rx {
    char name[160];            /* rule name, for messages (truncated copy) */
    pcre2_code *code;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    int value_group;           /* capture reported as the value: named "value", else 1, else 0 */
} corpus_rx;

/** Compiles `pattern` (UTF mode plus `options`, e.g. PCRE2_MULTILINE or PCRE2_CASELESS), JIT
 *  when available. FS_ERR_REGEX with where = name and the PCRE2 message and offset. */
fs_status corpus_rx_compile(corpus_rx *rx, const char *name, const char *pattern,
                            uint32_t options, fs_error *err);
/** 1 on a match in s[0..len) at or after `start`, 0 on none, -1 with `err` filled
 *  (FS_ERR_REGEX naming the rule) when the match limit was hit or PCRE2 failed. */
int corpus_rx_match(corpus_rx *rx, const char *s, size_t len, size_t start, fs_error *err);
/** After a match: the value group's span (false when that group did not take part). */
bool corpus_rx_value(const corpus_rx *rx, size_t *begin, size_t *end);
void corpus_rx_free(corpus_rx *rx);

/* ---- metadata (corpus_meta.c) ------------------------------------------------------------ */

/** Parses `s[0..len)` with a strptime-style `format` (%d %m %Y %y %b %B %e %%; NULL or "":
 *  "%Y-%m-%d"). Spaces in the format match any run of white space; the whole string must be
 *  used (surrounding white space aside) and the date must exist (leap years checked).
 *  Returns true and fills *out on success. */
bool corpus_parse_date(const char *s, size_t len, const char *format, fs_date *out);

/** Compiled metadata rules of one source. */
typedef struct corpus_meta_rules {
    corpus_rx title, date, author, url, outlet;
    bool has_title, has_date, has_author, has_url, has_outlet;
} corpus_meta_rules;

fs_status corpus_meta_compile(const fs_source_cfg *src, size_t source_index,
                              corpus_meta_rules *rules, fs_error *err);
void corpus_meta_free(corpus_meta_rules *rules);
/** Fills the metadata `doc` still lacks from its text by the rules, then the source fallbacks
 *  (outlet, date). Strings are malloc'd into doc. Logs a WARN for a date that does not parse. */
fs_status corpus_meta_extract(const fs_source_cfg *src, corpus_meta_rules *rules,
                              const fs_ctx *ctx, fs_doc *doc, fs_error *err);

/* ---- per-document work (corpus_doc.c), run on several threads by corpus.c ---------------- */

/* A log line a worker produced for one item, replayed in item order by the loader so that the
 * log reads exactly as a single-threaded run's. */
typedef struct corpus_msg {
    fs_log_level level;
    char *text;
} corpus_msg;

/* One unit of ingest work: a JSONL line or a whole plain-text file. Workers fill the results;
 * the loader then takes them in order (counters, log, document). */
typedef struct corpus_item {
    /* input */
    const char *path;      /* the file (plain text: read by the worker) */
    const char *line;      /* JSONL: the line, NUL-terminated in the file buffer; else NULL */
    size_t len, offset, lineno;
    size_t order;          /* the loader's own number for it (a file's index, for progress) */
    /* results */
    bool done;             /* the worker got to it (false: interrupted or after a failure) */
    bool has_doc;          /* doc is filled and owned by the item until the loader takes it */
    bool skipped_line, skipped_file;
    size_t invalid;        /* input bytes replaced by U+FFFD */
    fs_status st;          /* FS_OK, or the failure, whose message is in the worker's error */
    size_t worker;
    corpus_msg *msgs;
    size_t n_msgs, cap_msgs;
    fs_doc doc;
} corpus_item;

/* What every worker shares (read-only) plus per-worker rules and errors. */
typedef struct corpus_work {
    const fs_config *cfg;
    const fs_ctx *ctx;
    fs_spool *spool;          /* receives every text */
    size_t source;
    size_t max_bytes;         /* plain-text files above this are skipped */
    corpus_meta_rules *rules; /* [worker * cfg->n_sources + source]: PCRE2 match data is not
                                 shareable between threads */
    fs_error *errors;         /* [worker]: a worker stops at its first failure */
    corpus_item *items;
} corpus_work;

/** fs_range_fn over work->items: fills each item's results. */
fs_status corpus_items_run(void *work, size_t worker, size_t begin, size_t end);
/** Frees what the item still owns (its messages; its document when not taken). */
void corpus_item_clear(corpus_item *item);
/** Frees a document's fields; its text belongs to the spool and is left alone. */
void corpus_doc_drop(fs_doc *d);

#endif
