/* stats_similarity.c: cosine and Jensen–Shannon between sources, and a correspondence analysis
 * of sources × the most frequent tested terms (SVD with GSL). */
#include "stats_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

/* ======================================= measures ======================================= */

double fs_stats_cosine(const double *x, const double *y, size_t n)
{
    double xy = 0, xx = 0, yy = 0;
    for (size_t i = 0; i < n; i++) {
        xy += x[i] * y[i];
        xx += x[i] * x[i];
        yy += y[i] * y[i];
    }
    if (!(xx > 0) || !(yy > 0))
        return NAN;
    double c = xy / (sqrt(xx) * sqrt(yy));
    return c > 1 ? 1 : c;
}

double fs_stats_jsd(const double *x, const double *y, size_t n)
{
    double sx = 0, sy = 0;
    for (size_t i = 0; i < n; i++) {
        sx += x[i];
        sy += y[i];
    }
    if (!(sx > 0) || !(sy > 0))
        return NAN;
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        double p = x[i] / sx, q = y[i] / sy, m = 0.5 * (p + q);
        if (p > 0)
            d += 0.5 * p * log2(p / m);
        if (q > 0)
            d += 0.5 * q * log2(q / m);
    }
    return d < 0 ? 0 : d > 1 ? 1 : d;
}

/* ================================ correspondence analysis ================================ */

void fs_stats_ca_free(fs_stats_ca *ca)
{
    if (!ca)
        return;
    free(ca->row_coord);
    free(ca->col_coord);
    free(ca->sv);
    memset(ca, 0, sizeof *ca);
}

fs_status fs_stats_ca_run(const double *m, size_t rows, size_t cols, fs_stats_ca *out)
{
    fs_status st = FS_OK;
    memset(out, 0, sizeof *out);
    out->rows = rows;
    out->cols = cols;
    double *rs = calloc(rows ? rows : 1, sizeof *rs), *cs = calloc(cols ? cols : 1, sizeof *cs);
    size_t *ri = malloc((rows ? rows : 1) * sizeof *ri);
    size_t *ci = malloc((cols ? cols : 1) * sizeof *ci);
    gsl_matrix *A = NULL, *V = NULL;
    gsl_vector *S = NULL, *work = NULL;
    out->row_coord = malloc((rows ? rows : 1) * 2 * sizeof *out->row_coord);
    out->col_coord = malloc((cols ? cols : 1) * 2 * sizeof *out->col_coord);
    if (!rs || !cs || !ri || !ci || !out->row_coord || !out->col_coord) {
        st = FS_ERR_NOMEM;
        goto done;
    }
    for (size_t k = 0; k < rows * 2; k++)
        out->row_coord[k] = NAN;
    for (size_t k = 0; k < cols * 2; k++)
        out->col_coord[k] = NAN;
    double n = 0;
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++) {
            double v = m[i * cols + j];
            rs[i] += v;
            cs[j] += v;
            n += v;
        }
    size_t R = 0, C = 0;
    for (size_t i = 0; i < rows; i++)
        if (rs[i] > 0)
            ri[R++] = i;
    for (size_t j = 0; j < cols; j++)
        if (cs[j] > 0)
            ci[C++] = j;
    if (R < 3 || C < 2)
        goto done; /* not enough to map: valid stays false */

    /* gsl_linalg_SV_decomp needs at least as many rows as columns, so decompose Sᵀ when there
     * are fewer sources than terms (the usual case) and swap the roles of U and V. */
    bool transposed = R < C;
    size_t M = transposed ? C : R, N = transposed ? R : C;
    A = gsl_matrix_alloc(M, N);
    V = gsl_matrix_alloc(N, N);
    S = gsl_vector_alloc(N);
    work = gsl_vector_alloc(N);
    out->sv = malloc(N * sizeof *out->sv);
    if (!A || !V || !S || !work || !out->sv) {
        st = FS_ERR_NOMEM;
        goto done;
    }
    for (size_t a = 0; a < R; a++) {
        double r = rs[ri[a]] / n;
        for (size_t b = 0; b < C; b++) {
            double c = cs[ci[b]] / n, p = m[ri[a] * cols + ci[b]] / n;
            double s = (p - r * c) / sqrt(r * c);
            if (transposed)
                gsl_matrix_set(A, b, a, s);
            else
                gsl_matrix_set(A, a, b, s);
        }
    }
    if (gsl_linalg_SV_decomp(A, V, S, work) != GSL_SUCCESS) {
        st = FS_ERR_STATS;
        goto done;
    }
    out->n_sv = N;
    double total = 0;
    for (size_t k = 0; k < N; k++) {
        out->sv[k] = gsl_vector_get(S, k);
        total += out->sv[k] * out->sv[k];
    }
    out->total_inertia = total;
    /* Row singular vectors are in A (= U) unless transposed, then in V; columns the other way. */
    const gsl_matrix *Urow = transposed ? V : A, *Ucol = transposed ? A : V;
    for (size_t a = 0; a < R; a++) {
        double r = rs[ri[a]] / n;
        for (size_t k = 0; k < 2; k++)
            out->row_coord[ri[a] * 2 + k] =
                k < N ? gsl_matrix_get(Urow, a, k) * out->sv[k] / sqrt(r) : 0.0;
    }
    for (size_t b = 0; b < C; b++) {
        double c = cs[ci[b]] / n;
        for (size_t k = 0; k < 2; k++)
            out->col_coord[ci[b] * 2 + k] =
                k < N ? gsl_matrix_get(Ucol, b, k) * out->sv[k] / sqrt(c) : 0.0;
    }
    /* SVD signs are arbitrary; fix them so that the same data always draws the same map. */
    for (size_t k = 0; k < 2; k++) {
        double lead = 0;
        for (size_t a = 0; a < R && lead == 0; a++) {
            double v = out->row_coord[ri[a] * 2 + k];
            if (fabs(v) > 1e-12)
                lead = v;
        }
        if (lead < 0) {
            for (size_t a = 0; a < R; a++)
                out->row_coord[ri[a] * 2 + k] = -out->row_coord[ri[a] * 2 + k];
            for (size_t b = 0; b < C; b++)
                out->col_coord[ci[b] * 2 + k] = -out->col_coord[ci[b] * 2 + k];
        }
    }
    for (size_t k = 0; k < 2; k++)
        out->share[k] = k < N && total > 0 ? out->sv[k] * out->sv[k] / total : 0.0;
    /* Identical profiles leave nothing to map. */
    out->valid = total > 1e-15;
