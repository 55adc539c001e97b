/* parallel.c: chunked parallel loop over an index range (see parallel.h). */
#include "framescope/parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct loop {
    const fs_ctx *ctx;
    size_t n, chunk;
    fs_range_fn fn;
    void *user;
    atomic_size_t next;
    atomic_int stop;
    pthread_mutex_t lock;
    size_t fail_at;       /* start of the lowest failing chunk, SIZE_MAX: none */
    fs_status fail_st;
} loop;

typedef struct lane {
    loop *l;
    size_t worker;
} lane;

static void record(loop *l, size_t at, fs_status st)
{
    pthread_mutex_lock(&l->lock);
    if (at < l->fail_at) {
        l->fail_at = at;
        l->fail_st = st;
    }
    pthread_mutex_unlock(&l->lock);
    atomic_store(&l->stop, 1);
}

static void *run_lane(void *arg)
{
    lane *ln = arg;
    loop *l = ln->l;
    while (!atomic_load(&l->stop)) {
        size_t first = atomic_fetch_add(&l->next, l->chunk);
        if (first >= l->n)
            break;
        if (fs_ctx_interrupted(l->ctx)) {
            record(l, first, FS_ERR_INTERRUPTED);
            break;
        }
        size_t last = l->n - first > l->chunk ? first + l->chunk : l->n;
        fs_status st = l->fn(l->user, ln->worker, first, last);
        if (st != FS_OK) {
            record(l, first, st);
            break;
        }
    }
    return NULL;
}

size_t fs_parallel_workers(const fs_ctx *ctx, size_t n, size_t chunk)
{
    size_t nw = ctx && ctx->threads > 1 ? (size_t)ctx->threads : 1;
    size_t chunks = chunk ? (n + chunk - 1) / chunk : 1;
    if (nw > chunks)
        nw = chunks ? chunks : 1;
    return nw > 256 ? 256 : nw;
}

fs_status fs_parallel_for(const fs_ctx *ctx, size_t n, size_t chunk, fs_range_fn fn, void *user)
{
    if (chunk == 0)
        chunk = 1;
    size_t nw = fs_parallel_workers(ctx, n, chunk);
    loop l = {.ctx = ctx, .n = n, .chunk = chunk, .fn = fn, .user = user,
              .fail_at = SIZE_MAX, .fail_st = FS_OK};
    atomic_init(&l.next, 0);
    atomic_init(&l.stop, 0);
    if (pthread_mutex_init(&l.lock, NULL) != 0)
        return FS_ERR_INTERNAL;
    lane lanes[256];
    pthread_t threads[256];
    size_t started = 0;
    lanes[0] = (lane){&l, 0}; /* nw >= 1: the caller always works */
    for (size_t w = 1; w < nw; w++)
        lanes[w] = (lane){&l, w};
    for (size_t w = 1; w < nw; w++, started++)
        if (pthread_create(&threads[started], NULL, run_lane, &lanes[w]) != 0)
            break;
    run_lane(&lanes[0]); /* the calling thread is worker 0 */
    for (size_t w = 0; w < started; w++)
        pthread_join(threads[w], NULL);
    /* Workers that could not start left their chunks to the others: nothing is skipped. */
    pthread_mutex_destroy(&l.lock);
    return l.fail_at == SIZE_MAX ? FS_OK : l.fail_st;
}
