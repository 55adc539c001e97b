/* pipeline.c: a run as a sequence of stages, each logged with its elapsed time. */
#include "framescope/pipeline.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "framescope/analysis.h"
#include "framescope/clean.h"
#include "framescope/config.h"
#include "framescope/corpus.h"
#include "framescope/count.h"
#include "framescope/email.h"
#include "framescope/export.h"
#include "framescope/fileio.h"
#include "framescope/history.h"
#include "framescope/period.h"
#include "framescope/report.h"
#include "framescope/stats.h"

/* ---- timing and small helpers ---- */

static double clock_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static fs_status check_interrupt(const fs_ctx *ctx, fs_error *err)
{
    if (fs_ctx_interrupted(ctx))
        return fs_error_set(err, FS_ERR_INTERRUPTED, "", "interrupted by a signal");
    return FS_OK;
}

static void date_str(time_t t, char *buf, size_t n)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%d", &tm);
}

/* Replaces the extension of `path` (or appends) with `ext` (".eml"). */
static char *with_extension(const char *path, const char *ext)
{
    const char *base = fs_path_basename(path);
    const char *dot = strrchr(base, '.');
    size_t stem = dot ? (size_t)(dot - path) : strlen(path);
    char *p = malloc(stem + strlen(ext) + 1);
    if (p) {
        memcpy(p, path, stem);
        strcpy(p + stem, ext);
    }
    return p;
}

/* ---- the output lock ---- */

/* Holds an exclusive flock on a hidden file beside the PDF for the whole output phase, so a
 * second run aimed at the same report fails at once instead of interleaving renames. */
static fs_status lock_output(const fs_config *cfg, const char *pdf_path, int *fd, fs_error *err)
{
    char *path = NULL;
    if (cfg->run.lock_file) {
        path = strdup(cfg->run.lock_file);
    } else {
        char *dir = fs_path_dirname(pdf_path);
        const char *base = fs_path_basename(pdf_path);
        if (dir) {
            size_t n = strlen(dir) + strlen(base) + 8;
            path = malloc(n);
            if (path)
                snprintf(path, n, "%s/.%s.lock", dir, base);
        }
        free(dir);
    }
    if (!path)
        return fs_error_set(err, FS_ERR_NOMEM, "", "out of memory");
    char *dir = fs_path_dirname(path);
    fs_status st = dir ? fs_mkdir_p(dir, err) : FS_ERR_NOMEM;
    free(dir);
    if (st != FS_OK) {
        free(path);
        return st;
    }
    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (*fd < 0) {
        st = fs_error_set(err, FS_ERR_OUTPUT, path, "cannot open lock file: %s", strerror(errno));
    } else if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(*fd);
        *fd = -1;
        st = e == EWOULDBLOCK
                 ? fs_error_set(err, FS_ERR_LOCKED, path,
                                "another run is writing %s; try again when it has finished",
                                pdf_path)
                 : fs_error_set(err, FS_ERR_OUTPUT, path, "cannot lock: %s", strerror(e));
    }
    free(path);
    return st;
}

static void unlock_output(int fd)
{
    if (fd >= 0)
        close(fd); /* releases the flock */
}

/* ---- stages ---- */

typedef struct run_state {
    fs_config *cfg;
    fs_corpus *corpus;
    fs_clean_result *clean;
    bool *select;
    fs_counts *counts;
    fs_analysis *analysis;
    fs_changes *changes;
    fs_period period;
    size_t skipped_lines, skipped_files, invalid_bytes; /* kept from the corpus for the report */
    double t0;
} run_state;

static void state_free(run_state *s)
{
    fs_changes_free(s->changes);
    fs_analysis_free(s->analysis);
    fs_counts_free(s->counts);
    free(s->select);
    fs_clean_free(s->clean);
    fs_corpus_free(s->corpus);
    fs_config_free(s->cfg);
    memset(s, 0, sizeof *s);
}

static fs_status stage_ingest(run_state *s, const fs_ctx *ctx, fs_error *err)
{
    double t = clock_s();
    fs_status st = fs_corpus_load(s->cfg, ctx, &s->corpus, err);
    if (st != FS_OK)
        return st;
    size_t bytes = 0;
    for (size_t i = 0; i < s->corpus->n_docs; i++)
        bytes += s->corpus->docs[i].len;
    fs_log(ctx, FS_LOG_INFO,
           "ingest: %zu documents, %.1f KB, %zu undated, %zu skipped files, %zu skipped lines "
           "(%.3f s)",
           s->corpus->n_docs, (double)bytes / 1024.0, s->corpus->undated,
           s->corpus->skipped_files, s->corpus->skipped_lines, clock_s() - t);
    /* A source whose inputs all turned out unreadable or binary stays in the report with zero
     * counts; say so once, since its absence from every table would otherwise be silent. */
    for (size_t src = 0; src < s->cfg->n_sources; src++) {
        size_t n = 0;
        for (size_t i = 0; i < s->corpus->n_docs; i++)
            n += s->corpus->docs[i].source == src;
        if (n == 0)
            fs_log(ctx, FS_LOG_WARN, "source '%s' (%s): no readable document; it is reported with "
                   "zero counts", s->cfg->sources[src].id, s->cfg->sources[src].label);
    }
    return check_interrupt(ctx, err);
}

