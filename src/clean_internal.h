/* clean_internal.h: the pieces of the clean stage shared by clean.c (explicit rules, output),
 * clean_generic.c (heuristics) and dedup.c (near-duplicates), and tested directly by
 * tests/test_clean.c. Not part of the public API. */
#ifndef FRAMESCOPE_CLEAN_INTERNAL_H
#define FRAMESCOPE_CLEAN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "corpus_internal.h"
#include "framescope/clean.h"
#include "framescope/hash.h"

/** One line of a document: `off`/`len` span the line without surrounding white space (what the
 *  rules see); `chars` counts the code points of the whole raw line plus its newline, which is
 *  what a removal of that line takes away. 24 bytes: a large corpus holds millions of lines
 *  between the two passes of the clean stage (documents are limited to 4 GiB). */
typedef struct clean_line {
    uint64_t hash;      /* clean_hash of the trimmed line */
    uint32_t off, len;
    uint32_t chars;
    int32_t tag;        /* CLEAN_KEPT, a CLEAN_PEND_* code, or the slot of the rule that removed
                           the line */
} clean_line;

/* Negative tags: the line survived the explicit rules. The per-line heuristics are decided in the
 * first pass, while the text is in cache, as pending codes; the second pass turns them into their
 * slots unless the cross-document repeated-line step took the line first. */
#define CLEAN_KEPT (-1)
#define CLEAN_PEND_REP (-2)   /* repeats an earlier line of its document */
#define CLEAN_PEND_LINK (-3)
#define CLEAN_PEND_NAV (-4)

typedef struct clean_lines {
    const char *text;   /* borrowed: the corpus document's text */
    clean_line *lines;
    size_t n;
} clean_lines;

/** Generic heuristics, in the order they run (and are reported). Their slots follow the explicit
 *  rules': slot = generic_base + CLEAN_GEN_*. */
enum { CLEAN_GEN_REPEATED = 0, CLEAN_GEN_LINK, CLEAN_GEN_NAV, CLEAN_GEN_COUNT };

/* The clean stage hashes every line and every word: fs_hash_bytes's function inline. Line and
 * shingle hashes decide which lines repeat and which documents are candidates. */
static inline uint64_t clean_hash(const void *data, size_t len)
{
    return fs_hash_inline(data, len);
}

/** A line whose trimmed text is at most `max_words` words (runs holding a letter or digit), after
 *  an optional bullet, and does not end a sentence (. ! ? …, before closing quotes); or a
 *  breadcrumb (two or more » › > separators, at most 20 words); or one holding no word at all. */
bool clean_is_nav_line(const char *s, size_t len, int max_words);
/** clean_is_nav_line decoding every code point: the reference the ASCII fast path is tested
 *  against. */
bool clean_is_nav_line_slow(const char *s, size_t len, int max_words);
/** A URL alone on its line (http://, https:// or www., optionally in <> () or []). */
bool clean_is_link_line(const char *s, size_t len);

/** Per-document part of the generic heuristics, on the lines the explicit rules kept (tag
 *  CLEAN_KEPT): a line repeating an earlier line of the same document becomes CLEAN_PEND_REP,
 *  else a link line CLEAN_PEND_LINK, else a navigation line CLEAN_PEND_NAV. */
fs_status clean_generic_classify(clean_lines *d, int max_words);

/** Cross-document part: a line kept by the explicit rules (negative tag) in two or more
 *  documents of one outlet (documents without an outlet group by source) is boilerplate when at
 *  least two of those documents are not "mostly shared" (more than half of their kept text in
 *  lines found in other documents of the outlet): two captures of the same story share all
 *  their lines, and must be left to the near-duplicate step instead of being emptied. Such lines
 *  get the slot `rep_slot`. Reads the line records only, never the texts. */
fs_status clean_generic_repeated(const fs_corpus *corpus, clean_lines *docs, int rep_slot,
                                 const fs_ctx *ctx);
/** clean_generic_repeated by sorting all occurrences, serially: the reference the hashed,
 *  parallel version is tested against, and its fallback beyond 32-bit counts. */
fs_status clean_generic_repeated_slow(const fs_corpus *corpus, clean_lines *docs, int rep_slot,
                                      const fs_ctx *ctx);

