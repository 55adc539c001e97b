/* normalize.c: the tokenizer object and the word → term step: stopword lists, aliases and
 * phrases (matched longest first on normalized parts), hyphen compounds and numbers. The
 * scanner and the case policy are in tokenize.c. */
#include "tokenize_internal.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "framescope/fileio.h"
#include "framescope/strbuf.h"

/* ---------------------------------------------------------------- small helpers */

static fs_status reserve_text(fs_tokens *out, size_t extra)
{
    size_t need = out->text_len + extra + 1;
    if (need <= out->text_cap)
        return FS_OK;
    size_t n = out->text_cap ? out->text_cap : 256;
    while (n < need)
        n *= 2;
    char *p = realloc(out->text, n);
    if (!p)
        return FS_ERR_NOMEM;
    out->text = p;
    out->text_cap = n;
    return FS_OK;
}

/* ---------------------------------------------------------------- term texts */

fs_status tok_text_append(fs_tokens *out, const char *s, size_t len, uint32_t *off)
{
    if (reserve_text(out, len) != FS_OK)
        return FS_ERR_NOMEM;
    memcpy(out->text + out->text_len, s, len);
    out->text[out->text_len + len] = '\0';
    *off = (uint32_t)out->text_len;
    out->text_len += len + 1;
    return FS_OK;
}

fs_status tok_text_write(fs_tokens *out, const char *s, size_t len, bool lower,
                            bool drop_dots, uint32_t *off, uint32_t *outlen)
{
    if (reserve_text(out, 4 * len) != FS_OK)
        return FS_ERR_NOMEM;
    char *d = out->text + out->text_len;
    char *start = d;
    for (size_t i = 0; i < len;) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            if (b == '.' && drop_dots) {
                i++;
                continue;
            }
            *d++ = (char)(lower && b >= 'A' && b <= 'Z' ? b + 32 : b);
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) {
            *d++ = (char)b;
            i++;
            continue;
        }
        i += (size_t)n;
        if (cp == 0x2019 || cp == 0x2010 || cp == 0x2011) {
            *d++ = cp == 0x2019 ? '\'' : '-';
            continue;
        }
        if (lower)
            cp = utf8proc_tolower(cp);
        d += utf8proc_encode_char(cp, (utf8proc_uint8_t *)d);
    }
    *d = '\0';
    *off = (uint32_t)out->text_len;
    *outlen = (uint32_t)(d - start);
    out->text_len += (size_t)(d - start) + 1;
    return FS_OK;
}

fs_status tok_text_lower(fs_tokens *out, const char *s, size_t len, bool drop_dots,
                         uint32_t *off, uint32_t *outlen)
{
    return tok_text_write(out, s, len, true, drop_dots, off, outlen);
}

static fs_status push_term(fs_tokens *out, uint32_t off, uint32_t len, uint32_t start,
                           uint32_t end, uint32_t sentence)
{
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 256;
        fs_term *t = realloc(out->terms, cap * sizeof *t);
        if (!t)
            return FS_ERR_NOMEM;
        out->terms = t;
        out->cap = cap;
    }
    out->terms[out->n++] = (fs_term){off, len, start, end, sentence, false};
    return FS_OK;
}

static const char *trim(const char *s, size_t *n)
{
    size_t len = strlen(s);
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    *n = len;
    return s;
}

static bool acronym_shaped(const char *s, size_t n)
{
    size_t letters = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= 'A' && s[i] <= 'Z')
            letters++;
        else if (!(s[i] >= '0' && s[i] <= '9'))
            return false;
    }
    return letters >= 2 && letters <= 5;
}

