/* clean.c: the clean stage's driver: compiles the global and per-source boilerplate rules once,
 * splits every document into lines, applies the explicit rules (drop_lines, cut_from,
 * cut_before, cut_through, drop_blocks), then the generic heuristics (clean_generic.c), writes
 * the cleaned text with its per-rule removal record, and hands over to dedup.c. The rules
 * themselves are compiled and applied in clean_rules.c. */
#include "framescope/clean.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clean_internal.h"
#include "corpus_internal.h"
#include "framescope/parallel.h"
#include "framescope/spool.h"
#include "framescope/utf8.h"
#include "framescope/vec.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Splits `text` into lines (on '\n'); each line's span excludes surrounding white space. A final
 * newline ends the last line rather than starting an empty one. `len` < 4 GiB (clean_line). */
static fs_status split_lines(const char *text, size_t len, clean_lines *d)
{
    size_t n = 0;
    /* memchr runs a word or vector at a time; lines are long enough for that to pay. */
    for (const char *p = text, *e = text + len; p < e && (p = memchr(p, '\n', (size_t)(e - p)));
         p++)
        n++;
    n += len > 0 && text[len - 1] != '\n';
    d->text = text;
    d->n = 0;
    d->lines = calloc(n ? n : 1, sizeof *d->lines);
    if (!d->lines)
        return FS_ERR_NOMEM;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - text) : len;
        size_t b = i, t = e;
        while (b < t && is_space(text[b]))
            b++;
        while (t > b && is_space(text[t - 1]))
            t--;
        clean_line *l = &d->lines[d->n++];
        l->off = (uint32_t)b;
        l->len = (uint32_t)(t - b);
        l->chars = (uint32_t)(fs_utf8_count(text + i, e - i) + (nl ? 1 : 0));
        l->hash = clean_hash(text + b, t - b);
        l->tag = CLEAN_KEPT;
        i = e + 1;
    }
    return FS_OK;
}

/* ---- output ------------------------------------------------------------------------------- */

/* Kept lines of `src` (d->text or a writable copy of it) joined with '\n', blank-line runs
 * collapsed to one, no blank lines at either end, written NUL-terminated to `dst`; returns the
 * length. Kept lines only move left, so `dst` may be `src` itself (overwritten as it is read) or
 * a buffer of clean_raw_end(d) + 1 bytes. */
static size_t join_kept(const clean_lines *d, const char *src, char *dst)
{
    size_t n = 0;
    bool pending_blank = false, same = dst == src;
    for (size_t i = 0; i < d->n; i++) {
        const clean_line *l = &d->lines[i];
        if (l->tag != CLEAN_KEPT)
            continue;
        if (l->len == 0) {
            pending_blank = n > 0;
            continue;
        }
        /* Bytes already in place are not written again: in place over a spooled text, an
         * unchanged page then stays clean (nothing to write back) and is mapped by a cheap
         * read fault. */
        if (n) {
            if (!same || dst[n] != '\n')
                dst[n] = '\n';
            n++;
            if (pending_blank) {
                if (!same || dst[n] != '\n')
                    dst[n] = '\n';
                n++;
            }
        }
        if (dst + n != src + l->off)
            memmove(dst + n, src + l->off, l->len);
        n += l->len;
        pending_blank = false;
    }
    if (!same || dst[n] != '\0')
        dst[n] = '\0';
    return n;
}

/* Where the last line ends in the raw text: join_kept never writes past it. */
static size_t clean_raw_end(const clean_lines *d)
{
    return d->n ? d->lines[d->n - 1].off + d->lines[d->n - 1].len : 0;
}

/* The clean text in a new buffer (the raw text stays as it is). */
static fs_status build_text(const clean_lines *d, fs_clean_doc *out)
{
    char *buf = malloc(clean_raw_end(d) + 1);
    if (!buf)
        return FS_ERR_NOMEM;
    out->len = join_kept(d, d->text, buf);
    out->text = buf;
    out->chars_clean = fs_utf8_count(buf, out->len);
    return FS_OK;
}

/* build_text into the document's own buffer, which is then handed over instead of copied. */
static void build_text_in_place(const clean_lines *d, char *buf, fs_clean_doc *out)
{
    out->len = join_kept(d, buf, buf);
    out->text = buf;
    out->chars_clean = fs_utf8_count(buf, out->len);
}

