/* tokenize.c: the scanner. UTF-8 text → word parts with sentence and line numbers, then the
 * case policy (acronyms vs words, shouted lines). Aliases, phrases and stopwords are applied to
 * the parts by normalize.c. ASCII takes a table-free fast path; other code points are classified
 * with utf8proc. */
#include "tokenize_internal.h"

#include <stdlib.h>
#include <string.h>

#include "framescope/vec.h"
#include <utf8proc.h>

static inline bool is_letter_kind(int kind)
{
    return kind == K_UPPER || kind == K_LOWER || kind == K_LETTER;
}

/* True when position i is the end of the text or a non-word character. */
static inline bool word_ends_at(const char *text, size_t len, size_t i)
{
    if (i >= len)
        return true;
    chr c;
    classify(text, len, i, &c);
    return c.cls != C_WORD;
}

/* After sentence punctuation: closing quotes and brackets, then whitespace or the end. */
static bool closes_sentence(const char *text, size_t len, size_t i)
{
    while (i < len) {
        chr c;
        classify(text, len, i, &c);
        if (c.cls == C_SPACE || c.cls == C_NL)
            return true;
        bool closer = c.cp == '"' || c.cp == '\'' || c.cp == ')' || c.cp == ']' ||
                      c.cp == 0x2019 || c.cp == 0x201D || c.cp == 0xBB;
        if (!closer)
            return false;
        i += c.n;
    }
    return true;
}

/* Abbreviations whose period rarely ends a sentence (lower case, sorted). */
static const char *const abbreviations[] = {
    "adm", "al", "apr", "approx", "aug", "ave", "blvd", "capt", "cf", "cmdr", "co", "col",
    "corp", "dec", "dept", "dr", "est", "etc", "feb", "fig", "figs", "ft", "gen", "gov", "hon",
    "inc", "jan", "jr", "jul", "jun", "lt", "ltd", "maj", "mar", "mr", "mrs", "ms", "mt", "no",
    "nos", "nov", "oct", "op", "pres", "prof", "rep", "rev", "sen", "sep", "sept", "sgt", "sr",
    "st", "univ", "vol", "vols", "vs"};

#define N_ABBREVIATIONS (sizeof abbreviations / sizeof *abbreviations)
_Static_assert(N_ABBREVIATIONS <= TOK_MAX_ABBREV, "room for the abbreviation keys");

/* A word of up to 8 bytes as a number (byte i in bits 8i..8i+7, the rest zero). */
static uint64_t pack_word(const char *s, size_t n)
{
    uint64_t k = 0;
    for (size_t i = 0; i < n; i++)
        k |= (uint64_t)(unsigned char)s[i] << (8 * i);
    return k;
}

void tok_abbrev_init(fs_tokenizer *tk)
{
    size_t k = 0;
    tk->abbrev_max_len = 0;
    for (int c = 0; c < 26; c++) {
        tk->abbrev_from[c] = (uint8_t)k;
        for (size_t a = 0; a < N_ABBREVIATIONS; a++)
            if (abbreviations[a][0] == 'a' + c) {
                size_t n = strlen(abbreviations[a]); /* at most 8: one word */
                tk->abbrev_keys[k++] = pack_word(abbreviations[a], n);
                if (n > tk->abbrev_max_len)
                    tk->abbrev_max_len = (uint8_t)n;
            }
    }
    tk->abbrev_from[26] = (uint8_t)k;
}

/* ASCII lower-case copy of a short word into buf; false when it is not short ASCII letters. */
static bool ascii_lower_word(const char *s, size_t n, char *buf, size_t cap)
{
    if (n == 0 || n >= cap)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b >= 'A' && b <= 'Z')
            b = (unsigned char)(b + 32);
        else if (!((b >= 'a' && b <= 'z') || b == '\''))
            return false;
        buf[i] = (char)b;
    }
    buf[n] = '\0';
    return true;
}

/* Checked at every word followed by a period (each sentence end): the lower-cased word as one
 * number, compared with the few keys of its first letter, costs less than a bsearch of
 * strcmp calls. */
