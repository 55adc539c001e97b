/* count_bench.c: times the stages `analyze count` runs (load, clean, count, save) on a config,
 * until the CLI's count subcommand exists; also a tokenize-only pass for reference.
 * Usage: count_bench CONFIG OUT_COUNTS THREADS. Prints one "stage seconds MB/s" line each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "framescope/clean.h"
#include "framescope/config.h"
#include "framescope/corpus.h"
#include "framescope/count.h"
#include "framescope/tokenize.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void log_line(void *user, fs_log_level level, const char *msg)
{
    (void)user;
    if (level <= FS_LOG_WARN || getenv("BENCH_DEBUG"))
        fprintf(stderr, "%s\n", msg);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: count_bench CONFIG OUT THREADS\n");
        return 2;
    }
    fs_ctx ctx = {log_line, NULL, FS_LOG_DEBUG, atoi(argv[3]), NULL};
    fs_config *cfg = NULL;
    fs_corpus *corpus = NULL;
    fs_clean_result *clean = NULL;
    fs_counts *counts = NULL;
    fs_tokenizer *tk = NULL;
    fs_error err;
    int rc = 1;
    if (fs_config_load(argv[1], &cfg, &err) != FS_OK)
        goto fail;
    double t0 = now();
    if (fs_corpus_load(cfg, &ctx, &corpus, &err) != FS_OK)
        goto fail;
    double t1 = now();
    if (fs_clean_run(cfg, &ctx, corpus, &clean, &err) != FS_OK)
        goto fail;
    double t2 = now();
    if (fs_count_run(cfg, &ctx, corpus, clean, NULL, &counts, &err) != FS_OK)
        goto fail;
    double t3 = now();
    if (fs_counts_save(counts, argv[2], &err) != FS_OK)
        goto fail;
    double t4 = now();
    double raw = 0, text = 0;
    for (size_t i = 0; i < corpus->n_docs; i++) {
        raw += (double)corpus->docs[i].len;
        text += (double)clean->docs[i].len;
    }
    /* Tokenize only, one thread, same texts. */
    if (fs_tokenizer_create(&cfg->analysis, &tk, &err) != FS_OK)
        goto fail;
    fs_tokens toks = FS_TOKENS_INIT;
    size_t nterms = 0;
    double t5 = now();
    for (size_t i = 0; i < corpus->n_docs; i++) {
        if (fs_tokenize(tk, clean->docs[i].text, clean->docs[i].len, 0, &toks) != FS_OK)
            goto fail;
        nterms += toks.n;
    }
    double t6 = now();
    fs_tokens_free(&toks);
    const double MB = 1024.0 * 1024.0;
    uint64_t tokens = 0, content = 0;
    for (size_t s = 0; s < fs_counts_n_sources(counts); s++) {
        tokens += fs_counts_tokens(counts, s);
        content += fs_counts_content_tokens(counts, s);
    }
    printf("documents %zu, text %.1f MB (raw %.1f MB), tokens %llu, content %llu, types %zu, "
           "pairs(s0) %zu, pruned %d\n",
           corpus->n_docs, text / MB, raw / MB, (unsigned long long)tokens,
           (unsigned long long)content, fs_counts_n_terms(counts), fs_counts_n_pairs(counts, 0),
           fs_counts_cooc_pruned(counts));
    printf("load      %7.2f s  %7.1f MB/s\n", t1 - t0, raw / MB / (t1 - t0));
    printf("clean     %7.2f s  %7.1f MB/s\n", t2 - t1, raw / MB / (t2 - t1));
    printf("count     %7.2f s  %7.1f MB/s  (%d threads, window %d, tokenize+tf/df+cooc+frames+kwic)\n",
           t3 - t2, text / MB / (t3 - t2), ctx.threads, cfg->analysis.window);
    printf("save      %7.2f s\n", t4 - t3);
    printf("pipeline  %7.2f s  %7.1f MB/s  (load+clean+count+save)\n", t4 - t0, raw / MB / (t4 - t0));
    printf("tokenize  %7.2f s  %7.1f MB/s  (1 thread, %zu terms)\n", t6 - t5, text / MB / (t6 - t5),
           nterms);
    rc = 0;
    goto done;
fail:
    fprintf(stderr, "count_bench: %s: %s\n", err.where, err.msg);
done:
    fs_tokenizer_free(tk);
    fs_counts_free(counts);
    fs_clean_free(clean);
    fs_corpus_free(corpus);
    fs_config_free(cfg);
    return rc;
}