/** The final tag of a line after both parts: pending codes become their generic slots. */
static inline int clean_final_tag(int32_t tag, int generic_base)
{
    switch (tag) {
    case CLEAN_PEND_REP: return generic_base + CLEAN_GEN_REPEATED;
    case CLEAN_PEND_LINK: return generic_base + CLEAN_GEN_LINK;
    case CLEAN_PEND_NAV: return generic_base + CLEAN_GEN_NAV;
    default: return tag;
    }
}

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
/** The hashes of the `k`-word shingles of `text` in text order (unsorted, possibly repeated) in
 *  (*buf)[0..*n), the growable buffer (*buf, *cap) reused across calls (dedup_words.c). */
fs_status clean_shingle_hashes(const char *text, size_t len, int k, uint64_t **buf, size_t *cap,
                               size_t *n);
/** clean_shingle_hashes decoding every code point and hashing copies: the reference the ASCII
 *  fast path is tested against. */
fs_status clean_shingle_hashes_slow(const char *text, size_t len, int k, uint64_t **buf,
                                    size_t *cap, size_t *n);
/** Jaccard similarity of two sorted distinct sets (0 when both are empty). */
double clean_jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);

/** Finds near-duplicates among the documents not yet excluded, fills res->pairs and marks the
 *  duplicates. `exact_max` (normally CLEAN_DEDUP_EXACT_MAX) chooses the exact or MinHash path.
 *  Equivalent to clean_dedup_init, clean_dedup_doc for every document not excluded, then
 *  clean_dedup_finish. */
fs_status clean_dedup(const fs_config *cfg, const fs_ctx *ctx, const fs_corpus *corpus,
                      fs_clean_result *res, size_t exact_max, fs_error *err);

/** Per-document dedup data, filled by clean_dedup_doc while each clean text is still in cache
 *  (the clean stage's second pass), so that dedup does not read the corpus again: shingle sets
 *  when the corpus may take the exact path, else the LSH band keys of each MinHash signature. */
typedef struct clean_dedup_data {
    size_t n_docs, exact_max;
    int k;                  /* shingle size */
    size_t rows, bands;     /* LSH banding */
    bool sets_mode;
    uint64_t **sets;        /* sets mode: sorted distinct shingles per document */
    size_t *ns;             /* shingles per document (0: no word or not given) */
    uint64_t *keys;         /* signature mode: `bands` keys per document */
    bool *given;            /* clean_dedup_doc was called for the document */
} clean_dedup_data;

fs_status clean_dedup_init(clean_dedup_data *dd, const fs_config *cfg, size_t n_docs,
                           size_t exact_max);
/** Thread-safe for distinct documents. `scratch` is a per-thread buffer kept between calls
 *  (NULL-initialised, freed by the caller with free(*scratch)); *scratch_cap its capacity. */
fs_status clean_dedup_doc(clean_dedup_data *dd, size_t i, const char *text, size_t len,
                          uint64_t **scratch, size_t *scratch_cap);
/** The cross-document part over the given documents (those not given count as having no
 *  word); reads the clean texts of candidate documents again on the MinHash path. */
fs_status clean_dedup_finish(clean_dedup_data *dd, const fs_config *cfg, const fs_ctx *ctx,
                             const fs_corpus *corpus, fs_clean_result *res, fs_error *err);
void clean_dedup_data_free(clean_dedup_data *dd);

/* ---- explicit rules (clean_rules.c) --------------------------------------------------------- */

enum rule_kind { RK_DROP_LINES, RK_CUT_FROM, RK_CUT_BEFORE, RK_CUT_THROUGH, RK_BLOCK };

typedef struct clean_rule {
    enum rule_kind kind;
    corpus_rx rx;          /* the pattern, or a block's start marker */
    corpus_rx end;         /* a block's end marker */
    char *name;            /* owned copy: the removal record outlives the config */
} clean_rule;

/* All explicit rules in one array: the global set first, then each source's, so that a rule's
 * index is its removal slot. range[s] / range[s + 1] delimit source s (range[0] is global). */
typedef struct clean_ruleset {
    clean_rule *rules;
    size_t n, cap;
    size_t *start;         /* n_sources + 2 entries: global at 0, source s at s + 1 */
} clean_ruleset;

/** Compiles the global rules and each source's (FS_ERR_REGEX naming the rule). */
fs_status clean_ruleset_build(const fs_config *cfg, clean_ruleset *rs, fs_error *err);
void clean_ruleset_free(clean_ruleset *rs);
/** Applies one rule to a document's kept lines, tagging what it removes with `slot`. `rx` and
 *  `end` are the rule's patterns with the calling thread's match data. */
fs_status clean_apply_rule(const clean_rule *r, corpus_rx *rx, corpus_rx *end, int slot,
                          clean_lines *d, fs_error *err);

#endif
