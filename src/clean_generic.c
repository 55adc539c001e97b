/* clean_generic.c: boilerplate heuristics that need no per-source configuration: lines
 * repeated across an outlet's documents (or within one document), link-only lines, and short
 * navigation-like lines (menus, badges, bylines without a sentence, breadcrumbs). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clean_internal.h"
#include "framescope/intern.h"
#include "framescope/parallel.h"
#include "framescope/utf8.h"

/* ---- line classifiers --------------------------------------------------------------------- */

static bool is_ws(int32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == 0xA0 || cp == 0x2007 || cp == 0x202F;
}

/* Menu bullets and dashes that start list items ("• Politics", "- Korea Herald"). */
static bool is_bullet(int32_t cp)
{
    return cp == 0x2022 || cp == 0x00B7 || cp == 0x25AA || cp == 0x25BA || cp == 0x2023 ||
           cp == 0x25E6 || cp == '-' || cp == '*' || cp == 0x2013 || cp == 0x2014 || cp == '|' ||
           cp == '>';
}

/* Characters that may follow a sentence's final mark: closing quotes and brackets. */
static bool is_closer(int32_t cp)
{
    return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0x2019 || cp == 0x201D ||
           cp == 0x00BB || cp == 0x203A;
}

static bool is_final_mark(int32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || cp == 0x3002;
}

bool clean_is_nav_line_slow(const char *s, size_t len, int max_words)
{
    size_t i = 0;
    int32_t cp;
    /* Skip one leading bullet when it stands apart from the text. */
    if (len) {
        size_t n = fs_utf8_decode(s, len, &cp);
        int32_t next = ' ';
        if (n < len)
            fs_utf8_decode(s + n, len - n, &next);
        if (is_bullet(cp) && is_ws(next))
            i = n;
    }
    size_t words = 0, seps = 0;
    bool in_token = false, token_alnum = false;
    int32_t last = 0; /* last code point that is not white space or a closer */
    while (i < len) {
        i += fs_utf8_decode(s + i, len - i, &cp);
        if (is_ws(cp)) {
            words += in_token && token_alnum;
            in_token = token_alnum = false;
            continue;
        }
        in_token = true;
        token_alnum |= fs_utf8_is_alnum(cp) != 0;
        seps += cp == 0x00BB || cp == 0x203A || cp == '>';
        if (!is_closer(cp))
            last = cp;
    }
    words += in_token && token_alnum;
    if (seps >= 2 && words <= 20)
        return true; /* breadcrumb: "Latest Discussions»Issue Forums»Foreign Affairs»…" */
    if (words == 0)
        return true; /* "#", "•", "***": no word at all */
    return words <= (size_t)max_words && !is_final_mark(last);
}

/* ASCII classes for clean_is_nav_line's fast path, as a constant table (is_ws, the ASCII
 * alphanumerics, is_closer, the '>' separator); non-ASCII code points take the general path, so
 * the two agree by construction. */
enum { NC_WS = 1, NC_ALNUM = 2, NC_CLOSER = 4, NC_SEP = 8 };

#define NC_OF(b)                                                                              \
    (((b) == ' ' || (b) == '\t' || (b) == '\r' ? NC_WS : 0) |                                  \
     (((b) >= '0' && (b) <= '9') || ((b) >= 'a' && (b) <= 'z') || ((b) >= 'A' && (b) <= 'Z')    \
          ? NC_ALNUM : 0) |                                                                   \
     ((b) == '"' || (b) == '\'' || (b) == ')' || (b) == ']' ? NC_CLOSER : 0) |                 \
     ((b) == '>' ? NC_SEP : 0))
#define NC_R4(b) NC_OF(b), NC_OF((b) + 1), NC_OF((b) + 2), NC_OF((b) + 3)
#define NC_R16(b) NC_R4(b), NC_R4((b) + 4), NC_R4((b) + 8), NC_R4((b) + 12)
#define NC_R64(b) NC_R16(b), NC_R16((b) + 16), NC_R16((b) + 32), NC_R16((b) + 48)

static const unsigned char nav_class[128] = {NC_R64(0), NC_R64(64)};

/* Most lines of a corpus are paragraphs: ASCII bytes are classified without decoding, and the
 * scan stops once the line has more words than any verdict other than "not navigation" allows
 * (a breadcrumb has at most 20, a short line at most max_words). */
