/* stats_assoc.c: per-source term table with Gries' DP, and collocations (PMI, logDice). */
#include "stats_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "framescope/parallel.h"

/* ======================================= measures ======================================= */

double fs_stats_dp(const double *v, const double *s, size_t n)
{
    double f = 0;
    for (size_t i = 0; i < n; i++)
        f += v[i];
    if (n < 2 || !(f > 0))
        return NAN;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += fabs(v[i] / f - s[i]);
    return 0.5 * sum;
}

double fs_stats_pmi(double count, double count_a, double count_b, double n1, int window)
{
    if (!(count > 0) || !(count_a > 0) || !(count_b > 0) || !(n1 > 0) || window <= 0)
        return NAN;
    return log2(count * n1 / (2.0 * window * count_a * count_b));
}

double fs_stats_log_dice(double count, double count_a, double count_b)
{
    if (!(count_a + count_b > 0))
        return NAN;
    return 14.0 + log2(2.0 * count / (count_a + count_b));
}

/* ================================= term table with DP ================================= */

static int cmp_term_row(const void *x, const void *y)
{
    const fs_term_row *a = x, *b = y;
    if (a->source != b->source)
        return a->source < b->source ? -1 : 1;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->term, b->term);
}

/* With terms in byte order, a source's rows (made in term order) sort by (count desc, position)
 * exactly as by (count desc, term): fs_stats_sort_rows ranks them by count. */
static double term_row_rank(const void *row)
{
    return (double)((const fs_term_row *)row)->count;
}

/* One source's term rows, each source by one task. */
typedef struct disp_job {
    const fs_stats_input *in;
    const size_t *ndocs;  /* counted documents per source */
    const size_t *first;  /* per source: first row */
    bool ordered;         /* terms in strictly ascending byte order */
    double **acc;         /* per worker: n_terms scratch */
    fs_analysis *a;
} disp_job;

static fs_status disp_source(const disp_job *j, size_t s, double *acc)
{
    const fs_stats_input *in = j->in;
    const uint64_t *tf = in->tf + s * in->n_terms;
    double n1 = (double)in->content_tokens[s];
    /* DP over sparse document vectors: documents where the term is absent contribute their
     * share s_i, so 0.5·Σ|v_i/f − s_i| = 0.5·(1 + Σ_{v_i>0}(|v_i/f − s_i| − s_i)). This
     * keeps the cost at the number of non-zero cells, not documents × terms. */
    bool dp_defined = j->ndocs[s] >= 2 && n1 > 0;
    if (dp_defined) {
        memset(acc, 0, in->n_terms * sizeof *acc);
        for (size_t d = 0; d < in->n_docs; d++) {
            const fs_doc_info *di = &in->docs[d];
            if (!di->counted || di->source != s || !in->doc_terms || !in->doc_terms[d])
                continue;
            double share = (double)di->content_tokens / n1;
            for (size_t k = 0; k < in->doc_n[d]; k++) {
                uint32_t t = in->doc_terms[d][k];
                if (t >= in->n_terms || tf[t] == 0)
                    continue;
                double v = (double)in->doc_counts[d][k] / (double)tf[t];
                acc[t] += fabs(v - share) - share;
            }
        }
    }
    fs_term_row *rows = j->a->terms + j->first[s];
    size_t m = 0;
    for (size_t t = 0; t < in->n_terms; t++) {
        if (tf[t] == 0)
            continue;
        fs_term_row *r = &rows[m++];
        bool failed = false;
        r->term = fs_stats_strdup(in->terms[t], &failed);
        if (failed)
            return FS_ERR_NOMEM;
        r->source = s;
        r->count = tf[t];
        r->per_10k = n1 > 0 ? 10000.0 * (double)tf[t] / n1 : NAN;
        r->docs = in->df[s * in->n_terms + t];
        if (dp_defined) {
            double dp = 0.5 * (1.0 + acc[t]);
            r->dp = dp < 0 ? 0 : dp > 1 ? 1 : dp; /* rounding near the ends */
        } else {
            r->dp = NAN;
        }
    }
    return fs_stats_sort_rows(rows, m, sizeof *rows, j->ordered, cmp_term_row, term_row_rank);
}

static fs_status disp_range(void *user, size_t worker, size_t begin, size_t end)
{
    const disp_job *j = user;
    for (size_t s = begin; s < end; s++) {
        fs_status st = disp_source(j, s, j->acc[worker]);
        if (st != FS_OK)
            return st;
    }
    return FS_OK;
}