static fs_status stage_clean(run_state *s, const fs_ctx *ctx, fs_error *err)
{
    double t = clock_s();
    /* The clean texts take over the raw texts' buffers: the corpus is never held twice. */
    fs_status st = fs_clean_run_take(s->cfg, ctx, s->corpus, &s->clean, err);
    if (st != FS_OK)
        return st;
    size_t raw = 0, kept = 0, dups = 0;
    for (size_t i = 0; i < s->clean->n_docs; i++) {
        raw += s->corpus->docs[i].chars_raw;
        kept += s->clean->docs[i].chars_clean;
        dups += s->clean->docs[i].duplicate_of >= 0 && s->clean->docs[i].excluded;
    }
    fs_log(ctx, FS_LOG_INFO, "clean: removed %.1f%% of characters, %zu duplicates merged (%.3f s)",
           raw ? 100.0 * (double)(raw - kept) / (double)raw : 0.0, dups, clock_s() - t);
    return check_interrupt(ctx, err);
}

/* Marks the documents inside the period; undated ones follow run.include_undated. */
static fs_status stage_select(run_state *s, const fs_ctx *ctx, fs_error *err)
{
    size_t n = s->corpus->n_docs, chosen = 0, undated = 0, dated_in = 0;
    s->select = calloc(n ? n : 1, sizeof *s->select);
    if (!s->select)
        return fs_error_set(err, FS_ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; i < n; i++) {
        const fs_doc *d = &s->corpus->docs[i];
        bool dated = d->date.year != 0;
        s->select[i] = s->period.all || (dated ? fs_period_contains(&s->period, d->date)
                                               : s->cfg->run.include_undated);
        bool counted = s->select[i] && !s->clean->docs[i].excluded;
        undated += counted && !dated;
        dated_in += counted && dated;
        chosen += counted;
    }
    if (!s->period.all)
        fs_log(ctx, FS_LOG_INFO, "period %s: %zu documents selected (%zu undated %s)",
               s->period.label, chosen, undated,
               s->cfg->run.include_undated ? "included" : "excluded");
    /* Undated documents alone do not make a period: they would fill every month's report. */
    if (chosen == 0 || (!s->period.all && dated_in == 0))
        return fs_error_set(err, FS_ERR_INPUT, s->cfg->path,
                            "period %s selects no documents; nothing written", s->period.label);
    return FS_OK;
}

static fs_status stage_count(run_state *s, const fs_ctx *ctx, fs_error *err)
{
    double t = clock_s();
    /* Each clean text is freed once counted: memory follows the vocabulary, not the corpus. */
    fs_status st =
        fs_count_run_consume(s->cfg, ctx, s->corpus, s->clean, s->select, &s->counts, err);
    if (st != FS_OK)
        return st;
    uint64_t tokens = 0;
    for (size_t i = 0; i < fs_counts_n_sources(s->counts); i++)
        tokens += fs_counts_tokens(s->counts, i);
    fs_log(ctx, FS_LOG_INFO, "tokenize+count: %llu tokens, %zu terms (%.3f s)",
           (unsigned long long)tokens, fs_counts_n_terms(s->counts), clock_s() - t);
    return check_interrupt(ctx, err);
}

static fs_status stage_stats(run_state *s, const fs_ctx *ctx, fs_error *err)
{
    double t = clock_s();
    fs_stats_opts so = {.period = s->period.label, .skipped_lines = s->skipped_lines,
                        .skipped_files = s->skipped_files, .invalid_bytes = s->invalid_bytes};
    fs_status st = fs_stats_run(s->cfg, ctx, s->counts, &so, &s->analysis, err);
    if (st != FS_OK)
        return st;
    fs_log(ctx, FS_LOG_INFO, "stats: %zu keyness rows, %zu collocations, %zu findings (%.3f s)",
           s->analysis->n_keyness, s->analysis->cooc.n_rows, s->analysis->n_findings,
           clock_s() - t);
    return check_interrupt(ctx, err);
}