static fs_status add_removal(fs_clean_doc *cd, const char *rule_name, size_t chars, size_t lines)
{
    fs_removal *nr = realloc(cd->removals, (cd->n_removals + 1) * sizeof *nr);
    if (!nr)
        return FS_ERR_NOMEM;
    cd->removals = nr;
    fs_removal *r = &cd->removals[cd->n_removals];
    r->rule = strdup(rule_name);
    if (!r->rule)
        return FS_ERR_NOMEM;
    r->chars = chars;
    r->lines = lines;
    cd->n_removals++;
    return FS_OK;
}

static const char *const generic_names[CLEAN_GEN_COUNT] = {"generic:repeated", "generic:link",
                                                           "generic:navigation"};

/* The removal record, in slot order (global rules, the source's rules, generic heuristics),
 * then "whitespace": what the output drops besides whole lines (blank-line runs, indentation,
 * trailing spaces, carriage returns), so that chars_raw == chars_clean + sum of removals. */
static fs_status record_removals(const clean_ruleset *rs, const clean_lines *d, size_t source,
                                 size_t chars_raw, int generic_base, size_t *tally_chars,
                                 size_t *tally_lines, fs_clean_doc *cd)
{
    size_t n_slots = (size_t)generic_base + CLEAN_GEN_COUNT;
    memset(tally_chars, 0, n_slots * sizeof *tally_chars);
    memset(tally_lines, 0, n_slots * sizeof *tally_lines);
    size_t removed = 0, blank_dropped = 0;
    for (size_t i = 0; i < d->n; i++) {
        const clean_line *l = &d->lines[i];
        if (l->tag < 0)
            continue;
        tally_chars[l->tag] += l->chars;
        tally_lines[l->tag]++;
        removed += l->chars;
    }
    for (size_t i = 0; i < d->n; i++) /* kept blank lines the output collapsed */
        blank_dropped += d->lines[i].tag == CLEAN_KEPT && d->lines[i].len == 0;
    size_t blank_out = 0; /* "\n\n" pairs of the output; memchr, as in split_lines */
    for (const char *p = cd->text, *e = cd->text + cd->len;
         p + 1 < e && (p = memchr(p, '\n', (size_t)(e - p - 1))); p++)
        blank_out += p[1] == '\n';
    blank_dropped -= blank_out <= blank_dropped ? blank_out : blank_dropped;
    fs_status st = FS_OK;
    size_t ranges[2][2] = {{rs->start[0], rs->start[1]},
                           {rs->start[source + 1], rs->start[source + 2]}};
    for (int r = 0; r < 2 && st == FS_OK; r++)
        for (size_t k = ranges[r][0]; k < ranges[r][1] && st == FS_OK; k++)
            if (tally_lines[k])
                st = add_removal(cd, rs->rules[k].name, tally_chars[k], tally_lines[k]);
    for (int g = 0; g < CLEAN_GEN_COUNT && st == FS_OK; g++)
        if (tally_lines[generic_base + g])
            st = add_removal(cd, generic_names[g], tally_chars[generic_base + g],
                             tally_lines[generic_base + g]);
    size_t ws = chars_raw >= removed + cd->chars_clean ? chars_raw - removed - cd->chars_clean : 0;
    if (st == FS_OK && ws)
        st = add_removal(cd, "whitespace", ws, blank_dropped);
    return st;
}

/* ---- the two passes, in parallel --------------------------------------------------------- */

/* State owned by one worker thread: its match data for every pattern, its removal tallies, its
 * shingle buffer, and the first document it failed on. */
typedef struct clean_worker {
    corpus_rx *rx;          /* 2 per rule: pattern, end marker (code shared, match data own) */
    size_t *tally;          /* 2 * slots */
    uint64_t *scratch;
    size_t scratch_cap;
    size_t fail_doc;        /* SIZE_MAX: none */
    fs_error err;
} clean_worker;

typedef struct clean_job {
    const fs_config *cfg;
    const fs_corpus *corpus;
    fs_corpus *take;
    const clean_ruleset *rs;
    int generic_base, max_words;
    clean_lines *docs;
    fs_clean_result *res;
    clean_dedup_data *dd;
    clean_worker *w;
    size_t n_workers;
} clean_job;

