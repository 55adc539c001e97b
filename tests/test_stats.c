/* test_stats.c: the statistical measures as pure functions (stats_internal.h), and the analysis
 * builder on small hand-made count tables.
 *
 * Every expected value was computed independently with plain Python (math module only, no
 * scipy): the formula written out directly, or a bisection on the binomial / Poisson CDF for
 * the interval bounds. The script lines are quoted next to the values. */
#include "testutil.h"

#include <gsl/gsl_errno.h>

#include "stats_internal.h"

/* ==================================== keyness measures ==================================== */

typedef struct g2_case {
    double a, b, n1, n2, expected;
} g2_case;

static void test_g2(void **state)
{
    (void)state;
    /* python: O=[a,b,n1-a,n2-b]; E=[n1*k/n,n2*k/n,n1*(n-k)/n,n2*(n-k)/n];
     *         g=2*sum(o*log(o/e) for o,e in zip(O,E) if o>0); -g if a<E[0] else g */
    static const g2_case cases[] = {
        {10, 20, 1000, 5000, 4.9673928223299839},   /* over-used in the target */
        {2, 50, 1000, 5000, -8.4984395447865513},   /* under-used: negative */
        {0, 30, 1000, 5000, -10.969403864659181},   /* zero cell: 0·ln 0 = 0 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const g2_case *c = &cases[i];
        assert_close(fs_stats_g2(c->a, c->b, c->n1, c->n2), c->expected, 1e-12);
    }
    /* Same proportions: no evidence either way. */
    assert_close(fs_stats_g2(10, 50, 1000, 5000), 0.0, 1e-12);
    /* Degenerate tables are undefined, not zero. */
    assert_true(isnan(fs_stats_g2(0, 0, 1000, 5000)));
    assert_true(isnan(fs_stats_g2(5, 5, 1000, 0)));
}

static void test_log_ratio(void **state)
{
    (void)state;
    /* log2((10/1000)/(20/5000)) = log2(2.5) */
    assert_close(fs_stats_log_ratio(10, 20, 1000, 5000), log2(2.5), 1e-14);
    /* A zero count is replaced by 0.5: log2((0.5/1000)/(20/5000)) = log2(0.125) = -3. */
    assert_close(fs_stats_log_ratio(0, 20, 1000, 5000), -3.0, 1e-14);
    /* Term in the target only: log2((8/1000)/(0.5/5000)) = log2(80). */
    assert_close(fs_stats_log_ratio(8, 0, 1000, 5000), log2(80.0), 1e-14);
    assert_true(isnan(fs_stats_log_ratio(1, 1, 0, 10)));
}

static void test_bh(void **state)
{
    (void)state;
    /* python: sort p; q_(r) = min_{j>=r} p_(j)*m/j, capped at 1 */
    double p[] = {0.01, 0.04, 0.03, 0.005, 0.5};
    const double expected[] = {0.025, 0.05, 0.05, 0.025, 0.5};
    double q[5];
    assert_int_equal(fs_stats_bh(p, 5, q), FS_OK);
    for (size_t i = 0; i < 5; i++)
        assert_close(q[i], expected[i], 1e-12);
    /* In place, with a NAN left out of the count: m = 2 -> q = {0.02, 0.04}. */
    double r[] = {0.02, NAN, 0.01};
    assert_int_equal(fs_stats_bh(r, 3, r), FS_OK);
    assert_close(r[0], 0.02, 1e-12);
    assert_true(isnan(r[1]));
    assert_close(r[2], 0.02, 1e-12);
    assert_int_equal(fs_stats_bh(NULL, 0, NULL), FS_OK);
}

static void test_clopper_pearson(void **state)
{
    (void)state;
    double lo, hi;
    /* python, bisection on the binomial: lower solves P(X>=3 | p) = 0.025 and upper solves
     * P(X<=3 | p) = 0.025, n = 20. */
    fs_stats_clopper_pearson(3, 20, 0.05, &lo, &hi);
    assert_close(lo, 0.032070937185463666, 1e-9);
    assert_close(hi, 0.37892682654531396, 1e-9);
    fs_stats_clopper_pearson(0, 20, 0.05, &lo, &hi);
    assert_close(lo, 0.0, 0);
    /* k = 0: upper = 1 - (alpha/2)^(1/n) */
    assert_close(hi, 1 - pow(0.025, 1.0 / 20), 1e-9);
    fs_stats_clopper_pearson(20, 20, 0.05, &lo, &hi);
    assert_close(hi, 1.0, 0);
    assert_close(lo, pow(0.025, 1.0 / 20), 1e-9);
}

static void test_lrc(void **state)
{
    (void)state;
    /* python: lo, hi = cp(60, 100, 0.05/100) by bisection; log2(5*lo/(1-lo)) */
    assert_close(fs_stats_lrc(60, 40, 1000, 5000, 100), 1.8669798947300635, 1e-8);
    /* python: lo, hi = cp(2, 202, 0.05/100); log2(5*hi/(1-hi)) */
    assert_close(fs_stats_lrc(2, 200, 1000, 5000, 100), -1.5972996447656138, 1e-8);
    /* python: cp(10, 30, 0.0005) lower 0.0929 -> log2(5*lo/(1-lo)) = -0.966 < 0: clamped. */
    assert_close(fs_stats_lrc(10, 20, 1000, 5000, 100), 0.0, 0);
    /* Under-used but the upper bound is above the null ratio: clamped to 0 from below. */
    assert_close(fs_stats_lrc(2, 50, 1000, 5000, 100), 0.0, 0);
    /* Term only in the target: τ is the lower bound of a 5/5 proportion, finite and > 0. */
    double v = fs_stats_lrc(5, 0, 1000, 5000, 1);
    assert_true(isfinite(v) && v > 0);
    assert_true(isnan(fs_stats_lrc(0, 0, 1000, 5000, 1)));
}

static void test_large_counts(void **state)
{
    (void)state;
    /* Counts in the millions, where GSL's own quantile inversions give up. The exact values
     * are then within O(1/n) of the normal approximation, computed with python:
     *   z = NormalDist().inv_cdf(1 - 0.05/1000/2); lo = ph - z*sqrt(ph*(1-ph)/n), ph = 0.5,
     *   n = 2e6; log2(2*lo/(1-lo)) */
    assert_close(fs_stats_lrc(1e6, 1e6, 1e7, 2e7, 1000), 0.99172536718802196, 1e-4);
    /* Poisson k = 1e8: k ∓ 1.96·sqrt(k) (k+1 for the upper bound), python NormalDist */
    double lo, hi;
    fs_stats_poisson_ci(1e8, &lo, &hi);
    assert_close(lo, 99980400.360154599, 1e-6);
    assert_close(hi, 100019600.63994341, 1e-6);
    /* One parameter small, the other huge: the Poisson limit of the binomial, python bisection
     * on the Poisson CDF: P(Pois(mu) <= 3) = 0.025, upper = mu/1e9 ... */
    fs_stats_clopper_pearson(3, 1e9, 0.05, &lo, &hi);
    assert_close(hi, 8.7672730697423265e-09, 1e-6);
    /* ... and for 30 failures in 20030 trials: P(Pois(mu) <= 30) = 0.025, lower = 1 - mu/20030 */
    fs_stats_clopper_pearson(20000, 20030, 0.05, &lo, &hi);
    assert_close(lo, 0.99786186393435805, 1e-5);
    assert_true(20000.0 / 20030 < hi && hi < 1);
}

static void test_logodds(void **state)
{
    (void)state;
    /* python: aw=a0*(a+b)/n; d=log((a+aw)/(n1+a0-a-aw))-log((b+aw)/(n2+a0-b-aw));
     *         d/sqrt(1/(a+aw)+1/(b+aw)) */
    assert_close(fs_stats_logodds_z(10, 20, 1000, 5000, 6000), 1.0843078524198615, 1e-12);
    assert_close(fs_stats_logodds_z(10, 20, 1000, 5000, 100), 2.2936742152108431, 1e-12);
    /* Symmetry: swapping target and reference flips the sign. */
    assert_close(fs_stats_logodds_z(20, 10, 5000, 1000, 6000), -1.0843078524198615, 1e-12);
    /* A zero count stays finite thanks to the prior. */
    assert_true(isfinite(fs_stats_logodds_z(0, 30, 1000, 5000, 6000)));
}

/* ================================ dispersion and association ================================ */

static void test_dp(void **state)
{
    (void)state;
    /* by hand: f = 4; |3/4-0.5| + |0-0.3| + |1/4-0.2| = 0.25+0.3+0.05 = 0.6; DP = 0.3 */
    double v[] = {3, 0, 1}, s[] = {0.5, 0.3, 0.2};
    assert_close(fs_stats_dp(v, s, 3), 0.3, 1e-12);
    /* Perfectly even: 0. All in one small part: 1 - s_i. */
    double even[] = {5, 3, 2};
    assert_close(fs_stats_dp(even, s, 3), 0.0, 1e-12);
    double one[] = {0, 0, 7};
    assert_close(fs_stats_dp(one, s, 3), 0.8, 1e-12);
    assert_true(isnan(fs_stats_dp(v, s, 1)));
}

static void test_pmi_dice(void **state)
{
    (void)state;
    /* by hand: log2(4*1000/(2*5*10*8)) = log2(5); 14 + log2(2*4/(10+8)) */
    assert_close(fs_stats_pmi(4, 10, 8, 1000, 5), 2.3219280948873622, 1e-12);
    assert_close(fs_stats_log_dice(4, 10, 8), 12.830074998557688, 1e-12);
    /* logDice peaks at 14 when the pair always occurs together. */
    assert_close(fs_stats_log_dice(6, 6, 6), 14.0, 1e-12);
    assert_true(isnan(fs_stats_pmi(0, 10, 8, 1000, 5)));
}

/* ========================================= frames ========================================= */

static void test_poisson_ci(void **state)
{
    (void)state;
    double lo, hi;
    /* python, bisection on the Poisson CDF: P(X>=5 | L) = 0.025, P(X<=5 | U) = 0.025 */
    fs_stats_poisson_ci(5, &lo, &hi);
    assert_close(lo, 1.6234863901184204, 1e-8);
    assert_close(hi, 11.668332079322671, 1e-8);
    /* k = 0: lower 0, upper = -ln(0.025) */
    fs_stats_poisson_ci(0, &lo, &hi);
    assert_close(lo, 0.0, 0);
    assert_close(hi, 3.6888794541139363, 1e-10);
}

static void test_chisq_2x3(void **state)
{
    (void)state;
    double obs[] = {10, 20, 30, 20, 20, 10};
    double res[6];
    fs_chisq t;
    assert_int_equal(fs_stats_chisq(obs, 2, 3, &t, res), FS_OK);
    /* python: sum((o-e)^2/e); df = 2 so p = exp(-x2/2) exactly */
    assert_true(t.valid);
    assert_int_equal(t.df, 2);
    assert_close(t.statistic, 12.52777777777778, 1e-12);
    assert_close(t.p, 0.001903827607695494, 1e-9);
    assert_false(t.low_expected);
    /* python: (o-e)/sqrt(e*(1-R_i/n)*(1-C_j/n)) */
    static const double expected[] = {-2.7360758598970003, -0.72374686445574532,
                                      3.2568608900508571,  2.7360758598970003,
                                      0.72374686445574532, -3.2568608900508571};
    for (size_t i = 0; i < 6; i++)
        assert_close(res[i], expected[i], 1e-12);
}

static void test_chisq_degenerate(void **state)
{
    (void)state;
    fs_chisq t;
    /* A zero row is dropped: the test equals the 2x3 above, the dropped cells get NAN. */
    double obs[] = {0, 0, 0, 10, 20, 30, 20, 20, 10};
    double res[9];
    assert_int_equal(fs_stats_chisq(obs, 3, 3, &t, res), FS_OK);
    assert_true(t.valid);
    assert_int_equal(t.dropped_rows, 1);
    assert_int_equal(t.dropped_cols, 0);
    assert_close(t.statistic, 12.52777777777778, 1e-12);
    assert_true(isnan(res[0]) && isnan(res[2]));
    assert_close(res[3], -2.7360758598970003, 1e-12);
    /* Only one non-zero row: no test. */
    double one[] = {1, 2, 0, 0};
    assert_int_equal(fs_stats_chisq(one, 2, 2, &t, NULL), FS_OK);
    assert_false(t.valid);
    assert_true(isnan(t.statistic));
    /* Small expected counts are flagged. */
    double small[] = {1, 2, 3, 1};
    assert_int_equal(fs_stats_chisq(small, 2, 2, &t, NULL), FS_OK);
    assert_true(t.valid && t.low_expected);
}

/* ======================================== similarity ======================================== */

static void test_cosine_jsd(void **state)
{
    (void)state;
    double x[] = {3, 1, 0, 2}, y[] = {6, 2, 0, 4}, z[] = {0, 0, 5, 0};
    assert_close(fs_stats_cosine(x, y, 4), 1.0, 1e-12); /* same profile, other size */
    assert_close(fs_stats_jsd(x, y, 4), 0.0, 1e-12);
    assert_close(fs_stats_cosine(x, z, 4), 0.0, 1e-12); /* disjoint support */
    assert_close(fs_stats_jsd(x, z, 4), 1.0, 1e-12);
    /* python: P=[.5,.5], Q=[1,0], M=[.75,.25]; 0.5*KL(P||M)+0.5*KL(Q||M) in bits */
    double p[] = {1, 1}, q[] = {1, 0};
    assert_close(fs_stats_jsd(p, q, 2), 0.31127812445913283, 1e-12);
    assert_close(fs_stats_cosine(p, q, 2), 0.70710678118654746, 1e-12);
    double zero[] = {0, 0};
    assert_true(isnan(fs_stats_cosine(p, zero, 2)));
    assert_true(isnan(fs_stats_jsd(p, zero, 2)));
}

static void test_ca_small_matrix(void **state)
{
    (void)state;
    const double m[] = {20, 5, 10, 5, 5, 20, 5, 10, 10, 10, 20, 5};
    fs_stats_ca ca;
    assert_int_equal(fs_stats_ca_run(m, 3, 4, &ca), FS_OK);
    assert_true(ca.valid);
    /* python: S = D_r^-1/2 (P - r c^T) D_c^-1/2; the eigenvalues of S S^T (3x3, rank 2) from
     * its characteristic polynomial: l = (tr ± sqrt(tr² - 4·m2))/2, m2 = sum of 2x2 minors. */
    assert_close(ca.total_inertia, 0.26140873015873012, 1e-12); /* = chi2/n */
    assert_close(ca.sv[0] * ca.sv[0], 0.19472177330922769, 1e-10);
    assert_close(ca.sv[1] * ca.sv[1], 0.066686956849502418, 1e-10);
    assert_close(ca.share[0], 0.74489391838975916, 1e-10);
    assert_close(ca.share[0] + ca.share[1], 1.0, 1e-10); /* 3 rows: two dims hold everything */
    /* Reconstruction: with rank 2 the row points keep the chi-square distances between
     * profiles. python: sqrt(sum((f0j-f1j)^2/c_j)) = 1.0760688208208884 */
    double dx = ca.row_coord[0] - ca.row_coord[2], dy = ca.row_coord[1] - ca.row_coord[3];
    assert_close(sqrt(dx * dx + dy * dy), 1.0760688208208884, 1e-10);
    /* Principal inertia of a dimension = Σ r_i f_ik², r the row masses 40/125, 40/125, 45/125. */
    const double r[] = {40.0 / 125, 40.0 / 125, 45.0 / 125};
    double in1 = 0;
    for (size_t i = 0; i < 3; i++)
        in1 += r[i] * ca.row_coord[i * 2] * ca.row_coord[i * 2];
    assert_close(in1, 0.19472177330922769, 1e-10);
    /* Deterministic sign: the first row is on the positive side of both dimensions. */
    assert_true(ca.row_coord[0] >= 0 && ca.row_coord[1] >= 0);
    fs_stats_ca_free(&ca);

    /* Two rows cannot make a map. */
    assert_int_equal(fs_stats_ca_run(m, 2, 4, &ca), FS_OK);
    assert_false(ca.valid);
    fs_stats_ca_free(&ca);
}

static void test_ca_more_rows_than_columns(void **state)
{
    (void)state;
    /* 4 rows x 3 columns takes the other SVD branch (no transpose). The transpose of the
     * matrix above must give the same inertias, with rows and columns swapped. */
    const double m[] = {20, 5, 10, 5, 20, 10, 10, 5, 20, 5, 10, 5};
    fs_stats_ca ca;
    assert_int_equal(fs_stats_ca_run(m, 4, 3, &ca), FS_OK);
    assert_true(ca.valid);
    assert_close(ca.total_inertia, 0.26140873015873012, 1e-12);
    assert_close(ca.share[0], 0.74489391838975916, 1e-10);
    /* The column points now keep the chi-square distance of the former rows 0 and 1. */
    double dx = ca.col_coord[0] - ca.col_coord[2], dy = ca.col_coord[1] - ca.col_coord[3];
    assert_close(sqrt(dx * dx + dy * dy), 1.0760688208208884, 1e-10);
    fs_stats_ca_free(&ca);
}

/* ================================== the analysis builder ================================== */

/* Three sources, five terms (byte order), two frames. zebra (corpus count 1) is below
 * min_count = 2 and is not tested. */
enum { NS = 3, NT = 5, NF = 2, ND = 5 };
static const char *const terms[NT] = {"alliance", "china", "deterrence", "taiwan", "zebra"};
static const uint64_t tf[NS * NT] = {
    10, 5, 0, 3, 1, /* A */
    2, 5, 8, 0, 0,  /* B */
    4, 6, 2, 4, 0,  /* C */
};
static const uint32_t df[NS * NT] = {1, 2, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0};
static const uint64_t tokens[NS] = {200, 150, 250};
static const uint64_t content[NS] = {100, 80, 120};
static const uint64_t frame_hits[NS * NF] = {2, 6, 8, 1, 3, 3};
/* A's two documents: doc0 (60 content tokens) alliance 10, china 2, taiwan 3, zebra 1;
 * doc1 (40) china 3. B: doc2 (80) and an uncounted duplicate doc3. C: doc4 (120). */
static const uint32_t d0t[] = {0, 1, 3, 4}, d0c[] = {10, 2, 3, 1};
static const uint32_t d1t[] = {1}, d1c[] = {3};
static const uint32_t d2t[] = {0, 1, 2}, d2c[] = {2, 5, 8};
static const uint32_t d4t[] = {0, 1, 2, 3}, d4c[] = {4, 6, 2, 4};
static const fs_stats_pair pairs_a[] = {{0, 1, 3}, {0, 4, 1}, {1, 3, 1}};
static const fs_stats_pair pairs_b[] = {{1, 2, 4}};

typedef struct fixture {
    fs_source_cfg sources[NS];
    fs_frame_cfg frames[NF];
    char *focus[1];
    fs_config cfg;
    fs_doc_info docs[ND];
    const uint32_t *doc_terms[ND], *doc_counts[ND];
    size_t doc_n[ND];
    const fs_stats_pair *pairs[NS];
    size_t n_pairs[NS];
    fs_stats_input in;
} fixture;

/* The statistics read vectors through a decoder (as from the counts); the fixture's are arrays. */
static size_t fixture_doc_terms(const void *owner, size_t d, uint32_t *ids, uint32_t *counts)
{
    const fixture *f = owner;
    if (!f->doc_terms[d])
        return 0;
    memcpy(ids, f->doc_terms[d], f->doc_n[d] * sizeof *ids);
    memcpy(counts, f->doc_counts[d], f->doc_n[d] * sizeof *counts);
    return f->doc_n[d];
}

static void fixture_init(fixture *f)
{
    memset(f, 0, sizeof *f);
    static char *ids[NS] = {"a-news", "b-daily", "c-post"};
    static char *labels[NS] = {"A News", "B Daily", "C Post"};
    for (size_t s = 0; s < NS; s++) {
        f->sources[s].id = ids[s];
        f->sources[s].label = labels[s];
    }
    f->frames[0].name = "Deterrence";
    f->frames[1].name = "Diplomacy";
    f->focus[0] = "alliance";
    f->cfg.sources = f->sources;
    f->cfg.n_sources = NS;
    fs_analysis_cfg *ac = &f->cfg.analysis;
    ac->frames = f->frames;
    ac->n_frames = NF;
    ac->focus = f->focus;
    ac->n_focus = 1;
    ac->min_count = 2;
    ac->window = 5;
    ac->min_pair_count = 2;
    ac->ca_terms = 10;
    ac->min_source_tokens = 50;
    f->cfg.clean.dedup_threshold = 0.8;

    static const size_t src[ND] = {0, 0, 1, 1, 2};
    static const uint64_t ct[ND] = {60, 40, 80, 0, 120};
    static const char *const ids_d[ND] = {"a1", "a2", "b1", "b1-copy", "c1"};
    for (size_t d = 0; d < ND; d++) {
        f->docs[d].id = ids_d[d];
        f->docs[d].source = src[d];
        f->docs[d].counted = d != 3;
        f->docs[d].content_tokens = ct[d];
        f->docs[d].chars_raw = 1000;
        f->docs[d].chars_clean = 800;
        f->docs[d].date = (fs_date){2025, 4, (int)d + 1};
    }
    f->docs[3].duplicate_of = "b1";
    f->doc_terms[0] = d0t, f->doc_counts[0] = d0c, f->doc_n[0] = 4;
    f->doc_terms[1] = d1t, f->doc_counts[1] = d1c, f->doc_n[1] = 1;
    f->doc_terms[2] = d2t, f->doc_counts[2] = d2c, f->doc_n[2] = 3;
    f->doc_terms[4] = d4t, f->doc_counts[4] = d4c, f->doc_n[4] = 4;
    f->pairs[0] = pairs_a, f->n_pairs[0] = 3;
    f->pairs[1] = pairs_b, f->n_pairs[1] = 1;
    f->in = (fs_stats_input){
        .n_sources = NS, .n_terms = NT, .n_frames = NF, .n_docs = ND,
        .terms = terms, .tf = tf, .df = df, .tokens = tokens, .content_tokens = content,
        .docs = f->docs, .doc_terms = fixture_doc_terms, .doc_owner = f, .doc_terms_max = 4,
        .frame_hits = frame_hits, .pairs = f->pairs, .n_pairs = f->n_pairs,
        .stopwords_version = "stopwords-en 1",
    };
}

static const fs_keyness_row *find_keyness(const fs_analysis *a, size_t s, const char *term)
{
    for (size_t i = 0; i < a->n_keyness; i++)
        if (a->keyness[i].source == s && strcmp(a->keyness[i].term, term) == 0)
            return &a->keyness[i];
    return NULL;
}

/* A finding that is not significant may only use the word in a negated form. */
static void assert_honest(const fs_finding *f)
{
    if (f->significant)
        return;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", f->text);
    static const char *const ok[] = {"not significant", "does not show a significant"};
    for (size_t k = 0; k < 2; k++)
        for (char *p; (p = strstr(buf, ok[k]));)
            memset(p, '_', strlen(ok[k]));
    if (strstr(buf, "significant"))
        fail_msg("finding calls a non-significant result significant: %s", f->text);
}

static void test_build_keyness_table(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    fs_analysis *a = NULL;
    fs_error err = {0};
    assert_int_equal(fs_stats_build(&f.cfg, &f.in, NULL, &a, &err), FS_OK);
    assert_int_equal(a->tested_terms, 4);
    assert_false(a->no_reference);
    assert_int_equal(a->n_keyness, NS * 4); /* zebra is below min_count */
    assert_null(find_keyness(a, 0, "zebra"));
    /* python (A vs B+C, N1=100, N2=200): g2, p = erfc(sqrt(|g2|/2)), BH over A's 4 terms */
    const fs_keyness_row *r = find_keyness(a, 0, "alliance");
    assert_non_null(r);
    assert_int_equal(r->count, 10);
    assert_int_equal(r->ref_count, 6);
    assert_int_equal(r->ref_tokens, 200);
    assert_close(r->g2, 6.0158164562861982, 1e-12);
    assert_close(r->p, 0.014178217355782414, 1e-9);
    assert_close(r->q, 0.028356434711564828, 1e-9);
    assert_close(r->log_ratio, log2((10.0 / 100) / (6.0 / 200)), 1e-12);
    /* α0 = N = 300 (prior_strength 0): python gives 1.4236575997966878 */
    assert_close(r->logodds_z, 1.4236575997966878, 1e-12);
    assert_close(a->params.prior_strength, 300, 0);
    /* deterrence is absent from A: negative G², log ratio with 0.5 for the zero count. */
    r = find_keyness(a, 0, "deterrence");
    assert_close(r->g2, -8.280750266789223, 1e-12);
    assert_close(r->q, 0.016027027907856196, 1e-9);
    assert_close(r->log_ratio, log2((0.5 / 100) / (10.0 / 200)), 1e-12);
    assert_true(r->lrc <= 0);
    /* Order: by source, then G² descending. */
    assert_string_equal(a->keyness[0].term, "alliance");
    assert_string_equal(a->keyness[3].term, "deterrence");
    for (size_t i = 1; i < a->n_keyness; i++)
        if (a->keyness[i].source == a->keyness[i - 1].source)
            assert_true(a->keyness[i].g2 <= a->keyness[i - 1].g2);
    fs_analysis_free(a);
}

/* docs_read: each dispersion pass (one per source with at least two documents) reports
 * contiguous batches that cover every document once, in order, and the hook changes nothing. */
typedef struct read_log {
    size_t calls, next[NS + 1], passes;
    bool ordered;
} read_log;

static void log_read(const void *owner, size_t begin, size_t end)
{
    read_log *l = (read_log *)(uintptr_t)owner;
    l->calls++;
    /* passes run one source at a time per worker; without a ctx there is one worker */
    if (begin == 0)
        l->passes++;
    if (begin != (begin == 0 ? 0 : l->next[0]) || end < begin || end > ND)
        l->ordered = false;
    l->next[0] = end;
}

static void test_docs_read_hook(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    fs_analysis *plain = NULL, *hooked = NULL;
    assert_int_equal(fs_stats_build(&f.cfg, &f.in, NULL, &plain, NULL), FS_OK);
    read_log l = {.ordered = true};
    f.in.docs_read = log_read;
    f.in.docs_owner = &l;
    assert_int_equal(fs_stats_build(&f.cfg, &f.in, NULL, &hooked, NULL), FS_OK);
    /* A and B have two documents each (b1-copy is not counted but is a document of B); C has one:
     * DP is defined for A only (B's second document is not counted), so one pass. */
    assert_true(l.ordered);
    assert_true(l.passes >= 1);
    assert_int_equal(l.next[0], ND);
    assert_int_equal(plain->n_terms, hooked->n_terms);
    for (size_t i = 0; i < plain->n_terms; i++) {
        assert_string_equal(plain->terms[i].term, hooked->terms[i].term);
        if (isnan(plain->terms[i].dp))
            assert_true(isnan(hooked->terms[i].dp));
        else
            assert_close(hooked->terms[i].dp, plain->terms[i].dp, 0);
    }
    fs_analysis_free(plain);
    fs_analysis_free(hooked);
}

static void test_build_terms_and_colloc(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    fs_analysis *a = NULL;
    assert_int_equal(fs_stats_build(&f.cfg, &f.in, NULL, &a, NULL), FS_OK);
    /* Terms of A by count: alliance 10, china 5, taiwan 3, zebra 1 (all terms, tested or not). */
    assert_string_equal(a->terms[0].term, "alliance");
    assert_close(a->terms[0].per_10k, 1000.0, 1e-12);
    /* DP by hand: alliance v=[10,0]/10, s=[.6,.4] -> 0.5*(0.4+0.4) = 0.4;
     * china v=[2,3]/5, s=[.6,.4] -> 0.5*(0.2+0.2) = 0.2 */
    assert_close(a->terms[0].dp, 0.4, 1e-12);
    assert_string_equal(a->terms[1].term, "china");
    assert_close(a->terms[1].dp, 0.2, 1e-12);
    /* The sparse DP agrees with the direct formula. */
    double v[] = {3, 0}, s[] = {0.6, 0.4};
    assert_string_equal(a->terms[2].term, "taiwan");
    assert_close(a->terms[2].dp, fs_stats_dp(v, s, 2), 1e-12);
    assert_string_equal(a->terms[3].term, "zebra");
    /* B has one counted document: DP undefined. */
    size_t i = 0;
    while (a->terms[i].source != 1)
        i++;
    assert_string_equal(a->terms[i].term, "deterrence");
    assert_true(isnan(a->terms[i].dp));
    /* Source summaries: duplicates, types, small flag. */
    assert_int_equal(a->sources[0].docs, 2);
    assert_int_equal(a->sources[1].docs, 1);
    assert_int_equal(a->sources[1].duplicates, 1);
    assert_int_equal(a->sources[0].types, 4);
    assert_close(a->sources[0].removed_share, 0.2, 1e-12);
    assert_false(a->sources[0].small);
    assert_false(a->too_small);

    /* Collocations: A's (alliance, china) passes min_pair_count; (alliance, zebra) is below it
     * but involves the focus term; (china, taiwan) is dropped; B's (china, deterrence) passes.
     * The table holds pairs, each row made on demand. */
    assert_int_equal(a->cooc.n_rows, 3);
    fs_colloc_row c;
    fs_cooc_row(a, 0, &c);
    assert_int_equal(c.source, 0);
    assert_string_equal(c.term_a, "alliance");
    assert_string_equal(c.term_b, "china");
    assert_int_equal(c.count, 3);
    assert_int_equal(c.count_a, 10);
    assert_int_equal(c.count_b, 5);
    /* python: log2(3*100/(2*5*10*5)), 14 + log2(2*3/(10+5)) */
    assert_close(c.pmi, -0.73696559416620622, 1e-12);
    assert_close(c.log_dice, 12.678071905112638, 1e-12);
    assert_true(c.focus);
    fs_cooc_row(a, 1, &c);
    assert_string_equal(c.term_b, "zebra");
    assert_int_equal(c.count_b, 1);
    /* python: log2(1*100/(2*5*10*1)), 14 + log2(2*1/(10+1)) */
    assert_close(c.pmi, 0.0, 1e-12);
    assert_close(c.log_dice, 11.540568381362704, 1e-12);
    assert_true(c.focus);
    fs_cooc_row(a, 2, &c);
    assert_int_equal(c.source, 1);
    assert_string_equal(c.term_a, "china");
    assert_string_equal(c.term_b, "deterrence");
    assert_int_equal(c.count_a, 5);
    assert_int_equal(c.count_b, 8);
    /* python (B: n1 = 80): log2(4*80/(2*5*5*8)), 14 + log2(2*4/(5+8)) */
    assert_close(c.pmi, -0.3219280948873623, 1e-12);
    assert_close(c.log_dice, 13.299560281858907, 1e-12);
    assert_false(c.focus);
    /* The report's rows are the focus rows of that table, equal to them field by field. */
    assert_int_equal(a->n_colloc, 2);
    for (size_t k = 0; k < 2; k++) {
        fs_cooc_row(a, k, &c);
        const fs_colloc_row *r = &a->colloc[k];
        assert_true(r->source == c.source && r->count == c.count && r->count_a == c.count_a &&
                    r->count_b == c.count_b && r->focus);
        assert_string_equal(r->term_a, c.term_a);
        assert_string_equal(r->term_b, c.term_b);
        assert_true(r->pmi == c.pmi && r->log_dice == c.log_dice);
    }
    /* Rows borrow one copy of each term: the same pointer wherever a term appears. */
    assert_ptr_equal(a->colloc[0].term_a, a->colloc[1].term_a);
    assert_ptr_equal(a->terms[0].term, a->vocab[0]);
    fs_analysis_free(a);
}

static void test_build_frames_similarity_ca(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    fs_analysis *a = NULL;
    assert_int_equal(fs_stats_build(&f.cfg, &f.in, NULL, &a, NULL), FS_OK);
    /* Frames: by frame then source; rate per 1,000 word tokens (before stopwords). */
    assert_int_equal(a->n_frame_rows, NF * NS);
    assert_int_equal(a->frame_rows[0].frame, 0);
    assert_int_equal(a->frame_rows[1].source, 1);
    assert_close(a->frame_rows[0].rate_per_1k, 10.0, 1e-12); /* 1000*2/200 */
    double lo, hi;
    fs_stats_poisson_ci(2, &lo, &hi);
    assert_close(a->frame_rows[0].ci_low, lo * 1000 / 200, 1e-12);
    assert_close(a->frame_rows[0].ci_high, hi * 1000 / 200, 1e-12);
    /* python on [[2,8,3],[6,1,3]]: x2 = 7.1752136752136746, df 2, p = exp(-x2/2) */
    assert_true(a->frames_test.valid);
    assert_close(a->frames_test.statistic, 7.1752136752136746, 1e-12);
    assert_close(a->frames_test.p, 0.027664456803755736, 1e-9);
    assert_true(a->frames_test.low_expected);
    /* Similarity over the tested terms. python: A=[10,5,0,3], B=[2,5,8,0] */
    assert_int_equal(a->n_similarity, 3);
    assert_int_equal(a->similarity[0].a, 0);
    assert_int_equal(a->similarity[0].b, 1);
    assert_close(a->similarity[0].cosine, 0.40310542256881304, 1e-12);
    assert_close(a->similarity[0].jsd, 0.45211403678984025, 1e-12);
    /* CA: 3 sources then the 4 tested terms by corpus frequency (china 16, alliance 16 -> by
     * term, deterrence 10, taiwan 7). */
    assert_true(a->ca_valid);
    assert_int_equal(a->n_ca, 7);
    assert_true(a->ca[0].is_source);
    assert_true(a->ca[0].dim1 >= 0);
    assert_string_equal(a->ca[3].label, "alliance");
    assert_string_equal(a->ca[4].label, "china");
    assert_string_equal(a->ca[5].label, "deterrence");
    assert_close(a->ca_inertia[0] + a->ca_inertia[1], 1.0, 1e-10);
    /* Findings: between 5 and 8, strongest first, honest about significance. */
    assert_true(a->n_findings >= 5 && a->n_findings <= 8);
    for (size_t i = 0; i < a->n_findings; i++) {
        assert_honest(&a->findings[i]);
        if (i)
            assert_true(a->findings[i].strength <= a->findings[i - 1].strength);
    }
    /* The strongest claim here is A's "alliance" or B's "deterrence" ... or the frame test;
     * every one of them names its number. */
    assert_non_null(strstr(a->findings[0].text, "="));
    fs_analysis_free(a);
}

static void test_build_too_small(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    f.cfg.analysis.min_source_tokens = 1000;
    fs_analysis *a = NULL;
    assert_int_equal(fs_stats_build(&f.cfg, &f.in, NULL, &a, NULL), FS_OK);
    assert_true(a->too_small);
    assert_true(a->sources[0].small && a->sources[1].small && a->sources[2].small);
    assert_true(a->n_findings >= 1);
    assert_non_null(strstr(a->findings[0].text, "too small"));
    for (size_t i = 0; i < a->n_findings; i++) {
        assert_false(a->findings[i].significant);
        assert_honest(&a->findings[i]);
    }
    fs_analysis_free(a);
}

static void test_build_single_source(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    f.cfg.n_sources = 1;
    f.in.n_sources = 1;
    f.in.n_docs = 2; /* A's documents only */
    fs_analysis *a = NULL;
    assert_int_equal(fs_stats_build(&f.cfg, &f.in, NULL, &a, NULL), FS_OK);
    assert_true(a->no_reference);
    assert_int_equal(a->n_keyness, 0);
    assert_int_equal(a->n_similarity, 0);
    assert_false(a->ca_valid);
    assert_false(a->frames_test.valid);
    bool said = false;
    for (size_t i = 0; i < a->n_findings; i++)
        said = said || strstr(a->findings[i].text, "no reference corpus");
    assert_true(said);
    fs_analysis_free(a);
}

static void test_build_empty_reference(void **state)
{
    (void)state;
    /* Two sources, the second with no content: N2 = 0 for the first, so no keyness. */
    fixture f;
    fixture_init(&f);
    static const uint64_t tf2[2 * NT] = {10, 5, 0, 3, 1, 0, 0, 0, 0, 0};
    static const uint64_t content2[2] = {100, 0};
    f.cfg.n_sources = 2;
    f.in.n_sources = 2;
    f.in.n_docs = 3;
    f.in.tf = tf2;
    f.in.content_tokens = content2;
    fs_analysis *a = NULL;
    assert_int_equal(fs_stats_build(&f.cfg, &f.in, NULL, &a, NULL), FS_OK);
    assert_true(a->no_reference);
    assert_int_equal(a->n_keyness, 0);
    assert_true(isnan(a->similarity[0].cosine));
    fs_analysis_free(a);
}

/* Per-source work runs on several threads and the keyness measures are memoized by (a, b):
 * neither may change a number. Many terms sharing counts (and more (a, b) pairs than the memo
 * has slots) are checked against the measure functions, and a threaded build against a
 * single-threaded one. */
static bool same(double x, double y)
{
    return x == y || (isnan(x) && isnan(y));
}

static void test_build_threads_and_memo(void **state)
{
    (void)state;
    enum { T = 12000 };
    char(*names)[8] = calloc(T, sizeof *names);
    const char **tv = calloc(T, sizeof *tv);
    uint64_t *tfv = calloc(2 * T, sizeof *tfv);
    uint32_t *dfv = calloc(2 * T, sizeof *dfv);
    assert_true(names && tv && tfv && dfv);
    uint64_t n[2] = {0, 0};
    for (size_t t = 0; t < T; t++) {
        snprintf(names[t], sizeof names[t], "t%05zu", t);
        tv[t] = names[t];
        tfv[t] = t % 97 + (t % 7 == 0 ? 5000 : 0);
        tfv[T + t] = (t * 31) % 89;
        n[0] += tfv[t];
        n[1] += tfv[T + t];
    }
    fixture f;
    fixture_init(&f);
    f.cfg.n_sources = 2;
    f.cfg.analysis.n_frames = 0;
    f.in = (fs_stats_input){.n_sources = 2, .n_terms = T, .terms = tv, .tf = tfv, .df = dfv,
                            .tokens = n, .content_tokens = n, .docs = f.docs,
                            .pairs = f.pairs, .n_pairs = f.n_pairs};
    fs_analysis *a1 = NULL, *a2 = NULL;
    assert_int_equal(fs_stats_build(&f.cfg, &f.in, NULL, &a1, NULL), FS_OK);
    fs_ctx ctx = {.threads = 3};
    f.in.ctx = &ctx;
    assert_int_equal(fs_stats_build(&f.cfg, &f.in, NULL, &a2, NULL), FS_OK);
    assert_int_equal(a1->n_keyness, a2->n_keyness);
    assert_true(a1->n_keyness > 2 * (T - 200));
    double alpha0 = (double)(n[0] + n[1]);
    for (size_t i = 0; i < a1->n_keyness; i++) {
        const fs_keyness_row *r = &a1->keyness[i], *q = &a2->keyness[i];
        assert_string_equal(r->term, q->term);
        assert_true(r->source == q->source && r->count == q->count);
        assert_true(same(r->g2, q->g2) && same(r->p, q->p) && same(r->q, q->q));
        assert_true(same(r->lrc, q->lrc) && same(r->logodds_z, q->logodds_z));
        double da = (double)r->count, db = (double)r->ref_count;
        double d1 = (double)r->source_tokens, d2 = (double)r->ref_tokens;
        assert_true(same(r->g2, fs_stats_g2(da, db, d1, d2)));
        assert_true(same(r->log_ratio, fs_stats_log_ratio(da, db, d1, d2)));
        assert_true(same(r->lrc, fs_stats_lrc(da, db, d1, d2, a1->tested_terms)));
        assert_true(same(r->logodds_z, fs_stats_logodds_z(da, db, d1, d2, alpha0)));
    }
    fs_analysis_free(a1);
    fs_analysis_free(a2);
    free(names);
    free(tv);
    free(tfv);
    free(dfv);
}

/* Collocation rows come out in term order whatever order the pairs are given in. */
static void test_build_colloc_unordered_pairs(void **state)
{
    (void)state;
    static const fs_stats_pair shuffled[] = {{3, 1, 1}, {4, 0, 1}, {1, 0, 3}};
    fixture f;
    fixture_init(&f);
    f.pairs[0] = shuffled;
    fs_ctx ctx = {.threads = 2};
    f.in.ctx = &ctx;
    fs_analysis *a = NULL;
    assert_int_equal(fs_stats_build(&f.cfg, &f.in, NULL, &a, NULL), FS_OK);
    assert_int_equal(a->cooc.n_rows, 3);
    assert_int_equal(a->n_colloc, 2);
    assert_string_equal(a->colloc[0].term_a, "alliance");
    assert_string_equal(a->colloc[0].term_b, "china");
    assert_int_equal(a->colloc[0].count, 3);
    assert_string_equal(a->colloc[1].term_b, "zebra");
    fs_colloc_row c;
    fs_cooc_row(a, 2, &c);
    assert_int_equal(c.source, 1);
    assert_string_equal(c.term_a, "china");
    fs_analysis_free(a);
}

/* Term ids that are not in byte order (a hand-made input): rows still order by text, term_a
 * before term_b, and the focus term is still found. Expected order worked out by hand. */
static void test_build_colloc_unordered_terms(void **state)
{
    (void)state;
    static const char *const shuffled_terms[NT] = {"taiwan", "zebra", "alliance", "deterrence",
                                                   "china"};
    /* The fixture's counts moved to the new ids: old id k is new id map[k]. */
    static const size_t map[NT] = {2, 4, 3, 0, 1};
    uint64_t tf2[NS * NT];
    uint32_t df2[NS * NT];
    for (size_t s = 0; s < NS; s++)
        for (size_t k = 0; k < NT; k++) {
            tf2[s * NT + map[k]] = tf[s * NT + k];
            df2[s * NT + map[k]] = df[s * NT + k];
        }
    /* A: (taiwan, china) 1, (zebra, alliance) 1, (alliance, china) 3, (alliance, taiwan) 2 */
    static const fs_stats_pair pa[] = {{0, 4, 1}, {1, 2, 1}, {2, 4, 3}, {0, 2, 2}};
    fixture f;
    fixture_init(&f);
    f.in.terms = shuffled_terms;
    f.in.tf = tf2;
    f.in.df = df2;
    f.in.doc_terms = NULL; /* DP is not the point here */
    f.pairs[0] = pa;
    f.n_pairs[0] = 4;
    f.pairs[1] = NULL;
    f.n_pairs[1] = 0;
    fs_analysis *a = NULL;
    assert_int_equal(fs_stats_build(&f.cfg, &f.in, NULL, &a, NULL), FS_OK);
    /* Kept: count >= 2, or alliance: all but (taiwan, china). By text: (alliance, china),
     * (alliance, taiwan), (alliance, zebra). */
    static const char *const want[3][2] = {{"alliance", "china"}, {"alliance", "taiwan"},
                                           {"alliance", "zebra"}};
    static const uint64_t want_count[3] = {3, 2, 1}, want_b[3] = {5, 3, 1};
    assert_int_equal(a->cooc.n_rows, 3);
    assert_int_equal(a->n_colloc, 3);
    for (size_t k = 0; k < 3; k++) {
        fs_colloc_row c;
        fs_cooc_row(a, k, &c);
        assert_string_equal(c.term_a, want[k][0]);
        assert_string_equal(c.term_b, want[k][1]);
        assert_int_equal(c.count, want_count[k]);
        assert_int_equal(c.count_a, 10);
        assert_int_equal(c.count_b, want_b[k]);
        assert_true(c.focus);
        assert_string_equal(a->colloc[k].term_b, want[k][1]);
    }
    fs_analysis_free(a);
}

/* Pairs read through pair_at (as from the counts, without a gathered copy). */
static void read_fixture_pair(const void *owner, size_t source, size_t i, fs_stats_pair *out)
{
    const fixture *f = owner;
    *out = f->pairs[source][i];
}

/* pair_at gives the same table as the arrays it reads, whose rows were checked against python
 * in test_build_terms_and_colloc. */
static void test_build_colloc_pair_reader(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    fs_analysis *a1 = NULL, *a2 = NULL;
    assert_int_equal(fs_stats_build(&f.cfg, &f.in, NULL, &a1, NULL), FS_OK);
    fixture g;
    fixture_init(&g);
    g.in.pairs = NULL;
    g.in.pair_at = read_fixture_pair;
    g.in.pair_owner = &g;
    assert_int_equal(fs_stats_build(&g.cfg, &g.in, NULL, &a2, NULL), FS_OK);
    assert_int_equal(a2->cooc.n_rows, 3);
    assert_int_equal(a1->cooc.n_rows, a2->cooc.n_rows);
    for (size_t i = 0; i < a1->cooc.n_rows; i++) {
        fs_colloc_row x, y;
        fs_cooc_row(a1, i, &x);
        fs_cooc_row(a2, i, &y);
        assert_true(x.source == y.source && x.count == y.count && x.count_a == y.count_a &&
                    x.count_b == y.count_b && x.focus == y.focus);
        assert_string_equal(x.term_a, y.term_a);
        assert_string_equal(x.term_b, y.term_b);
        assert_true(x.pmi == y.pmi && x.log_dice == y.log_dice);
    }
    assert_int_equal(a2->n_colloc, 2);
    assert_int_equal(a2->colloc[1].count, 1);
    assert_string_equal(a2->colloc[1].term_b, "zebra");
    fs_analysis_free(a1);
    fs_analysis_free(a2);
}

static void test_build_mismatch(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    f.cfg.n_sources = 2;
    fs_analysis dummy;
    fs_analysis *a = &dummy; /* must be reset to NULL */
    fs_error err = {0};
    assert_int_equal(fs_stats_build(&f.cfg, &f.in, NULL, &a, &err), FS_ERR_INTERNAL);
    assert_null(a);
    fs_analysis_free(NULL);
}

int main(void)
{
    /* As in the program: GSL reports through return values, never by aborting. */
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_g2),
        cmocka_unit_test(test_log_ratio),
        cmocka_unit_test(test_bh),
        cmocka_unit_test(test_clopper_pearson),
        cmocka_unit_test(test_lrc),
        cmocka_unit_test(test_large_counts),
        cmocka_unit_test(test_logodds),
        cmocka_unit_test(test_dp),
        cmocka_unit_test(test_pmi_dice),
        cmocka_unit_test(test_poisson_ci),
        cmocka_unit_test(test_chisq_2x3),
        cmocka_unit_test(test_chisq_degenerate),
        cmocka_unit_test(test_cosine_jsd),
        cmocka_unit_test(test_ca_small_matrix),
        cmocka_unit_test(test_ca_more_rows_than_columns),
        cmocka_unit_test(test_build_keyness_table),
        cmocka_unit_test(test_build_terms_and_colloc),
        cmocka_unit_test(test_docs_read_hook),
        cmocka_unit_test(test_build_frames_similarity_ca),
        cmocka_unit_test(test_build_too_small),
        cmocka_unit_test(test_build_single_source),
        cmocka_unit_test(test_build_empty_reference),
        cmocka_unit_test(test_build_mismatch),
        cmocka_unit_test(test_build_threads_and_memo),
        cmocka_unit_test(test_build_colloc_unordered_pairs),
        cmocka_unit_test(test_build_colloc_unordered_terms),
        cmocka_unit_test(test_build_colloc_pair_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
