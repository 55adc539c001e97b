/* count_bench.c: times fs_count_run alone (the corpus is loaded and cleaned once), for
 * profiling the counting engine: `count_bench CONFIG THREADS [REPEAT]`. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
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
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: count_bench CONFIG THREADS [REPEAT]\n");
        return 2;
    }
    fs_config *cfg = NULL;
    fs_corpus *corpus = NULL;
    fs_clean_result *clean = NULL;
    fs_error err;
    fs_ctx ctx = {NULL, NULL, FS_LOG_ERROR, atoi(argv[2]), NULL, NULL, NULL};
    int repeat = argc > 3 ? atoi(argv[3]) : 1;
    if (fs_config_load(argv[1], &cfg, &err) != FS_OK ||
        fs_corpus_load(cfg, &ctx, &corpus, &err) != FS_OK ||
        fs_clean_run(cfg, &ctx, corpus, &clean, &err) != FS_OK) {
        fprintf(stderr, "%s: %s\n", err.where, err.msg);
        return 1;
    }
    size_t bytes = 0;
    for (size_t i = 0; i < clean->n_docs; i++)
        bytes += clean->docs[i].len;
    if (argc > 4) { /* tokenizer alone, one thread */
        fs_tokenizer *tk = NULL;
        fs_tokens toks = FS_TOKENS_INIT;
        if (fs_tokenizer_create(&cfg->analysis, &tk, &err) != FS_OK) {
            fprintf(stderr, "%s: %s\n", err.where, err.msg);
            return 1;
        }
        for (int r = 0; r < repeat; r++) {
            double t = now(), t_cpu = cpu();
            size_t n = 0;
            for (size_t i = 0; i < clean->n_docs; i++)
                if (fs_tokenize(tk, clean->docs[i].text, clean->docs[i].len, 0, &toks) == FS_OK)
                    n += toks.n;
            printf("tokenize: %.3f s (cpu %.3f s), %.1f MB/s, %zu tokens\n", now() - t,
                   cpu() - t_cpu, (double)bytes / 1048576.0 / (now() - t), n);
        }
        fs_tokens_free(&toks);
        fs_tokenizer_free(tk);
    }
    for (int r = 0; r < repeat; r++) {
        fs_counts *c = NULL;
        double t = now(), t_cpu = cpu();
        if (fs_count_run(cfg, &ctx, corpus, clean, NULL, &c, &err) != FS_OK) {
            fprintf(stderr, "%s: %s\n", err.where, err.msg);
            return 1;
        }
        double dt = now() - t, dt_cpu = cpu() - t_cpu;
        size_t pairs = 0;
        for (size_t s = 0; s < fs_counts_n_sources(c); s++)
            pairs += fs_counts_n_pairs(c, s);
        printf("count: %.3f s (cpu %.3f s), %.1f MB/s, %zu terms, %zu pairs%s\n", dt, dt_cpu,
               (double)bytes / 1048576.0 / dt, fs_counts_n_terms(c), pairs,
               fs_counts_cooc_pruned(c) ? " (pruned)" : "");
        fs_counts_free(c);
    }
    fs_clean_free(clean);
    fs_corpus_free(corpus);
    fs_config_free(cfg);
    return 0;
}
