/* stats_assoc.c: per-source term table with Gries' DP, and collocations (PMI, logDice). */
#include "stats_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

fs_status fs_stats_dispersion(const fs_stats_input *in, fs_analysis *a, fs_error *err)
{
    fs_status st = FS_OK;
    double *acc = NULL;
    size_t *ndocs = calloc(in->n_sources ? in->n_sources : 1, sizeof *ndocs);
    size_t rows = 0;
    if (!ndocs)
        goto nomem;
    for (size_t d = 0; d < in->n_docs; d++)
        if (in->docs[d].counted && in->docs[d].source < in->n_sources)
            ndocs[in->docs[d].source]++;
    for (size_t i = 0; i < in->n_sources * in->n_terms; i++)
        rows += in->tf[i] > 0;
    a->terms = calloc(rows ? rows : 1, sizeof *a->terms);
    acc = calloc(in->n_terms ? in->n_terms : 1, sizeof *acc);
    if (!a->terms || !acc)
        goto nomem;

    for (size_t s = 0; s < in->n_sources; s++) {
        const uint64_t *tf = in->tf + s * in->n_terms;
        double n1 = (double)in->content_tokens[s];
        /* DP over sparse document vectors: documents where the term is absent contribute their
         * share s_i, so 0.5·Σ|v_i/f − s_i| = 0.5·(1 + Σ_{v_i>0}(|v_i/f − s_i| − s_i)). This
         * keeps the cost at the number of non-zero cells, not documents × terms. */
        bool dp_defined = ndocs[s] >= 2 && n1 > 0;
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
        for (size_t t = 0; t < in->n_terms; t++) {
            if (tf[t] == 0)
                continue;
            fs_term_row *r = &a->terms[a->n_terms];
            bool failed = false;
            r->term = fs_stats_strdup(in->terms[t], &failed);
            if (failed)
                goto nomem;
            a->n_terms++;
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
    }
    qsort(a->terms, a->n_terms, sizeof *a->terms, cmp_term_row);
    goto done;
nomem:
    st = fs_error_set(err, FS_ERR_NOMEM, "stats.terms", "out of memory");
done:
    free(acc);
    free(ndocs);
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

fs_status fs_stats_colloc(const fs_config *cfg, const fs_stats_input *in, fs_analysis *a,
                          fs_error *err)
{
    fs_status st = FS_OK;
    bool *focus = calloc(in->n_terms ? in->n_terms : 1, sizeof *focus);
    size_t cap = 0;
    if (!focus)
        goto nomem;
    for (size_t f = 0; f < cfg->analysis.n_focus; f++) {
        long id = find_term(in, cfg->analysis.focus[f]);
        if (id >= 0)
            focus[id] = true;
    }
    uint64_t min_pair = cfg->analysis.min_pair_count > 0 ? (uint64_t)cfg->analysis.min_pair_count
                                                         : 1;
    for (size_t s = 0; s < in->n_sources; s++) {
        if (!in->pairs || !in->n_pairs)
            break;
        const uint64_t *tf = in->tf + s * in->n_terms;
        double n1 = (double)in->content_tokens[s];
        for (size_t i = 0; i < in->n_pairs[s]; i++) {
            const fs_stats_pair *pr = &in->pairs[s][i];
            if (pr->a >= in->n_terms || pr->b >= in->n_terms || pr->count == 0)
                continue;
            bool is_focus = focus[pr->a] || focus[pr->b];
            if (pr->count < min_pair && !is_focus)
                continue;
            if (a->n_colloc == cap) {
                size_t ncap = cap ? cap * 2 : 256;
                fs_colloc_row *p = realloc(a->colloc, ncap * sizeof *p);
                if (!p)
                    goto nomem;
                a->colloc = p;
                cap = ncap;
            }
            fs_colloc_row *r = &a->colloc[a->n_colloc];
            memset(r, 0, sizeof *r);
            /* Ids are in byte order, but keep the contract explicit should a producer differ. */
            uint32_t lo = pr->a, hi = pr->b;
            if (strcmp(in->terms[lo], in->terms[hi]) > 0) {
                lo = pr->b;
                hi = pr->a;
            }
            bool failed = false;
            r->term_a = fs_stats_strdup(in->terms[lo], &failed);
            r->term_b = fs_stats_strdup(in->terms[hi], &failed);
            a->n_colloc++;
            if (failed)
                goto nomem;
            r->source = s;
            r->count = pr->count;
            r->count_a = tf[lo];
            r->count_b = tf[hi];
            r->pmi = fs_stats_pmi((double)r->count, (double)r->count_a, (double)r->count_b, n1,
                                  cfg->analysis.window);
            r->log_dice = fs_stats_log_dice((double)r->count, (double)r->count_a,
                                            (double)r->count_b);
            r->focus = is_focus;
        }
    }
    if (a->n_colloc > 1)
        qsort(a->colloc, a->n_colloc, sizeof *a->colloc, cmp_colloc);
    goto done;
nomem:
    st = fs_error_set(err, FS_ERR_NOMEM, "stats.cooccurrence", "out of memory");
done:
    free(focus);
    return st;
}