fs_status fs_stats_dispersion(const fs_stats_input *in, fs_analysis *a, fs_error *err)
{
    fs_status st = FS_OK;
    size_t ns = in->n_sources, nw = fs_parallel_workers(in->ctx, ns, 1);
    size_t *ndocs = calloc(ns ? ns : 1, sizeof *ndocs);
    size_t *first = calloc(ns ? ns : 1, sizeof *first);
    disp_job j = {.in = in, .ndocs = ndocs, .first = first, .a = a,
                  .ordered = fs_stats_terms_ordered(in)};
    j.acc = calloc(nw, sizeof *j.acc);
    size_t rows = 0;
    if (!ndocs || !first || !j.acc)
        goto nomem;
    for (size_t w = 0; w < nw; w++)
        if (!(j.acc[w] = calloc(in->n_terms ? in->n_terms : 1, sizeof *j.acc[w])))
            goto nomem;
    for (size_t d = 0; d < in->n_docs; d++)
        if (in->docs[d].counted && in->docs[d].source < ns)
            ndocs[in->docs[d].source]++;
    for (size_t s = 0; s < ns; s++) {
        first[s] = rows;
        for (size_t t = 0; t < in->n_terms; t++)
            rows += in->tf[s * in->n_terms + t] > 0;
    }
    a->terms = calloc(rows ? rows : 1, sizeof *a->terms);
    if (!a->terms)
        goto nomem;
    a->n_terms = rows; /* rows not yet filled have NULL terms */
    st = fs_parallel_for(in->ctx, ns, 1, disp_range, &j);
    if (st == FS_ERR_INTERRUPTED) {
        st = fs_error_set(err, st, "stats.terms", "interrupted");
        goto done;
    }
    if (st == FS_OK)
        goto done;
nomem:
    st = fs_error_set(err, FS_ERR_NOMEM, "stats.terms", "out of memory");
done:
    for (size_t w = 0; j.acc && w < nw; w++)
        free(j.acc[w]);
    free(j.acc);
    free(ndocs);
    free(first);
    return st;
}

/* ===================================== collocations ===================================== */

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Terms are in byte order, so a focus term's id is found by binary search. */
static long find_term(const fs_stats_input *in, const char *text)
{
    const char *const *hit = bsearch(&text, in->terms, in->n_terms, sizeof *in->terms, cmp_str);
    return hit ? (long)(hit - in->terms) : -1;
}

static int cmp_colloc(const void *x, const void *y)
{
    const fs_colloc_row *a = x, *b = y;
    if (a->source != b->source)
        return a->source < b->source ? -1 : 1;
    int c = strcmp(a->term_a, b->term_a);
    return c ? c : strcmp(a->term_b, b->term_b);
}

/* Collocations are built per source in two passes (count the kept pairs, then fill their rows
 * at the source's offset), each source by one task. */
typedef struct colloc_job {
    const fs_config *cfg;
    const fs_stats_input *in;
    const bool *focus;
    uint64_t min_pair;
    bool ordered;       /* term ids are in strictly ascending byte order of the text */
    size_t *count;      /* per source: rows kept */
    size_t *first;      /* per source: first row */
    bool *sorted;       /* per source: rows come out in table order (no sort needed) */
    fs_analysis *a;
    bool fill;          /* second pass */
} colloc_job;

static bool keep_pair(const colloc_job *j, const fs_stats_pair *pr)
{
    const fs_stats_input *in = j->in;
    if (pr->a >= in->n_terms || pr->b >= in->n_terms || pr->count == 0)
        return false;
    return pr->count >= j->min_pair || j->focus[pr->a] || j->focus[pr->b];
}

/* The pair's ids in byte order of their terms. */
static void pair_order(const colloc_job *j, const fs_stats_pair *pr, uint32_t *lo, uint32_t *hi)
{
    /* Ids are in byte order, but keep the contract explicit should a producer differ. */
    bool swap = j->ordered ? pr->a > pr->b
                           : strcmp(j->in->terms[pr->a], j->in->terms[pr->b]) > 0;
    *lo = swap ? pr->b : pr->a;
    *hi = swap ? pr->a : pr->b;
}

