/* stats_keyness.c: each source against the rest: G², p, BH q, log ratio, conservative log
 * ratio and weighted log-odds z. */
#include "stats_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "framescope/parallel.h"

/* ======================================= measures ======================================= */

/* O·ln(O/E) with the convention 0·ln 0 = 0. */
static double oln(double o, double e)
{
    return o > 0 ? o * log(o / e) : 0.0;
}

double fs_stats_g2(double a, double b, double n1, double n2)
{
    double n = n1 + n2, k = a + b;
    if (!(n1 > 0) || !(n2 > 0) || !(k > 0) || !(k < n) || a > n1 || b > n2)
        return NAN;
    double e11 = n1 * k / n, e12 = n2 * k / n;
    double e21 = n1 * (n - k) / n, e22 = n2 * (n - k) / n;
    double g = 2.0 * (oln(a, e11) + oln(b, e12) + oln(n1 - a, e21) + oln(n2 - b, e22));
    if (g < 0) /* rounding when O ≈ E */
        g = 0;
    return a < e11 ? -g : g;
}

double fs_stats_log_ratio(double a, double b, double n1, double n2)
{
    if (!(n1 > 0) || !(n2 > 0))
        return NAN;
    if (a == 0)
        a = 0.5;
    if (b == 0)
        b = 0.5;
    return log2((a / n1) / (b / n2));
}

/* Quantile of Beta(a, b). GSL's inversion (and its incomplete beta near the mean) gives up,
 * returning NAN with the error handler off, once a shape parameter reaches the tens of
 * thousands, i.e. for the frequent terms of a large corpus. There the distribution is close to
 * its limits, so the fallback uses them: with one parameter small, Beta(a, b) ≈ G/(G + b) with
 * G ~ Gamma(a) (the Poisson limit of the binomial); with both large, a normal quantile with a
 * Cornish–Fisher skewness correction. Both err by O(1/n), far below what a log ratio shows. */
