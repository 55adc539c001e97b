/* tokenize_internal.h: what tokenize.c (scanning, sentences, case policy) and normalize.c
 * (aliases, phrases, stopwords, the tokenizer object) share. Not a public contract. */
#ifndef FRAMESCOPE_TOKENIZE_INTERNAL_H
#define FRAMESCOPE_TOKENIZE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <utf8proc.h>
#include "framescope/arena.h"
#include "framescope/intern.h"
#include "framescope/tokenize.h"

/* One word piece: a word, or one side of a hyphen inside a word. */
typedef struct tok_part {
    uint32_t start, end;  /* bytes in the input (possessive excluded, trailing dot of "U.S." kept) */
    uint32_t off, len;    /* case-normalized text in fs_tokens.text */
    uint32_t sentence, line;
    uint8_t flags;        /* PART_* */
} tok_part;

enum {
    PART_JOINED = 1,   /* joined to the previous part by a hyphen */
    PART_DOTTED = 2,   /* dotted abbreviation ("U.S.") */
    PART_LETTER = 4,   /* has a letter (otherwise a number) */
    PART_LOWER = 8,    /* has a lower-case letter */
    PART_ACRONYM = 16  /* shaped like an acronym: 2-5 capitals, digits allowed */
};

typedef struct tok_linestat {
    uint32_t words;    /* parts with letters */
    uint32_t lower;    /* parts with a lower-case letter */
} tok_linestat;

struct fs_tok_scratch {
    tok_part *parts;
    size_t n, cap;
    tok_linestat *lines, *sents;
    size_t lines_cap, sents_cap;
    uint32_t n_lines;
    uint32_t *acronyms;   /* part indexes of acronyms seen outside shouted text (this document) */
    size_t n_acronyms, acronyms_cap;
    uint32_t *cands;      /* part indexes of acronym-shaped parts (with keep_acronyms) */
    size_t n_cands, cands_cap;
};

/* A multi-word (or dotted) surface form: an alias or a phrase. */
typedef struct tok_entry {
    const char *term;
    uint32_t term_len;
    uint32_t n_parts;
    const char **parts;   /* normalized parts */
    uint32_t *part_lens;
    bool alias;
} tok_entry;

typedef struct tok_start {
    uint32_t *entries;    /* indexes into fs_tokenizer.entries, longest first, aliases first */
    size_t n;
} tok_start;

enum { TOK_MAX_ABBREV = 64 };

struct fs_tokenizer {
    bool keep_numbers, keep_acronyms;
    bool slow_scan;         /* tests: no fast paths (their results must be the same) */
    fs_arena *arena;
    fs_intern *stop;        /* stopwords (normalized) */
    fs_intern *known;       /* acronyms known from alias targets */
    fs_intern *starts;      /* first part of an entry → index into start_lists */
    tok_start *start_lists;
    tok_entry *entries;
    size_t n_entries;
    uint64_t start_filter[1024]; /* 65,536-bit prefilter over start_hash() of first parts */
    /* Abbreviations after which a period rarely ends a sentence (tokenize.c), packed as by
     * tok_abbrev_init, grouped by first letter: letter c's are
     * abbrev_keys[abbrev_from[c - 'a'] .. abbrev_from[c - 'a' + 1]). */
    uint64_t abbrev_keys[TOK_MAX_ABBREV];
    uint8_t abbrev_from[27];
    uint8_t abbrev_max_len;       /* bytes of the longest ("approx") */
    char *version;
    uint64_t fingerprint;
};

/* Character classes of the scanner (tokenize.c). */

enum { C_OTHER, C_SPACE, C_NL, C_WORD, C_APOS, C_HYPHEN, C_PERIOD, C_TERM };
enum { K_NONE, K_UPPER, K_LOWER, K_LETTER, K_DIGIT, K_MARK };

typedef struct chr {
    int32_t cp;
    uint8_t cls, kind, n;
} chr;

/* ASCII classes, cls | kind << 4: letters and digits are C_WORD, whitespace, '\n', '\'', '-',
 * '.', '!' and '?' have their own classes, the rest is C_OTHER. */