static bool is_abbreviation(const fs_tokenizer *tk, const char *s, size_t n)
{
    if (n == 1)
        return s[0] >= 'A' && s[0] <= 'Z'; /* an initial: "J. Smith" */
    if (n > tk->abbrev_max_len)
        return false;
    unsigned c = ((unsigned char)s[0] | 0x20u) - 'a';
    if (c >= 26)
        return false;
    uint64_t key = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned b = (unsigned char)s[i] | 0x20u; /* ASCII letters only, checked next */
        if (b < 'a' || b > 'z')
            return false;
        key |= (uint64_t)b << (8 * i);
    }
    for (unsigned a = tk->abbrev_from[c]; a < tk->abbrev_from[c + 1]; a++)
        if (tk->abbrev_keys[a] == key)
            return true;
    return false;
}

/* ---------------------------------------------------------------- scratch buffers */

static fs_status grow_array(void **p, size_t *cap, size_t need, size_t elem)
{
    return fs_vec_reserve(p, need, cap, elem, 64);
}

static fs_status ensure_scratch(fs_tokens *out)
{
    if (!out->scratch) {
        out->scratch = calloc(1, sizeof *out->scratch);
        if (!out->scratch)
            return FS_ERR_NOMEM;
    }
    return FS_OK;
}

static fs_status stat_slot(tok_linestat **arr, size_t *cap, uint32_t idx, size_t *used)
{
    if (idx < *used)
        return FS_OK;
    if (grow_array((void **)arr, cap, (size_t)idx + 1, sizeof **arr) != FS_OK)
        return FS_ERR_NOMEM;
    memset(*arr + *used, 0, ((size_t)idx + 1 - *used) * sizeof **arr);
    *used = (size_t)idx + 1;
    return FS_OK;
}

/* ---------------------------------------------------------------- the scanner */

/* Pending sentence boundary, strongest last. */
enum { PEND_NONE, PEND_COND, PEND_NL, PEND_HARD };

static bool starts_with_ci(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    if (n < k)
        return false;
    for (size_t i = 0; i < k; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != prefix[i])
            return false;
    }
    return true;
}

typedef struct part_info {
    /* Letter counts; exact when the part has no lower-case letter, otherwise only as far as
     * they decide the part's flags (letters > 0, lower > 0, upper < letters). */
    uint32_t letters, upper, lower;
    bool other;         /* apostrophe or combining mark: not an acronym */
    int first_kind;
    bool dot_after;     /* a dotted abbreviation that ended with its own period */
} part_info;

/* Scans one part starting at a word character; returns the end of the part and sets *next (where
 * scanning resumes: after a possessive), *joined_next (a hyphen joins the next part). */