done:
    gsl_matrix_free(A);
    gsl_matrix_free(V);
    gsl_vector_free(S);
    gsl_vector_free(work);
    free(rs);
    free(cs);
    free(ri);
    free(ci);
    if (st != FS_OK)
        fs_stats_ca_free(out);
    return st;
}

/* ======================================= the tables ======================================= */

typedef struct term_rank {
    uint64_t tf;
    size_t id;
} term_rank;

static int cmp_rank(const void *x, const void *y)
{
    const term_rank *a = x, *b = y;
    if (a->tf != b->tf)
        return a->tf > b->tf ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id; /* ids are in byte order of the term */
}

fs_status fs_stats_similarity(const fs_config *cfg, const fs_stats_input *in, const bool *tested,
                              const uint64_t *corpus_tf, fs_analysis *a, fs_error *err)
{
    fs_status st = FS_OK;
    size_t ns = in->n_sources, nt = in->n_terms, m = 0;
    double *x = NULL, *y = NULL, *mat = NULL;
    term_rank *rank = NULL;
    fs_stats_ca ca = {0};
    const char *where = "stats.similarity";

    for (size_t t = 0; t < nt; t++)
        m += tested[t];
    x = malloc((m ? m : 1) * sizeof *x);
    y = malloc((m ? m : 1) * sizeof *y);
    rank = malloc((m ? m : 1) * sizeof *rank);
    size_t pairs = ns > 1 ? ns * (ns - 1) / 2 : 0;
    a->similarity = calloc(pairs ? pairs : 1, sizeof *a->similarity);
    if (!x || !y || !rank || !a->similarity)
        goto nomem;
    for (size_t s = 0; s < ns; s++) {
        for (size_t u = s + 1; u < ns; u++) {
            size_t k = 0;
            for (size_t t = 0; t < nt; t++) {
                if (!tested[t])
                    continue;
                x[k] = (double)in->tf[s * nt + t];
                y[k] = (double)in->tf[u * nt + t];
                k++;
            }
            fs_similarity_row *r = &a->similarity[a->n_similarity++];
            r->a = s;
            r->b = u;
            r->cosine = fs_stats_cosine(x, y, m);
            r->jsd = fs_stats_jsd(x, y, m);
        }
    }

    /* Correspondence analysis on the K most frequent tested terms. */
    size_t K = 0;
    for (size_t t = 0; t < nt; t++)
        if (tested[t])
            rank[K++] = (term_rank){corpus_tf[t], t};
    qsort(rank, K, sizeof *rank, cmp_rank);
    size_t want = cfg->analysis.ca_terms > 0 ? (size_t)cfg->analysis.ca_terms : 0;
    if (K > want)
        K = want;
    mat = malloc((ns * K > 0 ? ns * K : 1) * sizeof *mat);
    a->ca = calloc(ns + K > 0 ? ns + K : 1, sizeof *a->ca);
    if (!mat || !a->ca)
        goto nomem;
    for (size_t s = 0; s < ns; s++)
        for (size_t k = 0; k < K; k++)
            mat[s * K + k] = (double)in->tf[s * nt + rank[k].id];
    st = fs_stats_ca_run(mat, ns, K, &ca);
    if (st == FS_ERR_NOMEM)
        goto nomem;
    if (st != FS_OK) {
        st = fs_error_set(err, st, "stats.ca", "correspondence analysis failed (SVD)");
        goto done;
    }
    a->ca_valid = ca.valid;
    a->ca_inertia[0] = ca.share[0];
    a->ca_inertia[1] = ca.share[1];
    for (size_t s = 0; s < ns; s++) {
        fs_ca_point *p = &a->ca[a->n_ca];
        bool failed = false;
        p->label = fs_stats_strdup(a->sources[s].label ? a->sources[s].label : a->sources[s].id,
                                   &failed);
        if (failed)
            goto nomem;
        a->n_ca++;
        p->is_source = true;
        p->source = s;
        p->dim1 = ca.valid ? ca.row_coord[s * 2] : NAN;
        p->dim2 = ca.valid ? ca.row_coord[s * 2 + 1] : NAN;
    }
    for (size_t k = 0; k < K; k++) {
        fs_ca_point *p = &a->ca[a->n_ca];
        bool failed = false;
        p->label = fs_stats_strdup(in->terms[rank[k].id], &failed);
        if (failed)
            goto nomem;
        a->n_ca++;
        p->dim1 = ca.valid ? ca.col_coord[k * 2] : NAN;
        p->dim2 = ca.valid ? ca.col_coord[k * 2 + 1] : NAN;
    }
    goto done;
nomem:
    st = fs_error_set(err, FS_ERR_NOMEM, where, "out of memory");
done:
    fs_stats_ca_free(&ca);
    free(x);
    free(y);
    free(rank);
    free(mat);
    return st;
}
