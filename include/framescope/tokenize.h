/**
 * tokenize.h: UTF-8 text → terms, the way the counting engine sees words.
 *
 * Rules (the README's "Tokenization" section says the same for users):
 * - Words are runs of letters, marks and digits (utf8proc classes; ASCII has a fast path).
 *   Internal hyphens and apostrophes keep a word whole ("US-ROK", "non-combat", "don't"); a
 *   possessive 's or ’s is dropped ("Washington’s" → washington, "USFK's" → USFK). Quotes,
 *   other punctuation and dashes (— –) separate words. URLs (http://, https://, www.) are skipped.
 * - Dotted abbreviations of single letters ("U.S.", "U.S", "e.g.") are one word written without
 *   the dots ("US", "eg").
 * - Case policy: words are lower-cased, except acronyms (2-5 capital letters, digits allowed)
 *   when analysis.keep_acronyms is on, so "US" and "us" stay different terms. In a line or
 *   sentence written wholly in capitals (two or more words, e.g. "DOWNLOAD THE APP"), capitals
 *   prove nothing, so a word keeps its capitals only when it is a known acronym: the target of an
 *   alias, or seen as an acronym elsewhere in the same document (a per-document approximation).
 * - Numbers (words without letters: "2024", "3,299", "1.5") are dropped unless
 *   analysis.keep_numbers.
 * - Aliases and phrases are matched on sequences of case-normalized words inside one sentence
 *   (words separated by whitespace or a hyphen), longest first; at equal length an alias wins
 *   over a phrase. An alias becomes its target as written ("US"; lower-cased when keep_acronyms is off); a phrase becomes one lower-case
 *   term with single spaces ("taiwan strait"). A phrase may start inside a hyphenated word
 *   ("US-South Korea" → US, south korea when "South Korea" is a phrase).
 * - Stopwords: lines of the stopword files ('#' comments; the first comment line is the list's
 *   version) + stopwords_extra − stopwords_keep, each normalized with the same case policy, so
 *   the pronoun "us" is a stopword and the acronym "US" is not.
 * - Sentences end at . ! ? … and at line breaks followed by a line that does not start in lower
 *   case. A period after a known abbreviation ("Dr.", "Mr.", "Feb."), an initial ("J. Smith") or
 *   a dotted abbreviation ("U.S.") ends a sentence only when the next word is a capitalized
 *   stopword ("... in the U.S. The report ...").
 *
 * Ownership: fs_tokenizer is built once from the config and is read-only afterwards, so any
 * number of threads can share it, each with its own fs_tokens scratch.
 */
#ifndef FRAMESCOPE_TOKENIZE_H
#define FRAMESCOPE_TOKENIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "framescope/config.h"
#include "framescope/error.h"

typedef struct fs_tokenizer fs_tokenizer;

/** One term of a tokenized text. */
typedef struct fs_term {
    uint32_t off, len;    /* the term's text: tokens->text + off (NUL-terminated), len bytes */
    uint32_t start, end;  /* the bytes of the input it came from, as written */
    uint32_t sentence;    /* sentence number, from 0 */
    bool stop;            /* a stopword (filled only with FS_TOKENIZE_MARK_STOP) */
} fs_term;

struct fs_tok_scratch;

/** Output and scratch buffers, reused across calls. Start from FS_TOKENS_INIT. */
typedef struct fs_tokens {
    fs_term *terms;
    size_t n, cap;
    char *text;               /* term texts */
    size_t text_len, text_cap;
    uint32_t n_sentences;
    struct fs_tok_scratch *scratch;
} fs_tokens;

#define FS_TOKENS_INIT {NULL, 0, 0, NULL, 0, 0, 0, NULL}

/** fs_tokenize flags. */
enum { FS_TOKENIZE_MARK_STOP = 1 };

/** Builds a tokenizer from the analysis config: reads the stopword files (FS_ERR_INPUT naming
 *  the file when one cannot be read), normalizes aliases, phrases and stopwords. */
fs_status fs_tokenizer_create(const fs_analysis_cfg *acfg, fs_tokenizer **out, fs_error *err);
void fs_tokenizer_free(fs_tokenizer *tk);

/** Tokenizes `text[0..len)` (valid UTF-8) into `out` (previous content is replaced).
 *  FS_ERR_NOMEM on allocation failure; FS_ERR_INPUT for a text of 4 GiB or more. */
fs_status fs_tokenize(const fs_tokenizer *tk, const char *text, size_t len, int flags,
                      fs_tokens *out);
/** The text of term `i` of `t`. */
static inline const char *fs_tokens_str(const fs_tokens *t, size_t i)
{
    return t->text + t->terms[i].off;
}
void fs_tokens_free(fs_tokens *t);

/** True when the term `s[0..len)` (as the tokenizer writes it) is a stopword. */
bool fs_tokenizer_is_stopword(const fs_tokenizer *tk, const char *s, size_t len);
/** Number of stopwords in effect. */
size_t fs_tokenizer_n_stopwords(const fs_tokenizer *tk);
/** Version line(s) of the stopword lists ("; "-joined, without '#'), "" when none. Borrowed. */
const char *fs_tokenizer_stopwords_version(const fs_tokenizer *tk);

/** The term a user-written string stands for ("Taiwan" → "taiwan", "US" → "US", a configured
 *  phrase → its term). When the string is several terms, they are joined with single spaces.
 *  Returns a malloc'd string (caller frees), NULL on OOM. */
char *fs_tokenizer_term_of(const fs_tokenizer *tk, const char *s);

/** A 64-bit fingerprint of every setting that changes the terms (case flags, aliases,
 *  phrases, stopwords): counts made with different fingerprints must not be merged. */
uint64_t fs_tokenizer_fingerprint(const fs_tokenizer *tk);

#endif