static size_t scan_part(const char *text, size_t len, size_t i, part_info *pi, uint8_t *flags,
                        size_t *next, bool *joined_next)
{
    chr c;
    classify(text, len, i, &c);
    memset(pi, 0, sizeof *pi);
    pi->first_kind = c.kind;
    *joined_next = false;

    /* Dotted abbreviation: single letters each followed by a period, the last period optional. */
    if (is_letter_kind(c.kind)) {
        size_t j = i;
        uint32_t count = 0, upper = 0;
        bool end_dot = false;
        for (;;) {
            if (j >= len)
                break;
            chr l;
            classify(text, len, j, &l);
            if (!is_letter_kind(l.kind))
                break;
            size_t k = j + l.n;
            if (k < len && text[k] == '.') {
                count++;
                upper += l.kind == K_UPPER;
                j = k + 1;
                end_dot = true;
                continue;
            }
            if (count >= 1 && word_ends_at(text, len, k)) {
                count++;
                upper += l.kind == K_UPPER;
                j = k;
                end_dot = false;
            }
            break;
        }
        if (count >= 2) {
            pi->letters = count;
            pi->upper = upper;
            pi->lower = count - upper;
            pi->dot_after = end_dot;
            *flags |= PART_DOTTED;
            size_t end = j;
            *next = j;
            /* A possessive or a joining hyphen may follow a dotted form ("U.S.’s", "U.S.-led"). */
            if (end < len) {
                chr a;
                classify(text, len, end, &a);
                if (a.cls == C_APOS && end + a.n < len &&
                    (text[end + a.n] == 's' || text[end + a.n] == 'S') &&
                    word_ends_at(text, len, end + a.n + 1)) {
                    *next = end + a.n + 1;
                } else if (a.cls == C_HYPHEN && !word_ends_at(text, len, end + a.n)) {
                    *next = end + a.n;
                    *joined_next = true;
                }
            }
            return end;
        }
    }

    size_t j = i;
    bool prev_digit = false;
    while (j < len) {
        classify(text, len, j, &c);
        if (c.cls == C_WORD) {
            if (is_letter_kind(c.kind))
                pi->letters++;
            if (c.kind == K_UPPER)
                pi->upper++;
            else if (c.kind == K_LOWER)
                pi->lower++;
            else if (c.kind == K_MARK)
                pi->other = true;
            prev_digit = c.kind == K_DIGIT;
            j += c.n;
            continue;
        }
        if (c.cls == C_APOS && !word_ends_at(text, len, j + c.n)) {
            size_t s = j + c.n;
            if ((text[s] == 's' || text[s] == 'S') && word_ends_at(text, len, s + 1)) {
                *next = s + 1; /* possessive: dropped */
                return j;
            }
            pi->other = true;
            prev_digit = false;
            j += c.n;
            continue;
        }
        if ((c.cp == '.' || c.cp == ',') && prev_digit && j + 1 < len && text[j + 1] >= '0' &&
            text[j + 1] <= '9') {
            j++; /* "3,299", "1.5" */
            continue;
        }
        if (c.cls == C_HYPHEN && !word_ends_at(text, len, j + c.n)) {
            *next = j + c.n;
            *joined_next = true;
            return j;
        }
        break;
    }
    *next = j;
    return j;
}

/* High bit of each byte of x that is ASCII and in [lo, hi] (lo > 0, hi < 0x7F). */
static inline uint64_t swar_in(uint64_t x, unsigned lo, unsigned hi)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t y = x & ~high;
    return (y + ones * (0x80 - lo)) & ~(y + ones * (0x7F - hi)) & ~x & high;
}

/* scan_part for the common case, a part of ASCII letters and digits that ends in whitespace or
 * plain punctuation, or in a hyphen that joins an ASCII word. Returns false, having decided
 * nothing, for anything scan_part must judge: a non-ASCII byte in or after the part, an
 * apostrophe, a possible dotted abbreviation ("U.S."), "3,299" or "1.5". */
static inline bool scan_part_ascii(const char *text, size_t len, size_t i, part_info *pi,
                                   size_t *end, size_t *next, bool *joined_next)
{
    const unsigned char *u = (const unsigned char *)text;
    size_t j = i;
    uint64_t lower = 0;
    /* ASCII letters and digits 8 at a time (a word rarely ends before its first 8 bytes are
     * read), the few bytes before the end of the text one by one. Only whether the part has a
     * lower-case letter is noted here: the letter counts matter for the rare part without one
     * (an acronym or a number), and are then counted below. */
    bool open = true;
    while (open && j + 8 <= len) {
        uint64_t x;
        memcpy(&x, u + j, 8);
        uint64_t low = swar_in(x, 'a', 'z');
        /* No branch on the kind of byte that ends the word: it would mispredict at every
         * capitalized word. */
        uint64_t stop = ~(low | swar_in(x, 'A', 'Z') | swar_in(x, '0', '9')) &
                        0x8080808080808080ull;
        unsigned n = stop ? (unsigned)__builtin_ctzll(stop) >> 3 : 8;
        lower |= n == 8 ? low : low & ((1ull << (8 * n)) - 1);
        j += n;
        open = n == 8;
    }
    unsigned k;
    while (open && j < len && u[j] < 0x80 && ((k = ascii_class[u[j]]) & 15) == C_WORD) {
        lower |= (k >> 4) == K_LOWER;
        j++;
    }
    if (j == i)
        return false;
    *joined_next = false;
    *next = j;
    if (j < len) {
        unsigned t = u[j];
        /* A possessive ('s or ’s, then no word character) ends the part and is dropped, as in
         * scan_part: common enough in news text to keep off the general path. */
        size_t apos = t == '\'' ? 1
                      : t == 0xE2 && j + 2 < len && u[j + 1] == 0x80 && u[j + 2] == 0x99 ? 3
                                                                                        : 0;
        if (apos && j + apos < len && (u[j + apos] | 0x20) == 's' &&
            word_ends_at(text, len, j + apos + 1)) {
            *next = j + apos + 1;
            t = ' '; /* nothing more to judge after the word */
        } else if (t >= 0x80 || t == '\'' || (t == '.' && j == i + 1)) {
            return false;
        }
        /* The class of the last byte is looked up only here, after a period or comma: on the
         * path of every word it would wait for the end of the scan above. */
        if ((t == '.' || t == ',') && j + 1 < len && u[j + 1] >= '0' && u[j + 1] <= '9' &&
            (ascii_class[u[j - 1]] >> 4) == K_DIGIT)
            return false;
        if (t == '-' && j + 1 < len) {
            unsigned h = u[j + 1];
            if (h >= 0x80)
                return false;
            if ((ascii_class[h] & 15) == C_WORD) {
                *next = j + 1;
                *joined_next = true;
            }
        }
    }
    if (lower) { /* a letter, a lower-case one: counts that make neither an acronym */
        pi->letters = pi->lower = 1;
        pi->upper = 0;
    } else {
        uint32_t up = 0;
        for (size_t b = i; b < j; b++)
            up += u[b] >= 'A' && u[b] <= 'Z';
        pi->letters = pi->upper = up;
        pi->lower = 0;
    }
    pi->other = false;
    pi->first_kind = ascii_class[u[i]] >> 4;
    pi->dot_after = false;
    *end = j;
    return true;
}