static fs_status worker_init(clean_worker *w, const clean_ruleset *rs, size_t n_slots)
{
    memset(w, 0, sizeof *w);
    w->fail_doc = SIZE_MAX;
    w->rx = calloc(2 * rs->n + 1, sizeof *w->rx);
    w->tally = calloc(2 * n_slots, sizeof *w->tally);
    if (!w->rx || !w->tally)
        return FS_ERR_NOMEM;
    /* A compiled pattern (and its JIT code) may be shared by threads; match data may not. */
    for (size_t k = 0; k < rs->n; k++) {
        const corpus_rx *src[2] = {&rs->rules[k].rx, &rs->rules[k].end};
        for (int e = 0; e < 2; e++) {
            corpus_rx *dst = &w->rx[2 * k + (size_t)e];
            *dst = *src[e];
            dst->md = NULL;
            if (dst->code &&
                !(dst->md = pcre2_match_data_create_from_pattern(dst->code, NULL)))
                return FS_ERR_NOMEM;
        }
    }
    return FS_OK;
}

static void worker_free(clean_worker *w, const clean_ruleset *rs)
{
    if (w->rx)
        for (size_t k = 0; k < 2 * rs->n; k++)
            pcre2_match_data_free(w->rx[k].md); /* code and context belong to the rule set */
    free(w->rx);
    free(w->tally);
    free(w->scratch);
}

static fs_status worker_fail(clean_worker *w, size_t doc, fs_status st)
{
    if (doc < w->fail_doc)
        w->fail_doc = doc;
    return st;
}

/* Drops the texts of documents [begin, end) from the resident set: each pass evicts behind
 * itself, chunk by chunk, so that cleaning never holds a large corpus in memory. */
static void evict_texts(fs_spool *sp, const fs_corpus *corpus, const fs_clean_result *res,
                        size_t begin, size_t end)
{
    if (!sp)
        return;
    const char *lo = NULL, *hi = NULL;
    for (size_t i = begin; i < end; i++) {
        const char *t = res && res->docs[i].text ? res->docs[i].text : corpus->docs[i].text;
        size_t len = res && res->docs[i].text ? res->docs[i].len : corpus->docs[i].len;
        if (!t)
            continue;
        if (!lo || t < lo)
            lo = t;
        if (!hi || t + len > hi)
            hi = t + len;
    }
    if (lo)
        fs_spool_evict(sp, lo, (size_t)(hi - lo));
}

/* First pass, per document: lines, explicit rules, the per-document heuristics. */
static fs_status lines_range(void *user, size_t worker, size_t begin, size_t end)
{
    clean_job *j = user;
    clean_worker *w = &j->w[worker];
    const clean_ruleset *rs = j->rs;
    fs_status st = FS_OK;
    for (size_t i = begin; i < end && st == FS_OK; i++) {
        const fs_doc *doc = &j->corpus->docs[i];
        if (doc->len > UINT32_MAX) {
            st = worker_fail(w, i, fs_error_set(&w->err, FS_ERR_INPUT, doc->id,
                                                "document over 4 GiB: too large to clean"));
            break;
        }
        if (split_lines(doc->text, doc->len, &j->docs[i]) != FS_OK) {
            st = worker_fail(w, i, fs_error_set(&w->err, FS_ERR_NOMEM, doc->id, "out of memory"));
            break;
        }
        size_t ranges[2][2] = {{rs->start[0], rs->start[1]},
                               {rs->start[doc->source + 1], rs->start[doc->source + 2]}};
        for (int r = 0; r < 2 && st == FS_OK; r++)
            for (size_t k = ranges[r][0]; k < ranges[r][1] && st == FS_OK; k++)
                if ((st = clean_apply_rule(&rs->rules[k], &w->rx[2 * k], &w->rx[2 * k + 1], (int)k,
                                     &j->docs[i], &w->err)) != FS_OK) {
                    /* say which document tripped the limit, keep the rule's name */
                    snprintf(w->err.msg + strlen(w->err.msg),
                             sizeof w->err.msg - strlen(w->err.msg), " (document %s)", doc->id);
                    worker_fail(w, i, st);
                }
        if (st == FS_OK && j->cfg->clean.generic &&
            clean_generic_classify(&j->docs[i], j->max_words) != FS_OK)
            st = worker_fail(w, i, fs_error_set(&w->err, FS_ERR_NOMEM, doc->id, "out of memory"));
    }
    evict_texts(j->corpus->spool, j->corpus, NULL, begin, end);
    return st;
}