/* Loads counts from the corpus (ingest, clean, select, count) or from a counts file. */
static fs_status load_counts(run_state *s, const fs_run_opts *o, const fs_ctx *ctx, fs_error *err)
{
    fs_status st;
    if (o->from_counts) {
        double t = clock_s();
        if ((st = fs_counts_load(o->from_counts, &s->counts, err)) != FS_OK)
            return st;
        if (fs_counts_n_sources(s->counts) != s->cfg->n_sources)
            return fs_error_set(err, FS_ERR_INPUT, o->from_counts,
                                "counts have %zu sources but the config has %zu",
                                fs_counts_n_sources(s->counts), s->cfg->n_sources);
        fs_log(ctx, FS_LOG_INFO, "counts: loaded %s (%.3f s)", o->from_counts, clock_s() - t);
        return FS_OK;
    }
    if ((st = stage_ingest(s, ctx, err)) != FS_OK || (st = stage_clean(s, ctx, err)) != FS_OK ||
        (st = stage_select(s, ctx, err)) != FS_OK || (st = stage_count(s, ctx, err)) != FS_OK)
        return st;
    /* The counts hold every document's provenance now: the corpus, its cleaning record and
     * the text spool can go before statistics and output need their memory. */
    s->skipped_lines = s->corpus->skipped_lines;
    s->skipped_files = s->corpus->skipped_files;
    s->invalid_bytes = s->corpus->invalid_bytes;
    free(s->select);
    fs_clean_free(s->clean);
    fs_corpus_free(s->corpus);
    s->select = NULL;
    s->clean = NULL;
    s->corpus = NULL;
    return FS_OK;
}

static fs_status setup(run_state *s, const fs_run_opts *o, const fs_ctx *ctx, fs_error *err)
{
    memset(s, 0, sizeof *s);
    s->t0 = clock_s();
    fs_status st = fs_period_parse(o->period, o->from, o->to, o->now, &s->period, err);
    if (st != FS_OK)
        return st;
    if (o->from_counts && !s->period.all)
        return fs_error_set(err, FS_ERR_USAGE, "--from-counts",
                            "a period cannot be applied to counts; count the period instead");
    if ((st = fs_config_load(o->config_path, &s->cfg, err)) != FS_OK)
        return st;
    fs_log(ctx, FS_LOG_DEBUG, "config %s: %zu sources", o->config_path, s->cfg->n_sources);
    return FS_OK;
}

/* ---- outputs ---- */

static fs_status write_outputs(run_state *s, const fs_run_opts *o, const fs_ctx *ctx,
                               const char *pdf_path, fs_run_result *res, fs_error *err)
{
    fs_status st;
    double t = clock_s();
    if (o->export_dir) {
        if ((st = fs_export_write(s->analysis, o->export_dir, err)) != FS_OK)
            return st;
        fs_log(ctx, FS_LOG_INFO, "export: %s (%.3f s)", o->export_dir, clock_s() - t);
    }
    const char *hist = s->cfg->run.history_dir;
    if (hist && !s->period.all) {
        char *prev_path = NULL, *prev_period = NULL;
        st = fs_history_find_previous(hist, s->period.label, &prev_path, &prev_period, err);
        if (st == FS_OK && prev_path)
            st = fs_changes_compute(s->analysis, prev_path, prev_period, 5, &s->changes, err);
        free(prev_path);
        free(prev_period);
        if (st != FS_OK)
            return st;
    }
    if ((st = check_interrupt(ctx, err)) != FS_OK)
        return st;
    if (!o->no_pdf) {
        t = clock_s();
        fs_report_opts ro = {.created = o->now, .changes = s->changes};
        fs_report_info info = {0};
        if ((st = fs_report_write(s->cfg, ctx, s->analysis, &ro, pdf_path, &info, err)) != FS_OK)
            return st;
        res->pages = info.pages;
        res->pdf_bytes = info.bytes;
        res->pdf_path = strdup(pdf_path);
        fs_log(ctx, FS_LOG_INFO, "render: %d pages, %.1f KB (%.3f s)", info.pages,
               (double)info.bytes / 1024.0, clock_s() - t);
        char *txt = with_extension(pdf_path, ".txt");
        st = txt ? fs_summary_write_txt(s->cfg, s->analysis, txt, err) : FS_ERR_NOMEM;
        free(txt);
        if (st != FS_OK)
            return st;
        if (s->cfg->email.enabled) {
            char *eml = with_extension(pdf_path, ".eml");
            st = eml ? fs_email_write(s->cfg, s->analysis, pdf_path, eml, o->now, err)
                     : FS_ERR_NOMEM;
            if (st == FS_OK)
                fs_log(ctx, FS_LOG_INFO, "email: %s", eml);
            free(eml);
            if (st != FS_OK)
                return st;
        }
    }
    /* History last: a failed run must not become the baseline of the next one. */
    if (hist && !s->period.all) {
        if ((st = fs_history_store(s->analysis, hist, s->period.label, err)) != FS_OK)
            return st;
    }
    return FS_OK;
}