/* Is this part, as written, a stopword with a capital (a likely sentence opener)? */
static bool capital_stopword(const fs_tokenizer *tk, const char *s, size_t n)
{
    char buf[32];
    if (!ascii_lower_word(s, n, buf, sizeof buf))
        return false;
    return fs_intern_find(tk->stop, buf, n) != FS_INTERN_NONE;
}

static fs_status scan(const fs_tokenizer *tk, const char *text, size_t len, fs_tokens *out)
{
    struct fs_tok_scratch *s = out->scratch;
    size_t n_lines_used = 0, n_sents_used = 0;
    uint32_t line = 0, sent = 0;
    int pend = PEND_NONE;
    bool any = false, joined = false;
    size_t prev_end = SIZE_MAX;
    bool prev_abbr = false;
    /* Counts of the current line and sentence, kept in registers and stored when it ends: the
     * lines and sentences are numbered in order and never reopened. */
    tok_linestat cur_line = {0, 0}, cur_sent = {0, 0};

    if (stat_slot(&s->lines, &s->lines_cap, 0, &n_lines_used) != FS_OK ||
        stat_slot(&s->sents, &s->sents_cap, 0, &n_sents_used) != FS_OK)
        return FS_ERR_NOMEM;

    size_t i = 0;
    while (i < len) {
        chr c;
        classify(text, len, i, &c);
        if (c.cls != C_WORD) {
            joined = false;
            switch (c.cls) {
            case C_NL:
                s->lines[line] = cur_line;
                cur_line = (tok_linestat){0, 0};
                line++;
                if (stat_slot(&s->lines, &s->lines_cap, line, &n_lines_used) != FS_OK)
                    return FS_ERR_NOMEM;
                pend = pend >= PEND_NL ? PEND_HARD : PEND_NL;
                break;
            case C_PERIOD:
                if (prev_end == i && prev_abbr) {
                    if (pend < PEND_COND)
                        pend = PEND_COND;
                } else if (closes_sentence(text, len, i + 1)) {
                    pend = PEND_HARD;
                }
                break;
            case C_TERM:
                pend = PEND_HARD;
                break;
            default:
                break;
            }
            i += c.n;
            continue;
        }
        if ((c.cp == 'h' || c.cp == 'H' || c.cp == 'w' || c.cp == 'W') && !joined &&
            (starts_with_ci(text + i, len - i, "http://") ||
             starts_with_ci(text + i, len - i, "https://") ||
             starts_with_ci(text + i, len - i, "www."))) {
            while (i < len && text[i] != ' ' && text[i] != '\n' && text[i] != '\t')
                i++;
            continue;
        }

        part_info pi;
        uint8_t flags = joined ? PART_JOINED : 0;
        size_t next, end;
        bool joined_next, fast = !tk->slow_scan && c.cp < 0x80 &&
                                 scan_part_ascii(text, len, i, &pi, &end, &next, &joined_next);
        if (!fast)
            end = scan_part(text, len, i, &pi, &flags, &next, &joined_next);

        if (any && pend != PEND_NONE) {
            bool brk = pend == PEND_HARD ||
                       (pend == PEND_NL && pi.first_kind != K_LOWER) ||
                       (pend == PEND_COND && pi.first_kind == K_UPPER &&
                        capital_stopword(tk, text + i, end - i));
            if (brk) {
                s->sents[sent] = cur_sent;
                cur_sent = (tok_linestat){0, 0};
                sent++;
                if (stat_slot(&s->sents, &s->sents_cap, sent, &n_sents_used) != FS_OK)
                    return FS_ERR_NOMEM;
            }
        }
        pend = PEND_NONE;
        any = true;

        if (pi.letters)
            flags |= PART_LETTER;
        if (pi.lower)
            flags |= PART_LOWER;
        if (pi.letters >= 2 && pi.letters <= 5 && pi.upper == pi.letters && !pi.other &&
            end - i <= 24)
            flags |= PART_ACRONYM;

        if (s->n == s->cap &&
            grow_array((void **)&s->parts, &s->cap, s->n + 1, sizeof *s->parts) != FS_OK)
            return FS_ERR_NOMEM;
        tok_part *p = &s->parts[s->n++];
        p->start = (uint32_t)i;
        p->end = (uint32_t)end;
        p->sentence = sent;
        p->line = line;
        p->flags = flags;
        /* Lower-cased now; tok_scan rewrites the acronyms that keep their capitals. */
        if (fast) {
            size_t wn = end - i, b = 0;
            if (out->text_len + wn + 9 > out->text_cap &&
                grow_array((void **)&out->text, &out->text_cap, out->text_len + wn + 9, 1) !=
                    FS_OK)
                return FS_ERR_NOMEM;
            char *d = out->text + out->text_len;
            /* ASCII letters and digits only: | 0x20 lower-cases. Up to 8 bytes past the word
             * are written (then overwritten); input is read only below len. */
            for (; b < wn && i + b + 8 <= len; b += 8) {
                uint64_t x;
                memcpy(&x, text + i + b, 8);
                x |= 0x2020202020202020ull;
                memcpy(d + b, &x, 8);
            }
            for (; b < wn; b++)
                d[b] = (char)(text[i + b] | 0x20);
            d[wn] = '\0';
            p->off = (uint32_t)out->text_len;
            p->len = (uint32_t)wn;
            out->text_len += wn + 1;
        } else if (tok_text_write(out, text + i, end - i, true, (flags & PART_DOTTED) != 0, &p->off,
                              &p->len) != FS_OK) {
            return FS_ERR_NOMEM;
        }
        if ((flags & PART_ACRONYM) && tk->keep_acronyms) {
            if (grow_array((void **)&s->cands, &s->cands_cap, s->n_cands + 1, sizeof *s->cands) !=
                FS_OK)
                return FS_ERR_NOMEM;
            s->cands[s->n_cands++] = (uint32_t)(s->n - 1);
        }
        unsigned has_letter = (flags & PART_LETTER) != 0;
        unsigned has_lower = has_letter & ((flags & PART_LOWER) != 0);
        cur_line.words += has_letter;
        cur_line.lower += has_lower;
        cur_sent.words += has_letter;
        cur_sent.lower += has_lower;

        if (flags & PART_DOTTED) {
            prev_abbr = false;
            if (pi.dot_after && pend < PEND_COND)
                pend = PEND_COND; /* "U.S." may or may not end the sentence */
        } else {
            prev_abbr = end < len && text[end] == '.' && next == end &&
                        is_abbreviation(tk, text + i, end - i);
        }
        prev_end = next == end ? end : SIZE_MAX;
        joined = joined_next;
        i = next;
        /* The single space after most words changes nothing (a word ending in a joining hyphen
         * is not followed by one): stepped over without a trip through the loop. */
        if (i < len && text[i] == ' ' && !tk->slow_scan)
            i++;
    }
    s->lines[line] = cur_line;
    s->sents[sent] = cur_sent;
    s->n_lines = line + 1;
    out->n_sentences = any ? sent + 1 : 0;
    return FS_OK;
}