/* Only whitespace between two words: a phrase may span it. */
static bool gap_is_space(const char *text, uint32_t from, uint32_t to)
{
    for (uint32_t i = from; i < to; i++) {
        unsigned char b = (unsigned char)text[i];
        if (b == ' ' || b == '\t' || b == '\r' || b == '\n')
            continue;
        if (b == 0xC2 && i + 1 < to && (unsigned char)text[i + 1] == 0xA0) {
            i++;
            continue;
        }
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------- term emission */

/* False when no alias or phrase starts with this part (the prefilter; true may be wrong). */
static inline bool may_start_entry(const fs_tokenizer *tk, const fs_tokens *out,
                                   const tok_part *p)
{
    if (p->len == 0)
        return false;
    uint32_t h = tok_start_hash(out->text + p->off, p->len);
    return (tk->start_filter[h >> 6] >> (h & 63)) & 1;
}

/* The entry matching at part i, longest first. A one-word entry only replaces a standalone word:
 * an alias for "US" must not break up "US-ROK". */
static const tok_entry *match_at(const fs_tokenizer *tk, const fs_tokens *out, const char *text,
                                 size_t i)
{
    const struct fs_tok_scratch *s = out->scratch;
    const tok_part *p = &s->parts[i];
    bool standalone = !(p->flags & PART_JOINED) &&
                      !(i + 1 < s->n && (s->parts[i + 1].flags & PART_JOINED));
    if (!may_start_entry(tk, out, p))
        return NULL;
    uint32_t id = fs_intern_find(tk->starts, out->text + p->off, p->len);
    if (id == FS_INTERN_NONE)
        return NULL;
    const tok_start *ls = &tk->start_lists[id];
    for (size_t e = 0; e < ls->n; e++) {
        const tok_entry *en = &tk->entries[ls->entries[e]];
        if (i + en->n_parts > s->n || (en->n_parts == 1 && !standalone))
            continue;
        bool ok = true;
        for (uint32_t k = 1; k < en->n_parts && ok; k++) {
            const tok_part *q = &s->parts[i + k], *prev = &s->parts[i + k - 1];
            ok = q->sentence == p->sentence && q->len == en->part_lens[k] &&
                 memcmp(out->text + q->off, en->parts[k], q->len) == 0 &&
                 ((q->flags & PART_JOINED) || gap_is_space(text, prev->end, q->start));
        }
        if (ok)
            return en;
    }
    return NULL;
}

/* Emits parts [i, j) as one term: a word, or a hyphen compound written with '-'. */
static fs_status emit_group(const fs_tokenizer *tk, fs_tokens *out, size_t i, size_t j)
{
    const tok_part *parts = out->scratch->parts;
    bool letters = false;
    size_t total = 0;
    for (size_t k = i; k < j; k++) {
        letters |= (parts[k].flags & PART_LETTER) != 0;
        total += parts[k].len + 1;
    }
    if (!letters && !tk->keep_numbers)
        return FS_OK;
    if (j == i + 1)
        return push_term(out, parts[i].off, parts[i].len, parts[i].start, parts[i].end,
                         parts[i].sentence);
    if (reserve_text(out, total) != FS_OK)
        return FS_ERR_NOMEM;
    char *d = out->text + out->text_len;
    for (size_t k = i; k < j; k++) {
        if (k > i)
            *d++ = '-';
        memcpy(d, out->text + parts[k].off, parts[k].len);
        d += parts[k].len;
    }
    *d = '\0';
    uint32_t off = (uint32_t)out->text_len, len = (uint32_t)(d - (out->text + off));
    out->text_len += len + 1;
    return push_term(out, off, len, parts[i].start, parts[j - 1].end, parts[i].sentence);
}

fs_status tok_emit(const fs_tokenizer *tk, const char *text, int flags, fs_tokens *out)
{
    const struct fs_tok_scratch *s = out->scratch;
    const tok_part *parts = s->parts;
    out->n = 0;
    /* A term is made of one part or more: room for all of them now, none to check per term. */
    if (s->n > out->cap) {
        size_t cap = s->n + s->n / 2;
        fs_term *t = realloc(out->terms, cap * sizeof *t);
        if (!t)
            return FS_ERR_NOMEM;
        out->terms = t;
        out->cap = cap;
    }
    size_t i = 0;
    while (i < s->n) {
        /* Most parts are a lone word that cannot start an alias or a phrase: emitted as they
         * are, what emit_group would do for them without its loop. */
        const tok_part *p = &parts[i];
        if (!tk->slow_scan && !(i + 1 < s->n && (parts[i + 1].flags & PART_JOINED)) &&
            !(tk->n_entries && may_start_entry(tk, out, p))) {
            if ((p->flags & PART_LETTER) || tk->keep_numbers)
                out->terms[out->n++] =
                    (fs_term){p->off, p->len, p->start, p->end, p->sentence, false};
            i++;
            continue;
        }
        const tok_entry *en = tk->n_entries ? match_at(tk, out, text, i) : NULL;
        if (en) {
            uint32_t off;
            if (tok_text_append(out, en->term, en->term_len, &off) != FS_OK)
                return FS_ERR_NOMEM;
            const tok_part *a = &s->parts[i], *b = &s->parts[i + en->n_parts - 1];
            if (push_term(out, off, en->term_len, a->start, b->end, a->sentence) != FS_OK)
                return FS_ERR_NOMEM;
            i += en->n_parts;
            continue;
        }
        /* A hyphen compound stays whole unless a phrase starts inside it ("US-South Korea"). */
        size_t j = i + 1;
        while (j < s->n && (s->parts[j].flags & PART_JOINED) &&
               !(tk->n_entries && match_at(tk, out, text, j)))
            j++;
        if (emit_group(tk, out, i, j) != FS_OK)
            return FS_ERR_NOMEM;
        i = j;
    }
    if (flags & FS_TOKENIZE_MARK_STOP)
        for (size_t k = 0; k < out->n; k++)
            out->terms[k].stop = fs_tokenizer_is_stopword(tk, fs_tokens_str(out, k),
                                                          out->terms[k].len);
    return FS_OK;
}

/* ---------------------------------------------------------------- building the tokenizer */

/* The single term a short config string (a stopword) normalizes to; NULL when it has none. */
static fs_status normalize_word(const fs_tokenizer *tk, fs_tokens *scratch, const char *s,
                                size_t n, fs_strbuf *term)
{
    fs_strbuf_reset(term);
    fs_status st = fs_tokenize(tk, s, n, 0, scratch);
    if (st != FS_OK)
        return st;
    for (size_t k = 0; k < scratch->n; k++) {
        if (k)
            fs_strbuf_putc(term, ' ');
        fs_strbuf_append(term, fs_tokens_str(scratch, k), scratch->terms[k].len);
    }
    return term->failed ? FS_ERR_NOMEM : FS_OK;
}

static uint64_t mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
}

static fs_status load_stopword_file(const char *path, fs_tokenizer *tk, fs_tokens *scratch,
                                    const fs_intern *keep, fs_strbuf *version, uint64_t *fp,
                                    fs_error *err)
{
    char *data = NULL;
    size_t len = 0;
    fs_status st = fs_read_file(path, 0, &data, &len, err);
    if (st != FS_OK)
        return st;
    fs_strbuf term = FS_STRBUF_INIT;
    bool have_version = false;
    char *line = data;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        size_t n;
        const char *w = trim(line, &n);
        if (n && w[0] == '#') {
            if (!have_version) {
                size_t vn;
                char *tmp = strndup(w + 1, n - 1);
                if (!tmp) {
                    st = FS_ERR_NOMEM;
                    goto done;
                }
                const char *v = trim(tmp, &vn);
                if (version->len)
                    fs_strbuf_puts(version, "; ");
                fs_strbuf_append(version, v, vn);
                free(tmp);
                have_version = true;
            }
        } else if (n) {
            st = normalize_word(tk, scratch, w, n, &term);
            if (st != FS_OK)
                goto done;
            if (term.len && fs_intern_find(keep, term.data, term.len) == FS_INTERN_NONE) {
                uint32_t id;
                size_t before = fs_intern_count(tk->stop);
                if (fs_intern_add(tk->stop, term.data, term.len, &id) != FS_OK) {
                    st = FS_ERR_NOMEM;
                    goto done;
                }
                if (fs_intern_count(tk->stop) > before)
                    *fp += mix64(fs_hash_bytes(term.data, term.len));
            }
        }
        line = nl ? nl + 1 : NULL;
    }
done:
    if (st == FS_ERR_NOMEM)
        fs_error_set(err, st, path, "out of memory");
    fs_strbuf_free(&term);
    free(data);
    return st;
}