/* Second pass, per document: final tags, the clean text (over the raw one when taking), the
 * removal record, the document's dedup data while its clean text is in cache; then its lines
 * are freed. */
static fs_status text_range(void *user, size_t worker, size_t begin, size_t end)
{
    clean_job *j = user;
    clean_worker *w = &j->w[worker];
    const clean_ruleset *rs = j->rs;
    size_t n_slots = rs->n + CLEAN_GEN_COUNT;
    fs_status st = FS_OK;
    for (size_t i = begin; i < end && st == FS_OK; i++) {
        clean_lines *d = &j->docs[i];
        fs_clean_doc *cd = &j->res->docs[i];
        const fs_doc *doc = &j->corpus->docs[i];
        for (size_t l = 0; l < d->n; l++)
            d->lines[l].tag = clean_final_tag(d->lines[l].tag, j->generic_base);
        if (j->take && j->take->docs[i].text) {
            build_text_in_place(d, j->take->docs[i].text, cd);
            j->take->docs[i].text = NULL; /* now cd->text */
            d->text = NULL;
        }
        if ((!cd->text && build_text(d, cd) != FS_OK) ||
            record_removals(rs, d, doc->source, doc->chars_raw, j->generic_base, w->tally,
                            w->tally + n_slots, cd) != FS_OK ||
            (cd->len > 0 && clean_dedup_doc(j->dd, i, cd->text, cd->len, &w->scratch,
                                            &w->scratch_cap) != FS_OK)) {
            st = worker_fail(w, i, fs_error_set(&w->err, FS_ERR_NOMEM, doc->id, "out of memory"));
            break;
        }
        cd->excluded = cd->len == 0;
        free(d->lines);
        d->lines = NULL;
    }
    evict_texts(j->corpus->spool, j->corpus, j->res, begin, end);
    return st;
}

/* Documents per parallel chunk: about 4 MiB of text, so that a chunk's eviction covers whole
 * 2 MiB spool blocks and the other threads' documents rarely share them; but at least four
 * chunks per thread, so that a small corpus is shared out too. */
static size_t chunk_docs(const fs_ctx *ctx, const fs_corpus *corpus)
{
    size_t total = 0;
    for (size_t i = 0; i < corpus->n_docs; i++)
        total += corpus->docs[i].len;
    size_t avg = corpus->n_docs ? total / corpus->n_docs + 1 : 1;
    size_t c = ((size_t)4 << 20) / avg;
    size_t threads = ctx && ctx->threads > 1 ? (size_t)ctx->threads : 1;
    if (c > corpus->n_docs / (4 * threads))
        c = corpus->n_docs / (4 * threads);
    return c < 8 ? 8 : c;
}

/* Runs one pass; on failure the error of the lowest failing document, as a sequential run
 * would report it. */
static fs_status run_pass(const fs_ctx *ctx, clean_job *j, size_t chunk, fs_range_fn fn,
                          fs_error *err)
{
    fs_status st = fs_parallel_for(ctx, j->corpus->n_docs, chunk, fn, j);
    if (st == FS_OK)
        return FS_OK;
    const clean_worker *first = NULL;
    for (size_t k = 0; k < j->n_workers; k++)
        if (j->w[k].fail_doc != SIZE_MAX && (!first || j->w[k].fail_doc < first->fail_doc))
            first = &j->w[k];
    if (first && err)
        *err = first->err;
    else if (!first)
        fs_error_set(err, st, "clean", st == FS_ERR_INTERRUPTED ? "interrupted" : "failed");
    return first ? first->err.status : st;
}

/* ---- public API --------------------------------------------------------------------------- */

