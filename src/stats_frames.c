/* stats_frames.c: frame rates per 1,000 word tokens with exact Poisson intervals, and the
 * frames × sources chi-square test with adjusted standardized residuals. */
#include "stats_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

/* ======================================= measures ======================================= */

/* Chi-square quantile. GSL's inversion fails (NAN, with the error handler off) for very large
 * degrees of freedom, i.e. frames with millions of hits; the Wilson–Hilferty cube-root normal
 * approximation is accurate to O(1/df) there, far below the interval's width. */
static double chisq_quantile(double p, double df)
{
    double x = gsl_cdf_chisq_Pinv(p, df);
    if (isfinite(x))
        return x;
    double c = 2.0 / (9.0 * df), z = gsl_cdf_ugaussian_Pinv(p);
    double t = 1 - c + z * sqrt(c);
    return t > 0 ? df * t * t * t : 0.0;
}

void fs_stats_poisson_ci(double k, double *lower, double *upper)
{
    if (k < 0 || isnan(k)) {
        *lower = *upper = NAN;
        return;
    }
    *lower = k > 0 ? chisq_quantile(0.025, 2.0 * k) / 2.0 : 0.0;
    *upper = chisq_quantile(0.975, 2.0 * k + 2.0) / 2.0;
}

fs_status fs_stats_chisq(const double *obs, size_t rows, size_t cols, fs_chisq *out,
                         double *resid)
{
    memset(out, 0, sizeof *out);
    out->statistic = out->p = NAN;
    double *rs = calloc(rows ? rows : 1, sizeof *rs);
    double *cs = calloc(cols ? cols : 1, sizeof *cs);
    if (!rs || !cs) {
        free(rs);
        free(cs);
        return FS_ERR_NOMEM;
    }
    double n = 0;
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++) {
            rs[i] += obs[i * cols + j];
            cs[j] += obs[i * cols + j];
            n += obs[i * cols + j];
        }
    size_t r = 0, c = 0;
    for (size_t i = 0; i < rows; i++)
        r += rs[i] > 0;
    for (size_t j = 0; j < cols; j++)
        c += cs[j] > 0;
    out->dropped_rows = rows - r;
    out->dropped_cols = cols - c;
    if (resid)
        for (size_t k = 0; k < rows * cols; k++)
            resid[k] = NAN;
    /* Zero rows/columns have expected counts of 0 everywhere: they carry no information and
     * would divide by zero, so the test runs on what is left. */
    if (r >= 2 && c >= 2) {
        double x2 = 0;
        for (size_t i = 0; i < rows; i++) {
            if (!(rs[i] > 0))
                continue;
            for (size_t j = 0; j < cols; j++) {
                if (!(cs[j] > 0))
                    continue;
                double e = rs[i] * cs[j] / n, o = obs[i * cols + j];
                if (e < 5)
                    out->low_expected = true;
                x2 += (o - e) * (o - e) / e;
                if (resid) {
                    double v = e * (1 - rs[i] / n) * (1 - cs[j] / n);
                    resid[i * cols + j] = v > 0 ? (o - e) / sqrt(v) : NAN;
                }
            }
        }
        out->statistic = x2;
        out->df = (int)((r - 1) * (c - 1));
        out->p = gsl_cdf_chisq_Q(x2, out->df);
        out->valid = true;
    }
    free(rs);
    free(cs);
    return FS_OK;
}

/* ======================================= the table ======================================= */

fs_status fs_stats_frames(const fs_stats_input *in, fs_analysis *a, fs_error *err)
{
    size_t nf = in->n_frames, ns = in->n_sources;
    fs_status st = FS_OK;
    double *obs = NULL, *res = NULL;
    memset(&a->frames_test, 0, sizeof a->frames_test);
    a->frames_test.statistic = a->frames_test.p = NAN;
    if (nf == 0 || ns == 0)
        return FS_OK;
    a->frame_rows = calloc(nf * ns, sizeof *a->frame_rows);
    obs = malloc(nf * ns * sizeof *obs);
    res = malloc(nf * ns * sizeof *res);
    if (!a->frame_rows || !obs || !res)
        goto nomem;
    for (size_t f = 0; f < nf; f++)
        for (size_t s = 0; s < ns; s++)
            obs[f * ns + s] = (double)in->frame_hits[s * nf + f];
    if (fs_stats_chisq(obs, nf, ns, &a->frames_test, res) != FS_OK)
        goto nomem;
    for (size_t f = 0; f < nf; f++) {
        for (size_t s = 0; s < ns; s++) {
            fs_frame_row *r = &a->frame_rows[a->n_frame_rows++];
            r->frame = f;
            r->source = s;
            r->hits = in->frame_hits[s * nf + f];
            r->tokens = in->tokens[s];
            r->std_residual = res[f * ns + s];
            if (r->tokens == 0) {
                r->rate_per_1k = r->ci_low = r->ci_high = NAN;
                continue;
            }
            double scale = 1000.0 / (double)r->tokens, lo, hi;
            fs_stats_poisson_ci((double)r->hits, &lo, &hi);
            r->rate_per_1k = scale * (double)r->hits;
            r->ci_low = scale * lo;
            r->ci_high = scale * hi;
        }
    }
    goto done;
nomem:
    st = fs_error_set(err, FS_ERR_NOMEM, "stats.frames", "out of memory");
done:
    free(obs);
    free(res);
    return st;
}