static int cmp_entry_order(const void *a, const void *b, void *ctx);

/* Sorts a start list: longest first, aliases before phrases, then config order. */
static void sort_start(tok_start *ls, const tok_entry *entries)
{
    for (size_t i = 1; i < ls->n; i++) { /* lists are tiny: insertion sort */
        uint32_t x = ls->entries[i];
        size_t j = i;
        while (j > 0 && cmp_entry_order(&entries[x], &entries[ls->entries[j - 1]], NULL) < 0) {
            ls->entries[j] = ls->entries[j - 1];
            j--;
        }
        ls->entries[j] = x;
    }
}

static int cmp_entry_order(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    const tok_entry *x = a, *y = b;
    if (x->n_parts != y->n_parts)
        return x->n_parts > y->n_parts ? -1 : 1;
    if (x->alias != y->alias)
        return x->alias ? -1 : 1;
    return 0;
}

/* Adds an alias (term = target as written) or a phrase (term = its words, lower case). */
static fs_status add_entry(fs_tokenizer *tk, fs_tokens *scratch, const char *surface,
                           const char *target, uint64_t *fp)
{
    size_t sn;
    const char *s = trim(surface, &sn);
    fs_status st = tok_scan(tk, s, sn, scratch);
    if (st != FS_OK)
        return st;
    const struct fs_tok_scratch *sc = scratch->scratch;
    if (sc->n == 0)
        return FS_OK; /* nothing word-like: cannot match */
    tok_entry *en = &tk->entries[tk->n_entries];
    en->n_parts = (uint32_t)sc->n;
    en->alias = target != NULL;
    en->parts = fs_arena_alloc(tk->arena, sc->n * sizeof *en->parts);
    en->part_lens = fs_arena_alloc(tk->arena, sc->n * sizeof *en->part_lens);
    if (!en->parts || !en->part_lens)
        return FS_ERR_NOMEM;
    fs_strbuf joined = FS_STRBUF_INIT;
    uint64_t h = en->alias ? 0x5bd1e995u : 0x1b873593u;
    for (size_t k = 0; k < sc->n; k++) {
        const tok_part *p = &sc->parts[k];
        en->parts[k] = fs_arena_strndup(tk->arena, scratch->text + p->off, p->len);
        en->part_lens[k] = p->len;
        if (!en->parts[k]) {
            fs_strbuf_free(&joined);
            return FS_ERR_NOMEM;
        }
        if (k)
            fs_strbuf_putc(&joined, ' ');
        fs_strbuf_append(&joined, en->parts[k], p->len);
        h = mix64(h ^ fs_hash_bytes(en->parts[k], p->len));
    }
    if (joined.failed) {
        fs_strbuf_free(&joined);
        return FS_ERR_NOMEM;
    }
    if (target && tk->keep_acronyms) {
        size_t tn;
        const char *t = trim(target, &tn);
        en->term = fs_arena_strndup(tk->arena, t, tn);
        en->term_len = (uint32_t)tn;
    } else if (target) { /* no acronyms: every term is lower case, alias targets too */
        size_t tn;
        const char *t = trim(target, &tn);
        uint32_t off, len;
        st = tok_text_lower(scratch, t, tn, false, &off, &len);
        if (st == FS_OK) {
            en->term = fs_arena_strndup(tk->arena, scratch->text + off, len);
            en->term_len = len;
        }
    } else {
        uint32_t off, len;
        st = tok_text_lower(scratch, joined.data, joined.len, false, &off, &len);
        if (st == FS_OK) {
            en->term = fs_arena_strndup(tk->arena, scratch->text + off, len);
            en->term_len = len;
        }
    }
    fs_strbuf_free(&joined);
    if (st != FS_OK || !en->term)
        return FS_ERR_NOMEM;
    *fp += mix64(h ^ fs_hash_bytes(en->term, en->term_len));

    uint32_t sid;
    size_t before = fs_intern_count(tk->starts);
    if (fs_intern_add(tk->starts, en->parts[0], en->part_lens[0], &sid) != FS_OK)
        return FS_ERR_NOMEM;
    if (fs_intern_count(tk->starts) > before) {
        tok_start *ls = realloc(tk->start_lists, (sid + 1) * sizeof *ls);
        if (!ls)
            return FS_ERR_NOMEM;
        tk->start_lists = ls;
        ls[sid] = (tok_start){NULL, 0};
    }
    tok_start *ls = &tk->start_lists[sid];
    uint32_t *e = realloc(ls->entries, (ls->n + 1) * sizeof *e);
    if (!e)
        return FS_ERR_NOMEM;
    ls->entries = e;
    e[ls->n++] = (uint32_t)tk->n_entries;
    uint32_t fh = tok_start_hash(en->parts[0], en->part_lens[0]);
    tk->start_filter[fh >> 6] |= 1ull << (fh & 63);
    tk->n_entries++;
    return FS_OK;
}