static const uint8_t ascii_class[128] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x06, 0x00,
    0x43, 0x43, 0x43, 0x43, 0x43, 0x43, 0x43, 0x43, 0x43, 0x43, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07,
    0x00, 0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x13,
    0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x23, 0x23, 0x23, 0x23, 0x23, 0x23, 0x23, 0x23, 0x23, 0x23, 0x23, 0x23, 0x23, 0x23, 0x23,
    0x23, 0x23, 0x23, 0x23, 0x23, 0x23, 0x23, 0x23, 0x23, 0x23, 0x23, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static inline void classify(const char *text, size_t len, size_t i, chr *c)
{
    unsigned b = (unsigned char)text[i];
    c->n = 1;
    c->cp = (int32_t)b;
    if (b < 0x80) {
        c->cls = ascii_class[b] & 15;
        c->kind = ascii_class[b] >> 4;
        return;
    }
    c->kind = K_NONE;
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
                                          (utf8proc_ssize_t)(len - i), &cp);
    if (n <= 0) { /* invalid byte: the corpus stage should have replaced it; treat as punctuation */
        c->cls = C_OTHER;
        return;
    }
    c->n = (uint8_t)n;
    c->cp = cp;
    switch (cp) {
    case 0x2019: c->cls = C_APOS; return;                      /* ’ */
    case 0x2010: case 0x2011: c->cls = C_HYPHEN; return;       /* ‐ ‑ (not the dashes – —) */
    case 0x2026: c->cls = C_TERM; return;                      /* … */
    case 0x85: case 0x2028: case 0x2029: c->cls = C_NL; return;
    case 0xA0: case 0x202F: case 0x205F: case 0x3000: c->cls = C_SPACE; return;
    default: break;
    }
    if (cp >= 0x2000 && cp <= 0x200A) {
        c->cls = C_SPACE;
        return;
    }
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT:
        c->cls = C_WORD; c->kind = K_UPPER; break;
    case UTF8PROC_CATEGORY_LL:
        c->cls = C_WORD; c->kind = K_LOWER; break;
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        c->cls = C_WORD; c->kind = K_LETTER; break;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        c->cls = C_WORD; c->kind = K_MARK; break;
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        c->cls = C_WORD; c->kind = K_DIGIT; break;
    default:
        c->cls = C_OTHER; break;
    }
}

/* Cheap hash for the phrase-start prefilter: most words are rejected without a real lookup. */
static inline uint32_t tok_start_hash(const char *s, uint32_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t h = len * 131u + u[0] * 31u + u[len - 1] * 7u + (len > 1 ? u[1] * 1031u : 0u);
    return h & 0xFFFFu;
}

/* Fills the abbreviation keys of a new tokenizer (tokenize.c). */
void tok_abbrev_init(fs_tokenizer *tk);
/* Scans `text` into scratch parts with case-normalized texts (tokenize.c). */
fs_status tok_scan(const fs_tokenizer *tk, const char *text, size_t len, fs_tokens *out);
/* Turns scanned parts into terms: aliases, phrases, hyphen compounds, numbers (normalize.c). */
fs_status tok_emit(const fs_tokenizer *tk, const char *text, int flags, fs_tokens *out);
/* Appends bytes plus a NUL to out->text; *off receives where they start. */
fs_status tok_text_append(fs_tokens *out, const char *s, size_t len, uint32_t *off);
/* Writes UTF-8 `s[0..len)` to out->text, lower-cased when `lower`, ’ as ', ‐ ‑ as '-', and
 * without the dots of a dotted abbreviation when `drop_dots`; *off, *outlen receive where. */
fs_status tok_text_write(fs_tokens *out, const char *s, size_t len, bool lower, bool drop_dots,
                         uint32_t *off, uint32_t *outlen);
/* Lower-cases UTF-8 `s[0..len)` into out->text (dots of a dotted abbreviation dropped when
 * `drop_dots`; ’ becomes '). */
fs_status tok_text_lower(fs_tokens *out, const char *s, size_t len, bool drop_dots,
                         uint32_t *off, uint32_t *outlen);

#endif
