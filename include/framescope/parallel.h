/**
 * parallel.h: a parallel loop over index ranges for the stages that work document by document
 * (clean, dedup). Workers (ctx->threads, pthreads) take chunks of `chunk` indexes in increasing
 * order from a shared counter; the caller's function must only write state owned by its indexes
 * (or by its worker number), so results never depend on the thread count.
 *
 * Errors: the first failing chunk (lowest start index) decides the returned status, so a failure
 * is reported the same way for any thread count. Workers stop taking chunks after a failure or
 * when ctx says the run was interrupted (FS_ERR_INTERRUPTED).
 */
#ifndef FRAMESCOPE_PARALLEL_H
#define FRAMESCOPE_PARALLEL_H

#include <stddef.h>
#include "framescope/ctx.h"
#include "framescope/error.h"

/* Handles indexes [begin, end) on worker `worker` (0 <= worker < fs_parallel_workers()). */
typedef fs_status (*fs_range_fn)(void *user, size_t worker, size_t begin, size_t end);

/** Workers fs_parallel_for will use for `n` indexes in chunks of `chunk` (at least 1). */
size_t fs_parallel_workers(const fs_ctx *ctx, size_t n, size_t chunk);

/** Calls fn over [0, n) in chunks. FS_OK, or the status of the first failing chunk. */
fs_status fs_parallel_for(const fs_ctx *ctx, size_t n, size_t chunk, fs_range_fn fn, void *user);

#endif