fs_status fs_tokenizer_create(const fs_analysis_cfg *acfg, fs_tokenizer **out, fs_error *err)
{
    *out = NULL;
    fs_status st = FS_OK;
    fs_tokens scratch = FS_TOKENS_INIT;
    fs_strbuf version = FS_STRBUF_INIT, term = FS_STRBUF_INIT;
    fs_intern *keep = fs_intern_create();
    fs_tokenizer *tk = calloc(1, sizeof *tk);
    if (!tk || !keep)
        goto nomem;
    tok_abbrev_init(tk);
    tk->keep_numbers = acfg->keep_numbers;
    tk->keep_acronyms = acfg->keep_acronyms;
    tk->arena = fs_arena_create(0);
    tk->stop = fs_intern_create();
    tk->known = fs_intern_create();
    tk->starts = fs_intern_create();
    tk->entries = calloc(acfg->n_aliases + acfg->n_phrases + 1, sizeof *tk->entries);
    if (!tk->arena || !tk->stop || !tk->known || !tk->starts || !tk->entries)
        goto nomem;
    uint64_t fp = 0x6a09e667f3bcc908ull ^ (uint64_t)tk->keep_numbers ^
                  ((uint64_t)tk->keep_acronyms << 1);

    /* Alias targets shaped like acronyms stay capitalized even in shouted lines. */
    for (size_t i = 0; i < acfg->n_aliases; i++) {
        size_t n;
        const char *t = trim(acfg->aliases[i].to, &n);
        uint32_t id;
        if (acronym_shaped(t, n) && fs_intern_add(tk->known, t, n, &id) != FS_OK)
            goto nomem;
    }

    for (size_t i = 0; i < acfg->n_stopwords_keep; i++) {
        size_t n;
        const char *w = trim(acfg->stopwords_keep[i], &n);
        uint32_t id;
        if ((st = normalize_word(tk, &scratch, w, n, &term)) != FS_OK)
            goto fail;
        if (term.len && fs_intern_add(keep, term.data, term.len, &id) != FS_OK)
            goto nomem;
    }
    for (size_t i = 0; i < acfg->n_stopword_files; i++)
        if ((st = load_stopword_file(acfg->stopword_files[i], tk, &scratch, keep, &version, &fp,
                                     err)) != FS_OK)
            goto fail;
    for (size_t i = 0; i < acfg->n_stopwords_extra; i++) {
        size_t n;
        const char *w = trim(acfg->stopwords_extra[i], &n);
        uint32_t id;
        if ((st = normalize_word(tk, &scratch, w, n, &term)) != FS_OK)
            goto fail;
        if (!term.len || fs_intern_find(keep, term.data, term.len) != FS_INTERN_NONE)
            continue;
        size_t before = fs_intern_count(tk->stop);
        if (fs_intern_add(tk->stop, term.data, term.len, &id) != FS_OK)
            goto nomem;
        if (fs_intern_count(tk->stop) > before)
            fp += mix64(fs_hash_bytes(term.data, term.len));
    }

    /* Entries are normalized with the finished stopword list (sentence openers use it). */
    for (size_t i = 0; i < acfg->n_aliases; i++)
        if ((st = add_entry(tk, &scratch, acfg->aliases[i].from, acfg->aliases[i].to, &fp)) !=
            FS_OK)
            goto fail;
    for (size_t i = 0; i < acfg->n_phrases; i++)
        if ((st = add_entry(tk, &scratch, acfg->phrases[i], NULL, &fp)) != FS_OK)
            goto fail;
    for (size_t i = 0; i < fs_intern_count(tk->starts); i++)
        sort_start(&tk->start_lists[i], tk->entries);

    tk->version = fs_strbuf_detach(&version);
    if (!tk->version)
        goto nomem;
    tk->fingerprint = mix64(fp);
    *out = tk;
    tk = NULL;
    goto done;
nomem:
    st = fs_error_set(err, FS_ERR_NOMEM, "analysis", "out of memory building the tokenizer");
fail:
    if (st == FS_ERR_NOMEM && err && err->status != FS_ERR_NOMEM)
        fs_error_set(err, FS_ERR_NOMEM, "analysis", "out of memory building the tokenizer");
done:
    fs_tokenizer_free(tk);
    fs_intern_free(keep);
    fs_tokens_free(&scratch);
    fs_strbuf_free(&version);
    fs_strbuf_free(&term);
    return st;
}

