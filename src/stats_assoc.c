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
    uint32_t **vec;       /* per worker: 2 × doc_terms_max decoding room */
    fs_analysis *a;
} disp_job;

#define DOCS_READ_BATCH 4096 /* documents between two docs_read calls */

static fs_status disp_source(const disp_job *j, size_t s, double *acc, uint32_t *vec)
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
        size_t batch = 0;
        for (size_t d = 0; d < in->n_docs; d++) {
            if (in->docs_read && d - batch == DOCS_READ_BATCH) {
                in->docs_read(in->docs_owner, batch, d);
                batch = d;
            }
            const fs_doc_info *di = &in->docs[d];
            if (!di->counted || di->source != s || !in->doc_terms)
                continue;
            double share = (double)di->content_tokens / n1;
            const uint32_t *terms = vec, *counts = vec + in->doc_terms_max;
            size_t n = in->doc_terms(in->doc_owner, d, vec, vec + in->doc_terms_max);
            for (size_t k = 0; k < n; k++) {
                uint32_t t = terms[k];
                if (t >= in->n_terms || tf[t] == 0)
                    continue;
                double v = (double)counts[k] / (double)tf[t];
                acc[t] += fabs(v - share) - share;
            }
        }
        if (in->docs_read)
            in->docs_read(in->docs_owner, batch, in->n_docs);
    }
    fs_term_row *rows = j->a->terms + j->first[s];
    size_t m = 0;
    for (size_t t = 0; t < in->n_terms; t++) {
        if (tf[t] == 0)
            continue;
        fs_term_row *r = &rows[m++];
        r->term = j->a->vocab[t];
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
        fs_status st = disp_source(j, s, j->acc[worker], j->vec[worker]);
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
    j.vec = calloc(nw, sizeof *j.vec);
    size_t rows = 0;
    if (!ndocs || !first || !j.acc || !j.vec)
        goto nomem;
    for (size_t w = 0; w < nw; w++)
        if (!(j.acc[w] = calloc(in->n_terms ? in->n_terms : 1, sizeof *j.acc[w])) ||
            !(j.vec[w] = malloc((2 * in->doc_terms_max + 1) * sizeof *j.vec[w])))
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
    a->n_terms = rows;
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
    for (size_t w = 0; j.vec && w < nw; w++)
        free(j.vec[w]);
    free(j.acc);
    free(j.vec);
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

/* Each term's position in byte order, for terms whose ids are not in that order (hand-made
 * inputs): pairs then order by ranks, as by text, without comparing strings. */
static uint32_t *text_ranks(const fs_stats_input *in)
{
    const char **by_text = malloc((in->n_terms ? in->n_terms : 1) * sizeof *by_text);
    uint32_t *rank = malloc((in->n_terms ? in->n_terms : 1) * sizeof *rank);
    if (!by_text || !rank) {
        free(by_text);
        free(rank);
        return NULL;
    }
    memcpy(by_text, in->terms, in->n_terms * sizeof *by_text);
    qsort(by_text, in->n_terms, sizeof *by_text, cmp_str);
    /* Equal texts share the rank of the first: they compare equal, as strcmp has them. */
    for (size_t t = 0; t < in->n_terms; t++) {
        const char *const *hit = bsearch(&in->terms[t], by_text, in->n_terms, sizeof *by_text,
                                         cmp_str);
        /* bsearch may land on any of equal texts: step back to the first. */
        while (hit > by_text && strcmp(hit[-1], *hit) == 0)
            hit--;
        rank[t] = (uint32_t)(hit - by_text);
    }
    free(by_text);
    return rank;
}

/* A kept pair and its sort key (ranks of term_a, term_b), to sort one source's pairs into table
 * order when ids are not in byte order. */
typedef struct keyed_pair {
    uint64_t key;
    fs_cooc_pair p;
} keyed_pair;

static int cmp_keyed(const void *x, const void *y)
{
    uint64_t a = ((const keyed_pair *)x)->key, b = ((const keyed_pair *)y)->key;
    return (a > b) - (a < b);
}

/* The table is built per source in two passes (count the kept pairs and the focus rows, then
 * fill them at the source's offsets), each source by one task. */
typedef struct colloc_job {
    const fs_stats_input *in;
    const bool *focus;
    const uint32_t *rank; /* byte-order rank of each term; NULL: the id is the rank */
    uint64_t min_pair;
    size_t *count;        /* per source: pairs kept */
    size_t *n_focus;      /* per source: of them involving a focus term */
    size_t *first_focus;  /* per source: its first focus row */
    bool *sorted;         /* per source: kept pairs come in table order (no sort needed) */
    fs_analysis *a;
    bool fill;            /* second pass */
} colloc_job;

static fs_stats_pair pair_at(const fs_stats_input *in, size_t s, size_t i)
{
    fs_stats_pair p;
    if (in->pair_at)
        in->pair_at(in->pair_owner, s, i, &p);
    else
        p = in->pairs[s][i];
    return p;
}

static bool keep_pair(const colloc_job *j, const fs_stats_pair *pr)
{
    const fs_stats_input *in = j->in;
    if (pr->a >= in->n_terms || pr->b >= in->n_terms || pr->count == 0)
        return false;
    return pr->count >= j->min_pair || j->focus[pr->a] || j->focus[pr->b];
}

static uint32_t rank_of(const colloc_job *j, uint32_t id)
{
    return j->rank ? j->rank[id] : id;
}

/* The pair with its ids in byte order of their terms. */
static fs_cooc_pair pair_order(const colloc_job *j, const fs_stats_pair *pr)
{
    bool swap = rank_of(j, pr->a) > rank_of(j, pr->b);
    return (fs_cooc_pair){swap ? pr->b : pr->a, swap ? pr->a : pr->b, pr->count};
}

static fs_status colloc_count(colloc_job *j, size_t s)
{
    size_t n = 0, nf = 0;
    bool sorted = true;
    uint32_t plo = 0, phi = 0;
    for (size_t i = 0; i < j->in->n_pairs[s]; i++) {
        fs_stats_pair pr = pair_at(j->in, s, i);
        if (!keep_pair(j, &pr))
            continue;
        fs_cooc_pair p = pair_order(j, &pr);
        uint32_t lo = rank_of(j, p.a), hi = rank_of(j, p.b);
        if (n > 0 && !(lo > plo || (lo == plo && hi > phi)))
            sorted = false;
        plo = lo;
        phi = hi;
        n++;
        nf += j->focus[p.a] || j->focus[p.b];
    }
    j->count[s] = n;
    j->n_focus[s] = nf;
    j->sorted[s] = sorted;
    return FS_OK;
}

static fs_status colloc_fill(colloc_job *j, size_t s)
{
    const fs_stats_input *in = j->in;
    fs_analysis *a = j->a;
    fs_cooc_pair *pairs = a->cooc.pairs + a->cooc.first[s];
    size_t n = 0;
    for (size_t i = 0; i < in->n_pairs[s]; i++) {
        fs_stats_pair pr = pair_at(in, s, i);
        if (keep_pair(j, &pr))
            pairs[n++] = pair_order(j, &pr);
    }
    /* Pairs of one source sort on their own: the table's order is by source first. */
    if (!j->sorted[s] && n > 1) {
        keyed_pair *k = malloc(n * sizeof *k);
        if (!k)
            return FS_ERR_NOMEM;
        for (size_t i = 0; i < n; i++)
            k[i] = (keyed_pair){(uint64_t)rank_of(j, pairs[i].a) << 32 | rank_of(j, pairs[i].b),
                                pairs[i]};
        qsort(k, n, sizeof *k, cmp_keyed);
        for (size_t i = 0; i < n; i++)
            pairs[i] = k[i].p;
        free(k);
    }
    fs_colloc_row *rows = a->colloc + j->first_focus[s];
    for (size_t i = 0, m = 0; i < n; i++)
        if (j->focus[pairs[i].a] || j->focus[pairs[i].b])
            fs_cooc_row(a, a->cooc.first[s] + i, &rows[m++]);
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

static size_t find_source(const size_t *first, size_t ns, size_t i)
{
    size_t lo = 0, hi = ns; /* first[lo] <= i < first[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (first[mid] <= i)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

void fs_cooc_row(const fs_analysis *a, size_t i, fs_colloc_row *out)
{
    const fs_cooc_table *c = &a->cooc;
    size_t s = find_source(c->first, a->n_sources, i);
    const fs_cooc_pair *p = &c->pairs[i];
    const uint64_t *tf = c->tf + s * a->n_vocab;
    out->source = s;
    out->term_a = a->vocab[p->a];
    out->term_b = a->vocab[p->b];
    out->count = p->count;
    out->count_a = tf[p->a];
    out->count_b = tf[p->b];
    out->pmi = fs_stats_pmi((double)out->count, (double)out->count_a, (double)out->count_b,
                            (double)a->sources[s].content_tokens, a->params.window);
    out->log_dice = fs_stats_log_dice((double)out->count, (double)out->count_a,
                                      (double)out->count_b);
    out->focus = c->focus[p->a] || c->focus[p->b];
}

fs_status fs_stats_colloc(const fs_config *cfg, const fs_stats_input *in, fs_analysis *a,
                          fs_error *err)
{
    fs_status st = FS_OK;
    size_t ns = (in->pairs || in->pair_at) && in->n_pairs ? in->n_sources : 0;
    size_t nt = in->n_terms;
    fs_cooc_table *c = &a->cooc;
    uint32_t *rank = NULL;
    colloc_job j = {.in = in, .a = a};
    c->focus = calloc(nt ? nt : 1, sizeof *c->focus);
    c->first = calloc(ns + 1, sizeof *c->first);
    j.count = calloc(ns ? ns : 1, sizeof *j.count);
    j.n_focus = calloc(ns ? ns : 1, sizeof *j.n_focus);
    j.first_focus = calloc(ns ? ns : 1, sizeof *j.first_focus);
    j.sorted = calloc(ns ? ns : 1, sizeof *j.sorted);
    if (!c->focus || !c->first || !j.count || !j.n_focus || !j.first_focus || !j.sorted)
        goto nomem;
    j.focus = c->focus;
    if (!fs_stats_terms_ordered(in) && !(rank = text_ranks(in)))
        goto nomem;
    j.rank = rank;
    for (size_t f = 0; f < cfg->analysis.n_focus; f++) {
        long id = j.rank ? -1 : find_term(in, cfg->analysis.focus[f]);
        for (size_t t = 0; j.rank && t < nt && id < 0; t++) /* unordered: no binary search */
            if (strcmp(in->terms[t], cfg->analysis.focus[f]) == 0)
                id = (long)t;
        if (id >= 0)
            c->focus[id] = true;
    }
    j.min_pair = cfg->analysis.min_pair_count > 0 ? (uint64_t)cfg->analysis.min_pair_count : 1;

    if ((st = fs_parallel_for(in->ctx, ns, 1, colloc_range, &j)) != FS_OK)
        goto fail;
    size_t rows = 0, focus_rows = 0;
    for (size_t s = 0; s < ns; s++) {
        c->first[s] = rows;
        j.first_focus[s] = focus_rows;
        rows += j.count[s];
        focus_rows += j.n_focus[s];
    }
    c->first[ns] = rows;
    c->pairs = malloc((rows ? rows : 1) * sizeof *c->pairs);
    size_t cells = ns * nt;
    c->tf = malloc((cells ? cells : 1) * sizeof *c->tf);
    a->colloc = calloc(focus_rows ? focus_rows : 1, sizeof *a->colloc);
    if (!c->pairs || !c->tf || !a->colloc)
        goto nomem;
    if (cells)
        memcpy(c->tf, in->tf, cells * sizeof *c->tf);
    c->n_rows = rows;
    a->n_colloc = focus_rows;
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
    if (st != FS_OK) /* a table with unfilled pairs must not be written */
        c->n_rows = a->n_colloc = 0;
    free(rank);
    free(j.count);
    free(j.n_focus);
    free(j.first_focus);
    free(j.sorted);
    return st;
}
