/* stats_findings.c: the summary sentences. Each names its number; "significant" is only said of
 * results with q (or p) below 0.05, and weaker ones are called suggestive. Caveats about corpus
 * size come first because every other sentence must be read in their light. */
#include "stats_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "framescope/vec.h"

enum { MAX_FINDINGS = 8, MAX_KEYNESS = 4 };

/* Caveats outrank every statistic; the too-small one outranks the other caveats. */
#define STRENGTH_TOO_SMALL 1e12
#define STRENGTH_CAVEAT 1e9
#define STRENGTH_DESCRIPTIVE 0.5

typedef struct cand {
    fs_finding f;
    size_t order; /* insertion order: tie-break for equal strengths */
    bool keyness; /* a distinctive-term sentence */
    bool keep;
} cand;

typedef struct cand_list {
    cand *v;
    size_t n, cap;
    bool failed;
    bool keyness; /* sentences added now are keyness sentences */
} cand_list;

static void add(cand_list *l, double strength, bool significant, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add(cand_list *l, double strength, bool significant, const char *fmt, ...)
{
    if (l->failed)
        return;
    cand *p = fs_vec_grow(l->v, l->n, &l->cap, sizeof *p, 16);
    if (!p) {
        l->failed = true;
        return;
    }
    l->v = p;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!text) {
        l->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    va_end(ap);
    l->v[l->n] = (cand){{text, strength, significant}, l->n, l->keyness, false};
    l->n++;
}

static int cmp_cand(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->f.strength != b->f.strength)
        return a->f.strength > b->f.strength ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* "p = 0.023" or "p < 0.001": small p-values are not worth more digits to a reader. */
static void fmt_p(char *buf, size_t n, const char *name, double p)
{
    if (p < 0.001)
        snprintf(buf, n, "%s < 0.001", name);
    else
        snprintf(buf, n, "%s = %.3f", name, p);
}

static double strength_of(double p)
{
    if (isnan(p))
        return 0;
    double s = -log10(p > 1e-300 ? p : 1e-300);
    return s > 0 ? s : 0;
}

/* What to add after a statistic that is not a supported claim. */
static const char *qualifier(bool below_05, bool too_small)
{
    if (below_05 && too_small)
        return "; too few tokens to support a claim";
    return below_05 ? "" : "; suggestive, not significant";
}

static void caveats(const fs_analysis *a, cand_list *l)
{
    if (a->too_small) {
        uint64_t largest = 0;
        for (size_t s = 0; s < a->n_sources; s++)
            if (a->sources[s].content_tokens > largest)
                largest = a->sources[s].content_tokens;
        add(l, STRENGTH_TOO_SMALL, false,
            "The corpus is too small to support any claim: every source has fewer than %d "
            "content tokens (the largest has %llu), so the figures below are descriptive only.",
            a->params.min_source_tokens, (unsigned long long)largest);
    } else {
        for (size_t s = 0; s < a->n_sources; s++)
            if (a->sources[s].small)
                add(l, STRENGTH_CAVEAT, false,
                    "%s has only %llu content tokens (below %d), so its results are flagged "
                    "as resting on small counts.",
                    a->sources[s].label, (unsigned long long)a->sources[s].content_tokens,
                    a->params.min_source_tokens);
    }
    if (a->no_reference)
        add(l, STRENGTH_CAVEAT, false,
            "Fewer than two sources have any content, so there is no reference corpus and "
            "distinctive terms (keyness) were not computed.");
}

/* The rank-th most distinctive term of each source (0: the top one). */
static void keyness(const fs_analysis *a, cand_list *l, size_t rank)
{
    char q[64];
    size_t seen = 0;
    /* Rows are sorted by source then G² descending, so a source's rows start with its top term. */
    for (size_t i = 0; i < a->n_keyness; i++) {
        const fs_keyness_row *r = &a->keyness[i];
        if (i == 0 || a->keyness[i - 1].source != r->source)
            seen = 0;
        if (seen++ != rank)
            continue;
        if (!(r->g2 > 0) || isnan(r->q))
            continue;
        const fs_source_summary *src = &a->sources[r->source];
        bool sig = r->q < 0.05 && !a->too_small;
        const char *qual = qualifier(r->q < 0.05, a->too_small);
        fmt_p(q, sizeof q, "q", r->q);
        add(l, strength_of(r->q) * (rank == 0 ? 1.0 : 0.8), sig,
            "\"%s\" is the %s distinctive term of %s: %.1f per 10,000 tokens against %.1f in "
            "the other sources (G\xC2\xB2 = %.1f, %s%s)%s.",
            r->term, rank == 0 ? "most" : "second most", src->label,
            10000.0 * (double)r->count / (double)r->source_tokens,
            10000.0 * (double)r->ref_count / (double)r->ref_tokens, r->g2, q,
            qual, src->small && !a->too_small ? " (small source)" : "");
    }
}

static void frames(const fs_analysis *a, cand_list *l)
{
    const fs_chisq *t = &a->frames_test;
    if (a->n_frames == 0 || a->n_sources < 2)
        return;
    if (!t->valid) {
        add(l, STRENGTH_DESCRIPTIVE, false,
            "There are too few frame hits to test whether sources differ in their use of "
            "frames (fewer than two frames or sources with any hit).");
    } else {
        bool sig = t->p < 0.05 && !a->too_small;
        char p[64];
        fmt_p(p, sizeof p, "p", t->p);
        char note[160] = "";
        if (t->dropped_rows || t->dropped_cols)
            snprintf(note, sizeof note, "; %zu frame(s) and %zu source(s) with no hits left out",
                     t->dropped_rows, t->dropped_cols);
        const char *what =
            sig ? "Sources differ significantly in how often they use the frames"
            : t->p < 0.05
                ? "Sources appear to differ in how often they use the frames, but the corpus is "
                  "too small to support the claim"
                : "The frames test does not show a significant difference between sources";
        add(l, strength_of(t->p), sig, "%s (chi-square = %.1f, df = %d, %s%s%s).", what,
            t->statistic, t->df, p,
            t->low_expected ? "; some expected counts are below 5, read with caution" : "",
            note);
    }
    /* The cell that departs most from independence, with its rate and interval. */
    const fs_frame_row *best = NULL;
    for (size_t i = 0; i < a->n_frame_rows; i++) {
        const fs_frame_row *r = &a->frame_rows[i];
        if (isnan(r->std_residual) || isnan(r->rate_per_1k))
            continue;
        if (!best || fabs(r->std_residual) > fabs(best->std_residual))
            best = r;
    }
    if (best) {
        double pr = 2.0 * gsl_cdf_ugaussian_Q(fabs(best->std_residual));
        bool below = t->valid && t->p < 0.05 && pr < 0.05;
        bool sig = below && !a->too_small;
        add(l, strength_of(pr) * 0.9, sig,
            "%s uses the \"%s\" frame %s than the other sources: %.3g per 1,000 tokens (95%% "
            "interval %.3g to %.3g; adjusted residual %.1f%s).",
            a->sources[best->source].label, a->frames[best->frame],
            best->std_residual > 0 ? "more often" : "less often", best->rate_per_1k,
            best->ci_low, best->ci_high, best->std_residual, qualifier(below, a->too_small));
    }
}

static void similarity(const fs_analysis *a, cand_list *l)
{
    const fs_similarity_row *lo = NULL, *hi = NULL;
    for (size_t i = 0; i < a->n_similarity; i++) {
        const fs_similarity_row *r = &a->similarity[i];
        if (isnan(r->jsd))
            continue;
        if (!lo || r->jsd < lo->jsd)
            lo = r;
        if (!hi || r->jsd > hi->jsd)
            hi = r;
    }
    if (lo)
        add(l, STRENGTH_DESCRIPTIVE, false,
            "%s and %s are the closest pair in vocabulary (cosine %.2f, Jensen-Shannon "
            "divergence %.3f bits).",
            a->sources[lo->a].label, a->sources[lo->b].label, lo->cosine, lo->jsd);
    if (hi && hi != lo)
        add(l, STRENGTH_DESCRIPTIVE * 0.9, false,
            "%s and %s are the furthest apart (cosine %.2f, Jensen-Shannon divergence %.3f "
            "bits).",
            a->sources[hi->a].label, a->sources[hi->b].label, hi->cosine, hi->jsd);
    if (a->ca_valid)
        add(l, STRENGTH_DESCRIPTIVE * 0.8, false,
            "The first two dimensions of the correspondence analysis hold %.0f%% and %.0f%% of "
            "the variation between sources in their most frequent terms.",
            100.0 * a->ca_inertia[0], 100.0 * a->ca_inertia[1]);
}

/* Plain descriptions for corpora with too little to compare (e.g. one source): the most
 * frequent term of each source and its highest frame rate. Only used to reach five sentences. */
static void descriptive(const fs_analysis *a, cand_list *l)
{
    for (size_t i = 0; i < a->n_terms; i++) {
        const fs_term_row *r = &a->terms[i];
        if (i > 0 && a->terms[i - 1].source == r->source)
            continue; /* rows are by source, count descending: the first is the top term */
        add(l, 0.3, false,
            "The most frequent content term of %s is \"%s\" (%.1f per 10,000 tokens).",
            a->sources[r->source].label, r->term, r->per_10k);
    }
    const fs_frame_row *best = NULL;
    for (size_t i = 0; i < a->n_frame_rows; i++) {
        const fs_frame_row *r = &a->frame_rows[i];
        if (!isnan(r->rate_per_1k) && (!best || r->rate_per_1k > best->rate_per_1k))
            best = r;
    }
    if (best && best->hits > 0)
        add(l, 0.25, false,
            "The highest frame rate is \"%s\" in %s: %.3g per 1,000 tokens (95%% interval "
            "%.3g to %.3g).",
            a->frames[best->frame], a->sources[best->source].label, best->rate_per_1k,
            best->ci_low, best->ci_high);
}

fs_status fs_stats_findings(fs_analysis *a, fs_error *err)
{
    cand_list l = {0};
    caveats(a, &l);
    l.keyness = true;
    keyness(a, &l, 0);
    l.keyness = false;
    frames(a, &l);
    similarity(a, &l);
    /* Runners-up only to reach the five sentences a summary needs; never to crowd out tests. */
    if (l.n < 5) {
        l.keyness = true;
        keyness(a, &l, 1);
        l.keyness = false;
    }
    if (l.n < 5)
        descriptive(a, &l);
    if (l.failed) {
        for (size_t i = 0; i < l.n; i++)
            free(l.v[i].f.text);
        free(l.v);
        return fs_error_set(err, FS_ERR_NOMEM, "stats.findings", "out of memory");
    }
    if (l.n > 1)
        qsort(l.v, l.n, sizeof *l.v, cmp_cand);
    /* With many sources every top term is highly significant and would fill the summary on its
     * own; cap them so the frames test and similarity get a line, unless slots stay free. */
    size_t keep = 0, n_key = 0;
    for (size_t i = 0; i < l.n && keep < MAX_FINDINGS; i++)
        if (!l.v[i].keyness || n_key < MAX_KEYNESS) {
            l.v[i].keep = true;
            keep++;
            n_key += l.v[i].keyness;
        }
    for (size_t i = 0; i < l.n && keep < MAX_FINDINGS; i++)
        if (!l.v[i].keep) {
            l.v[i].keep = true;
            keep++;
        }
    fs_status st = FS_OK;
    if (keep && !(a->findings = malloc(keep * sizeof *a->findings)))
        st = fs_error_set(err, FS_ERR_NOMEM, "stats.findings", "out of memory");
    for (size_t i = 0; i < l.n; i++) {
        if (st == FS_OK && l.v[i].keep)
            a->findings[a->n_findings++] = l.v[i].f; /* still in strength order */
        else
            free(l.v[i].f.text);
    }
    free(l.v);
    return st;
}