bool clean_is_nav_line(const char *s, size_t len, int max_words)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    int32_t cp;
    if (len) {
        size_t n = fs_utf8_decode(s, len, &cp);
        int32_t next = ' ';
        if (n < len)
            fs_utf8_decode(s + n, len - n, &next);
        if (is_bullet(cp) && is_ws(next))
            i = n;
    }
    size_t limit = max_words > 20 ? (size_t)max_words : 20;
    size_t words = 0, seps = 0;
    bool in_token = false, token_alnum = false;
    int32_t last = 0;
    while (i < len) {
        unsigned char c;
        if (u[i] < 0x80) {
            cp = u[i++];
            c = nav_class[cp];
        } else {
            i += fs_utf8_decode(s + i, len - i, &cp);
            c = (unsigned char)((is_ws(cp) ? NC_WS : 0) | (fs_utf8_is_alnum(cp) ? NC_ALNUM : 0) |
                                (is_closer(cp) ? NC_CLOSER : 0) |
                                (cp == 0x00BB || cp == 0x203A ? NC_SEP : 0));
        }
        if (c & NC_WS) {
            if (in_token && token_alnum && ++words > limit)
                return false;
            in_token = token_alnum = false;
            continue;
        }
        in_token = true;
        token_alnum |= (c & NC_ALNUM) != 0;
        seps += (c & NC_SEP) != 0;
        if (!(c & NC_CLOSER))
            last = cp;
    }
    words += in_token && token_alnum;
    if (seps >= 2 && words <= 20)
        return true;
    if (words == 0)
        return true;
    return words <= (size_t)max_words && !is_final_mark(last);
}

bool clean_is_link_line(const char *s, size_t len)
{
    if (len >= 2 && ((s[0] == '<' && s[len - 1] == '>') || (s[0] == '(' && s[len - 1] == ')') ||
                     (s[0] == '[' && s[len - 1] == ']'))) {
        s++;
        len -= 2;
    }
    static const char *const schemes[] = {"http://", "https://", "www."};
    bool url = false;
    for (size_t k = 0; k < 3 && !url; k++) {
        size_t n = strlen(schemes[k]);
        url = len > n && strncasecmp(s, schemes[k], n) == 0;
    }
    if (!url)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] == ' ' || s[i] == '\t')
            return false;
    return true;
}

/* ---- repeated lines ----------------------------------------------------------------------- */

typedef struct occ {
    uint64_t group, hash;
    size_t doc;
} occ;

typedef struct key_count {
    uint64_t group, hash;
    size_t docs;   /* documents of the group holding the line */
    size_t free;   /* of those, documents that are not mostly shared */
} key_count;

static int cmp_occ(const void *a, const void *b)
{
    const occ *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->doc < y->doc ? -1 : x->doc > y->doc;
}

static key_count *find_key(key_count *keys, size_t n, uint64_t group, uint64_t hash)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        key_count *k = &keys[mid];
        if (k->group < group || (k->group == group && k->hash < hash))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && keys[lo].group == group && keys[lo].hash == hash ? &keys[lo] : NULL;
}

static uint64_t group_of(const fs_doc *d)
{
    if (d->outlet)
        return fs_hash_bytes(d->outlet, strlen(d->outlet));
    char buf[48];
    int n = snprintf(buf, sizeof buf, "\x01source:%zu", d->source);
    return fs_hash_bytes(buf, (size_t)n);
}