fs_status fs_pipeline_run(const fs_run_opts *o, const fs_ctx *ctx, fs_run_result *res,
                          fs_error *err)
{
    run_state s;
    char *pdf_path = NULL;
    int lock_fd = -1;
    memset(res, 0, sizeof *res);
    fs_status st = setup(&s, o, ctx, err);
    if (st != FS_OK || o->check_only)
        goto done;
    char today[16];
    date_str(o->now, today, sizeof today);
    pdf_path = fs_config_output_path(s.cfg, o->output, s.period.label, today);
    if (!pdf_path) {
        st = fs_error_set(err, FS_ERR_NOMEM, "", "out of memory");
        goto done;
    }
    if ((st = load_counts(&s, o, ctx, err)) != FS_OK || (st = stage_stats(&s, ctx, err)) != FS_OK)
        goto done;
    if ((st = lock_output(s.cfg, pdf_path, &lock_fd, err)) != FS_OK)
        goto done;
    if ((st = write_outputs(&s, o, ctx, pdf_path, res, err)) != FS_OK)
        goto done;
    for (size_t i = 0; i < s.analysis->n_sources; i++)
        res->documents += s.analysis->sources[i].docs;
    res->sources = s.analysis->n_sources;
    res->tokens = s.analysis->total_tokens;
    res->seconds = clock_s() - s.t0;
done:
    unlock_output(lock_fd);
    free(pdf_path);
    state_free(&s);
    return st;
}

void fs_run_result_free(fs_run_result *res)
{
    free(res->pdf_path);
    res->pdf_path = NULL;
}

fs_status fs_pipeline_count(const fs_run_opts *o, const fs_ctx *ctx, unsigned k, unsigned n,
                            const char *out, fs_error *err)
{
    run_state s;
    fs_status st = setup(&s, o, ctx, err);
    if (st != FS_OK)
        goto done;
    if (n == 0 || k == 0 || k > n) {
        st = fs_error_set(err, FS_ERR_USAGE, "--shard", "expected K/N with 1 <= K <= N");
        goto done;
    }
    /* Every slice loads and cleans the whole corpus, so duplicate detection and the generic
     * repeated-line rule see all documents and each shard agrees with a direct run. */
    if ((st = stage_ingest(&s, ctx, err)) != FS_OK || (st = stage_clean(&s, ctx, err)) != FS_OK ||
        (st = stage_select(&s, ctx, err)) != FS_OK)
        goto done;
    for (size_t i = 0; i < s.corpus->n_docs; i++)
        if (i % n != k - 1)
            s.select[i] = false;
    if ((st = stage_count(&s, ctx, err)) != FS_OK)
        goto done;
    double t = clock_s();
    st = fs_counts_save(s.counts, out, err);
    if (st == FS_OK)
        fs_log(ctx, FS_LOG_INFO, "shard %u/%u written to %s (%.3f s)", k, n, out, clock_s() - t);
done:
    state_free(&s);
    return st;
}

fs_status fs_pipeline_merge(const fs_run_opts *o, const fs_ctx *ctx, const char *const *shards,
                            size_t n_shards, const char *out, fs_error *err)
{
    fs_counts *acc = NULL, *next = NULL;
    fs_config *cfg = NULL;
    fs_status st = fs_config_load(o->config_path, &cfg, err);
    if (st != FS_OK)
        goto done;
    if (n_shards == 0) {
        st = fs_error_set(err, FS_ERR_USAGE, "merge", "no shard files given");
        goto done;
    }
    if ((st = fs_counts_load(shards[0], &acc, err)) != FS_OK)
        goto done;
    for (size_t i = 1; i < n_shards; i++) {
        if ((st = fs_counts_load(shards[i], &next, err)) != FS_OK ||
            (st = fs_counts_merge(acc, next, err)) != FS_OK)
            goto done;
        fs_counts_free(next);
        next = NULL;
    }
    if (fs_counts_n_sources(acc) != cfg->n_sources) {
        st = fs_error_set(err, FS_ERR_INPUT, shards[0], "counts have %zu sources, config has %zu",
                          fs_counts_n_sources(acc), cfg->n_sources);
        goto done;
    }
    double t = clock_s();
    if ((st = fs_counts_save(acc, out, err)) == FS_OK)
        fs_log(ctx, FS_LOG_INFO, "merged %zu shards into %s (%.3f s to write)", n_shards, out,
               clock_s() - t);
done:
    fs_counts_free(next);
    fs_counts_free(acc);
    fs_config_free(cfg);
    return st;
}