void fs_tokenizer_free(fs_tokenizer *tk)
{
    if (!tk)
        return;
    if (tk->start_lists)
        for (size_t i = 0; i < fs_intern_count(tk->starts); i++)
            free(tk->start_lists[i].entries);
    free(tk->start_lists);
    fs_intern_free(tk->starts);
    fs_intern_free(tk->stop);
    fs_intern_free(tk->known);
    fs_arena_free(tk->arena);
    free(tk->entries);
    free(tk->version);
    free(tk);
}

bool fs_tokenizer_is_stopword(const fs_tokenizer *tk, const char *s, size_t len)
{
    return fs_intern_find(tk->stop, s, len) != FS_INTERN_NONE;
}

size_t fs_tokenizer_n_stopwords(const fs_tokenizer *tk)
{
    return fs_intern_count(tk->stop);
}

const char *fs_tokenizer_stopwords_version(const fs_tokenizer *tk)
{
    return tk->version ? tk->version : "";
}

uint64_t fs_tokenizer_fingerprint(const fs_tokenizer *tk)
{
    return tk->fingerprint;
}

char *fs_tokenizer_term_of(const fs_tokenizer *tk, const char *s)
{
    fs_tokens t = FS_TOKENS_INIT;
    fs_strbuf b = FS_STRBUF_INIT;
    char *res = NULL;
    size_t n;
    const char *w = trim(s, &n);
    if (normalize_word(tk, &t, w, n, &b) == FS_OK)
        res = fs_strbuf_detach(&b);
    fs_strbuf_free(&b);
    fs_tokens_free(&t);
    return res;
}