fs_status clean_generic_repeated_slow(const fs_corpus *corpus, clean_lines *docs, int rep_slot,
                                      const fs_ctx *ctx)
{
    size_t n_occ = 0;
    for (size_t d = 0; d < corpus->n_docs; d++)
        for (size_t i = 0; i < docs[d].n; i++)
            n_occ += docs[d].lines[i].tag < 0 && docs[d].lines[i].len > 0;
    if (n_occ == 0)
        return FS_OK;
    fs_status st = FS_OK;
    occ *occs = malloc(n_occ * sizeof *occs);
    key_count *keys = malloc(n_occ * sizeof *keys);
    bool *mostly_shared = calloc(corpus->n_docs, sizeof *mostly_shared);
    if (!occs || !keys || !mostly_shared) {
        st = FS_ERR_NOMEM;
        goto done;
    }
    size_t k = 0;
    for (size_t d = 0; d < corpus->n_docs; d++) {
        uint64_t g = group_of(&corpus->docs[d]);
        for (size_t i = 0; i < docs[d].n; i++)
            if (docs[d].lines[i].tag < 0 && docs[d].lines[i].len > 0)
                occs[k++] = (occ){g, docs[d].lines[i].hash, d};
    }
    qsort(occs, n_occ, sizeof *occs, cmp_occ);
    /* Distinct (group, line, document), then one key per (group, line) with its document count. */
    size_t m = 0;
    for (size_t i = 0; i < n_occ; i++)
        if (m == 0 || cmp_occ(&occs[i], &occs[m - 1]) != 0)
            occs[m++] = occs[i];
    size_t n_keys = 0;
    for (size_t i = 0; i < m; i++) {
        if (n_keys && keys[n_keys - 1].group == occs[i].group && keys[n_keys - 1].hash == occs[i].hash) {
            keys[n_keys - 1].docs++;
        } else {
            keys[n_keys++] = (key_count){occs[i].group, occs[i].hash, 1, 0};
        }
    }
    for (size_t d = 0; d < corpus->n_docs; d++) {
        uint64_t g = group_of(&corpus->docs[d]);
        size_t shared = 0, total = 0;
        for (size_t i = 0; i < docs[d].n; i++) {
            const clean_line *l = &docs[d].lines[i];
            if (l->tag >= 0 || l->len == 0)
                continue;
            total += l->chars;
            key_count *kc = find_key(keys, n_keys, g, l->hash);
            if (kc && kc->docs >= 2)
                shared += l->chars;
        }
        mostly_shared[d] = 2 * shared > total;
    }
    for (size_t i = 0; i < m; i++)
        if (!mostly_shared[occs[i].doc])
            find_key(keys, n_keys, occs[i].group, occs[i].hash)->free++;
    size_t removed = 0;
    for (size_t d = 0; d < corpus->n_docs; d++) {
        uint64_t g = group_of(&corpus->docs[d]);
        for (size_t i = 0; i < docs[d].n; i++) {
            clean_line *l = &docs[d].lines[i];
            if (l->tag >= 0 || l->len == 0)
                continue;
            key_count *kc = find_key(keys, n_keys, g, l->hash);
            if (kc && kc->free >= 2) {
                l->tag = rep_slot;
                removed++;
            }
        }
    }
    fs_log(ctx, FS_LOG_DEBUG, "clean: %zu lines repeated across documents of an outlet", removed);
done:
    free(occs);
    free(keys);
    free(mostly_shared);
    return st;
}

/* ---- repeated lines, hashed ---------------------------------------------------------------- */

/* The sort-and-search version above is serial and its binary searches miss the cache on every
 * line; this one counts (group, line) keys in hash tables, one per partition of the keys, each
 * filled by one thread, and then works per document in parallel through each line's key index.
 * The counts are exact, so the verdicts are those of clean_generic_repeated_slow. */

typedef struct rep_key {
    uint64_t group, hash;
    uint32_t docs;   /* documents of the group holding the line */
    uint32_t shared; /* of those, documents that are mostly shared */
    uint32_t last;   /* 1 + the last document counted in docs */
    uint32_t mark;   /* 1 + the last document counted in shared */
} rep_key;

typedef struct rep_job {
    const clean_lines *docs;
    size_t n_docs, n_parts;
    const uint64_t *gmix;  /* per document: its group, and that group mixed for hashing */
    const uint64_t *group;
    const size_t *first;   /* per document: index of its first occurrence (n_docs + 1) */
    const size_t *base;    /* per partition: its first key index (n_parts + 1) */
    const size_t *mask;    /* per partition: slot mask */
    uint32_t **slots;      /* per partition: 1 + key index, 0 empty */
    rep_key *keys;
    uint32_t *ref;         /* per occurrence: its key's index */
    bool *mostly;
    size_t *removed;       /* per worker */
    int rep_slot;
} rep_job;

static bool rep_line(const clean_line *l)
{
    return l->tag < 0 && l->len > 0;
}

static uint64_t rep_mix(uint64_t gmix, uint64_t hash)
{
    return fs_hash_mix(hash ^ gmix, 0x9E3779B97F4A7C15ull);
}

/* Partition by the high bits, slot by the low ones: independent within a partition. */
static size_t rep_part(uint64_t h, size_t n_parts)
{
    return (size_t)((h >> 40) % n_parts);
}