/* ---------------------------------------------------------------- case policy */

static bool shouted(const struct fs_tok_scratch *s, const tok_part *p)
{
    const tok_linestat *l = &s->lines[p->line], *t = &s->sents[p->sentence];
    return (l->words >= 2 && l->lower == 0) || (t->words >= 2 && t->lower == 0);
}

/* Is the acronym `a` known: an alias target, or seen as an acronym in ordinary text of this
 * document (s->acronyms, normalized texts already written)? */
static bool known_acronym(const fs_tokenizer *tk, const fs_tokens *out, const char *a, size_t n)
{
    if (fs_intern_find(tk->known, a, n) != FS_INTERN_NONE)
        return true;
    const struct fs_tok_scratch *s = out->scratch;
    for (size_t k = 0; k < s->n_acronyms; k++) {
        const tok_part *q = &s->parts[s->acronyms[k]];
        if (q->len == n && memcmp(out->text + q->off, a, n) == 0)
            return true;
    }
    return false;
}

fs_status tok_scan(const fs_tokenizer *tk, const char *text, size_t len, fs_tokens *out)
{
    if (len >= UINT32_MAX)
        return FS_ERR_INPUT;
    if (ensure_scratch(out) != FS_OK)
        return FS_ERR_NOMEM;
    struct fs_tok_scratch *s = out->scratch;
    s->n = 0;
    s->n_acronyms = 0;
    s->n_cands = 0;
    out->text_len = 0;
    out->n = 0;
    fs_status st = scan(tk, text, len, out);
    if (st != FS_OK)
        return st;

    /* Every part was written lower-cased; acronyms (with keep_acronyms) keep their capitals
     * unless shouted. Ordinary text first, so that acronyms seen there are known when shouted
     * lines are normalized afterwards. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t c = 0; c < s->n_cands; c++) {
            uint32_t k = s->cands[c];
            tok_part *p = &s->parts[k];
            bool loud = shouted(s, p);
            if (loud != (pass == 1))
                continue;
            const char *w = text + p->start;
            size_t wn = p->end - p->start;
            bool dotted = (p->flags & PART_DOTTED) != 0;
            bool keep = true;
            if (loud) {
                char buf[32];
                size_t bn = 0;
                for (size_t b = 0; b < wn && bn < sizeof buf; b++)
                    if (w[b] != '.')
                        buf[bn++] = w[b];
                keep = known_acronym(tk, out, buf, bn);
            }
            if (keep && tok_text_write(out, w, wn, false, dotted, &p->off, &p->len) != FS_OK)
                return FS_ERR_NOMEM;
            if (!loud) {
                if (grow_array((void **)&s->acronyms, &s->acronyms_cap, s->n_acronyms + 1,
                               sizeof *s->acronyms) != FS_OK)
                    return FS_ERR_NOMEM;
                s->acronyms[s->n_acronyms++] = (uint32_t)k;
            }
        }
    }
    return FS_OK;
}

fs_status fs_tokenize(const fs_tokenizer *tk, const char *text, size_t len, int flags,
                      fs_tokens *out)
{
    fs_status st = tok_scan(tk, text, len, out);
    if (st != FS_OK)
        return st;
    return tok_emit(tk, text, flags, out);
}

void fs_tokens_free(fs_tokens *t)
{
    if (!t)
        return;
    if (t->scratch) {
        free(t->scratch->parts);
        free(t->scratch->lines);
        free(t->scratch->sents);
        free(t->scratch->acronyms);
        free(t->scratch->cands);
        free(t->scratch);
    }
    free(t->terms);
    free(t->text);
    *t = (fs_tokens)FS_TOKENS_INIT;
}