static fs_status colloc_count(colloc_job *j, size_t s)
{
    size_t n = 0;
    bool sorted = j->ordered;
    uint32_t plo = 0, phi = 0;
    for (size_t i = 0; i < j->in->n_pairs[s]; i++) {
        const fs_stats_pair *pr = &j->in->pairs[s][i];
        if (!keep_pair(j, pr))
            continue;
        uint32_t lo, hi;
        pair_order(j, pr, &lo, &hi);
        if (n > 0 && !(lo > plo || (lo == plo && hi > phi)))
            sorted = false;
        plo = lo;
        phi = hi;
        n++;
    }
    j->count[s] = n;
    j->sorted[s] = sorted;
    return FS_OK;
}

static fs_status colloc_fill(colloc_job *j, size_t s)
{
    const fs_stats_input *in = j->in;
    const uint64_t *tf = in->tf + s * in->n_terms;
    double n1 = (double)in->content_tokens[s];
    fs_colloc_row *rows = j->a->colloc + j->first[s];
    size_t n = 0;
    for (size_t i = 0; i < in->n_pairs[s]; i++) {
        const fs_stats_pair *pr = &in->pairs[s][i];
        if (!keep_pair(j, pr))
            continue;
        uint32_t lo, hi;
        pair_order(j, pr, &lo, &hi);
        fs_colloc_row *r = &rows[n++];
        bool failed = false;
        r->term_a = fs_stats_strdup(in->terms[lo], &failed);
        r->term_b = fs_stats_strdup(in->terms[hi], &failed);
        if (failed)
            return FS_ERR_NOMEM;
        r->source = s;
        r->count = pr->count;
        r->count_a = tf[lo];
        r->count_b = tf[hi];
        r->pmi = fs_stats_pmi((double)r->count, (double)r->count_a, (double)r->count_b, n1,
                              j->cfg->analysis.window);
        r->log_dice = fs_stats_log_dice((double)r->count, (double)r->count_a,
                                        (double)r->count_b);
        r->focus = j->focus[pr->a] || j->focus[pr->b];
    }
    /* Rows of one source sort on their own: the table's order is by source first. */
    if (!j->sorted[s] && n > 1)
        qsort(rows, n, sizeof *rows, cmp_colloc);
    return FS_OK;
}

static fs_status colloc_range(void *user, size_t worker, size_t begin, size_t end)
{
    (void)worker;
    colloc_job *j = user;
    for (size_t s = begin; s < end; s++) {
        fs_status st = j->fill ? colloc_fill(j, s) : colloc_count(j, s);
        if (st != FS_OK)
            return st;
    }
    return FS_OK;
}

fs_status fs_stats_colloc(const fs_config *cfg, const fs_stats_input *in, fs_analysis *a,
                          fs_error *err)
{
    fs_status st = FS_OK;
    size_t ns = in->pairs && in->n_pairs ? in->n_sources : 0;
    bool *focus = calloc(in->n_terms ? in->n_terms : 1, sizeof *focus);
    colloc_job j = {.cfg = cfg, .in = in, .focus = focus, .a = a};
    j.count = calloc(ns ? ns : 1, sizeof *j.count);
    j.first = calloc(ns ? ns : 1, sizeof *j.first);
    j.sorted = calloc(ns ? ns : 1, sizeof *j.sorted);
    if (!focus || !j.count || !j.first || !j.sorted)
        goto nomem;
    for (size_t f = 0; f < cfg->analysis.n_focus; f++) {
        long id = find_term(in, cfg->analysis.focus[f]);
        if (id >= 0)
            focus[id] = true;
    }
    j.min_pair = cfg->analysis.min_pair_count > 0 ? (uint64_t)cfg->analysis.min_pair_count : 1;
    j.ordered = fs_stats_terms_ordered(in);

    if ((st = fs_parallel_for(in->ctx, ns, 1, colloc_range, &j)) != FS_OK)
        goto fail;
    size_t rows = 0;
    for (size_t s = 0; s < ns; s++) {
        j.first[s] = rows;
        rows += j.count[s];
    }
    if (rows) {
        a->colloc = calloc(rows, sizeof *a->colloc);
        if (!a->colloc)
            goto nomem;
        a->n_colloc = rows; /* rows not yet filled have NULL terms */
    }
    j.fill = true;
    if ((st = fs_parallel_for(in->ctx, ns, 1, colloc_range, &j)) != FS_OK)
        goto fail;
    goto done;
fail:
    if (st == FS_ERR_INTERRUPTED) {
        st = fs_error_set(err, st, "stats.cooccurrence", "interrupted");
        goto done;
    }
nomem:
    st = fs_error_set(err, FS_ERR_NOMEM, "stats.cooccurrence", "out of memory");
done:
    free(focus);
    free(j.count);
    free(j.first);
    free(j.sorted);
    return st;
}