static fs_status rep_insert_range(void *user, size_t worker, size_t begin, size_t end)
{
    (void)worker;
    rep_job *j = user;
    for (size_t p = begin; p < end; p++) {
        uint32_t *slots = j->slots[p];
        size_t mask = j->mask[p], n = 0;
        rep_key *keys = j->keys + j->base[p];
        for (size_t d = 0; d < j->n_docs; d++) {
            size_t k = j->first[d];
            for (size_t i = 0; i < j->docs[d].n; i++) {
                const clean_line *l = &j->docs[d].lines[i];
                if (!rep_line(l))
                    continue;
                uint64_t h = rep_mix(j->gmix[d], l->hash);
                if (rep_part(h, j->n_parts) != p) {
                    k++;
                    continue;
                }
                size_t s = (size_t)h & mask;
                while (slots[s] && (keys[slots[s] - 1].hash != l->hash ||
                                    keys[slots[s] - 1].group != j->group[d]))
                    s = (s + 1) & mask;
                if (!slots[s]) {
                    keys[n] = (rep_key){j->group[d], l->hash, 0, 0, 0, 0};
                    slots[s] = (uint32_t)++n;
                }
                rep_key *kc = &keys[slots[s] - 1];
                if (kc->last != d + 1) {
                    kc->last = (uint32_t)(d + 1);
                    kc->docs++;
                }
                j->ref[k++] = (uint32_t)(j->base[p] + slots[s] - 1);
            }
        }
    }
    return FS_OK;
}

static fs_status rep_shared_range(void *user, size_t worker, size_t begin, size_t end)
{
    (void)worker;
    rep_job *j = user;
    for (size_t d = begin; d < end; d++) {
        size_t shared = 0, total = 0, k = j->first[d];
        for (size_t i = 0; i < j->docs[d].n; i++) {
            const clean_line *l = &j->docs[d].lines[i];
            if (!rep_line(l))
                continue;
            total += l->chars;
            if (j->keys[j->ref[k++]].docs >= 2)
                shared += l->chars;
        }
        j->mostly[d] = 2 * shared > total;
    }
    return FS_OK;
}

static fs_status rep_mark_range(void *user, size_t worker, size_t begin, size_t end)
{
    rep_job *j = user;
    for (size_t d = begin; d < end; d++) {
        size_t k = j->first[d];
        for (size_t i = 0; i < j->docs[d].n; i++) {
            clean_line *l = &j->docs[d].lines[i];
            if (!rep_line(l))
                continue;
            const rep_key *kc = &j->keys[j->ref[k++]];
            if (kc->docs - kc->shared >= 2) {
                l->tag = j->rep_slot;
                j->removed[worker]++;
            }
        }
    }
    return FS_OK;
}

