/**
 * clean.h: boilerplate removal and near-duplicate detection over a loaded corpus.
 *
 * For each document: global rules, then the source's rules (drop lines, cut from a marker, cut
 * before a marker, cut through a marker, drop a block), then generic heuristics (lines repeated
 * across documents of the same outlet or within one document, link-only lines, short
 * navigation-like lines). Rules see one line at a time, without its surrounding white space.
 * Every removal is recorded with the rule's name. Then near-duplicates (Jaccard of word
 * shingles, exact for small corpora, MinHash beyond) above cfg->clean.dedup_threshold: within a
 * source the longer clean text is kept and the other gets duplicate_of and excluded = true;
 * across sources both are kept (reported) unless cfg->clean.dedup_across_sources.
 *
 * The cleaned text keeps the remaining lines trimmed, with runs of blank lines collapsed to one
 * and none at either end. That trimming is recorded as the removal "whitespace", so for every
 * document chars_raw == chars_clean + the sum of removals[].chars.
 *
 * Errors: FS_ERR_REGEX naming the rule (its key path) when a pattern does not compile or a match
 * exceeds the PCRE2 match limit (catastrophic backtracking), with the document id in msg.
 *
 * Ownership: the result is owned by the caller (fs_clean_free); it is parallel to corpus->docs
 * (docs[i] belongs to corpus->docs[i]) and borrows nothing from the corpus.
 */
#ifndef FRAMESCOPE_CLEAN_H
#define FRAMESCOPE_CLEAN_H

#include <stdbool.h>
#include <stddef.h>
#include "framescope/config.h"
#include "framescope/corpus.h"
#include "framescope/ctx.h"
#include "framescope/error.h"

typedef struct fs_removal {
    char *rule;        /* rule name: key path ("sources[0].clean.cut_from[0]") or "generic:repeated",
                          "generic:link", "generic:navigation", "whitespace" */
    size_t chars;      /* code points removed (newlines included) */
    size_t lines;      /* lines removed */
} fs_removal;

typedef struct fs_clean_doc {
    char *text;             /* cleaned UTF-8 (NFC), lines joined with '\n' */
    size_t len;             /* bytes */
    size_t chars_clean;     /* code points */
    fs_removal *removals;   /* one entry per rule that removed something, in rule order */
    size_t n_removals;
    long duplicate_of;      /* index of the kept document, -1 when none */
    double similarity;      /* Jaccard with duplicate_of (0 when none) */
    bool excluded;          /* not counted (a same-source duplicate, or empty after cleaning) */
} fs_clean_doc;

typedef struct fs_dup_pair {
    size_t a, b;            /* document indexes, a < b */
    double similarity;
    bool cross_source;
} fs_dup_pair;

typedef struct fs_clean_result {
    fs_clean_doc *docs;     /* parallel to corpus->docs */
    size_t n_docs;
    fs_spool *spool;        /* borrowed (the corpus's): when not NULL the clean texts live there
                               and are never freed one by one; NULL: heap blocks */
    fs_dup_pair *pairs;     /* every near-duplicate pair found, sorted by (a, b) */
    size_t n_pairs;
} fs_clean_result;

fs_status fs_clean_run(const fs_config *cfg, const fs_ctx *ctx, const fs_corpus *corpus,
                       fs_clean_result **out, fs_error *err);
/** fs_clean_run that moves each document's text buffer from the corpus into the result (the
 *  clean text is written over the raw one), leaving corpus->docs[i].text NULL, so that a run
 *  never holds the corpus twice. On error the corpus texts may be partly moved; free both. */
fs_status fs_clean_run_take(const fs_config *cfg, const fs_ctx *ctx, fs_corpus *corpus,
                            fs_clean_result **out, fs_error *err);
void fs_clean_free(fs_clean_result *res);

#endif
