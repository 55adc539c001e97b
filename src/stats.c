/* stats.c: builds the immutable fs_analysis from plain count arrays (fs_stats_input), running
 * the measure stages in a fixed order, and frees it. The adapter from fs_counts is
 * stats_counts.c, so that this file and the stages link and test without a counting engine. */
#include "stats_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "framescope/version.h"

char *fs_stats_strdup(const char *s, bool *failed)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (!p) {
        *failed = true;
        return NULL;
    }
    memcpy(p, s, n);
    return p;
}

bool fs_stats_terms_ordered(const fs_stats_input *in)
{
    for (size_t t = 1; t < in->n_terms; t++)
        if (strcmp(in->terms[t - 1], in->terms[t]) >= 0)
            return false;
    return true;
}

/* ===================================== sorting rows ===================================== */

/* A row's rank and its position: sorting these small keys orders the rows without comparing
 * their strings. */
typedef struct rank_key {
    double rank;
    size_t i;
} rank_key;

/* (rank desc, NAN last, position asc). */
static int cmp_rank_key(const void *x, const void *y)
{
    const rank_key *a = x, *b = y;
    bool na = isnan(a->rank), nb = isnan(b->rank);
    if (na != nb)
        return na ? 1 : -1;
    if (!na && a->rank != b->rank)
        return a->rank > b->rank ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

fs_status fs_stats_sort_rows(void *rows, size_t m, size_t size, bool ordered,
                             int (*cmp)(const void *, const void *),
                             double (*rank)(const void *row))
{
    if (m < 2)
        return FS_OK;
    if (!ordered) {
        qsort(rows, m, size, cmp);
        return FS_OK;
    }
    unsigned char *r = rows;
    rank_key *k = malloc(m * sizeof *k);
    unsigned char *tmp = malloc(m * size);
    if (!k || !tmp) {
        free(k);
        free(tmp);
        return FS_ERR_NOMEM;
    }
    for (size_t i = 0; i < m; i++)
        k[i] = (rank_key){rank(r + i * size), i};
    qsort(k, m, sizeof *k, cmp_rank_key);
    for (size_t i = 0; i < m; i++)
        memcpy(tmp + i * size, r + k[i].i * size, size);
    memcpy(rows, tmp, m * size);
    free(k);
    free(tmp);
    return FS_OK;
}

/* ======================================== freeing ======================================== */

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

void fs_analysis_free(fs_analysis *a)
{
    if (!a)
        return;
    free(a->params.stopwords_version);
    free(a->params.framescope_version);
    free(a->params.period);
    for (size_t i = 0; a->sources && i < a->n_sources; i++) {
        free(a->sources[i].id);
        free(a->sources[i].label);
    }
    free(a->sources);
    free_strings(a->frames, a->n_frames);
    free_strings(a->focus, a->n_focus);
    /* Row term strings point into vocab_text: freed once, below. */
    free(a->terms);
    free(a->keyness);
    free(a->colloc);
    free(a->cooc.pairs);
    free(a->cooc.first);
    free(a->cooc.tf);
    free(a->cooc.focus);
    free(a->frame_rows);
    free(a->similarity);
    for (size_t i = 0; a->ca && i < a->n_ca; i++)
        free(a->ca[i].label);
    free(a->ca);
    for (size_t i = 0; a->docs && i < a->n_docs; i++) {
        fs_doc_row *d = &a->docs[i];
        free(d->doc_id);
        free(d->path);
        free(d->outlet);
        free(d->title);
        free(d->author);
        free(d->url);
        free(d->duplicate_of);
        free(d->removals);
    }
    free(a->docs);
    for (size_t i = 0; a->kwic && i < a->n_kwic; i++) {
        free(a->kwic[i].doc_id);
        free(a->kwic[i].left);
        free(a->kwic[i].keyword);
        free(a->kwic[i].right);
    }
    free(a->kwic);
    for (size_t i = 0; a->findings && i < a->n_findings; i++)
        free(a->findings[i].text);
    free(a->findings);
    free(a->vocab);
    free(a->vocab_text);
    free(a);
}

/* ======================================== building ======================================== */

static bool date_before(fs_date x, fs_date y)
{
    if (x.year != y.year)
        return x.year < y.year;
    if (x.month != y.month)
        return x.month < y.month;
    return x.day < y.day;
}

static bool fill_params(const fs_config *cfg, const fs_stats_input *in, const fs_stats_opts *opts,
                        uint64_t total_content, fs_analysis *a)
{
    bool failed = false;
    const fs_analysis_cfg *ac = &cfg->analysis;
    fs_params *p = &a->params;
    p->min_count = ac->min_count;
    p->window = ac->window;
    p->min_pair_count = ac->min_pair_count;
    p->ca_terms = ac->ca_terms;
    p->min_source_tokens = ac->min_source_tokens;
    p->prior_strength = ac->prior_strength > 0 ? ac->prior_strength : (double)total_content;
    p->dedup_threshold = cfg->clean.dedup_threshold;
    p->sentence_cooccurrence = ac->sentence_cooccurrence;
    p->keep_numbers = ac->keep_numbers;
    p->include_undated = cfg->run.include_undated;
    p->stopwords_version = fs_stats_strdup(in->stopwords_version ? in->stopwords_version : "",
                                           &failed);
    p->framescope_version = fs_stats_strdup(FS_VERSION, &failed);
    p->period = fs_stats_strdup(opts && opts->period ? opts->period : "all", &failed);
    return !failed;
}

static bool fill_sources(const fs_config *cfg, const fs_stats_input *in, fs_analysis *a)
{
    bool failed = false;
    a->sources = calloc(in->n_sources ? in->n_sources : 1, sizeof *a->sources);
    if (!a->sources)
        return false;
    a->n_sources = in->n_sources;
    for (size_t s = 0; s < in->n_sources; s++) {
        fs_source_summary *o = &a->sources[s];
        const fs_source_cfg *sc = &cfg->sources[s];
        o->id = fs_stats_strdup(sc->id, &failed);
        o->label = fs_stats_strdup(sc->label ? sc->label : sc->id, &failed);
        memcpy(o->rgb, sc->rgb, sizeof o->rgb);
        o->tokens = in->tokens[s];
        o->content_tokens = in->content_tokens[s];
        for (size_t t = 0; t < in->n_terms; t++)
            o->types += in->tf[s * in->n_terms + t] > 0;
        o->small = o->content_tokens < (uint64_t)(cfg->analysis.min_source_tokens > 0
                                                      ? cfg->analysis.min_source_tokens
                                                      : 0);
    }
    for (size_t d = 0; d < in->n_docs; d++) {
        const fs_doc_info *di = &in->docs[d];
        if (di->source >= in->n_sources)
            continue;
        fs_source_summary *o = &a->sources[di->source];
        o->docs_loaded++;
        if (di->date.year == 0)
            o->undated++;
        if (!di->counted) {
            if (di->duplicate_of)
                o->duplicates++;
            continue;
        }
        o->docs++;
        o->chars_raw += di->chars_raw;
        o->chars_clean += di->chars_clean;
        if (di->date.year != 0) {
            if (o->first.year == 0 || date_before(di->date, o->first))
                o->first = di->date;
            if (o->last.year == 0 || date_before(o->last, di->date))
                o->last = di->date;
        }
    }
    for (size_t s = 0; s < in->n_sources; s++) {
        fs_source_summary *o = &a->sources[s];
        o->removed_share = o->chars_raw > 0
                               ? 1.0 - (double)o->chars_clean / (double)o->chars_raw
                               : NAN;
    }
    return !failed;
}

static bool copy_names(const fs_config *cfg, fs_analysis *a)
{
    bool failed = false;
    const fs_analysis_cfg *ac = &cfg->analysis;
    if (ac->n_frames) {
        a->frames = calloc(ac->n_frames, sizeof *a->frames);
        if (!a->frames)
            return false;
        a->n_frames = ac->n_frames;
        for (size_t f = 0; f < ac->n_frames; f++)
            a->frames[f] = fs_stats_strdup(ac->frames[f].name, &failed);
    }
    if (ac->n_focus) {
        a->focus = calloc(ac->n_focus, sizeof *a->focus);
        if (!a->focus)
            return false;
        a->n_focus = ac->n_focus;
        for (size_t f = 0; f < ac->n_focus; f++)
            a->focus[f] = fs_stats_strdup(ac->focus[f], &failed);
    }
    return !failed;
}

/* Every term's text once, in one block: the rows of the large tables (hundreds of thousands of
 * keyness rows, a term row per term and source) point into it instead of each owning a copy. */
static bool copy_vocab(const fs_stats_input *in, fs_analysis *a)
{
    size_t bytes = 0;
    for (size_t t = 0; t < in->n_terms; t++)
        bytes += strlen(in->terms[t] ? in->terms[t] : "") + 1;
    a->vocab = calloc(in->n_terms ? in->n_terms : 1, sizeof *a->vocab);
    a->vocab_text = malloc(bytes ? bytes : 1);
    if (!a->vocab || !a->vocab_text)
        return false;
    a->n_vocab = in->n_terms;
    char *d = a->vocab_text;
    for (size_t t = 0; t < in->n_terms; t++) {
        const char *v = in->terms[t] ? in->terms[t] : "";
        size_t n = strlen(v) + 1;
        memcpy(d, v, n);
        a->vocab[t] = d;
        d += n;
    }
    return true;
}

static bool copy_docs(const fs_stats_input *in, fs_analysis *a)
{
    bool failed = false;
    if (in->n_docs) {
        a->docs = calloc(in->n_docs, sizeof *a->docs);
        if (!a->docs)
            return false;
        a->n_docs = in->n_docs;
    }
    for (size_t d = 0; d < in->n_docs; d++) {
        const fs_doc_info *di = &in->docs[d];
        fs_doc_row *o = &a->docs[d];
        o->doc_id = fs_stats_strdup(di->id, &failed);
        o->path = fs_stats_strdup(di->path, &failed);
        o->outlet = fs_stats_strdup(di->outlet, &failed);
        o->title = fs_stats_strdup(di->title, &failed);
        o->author = fs_stats_strdup(di->author, &failed);
        o->url = fs_stats_strdup(di->url, &failed);
        o->duplicate_of = fs_stats_strdup(di->duplicate_of, &failed);
        o->removals = fs_stats_strdup(di->removals ? di->removals : "", &failed);
        o->source = di->source;
        o->date = di->date;
        memcpy(o->sha256, di->sha256, sizeof o->sha256);
        o->sha256[sizeof o->sha256 - 1] = '\0';
        o->chars_raw = di->chars_raw;
        o->chars_clean = di->chars_clean;
        o->tokens = di->tokens;
        o->similarity = di->similarity;
        o->counted = di->counted;
    }
    if (in->n_kwic) {
        a->kwic = calloc(in->n_kwic, sizeof *a->kwic);
        if (!a->kwic)
            return false;
        a->n_kwic = in->n_kwic;
    }
    for (size_t k = 0; k < in->n_kwic; k++) {
        const fs_kwic *kw = &in->kwic[k];
        fs_kwic_row *o = &a->kwic[k];
        o->source = kw->source;
        o->focus = kw->focus;
        o->doc_id = fs_stats_strdup(kw->doc < in->n_docs ? in->docs[kw->doc].id : "", &failed);
        o->left = fs_stats_strdup(kw->left ? kw->left : "", &failed);
        o->keyword = fs_stats_strdup(kw->keyword ? kw->keyword : "", &failed);
        o->right = fs_stats_strdup(kw->right ? kw->right : "", &failed);
    }
    return !failed;
}

fs_status fs_stats_build(const fs_config *cfg, const fs_stats_input *in,
                         const fs_stats_opts *opts, fs_analysis **out, fs_error *err)
{
    fs_status st = FS_OK;
    uint64_t *corpus_tf = NULL;
    bool *tested = NULL;
    *out = NULL;
    /* GSL's default handler aborts; library code must return instead. main normally turns it
     * off once, but the builder cannot rely on its caller, so it does so for its own duration. */
    gsl_error_handler_t *old_handler = gsl_set_error_handler_off();
    fs_analysis *a = NULL;
    if (in->n_sources != cfg->n_sources || in->n_frames != cfg->analysis.n_frames) {
        st = fs_error_set(err, FS_ERR_INTERNAL, "stats",
                          "counts have %zu sources and %zu frames, the config %zu and %zu",
                          in->n_sources, in->n_frames, cfg->n_sources, cfg->analysis.n_frames);
        goto done;
    }
    a = calloc(1, sizeof *a);
    corpus_tf = calloc(in->n_terms ? in->n_terms : 1, sizeof *corpus_tf);
    tested = calloc(in->n_terms ? in->n_terms : 1, sizeof *tested);
    if (!a || !corpus_tf || !tested)
        goto nomem;

    for (size_t s = 0; s < in->n_sources; s++) {
        a->total_tokens += in->tokens[s];
        a->total_content_tokens += in->content_tokens[s];
        for (size_t t = 0; t < in->n_terms; t++)
            corpus_tf[t] += in->tf[s * in->n_terms + t];
    }
    /* A term never seen cannot be tested, whatever min_count says. */
    uint64_t min_count = cfg->analysis.min_count > 1 ? (uint64_t)cfg->analysis.min_count : 1;
    for (size_t t = 0; t < in->n_terms; t++)
        tested[t] = corpus_tf[t] >= min_count;

    if (!fill_params(cfg, in, opts, a->total_content_tokens, a) || !fill_sources(cfg, in, a) ||
        !copy_names(cfg, a) || !copy_docs(in, a) || !copy_vocab(in, a))
        goto nomem;
    a->total_docs = in->n_docs;
    for (size_t s = 0; s < a->n_sources; s++)
        a->total_duplicates += a->sources[s].duplicates;
    if (opts) {
        a->skipped_lines = opts->skipped_lines;
        a->skipped_files = opts->skipped_files;
        a->invalid_bytes = opts->invalid_bytes;
    }
    a->cooc_pruned = in->cooc_pruned;
    /* No claim is supported when every source is below the size threshold. */
    a->too_small = true;
    for (size_t s = 0; s < a->n_sources; s++)
        if (!a->sources[s].small)
            a->too_small = false;

    if ((st = fs_stats_dispersion(in, a, err)) != FS_OK ||
        (st = fs_stats_keyness(cfg, in, tested, a, err)) != FS_OK ||
        (st = fs_stats_colloc(cfg, in, a, err)) != FS_OK ||
        (st = fs_stats_frames(in, a, err)) != FS_OK ||
        (st = fs_stats_similarity(cfg, in, tested, corpus_tf, a, err)) != FS_OK ||
        (st = fs_stats_findings(a, err)) != FS_OK)
        goto done;
    *out = a;
    a = NULL;
    goto done;
nomem:
    st = fs_error_set(err, FS_ERR_NOMEM, "stats", "out of memory");
done:
    gsl_set_error_handler(old_handler);
    fs_analysis_free(a);
    free(corpus_tf);
    free(tested);
    return st;
}