fs_status clean_generic_repeated(const fs_corpus *corpus, clean_lines *docs, int rep_slot,
                                 const fs_ctx *ctx)
{
    size_t n_docs = corpus->n_docs, n_occ = 0;
    for (size_t d = 0; d < n_docs; d++)
        for (size_t i = 0; i < docs[d].n; i++)
            n_occ += rep_line(&docs[d].lines[i]);
    if (n_occ == 0)
        return FS_OK;
    /* 32-bit key indexes and document stamps keep a key at 32 bytes; a corpus beyond them
     * takes the general path. */
    if (n_occ >= UINT32_MAX / 2 || n_docs >= UINT32_MAX)
        return clean_generic_repeated_slow(corpus, docs, rep_slot, ctx);
    size_t n_parts = fs_parallel_workers(ctx, 2, 1);
    size_t nw = fs_parallel_workers(ctx, n_docs, 64);
    rep_job j = {.docs = docs, .n_docs = n_docs, .n_parts = n_parts, .rep_slot = rep_slot};
    uint64_t *gmix = malloc(2 * n_docs * sizeof *gmix);
    size_t *first = malloc((n_docs + 1) * sizeof *first);
    size_t *sizes = calloc(3 * n_parts + 1, sizeof *sizes); /* counts, base, mask */
    uint32_t **slots = calloc(n_parts, sizeof *slots);
    j.keys = malloc(n_occ * sizeof *j.keys);
    j.ref = malloc(n_occ * sizeof *j.ref);
    j.mostly = calloc(n_docs, sizeof *j.mostly);
    j.removed = calloc(nw, sizeof *j.removed);
    fs_status st = FS_OK;
    if (!gmix || !first || !sizes || !slots || !j.keys || !j.ref || !j.mostly ||
        !j.removed) {
        st = FS_ERR_NOMEM;
        goto done;
    }
    size_t *count = sizes, *base = sizes + n_parts, *mask = sizes + 2 * n_parts + 1;
    size_t k = 0;
    for (size_t d = 0; d < n_docs; d++) {
        gmix[n_docs + d] = group_of(&corpus->docs[d]);
        gmix[d] = fs_hash_mix(gmix[n_docs + d], 0xC2B2AE3D27D4EB4Full);
        first[d] = k;
        for (size_t i = 0; i < docs[d].n; i++)
            if (rep_line(&docs[d].lines[i])) {
                count[rep_part(rep_mix(gmix[d], docs[d].lines[i].hash), n_parts)]++;
                k++;
            }
    }
    first[n_docs] = k;
    for (size_t p = 0; p < n_parts; p++) {
        base[p + 1] = base[p] + count[p];
        size_t cap = 16;
        while (cap < 2 * count[p])
            cap *= 2;
        mask[p] = cap - 1;
        if (!(slots[p] = calloc(cap, sizeof *slots[p]))) {
            st = FS_ERR_NOMEM;
            goto done;
        }
    }
    j.gmix = gmix;
    j.group = gmix + n_docs;
    j.first = first;
    j.base = base;
    j.mask = mask;
    j.slots = slots;
    if ((st = fs_parallel_for(ctx, n_parts, 1, rep_insert_range, &j)) != FS_OK ||
        (st = fs_parallel_for(ctx, n_docs, 64, rep_shared_range, &j)) != FS_OK)
        goto done;
    /* Few documents are mostly shared: their keys are counted serially. */
    for (size_t d = 0; d < n_docs; d++) {
        if (!j.mostly[d])
            continue;
        for (size_t o = first[d]; o < first[d + 1]; o++) {
            rep_key *kc = &j.keys[j.ref[o]];
            if (kc->mark != d + 1) {
                kc->mark = (uint32_t)(d + 1);
                kc->shared++;
            }
        }
    }
    if ((st = fs_parallel_for(ctx, n_docs, 64, rep_mark_range, &j)) != FS_OK)
        goto done;
    size_t removed = 0;
    for (size_t w = 0; w < nw; w++)
        removed += j.removed[w];
    fs_log(ctx, FS_LOG_DEBUG, "clean: %zu lines repeated across documents of an outlet", removed);
done:
    if (slots)
        for (size_t p = 0; p < n_parts; p++)
            free(slots[p]);
    free(slots);
    free(gmix);
    free(first);
    free(sizes);
    free(j.keys);
    free(j.ref);
    free(j.mostly);
    free(j.removed);
    return st;
}

typedef struct hash_pos {
    uint64_t hash;
    size_t line;
} hash_pos;

static int cmp_hash_pos(const void *a, const void *b)
{
    const hash_pos *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* Later copies of a line within one document (a headline printed twice, a repeated teaser)
 * become CLEAN_PEND_REP, then link and navigation lines are marked. Deciding this before the
 * cross-document step gives the same lines as after it: that step takes all the lines of one
 * hash in a document or none, and a line it takes is reported as repeated either way. */
fs_status clean_generic_classify(clean_lines *d, int max_words)
{
    if (d->n >= 2) {
        hash_pos *hp = malloc(d->n * sizeof *hp);
        if (!hp)
            return FS_ERR_NOMEM;
        size_t m = 0;
        for (size_t i = 0; i < d->n; i++)
            if (d->lines[i].tag == CLEAN_KEPT && d->lines[i].len > 0)
                hp[m++] = (hash_pos){d->lines[i].hash, i};
        qsort(hp, m, sizeof *hp, cmp_hash_pos);
        for (size_t i = 1; i < m; i++) {
            if (hp[i].hash != hp[i - 1].hash)
                continue;
            const clean_line *a = &d->lines[hp[i - 1].line];
            clean_line *b = &d->lines[hp[i].line];
            /* Same hash: confirm the bytes, a collision must not delete a line. */
            if (a->len == b->len && memcmp(d->text + a->off, d->text + b->off, a->len) == 0)
                b->tag = CLEAN_PEND_REP;
        }
        free(hp);
    }
    for (size_t i = 0; i < d->n; i++) {
        clean_line *l = &d->lines[i];
        if (l->tag != CLEAN_KEPT || l->len == 0)
            continue;
        const char *s = d->text + l->off;
        if (clean_is_link_line(s, l->len))
            l->tag = CLEAN_PEND_LINK;
        else if (clean_is_nav_line(s, l->len, max_words))
            l->tag = CLEAN_PEND_NAV;
    }
    return FS_OK;
}
