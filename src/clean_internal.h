/* clean_internal.h: the pieces of the clean stage shared by clean.c (explicit rules, output),
 * clean_generic.c (heuristics) and dedup.c (near-duplicates), and tested directly by
 * tests/test_clean.c. Not part of the public API. */
#ifndef FRAMESCOPE_CLEAN_INTERNAL_H
#define FRAMESCOPE_CLEAN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "framescope/clean.h"

/** One line of a document: `off`/`len` span the line without surrounding white space (what the
 *  rules see); `chars` counts the code points of the whole raw line plus its newline, which is
 *  what a removal of that line takes away. */
typedef struct clean_line {
    size_t off, len;
    size_t chars;
    uint64_t hash;      /* fs_hash_bytes of the trimmed line */
    int tag;            /* CLEAN_KEPT, or the slot of the rule that removed the line */
} clean_line;

#define CLEAN_KEPT (-1)

typedef struct clean_lines {
    const char *text;   /* borrowed: the corpus document's text */
    clean_line *lines;
    size_t n;
} clean_lines;

/** Generic heuristics, in the order they run (and are reported). Their slots follow the explicit
 *  rules': slot = generic_base + CLEAN_GEN_*. */
enum { CLEAN_GEN_REPEATED = 0, CLEAN_GEN_LINK, CLEAN_GEN_NAV, CLEAN_GEN_COUNT };

/** A line whose trimmed text is at most `max_words` words (runs holding a letter or digit), after
 *  an optional bullet, and does not end a sentence (. ! ? …, before closing quotes); or a
 *  breadcrumb (two or more » › > separators, at most 20 words); or one holding no word at all. */
bool clean_is_nav_line(const char *s, size_t len, int max_words);
/** A URL alone on its line (http://, https:// or www., optionally in <> () or []). */
bool clean_is_link_line(const char *s, size_t len);

/** Runs the generic heuristics over every document's kept lines:
 *  repeated: a line kept in two or more documents of one outlet (documents without an outlet
 *  group by source) is boilerplate when at least two of those documents are not "mostly shared"
 *  (more than half of their kept text in lines found in other documents of the outlet): two
 *  captures of the same story share all their lines, and must be left to the near-duplicate
 *  step instead of being emptied. Also a line repeating an earlier line of the same document.
 *  link, navigation: clean_is_link_line, clean_is_nav_line. */
fs_status clean_generic_apply(const fs_config *cfg, const fs_corpus *corpus, clean_lines *docs,
                              int generic_base, const fs_ctx *ctx, fs_error *err);

/* ---- near-duplicates (dedup.c) -------------------------------------------------------------- */

/** Documents up to this many are compared pairwise exactly; beyond, MinHash + LSH proposes
 *  candidates (then verified exactly). Measured on 400-word documents: an exact pair costs about
 *  3.6 us, so 2000 documents (2 million pairs) took 7.2 s against 0.21 s for MinHash; at 500 the
 *  exact path stays under half a second. */
#define CLEAN_DEDUP_EXACT_MAX 500

/** Sorted, distinct hashes of the `k`-word shingles of `text` (words: runs of letters and digits,
 *  lower-cased). A text of fewer than k words (but at least one) gives one shingle of all its
 *  words. Caller frees *out (NULL when no word). */
fs_status clean_shingles(const char *text, size_t len, int k, uint64_t **out, size_t *n);
/** Jaccard similarity of two sorted distinct sets (0 when both are empty). */
double clean_jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);

/** Finds near-duplicates among the documents not yet excluded, fills res->pairs and marks the
 *  duplicates. `exact_max` (normally CLEAN_DEDUP_EXACT_MAX) chooses the exact or MinHash path. */
fs_status clean_dedup(const fs_config *cfg, const fs_ctx *ctx, const fs_corpus *corpus,
                      fs_clean_result *res, size_t exact_max, fs_error *err);

#endif
