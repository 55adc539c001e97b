/* ctx.c: logging through the run context. */
#include "framescope/ctx.h"

#include <stdarg.h>
#include <stdio.h>

void fs_log(const fs_ctx *ctx, fs_log_level level, const char *fmt, ...)
{
    if (!ctx || !ctx->log || level > ctx->verbosity)
        return;
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    ctx->log(ctx->log_user, level, line);
}

int fs_ctx_interrupted(const fs_ctx *ctx)
{
    return ctx && ctx->interrupted && *ctx->interrupted;
}

void fs_progress(const fs_ctx *ctx, const char *stage, unsigned long long done,
                 unsigned long long total)
{
    if (ctx && ctx->progress)
        ctx->progress(ctx->progress_user, stage, done, total);
}
