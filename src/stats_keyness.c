/* stats_keyness.c: each source against the rest: G², p, BH q, log ratio, conservative log
 * ratio and weighted log-odds z. */
#include "stats_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

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

double fs_stats_lrc(double a, double b, double n1, double n2, size_t n_tests)
{
    if (!(n1 > 0) || !(n2 > 0) || !(a + b > 0))
        return NAN;
    double alpha = 0.05 / (double)(n_tests ? n_tests : 1);
    if (a / n1 >= b / n2) {
        double lo = cp_lower(a, a + b, alpha);
        if (!(lo > 0)) /* τ = 0: log of 0, i.e. no evidence of overuse */
            return 0.0;
        if (lo >= 1)
            return INFINITY;
        double r = log2((n2 / n1) * lo / (1 - lo));
        return r > 0 ? r : 0.0;
    }
    double hi = cp_upper(a, a + b, alpha);
    if (!(hi < 1))
        return 0.0;
    if (hi <= 0)
        return -INFINITY;
    double r = log2((n2 / n1) * hi / (1 - hi));
    return r < 0 ? r : 0.0;
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

fs_status fs_stats_keyness(const fs_config *cfg, const fs_stats_input *in, const bool *tested,
                           fs_analysis *a, fs_error *err)
{
    fs_status st = FS_OK;
    double *p = NULL;
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

    double alpha0 = cfg->analysis.prior_strength > 0 ? cfg->analysis.prior_strength
                                                     : (double)total;
    size_t cap = with_content * n_tested;
    a->keyness = calloc(cap, sizeof *a->keyness);
    p = malloc(n_tested * sizeof *p);
    if (!a->keyness || !p) {
        st = fs_error_set(err, FS_ERR_NOMEM, "stats.keyness", "out of memory");
        goto done;
    }
    for (size_t s = 0; s < in->n_sources; s++) {
        uint64_t n1 = in->content_tokens[s], n2 = total - n1;
        if (n1 == 0 || n2 == 0)
            continue;
        size_t first = a->n_keyness;
        for (size_t t = 0; t < in->n_terms; t++) {
            if (!tested[t])
                continue;
            uint64_t ca = in->tf[s * in->n_terms + t], cb = 0;
            for (size_t o = 0; o < in->n_sources; o++)
                if (o != s)
                    cb += in->tf[o * in->n_terms + t];
            fs_keyness_row *r = &a->keyness[a->n_keyness];
            bool failed = false;
            r->term = fs_stats_strdup(in->terms[t], &failed);
            if (failed) {
                st = fs_error_set(err, FS_ERR_NOMEM, "stats.keyness", "out of memory");
                goto done;
            }
            a->n_keyness++;
            r->source = s;
            r->count = ca;
            r->ref_count = cb;
            r->source_tokens = n1;
            r->ref_tokens = n2;
            double da = (double)ca, db = (double)cb, d1 = (double)n1, d2 = (double)n2;
            r->g2 = fs_stats_g2(da, db, d1, d2);
            r->p = isnan(r->g2) ? NAN : gsl_cdf_chisq_Q(fabs(r->g2), 1);
            r->log_ratio = fs_stats_log_ratio(da, db, d1, d2);
            r->lrc = fs_stats_lrc(da, db, d1, d2, n_tested);
            r->logodds_z = fs_stats_logodds_z(da, db, d1, d2, alpha0);
        }
        size_t m = a->n_keyness - first;
        for (size_t i = 0; i < m; i++)
            p[i] = a->keyness[first + i].p;
        if (fs_stats_bh(p, m, p) != FS_OK) {
            st = fs_error_set(err, FS_ERR_NOMEM, "stats.keyness", "out of memory");
            goto done;
        }
        for (size_t i = 0; i < m; i++)
            a->keyness[first + i].q = p[i];
    }
    qsort(a->keyness, a->n_keyness, sizeof *a->keyness, cmp_keyness);
done:
    free(p);
    return st;
}