static double beta_quantile(double p, double a, double b)
{
    double x = gsl_cdf_beta_Pinv(p, a, b);
    if (isfinite(x))
        return x;
    if (a < 1000 && a <= b) {
        double g = gsl_cdf_gamma_Pinv(p, a, 1.0);
        if (isfinite(g))
            return g / (g + b);
    } else if (b < 1000 && b < a) {
        double g = gsl_cdf_gamma_Pinv(1 - p, b, 1.0);
        if (isfinite(g))
            return 1 - g / (g + a); /* 1 - X ~ Beta(b, a) */
    }
    double n = a + b, mean = a / n, sd = sqrt(a * b / (n * n * (n + 1)));
    double skew = 2 * (b - a) * sqrt(n + 1) / ((n + 2) * sqrt(a * b));
    double z = gsl_cdf_ugaussian_Pinv(p);
    x = mean + sd * (z + skew * (z * z - 1) / 6);
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

static double cp_lower(double k, double n, double alpha)
{
    return k > 0 ? beta_quantile(alpha / 2, k, n - k + 1) : 0.0;
}

static double cp_upper(double k, double n, double alpha)
{
    return k < n ? beta_quantile(1 - alpha / 2, k + 1, n - k) : 1.0;
}

void fs_stats_clopper_pearson(double k, double n, double alpha, double *lower, double *upper)
{
    if (!(n > 0) || k < 0 || k > n) {
        *lower = *upper = NAN;
        return;
    }
    *lower = cp_lower(k, n, alpha);
    *upper = cp_upper(k, n, alpha);
}

/* Memo of the Clopper–Pearson bound lrc needs, keyed by (a, b, direction): the bound depends
 * on nothing else (alpha is fixed for a table), and the many rare terms of a vocabulary share
 * few (a, b) pairs, so most rows skip the Beta inversion. Direct-mapped; a collision only costs
 * a recomputation, so results never depend on what the memo holds. */
enum { LRC_MEMO_BITS = 14 };
typedef struct lrc_memo {
    uint64_t key[1u << LRC_MEMO_BITS]; /* 0: empty */
    double val[1u << LRC_MEMO_BITS];
} lrc_memo;

static double lrc_bound(double a, double b, double alpha, bool lower, lrc_memo *memo)
{
    uint64_t key = 0, slot = 0;
    if (memo && a < 2147483648.0 && b < 2147483648.0) {
        key = ((uint64_t)a << 33 | (uint64_t)b << 1 | lower) + 1;
        slot = (key * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - LRC_MEMO_BITS);
        if (memo->key[slot] == key)
            return memo->val[slot];
    }
    double v = lower ? cp_lower(a, a + b, alpha) : cp_upper(a, a + b, alpha);
    if (key) {
        memo->key[slot] = key;
        memo->val[slot] = v;
    }
    return v;
}

static double lrc(double a, double b, double n1, double n2, size_t n_tests, lrc_memo *memo)
{
    if (!(n1 > 0) || !(n2 > 0) || !(a + b > 0))
        return NAN;
    double alpha = 0.05 / (double)(n_tests ? n_tests : 1);
    if (a / n1 >= b / n2) {
        double lo = lrc_bound(a, b, alpha, true, memo);
        if (!(lo > 0)) /* τ = 0: log of 0, i.e. no evidence of overuse */
            return 0.0;
        if (lo >= 1)
            return INFINITY;
        double r = log2((n2 / n1) * lo / (1 - lo));
        return r > 0 ? r : 0.0;
    }
    double hi = lrc_bound(a, b, alpha, false, memo);
    if (!(hi < 1))
        return 0.0;
    if (hi <= 0)
        return -INFINITY;
    double r = log2((n2 / n1) * hi / (1 - hi));
    return r < 0 ? r : 0.0;
}

double fs_stats_lrc(double a, double b, double n1, double n2, size_t n_tests)
{
    return lrc(a, b, n1, n2, n_tests, NULL);
}

double fs_stats_logodds_z(double a, double b, double n1, double n2, double alpha0)
{
    double n = n1 + n2;
    if (!(n > 0) || !(a + b > 0) || !(alpha0 > 0))
        return NAN;
    double aw = alpha0 * (a + b) / n;
    double d1 = n1 + alpha0 - a - aw, d2 = n2 + alpha0 - b - aw;
    if (!(d1 > 0) || !(d2 > 0))
        return NAN;
    double delta = log((a + aw) / d1) - log((b + aw) / d2);
    double var = 1.0 / (a + aw) + 1.0 / (b + aw);
    return delta / sqrt(var);
}

/* qsort context is not portable in C11, so sort (p, index) pairs instead. */
typedef struct pidx {
    double p;
    size_t i;
} pidx;

static int cmp_pidx(const void *x, const void *y)
{
    const pidx *a = x, *b = y;
    if (a->p < b->p)
        return -1;
    if (a->p > b->p)
        return 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

fs_status fs_stats_bh(const double *p, size_t n, double *q)
{
    size_t m = 0;
    pidx *v = n ? malloc(n * sizeof *v) : NULL;
    if (n && !v)
        return FS_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        if (!isnan(p[i]))
            v[m++] = (pidx){p[i], i};
    for (size_t i = 0; i < n; i++)
        if (isnan(p[i]))
            q[i] = NAN;
    if (m > 1)
        qsort(v, m, sizeof *v, cmp_pidx);
    /* Step-up: q(k) = min over j >= k of p(j)·m/j, capped at 1. */
    double run = 1.0;
    for (size_t k = m; k-- > 0;) {
        double x = v[k].p * (double)m / (double)(k + 1);
        if (x < run)
            run = x;
        q[v[k].i] = run;
    }
    free(v);
    return FS_OK;
}

/* ======================================= the table ======================================= */

static int cmp_keyness(const void *x, const void *y)
{
    const fs_keyness_row *a = x, *b = y;
    if (a->source != b->source)
        return a->source < b->source ? -1 : 1;
    /* NAN sorts last so that a degenerate row never leads a table. */
    bool na = isnan(a->g2), nb = isnan(b->g2);
    if (na != nb)
        return na ? 1 : -1;
    if (!na && a->g2 != b->g2)
        return a->g2 > b->g2 ? -1 : 1;
    return strcmp(a->term, b->term);
}

/* The measures of one row depend only on (a, b) within a source (n1, n2, α0 and the test
 * count are fixed), and a vocabulary's many rare terms share few (a, b) pairs: a direct-mapped
 * memo, emptied for each source, computes each pair once. Like lrc_memo, it never changes a
 * result, only whether it is recomputed. */
enum { ROW_MEMO_BITS = 15 };
typedef struct row_memo {
    uint64_t key[1u << ROW_MEMO_BITS]; /* 0: empty */
    double g2[1u << ROW_MEMO_BITS], p[1u << ROW_MEMO_BITS], lr[1u << ROW_MEMO_BITS];
    double lrc[1u << ROW_MEMO_BITS], z[1u << ROW_MEMO_BITS];
} row_memo;

typedef struct worker_memo {
    lrc_memo lrc;  /* kept across sources: it does not depend on n1, n2 */
    row_memo row;  /* emptied per source */
} worker_memo;

/* One source's rows (the table is cut by source, each part written by one task). */
typedef struct keyness_job {
    const fs_stats_input *in;
    const bool *tested;
    const uint64_t *total_tf; /* corpus count of each term */
    size_t n_tested;
    uint64_t total;
    double alpha0;
    const size_t *first;      /* per source: its first row, SIZE_MAX when it has none */
    bool ordered;             /* terms in strictly ascending byte order */
    fs_analysis *a;
    worker_memo *memos;       /* one per worker */
} keyness_job;

/* With terms in byte order, a source's rows (made in term order) sort by (G² desc, NAN last,
 * position) exactly as cmp_keyness sorts them by (G², term): fs_stats_sort_rows ranks them by G².
 * Rows of one source sort on their own: the table's order is by source first. */
static double keyness_rank(const void *row)
{
    return ((const fs_keyness_row *)row)->g2;
}

static void measures(const keyness_job *j, fs_keyness_row *r, double d1, double d2,
                     worker_memo *memo)
{
    uint64_t key = 0, slot = 0;
    if (r->count < (UINT64_C(1) << 32) && r->ref_count < (UINT64_C(1) << 31)) {
        key = (r->count << 31 | r->ref_count) + 1;
        slot = (key * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - ROW_MEMO_BITS);
        if (memo->row.key[slot] == key) {
            r->g2 = memo->row.g2[slot];
            r->p = memo->row.p[slot];
            r->log_ratio = memo->row.lr[slot];
            r->lrc = memo->row.lrc[slot];
            r->logodds_z = memo->row.z[slot];
            return;
        }
    }
    double da = (double)r->count, db = (double)r->ref_count;
    r->g2 = fs_stats_g2(da, db, d1, d2);
    r->p = isnan(r->g2) ? NAN : gsl_cdf_chisq_Q(fabs(r->g2), 1);
    r->log_ratio = fs_stats_log_ratio(da, db, d1, d2);
    r->lrc = lrc(da, db, d1, d2, j->n_tested, &memo->lrc);
    r->logodds_z = fs_stats_logodds_z(da, db, d1, d2, j->alpha0);
    if (key) {
        memo->row.key[slot] = key;
        memo->row.g2[slot] = r->g2;
        memo->row.p[slot] = r->p;
        memo->row.lr[slot] = r->log_ratio;
        memo->row.lrc[slot] = r->lrc;
        memo->row.z[slot] = r->logodds_z;
    }
}

static fs_status keyness_source(const keyness_job *j, size_t s, worker_memo *memo)
{
    const fs_stats_input *in = j->in;
    uint64_t n1 = in->content_tokens[s], n2 = j->total - n1;
    const uint64_t *tf = in->tf + s * in->n_terms;
    fs_keyness_row *rows = j->a->keyness + j->first[s];
    double *p = malloc((j->n_tested ? j->n_tested : 1) * sizeof *p);
    if (!p)
        return FS_ERR_NOMEM;
    memset(memo->row.key, 0, sizeof memo->row.key);
    size_t m = 0;
    for (size_t t = 0; t < in->n_terms; t++) {
        if (!j->tested[t])
            continue;
        fs_keyness_row *r = &rows[m++];
        r->term = j->a->vocab[t];
        r->source = s;
        r->count = tf[t];
        r->ref_count = j->total_tf[t] - tf[t];
        r->source_tokens = n1;
        r->ref_tokens = n2;
        measures(j, r, (double)n1, (double)n2, memo);
    }
    for (size_t i = 0; i < m; i++)
        p[i] = rows[i].p;
    fs_status st = fs_stats_bh(p, m, p);
    for (size_t i = 0; st == FS_OK && i < m; i++)
        rows[i].q = p[i];
    free(p);
    if (st != FS_OK)
        return st;
    return fs_stats_sort_rows(rows, m, sizeof *rows, j->ordered, cmp_keyness, keyness_rank);
}

static fs_status keyness_range(void *user, size_t worker, size_t begin, size_t end)
{
    const keyness_job *j = user;
    for (size_t s = begin; s < end; s++) {
        if (j->first[s] == SIZE_MAX)
            continue;
        fs_status st = keyness_source(j, s, &j->memos[worker]);
        if (st != FS_OK)
            return st;
    }
    return FS_OK;
}

fs_status fs_stats_keyness(const fs_config *cfg, const fs_stats_input *in, const bool *tested,
                           fs_analysis *a, fs_error *err)
{
    fs_status st = FS_OK;
    size_t n_tested = 0, with_content = 0;
    uint64_t total = 0;
    for (size_t t = 0; t < in->n_terms; t++)
        n_tested += tested[t];
    for (size_t s = 0; s < in->n_sources; s++) {
        total += in->content_tokens[s];
        with_content += in->content_tokens[s] > 0;
    }
    a->tested_terms = n_tested;
    /* A source needs a reference corpus: keyness is only defined with two non-empty sides. */
    a->no_reference = with_content < 2;
    if (a->no_reference || n_tested == 0)
        return FS_OK;

    size_t nw = fs_parallel_workers(in->ctx, in->n_sources, 1);
    keyness_job j = {
        .in = in, .tested = tested, .n_tested = n_tested, .total = total, .a = a,
        .alpha0 = cfg->analysis.prior_strength > 0 ? cfg->analysis.prior_strength : (double)total,
    };
    uint64_t *total_tf = calloc(in->n_terms, sizeof *total_tf);
    size_t *first = malloc(in->n_sources * sizeof *first);
    j.memos = calloc(nw, sizeof *j.memos);
    /* Every source with content on both sides gets one row per tested term. */
    a->keyness = calloc(with_content * n_tested, sizeof *a->keyness);
    if (!total_tf || !first || !j.memos || !a->keyness) {
        st = fs_error_set(err, FS_ERR_NOMEM, "stats.keyness", "out of memory");
        goto done;
    }
    a->n_keyness = with_content * n_tested;
    for (size_t s = 0, next = 0; s < in->n_sources; s++) {
        const uint64_t *tf = in->tf + s * in->n_terms;
        for (size_t t = 0; t < in->n_terms; t++)
            total_tf[t] += tf[t];
        bool rows = in->content_tokens[s] > 0 && total - in->content_tokens[s] > 0;
        first[s] = rows ? next : SIZE_MAX;
        next += rows ? n_tested : 0;
    }
    j.total_tf = total_tf;
    j.first = first;
    j.ordered = fs_stats_terms_ordered(in);
    st = fs_parallel_for(in->ctx, in->n_sources, 1, keyness_range, &j);
    if (st == FS_ERR_INTERRUPTED)
        st = fs_error_set(err, st, "stats.keyness", "interrupted");
    else if (st != FS_OK)
        st = fs_error_set(err, FS_ERR_NOMEM, "stats.keyness", "out of memory");
done:
    free(total_tf);
    free(first);
    free(j.memos);
    return st;
}