/* `take`: the same corpus, writable: each document's text buffer becomes its clean text. */
static fs_status clean_run(const fs_config *cfg, const fs_ctx *ctx, const fs_corpus *corpus,
                           fs_corpus *take, fs_clean_result **out, fs_error *err)
{
    *out = NULL;
    fs_status st = FS_OK;
    clean_ruleset rs;
    clean_dedup_data dd = {0};
    clean_job job = {0};
    size_t n = corpus->n_docs;
    size_t chunk = chunk_docs(ctx, corpus);
    fs_clean_result *res = calloc(1, sizeof *res);
    if ((st = clean_ruleset_build(cfg, &rs, err)) != FS_OK)
        goto done;
    job = (clean_job){.cfg = cfg, .corpus = corpus, .take = take, .rs = &rs,
                      .generic_base = (int)rs.n,
                      .max_words = cfg->clean.nav_max_words > 0 ? cfg->clean.nav_max_words : 4,
                      .res = res, .dd = &dd, .n_workers = fs_parallel_workers(ctx, n, chunk)};
    job.docs = calloc(n ? n : 1, sizeof *job.docs);
    job.w = calloc(job.n_workers, sizeof *job.w);
    if (!res || !job.docs || !job.w || clean_dedup_init(&dd, cfg, n, CLEAN_DEDUP_EXACT_MAX)) {
        st = fs_error_set(err, FS_ERR_NOMEM, "clean", "out of memory");
        goto done;
    }
    for (size_t k = 0; k < job.n_workers; k++)
        if (worker_init(&job.w[k], &rs, rs.n + CLEAN_GEN_COUNT) != FS_OK) {
            st = fs_error_set(err, FS_ERR_NOMEM, "clean", "out of memory");
            goto done;
        }
    res->docs = calloc(n ? n : 1, sizeof *res->docs);
    if (!res->docs) {
        st = fs_error_set(err, FS_ERR_NOMEM, "clean", "out of memory");
        goto done;
    }
    res->n_docs = n;
    /* Taking a spooled corpus's texts: the clean texts are written over them, in the spool. */
    res->spool = take ? take->spool : NULL;
    for (size_t i = 0; i < n; i++)
        res->docs[i].duplicate_of = -1;
    if ((st = run_pass(ctx, &job, chunk, lines_range, err)) != FS_OK)
        goto done;
    if (cfg->clean.generic &&
        clean_generic_repeated(corpus, job.docs, job.generic_base + CLEAN_GEN_REPEATED, ctx) !=
            FS_OK) {
        st = fs_error_set(err, FS_ERR_NOMEM, "clean", "out of memory");
        goto done;
    }
    if ((st = run_pass(ctx, &job, chunk, text_range, err)) != FS_OK)
        goto done;
    for (size_t i = 0; i < n; i++)
        if (res->docs[i].excluded)
            fs_log(ctx, FS_LOG_WARN, "%s: nothing left after cleaning; not counted",
                   corpus->docs[i].path);
    if ((st = clean_dedup_finish(&dd, cfg, ctx, corpus, res, err)) != FS_OK)
        goto done;
    *out = res;
    res = NULL;
done:
    if (job.docs)
        for (size_t i = 0; i < n; i++)
            free(job.docs[i].lines);
    free(job.docs);
    if (job.w)
        for (size_t k = 0; k < job.n_workers; k++)
            worker_free(&job.w[k], &rs);
    free(job.w);
    clean_dedup_data_free(&dd);
    clean_ruleset_free(&rs);
    fs_clean_free(res);
    return st;
}

fs_status fs_clean_run(const fs_config *cfg, const fs_ctx *ctx, const fs_corpus *corpus,
                       fs_clean_result **out, fs_error *err)
{
    return clean_run(cfg, ctx, corpus, NULL, out, err);
}

fs_status fs_clean_run_take(const fs_config *cfg, const fs_ctx *ctx, fs_corpus *corpus,
                            fs_clean_result **out, fs_error *err)
{
    return clean_run(cfg, ctx, corpus, corpus, out, err);
}

void fs_clean_free(fs_clean_result *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->n_docs; i++) {
        fs_clean_doc *d = &res->docs[i];
        if (!res->spool)
            free(d->text);
        for (size_t k = 0; k < d->n_removals; k++)
            free(d->removals[k].rule);
        free(d->removals);
    }
    free(res->docs);
    free(res->pairs);
    free(res);
}
