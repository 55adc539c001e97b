/**
 * ctx.h: the run context passed to every stage instead of globals: a log sink, verbosity,
 * the thread budget and the interrupt flag set by main's signal handler.
 *
 * Library code logs only through fs_log(); the sink (main.c) decides where lines go.
 */
#ifndef FRAMESCOPE_CTX_H
#define FRAMESCOPE_CTX_H

#include <signal.h>

typedef enum fs_log_level { FS_LOG_ERROR, FS_LOG_WARN, FS_LOG_INFO, FS_LOG_DEBUG } fs_log_level;

typedef void (*fs_log_fn)(void *user, fs_log_level level, const char *msg);
/* Progress of a long stage: `done` of `total` units (files, documents). */
typedef void (*fs_progress_fn)(void *user, const char *stage, unsigned long long done,
                               unsigned long long total);

typedef struct fs_ctx {
    fs_log_fn log;                          /* NULL: discard */
    void *log_user;
    fs_log_level verbosity;                 /* lines above this level are dropped */
    int threads;                            /* worker threads for counting (>= 1) */
    volatile sig_atomic_t *interrupted;     /* non-zero once a signal arrived; may be NULL */
    fs_progress_fn progress;                /* NULL: no progress display (not a terminal) */
    void *progress_user;
} fs_ctx;

/** Formats one line and hands it to ctx->log if `level` is within ctx->verbosity. NULL ctx ok. */
void fs_log(const fs_ctx *ctx, fs_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Reports progress to ctx->progress when set; cheap enough to call per document. */
void fs_progress(const fs_ctx *ctx, const char *stage, unsigned long long done,
                 unsigned long long total);

/** Non-zero when the run should stop (signal received). */
int fs_ctx_interrupted(const fs_ctx *ctx);

#endif
