/* shard_io.c: the checksum, the writer's flushes and the mapped input of counts files. */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* sync_file_range */
#endif
#include "shard_io.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "framescope/fileio.h"

uint64_t sh_checksum(uint64_t h, const unsigned char *p, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        h = (h ^ sh_le64(p + i)) * SH_FNV_PRIME;
    for (; i < n; i++)
        h = (h ^ p[i]) * SH_FNV_PRIME;
    return h;
}

/* The helper thread and the one buffer it does not hold. Invariant: `spare` is set exactly when
 * the helper has nothing handed over and holds no buffer, so the filling thread waits for it
 * before handing over the next one. */
struct sh_pipe {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned char *spare, *todo; /* returned to the filler; handed to the helper */
    size_t todo_n;
    bool stop;
    FILE *fp;
    uint64_t hash, bytes; /* the helper's until it is joined */
    // cppcheck-suppress unusedStructMember ; used on Linux only
    uint64_t started;     /* bytes whose writeback to the disk has been started */
    bool failed;
};

/* The file's data is made durable (fsync) before the rename that publishes it; starting the
 * writeback of what is already written while the rest is encoded leaves the final fsync only
 * the tail to wait for. Linux only; elsewhere the fsync does it all. */
#define WRITEBACK_STEP ((uint64_t)8 << 20)

static void start_writeback(sh_pipe *pp)
{
#if defined(__linux__)
    if (pp->bytes - pp->started >= WRITEBACK_STEP + 65536) {
        /* stdio may still hold the last few KiB: stay clear of the end */
        uint64_t to = pp->bytes - 65536;
        sync_file_range(fileno(pp->fp), (off_t)pp->started, (off_t)(to - pp->started),
                        SYNC_FILE_RANGE_WRITE);
        pp->started = to;
    }
#else
    (void)pp;
#endif
}

/* Checksums and writes n bytes (a multiple of 8 unless last). */
static void put_out(FILE *fp, uint64_t *hash, uint64_t *bytes, bool *failed,
                    const unsigned char *p, size_t n)
{
    *hash = sh_checksum(*hash, p, n);
    if (n && fwrite(p, 1, n, fp) != n)
        *failed = true;
    *bytes += n;
}

static void *pipe_main(void *arg)
{
    sh_pipe *pp = arg;
    pthread_mutex_lock(&pp->mu);
    for (;;) {
        while (!pp->todo && !pp->stop)
            pthread_cond_wait(&pp->cv, &pp->mu);
        if (!pp->todo)
            break;
        unsigned char *b = pp->todo;
        size_t n = pp->todo_n;
        pp->todo = NULL;
        pthread_mutex_unlock(&pp->mu);
        put_out(pp->fp, &pp->hash, &pp->bytes, &pp->failed, b, n);
        start_writeback(pp);
        pthread_mutex_lock(&pp->mu);
        pp->spare = b;
        pthread_cond_broadcast(&pp->cv);
    }
    pthread_mutex_unlock(&pp->mu);
    return NULL;
}

/* Hands the first m bytes of the buffer to the helper and goes on in the spare one, starting
 * with the bytes after m. */
static void pipe_hand(sh_writer *w, size_t m)
{
    sh_pipe *pp = w->pipe;
    pthread_mutex_lock(&pp->mu);
    while (!pp->spare)
        pthread_cond_wait(&pp->cv, &pp->mu);
    unsigned char *next = pp->spare;
    pp->spare = NULL;
    memcpy(next, w->buf + m, w->n - m);
    pp->todo = w->buf;
    pp->todo_n = m;
    pthread_cond_broadcast(&pp->cv);
    pthread_mutex_unlock(&pp->mu);
    w->buf = next;
    w->n -= m;
}

bool sh_writer_start(sh_writer *w, FILE *fp)
{
    *w = (sh_writer){.fp = fp, .hash = SH_FNV_OFFSET, .buf = malloc(SH_WBUF)};
    if (!w->buf)
        return false;
    sh_pipe *pp = calloc(1, sizeof *pp);
    if (pp && (pp->spare = malloc(SH_WBUF)) != NULL) {
        pp->fp = fp;
        pp->hash = SH_FNV_OFFSET;
        if (pthread_mutex_init(&pp->mu, NULL) == 0) {
            if (pthread_cond_init(&pp->cv, NULL) == 0) {
                if (pthread_create(&pp->thread, NULL, pipe_main, pp) == 0) {
                    w->pipe = pp;
                    return true;
                }
                pthread_cond_destroy(&pp->cv);
            }
            pthread_mutex_destroy(&pp->mu);
        }
    }
    if (pp) /* no helper: the caller's thread writes */
        free(pp->spare);
    free(pp);
    return true;
}

void sh_writer_stop(sh_writer *w)
{
    sh_pipe *pp = w->pipe;
    if (!pp) {
        sh_flush(w, true);
    } else {
        pipe_hand(w, w->n);
        pthread_mutex_lock(&pp->mu);
        pp->stop = true;
        pthread_cond_broadcast(&pp->cv);
        pthread_mutex_unlock(&pp->mu);
        pthread_join(pp->thread, NULL);
        w->hash = pp->hash;
        w->bytes = pp->bytes;
        w->failed |= pp->failed;
        pthread_cond_destroy(&pp->cv);
        pthread_mutex_destroy(&pp->mu);
        free(pp->spare);
        free(pp);
        w->pipe = NULL;
    }
    free(w->buf);
    w->buf = NULL;
}

void sh_flush(sh_writer *w, bool last)
{
    size_t m = last ? w->n : w->n & ~(size_t)7;
    if (w->pipe) {
        pipe_hand(w, m);
        return;
    }
    put_out(w->fp, &w->hash, &w->bytes, &w->failed, w->buf, m);
    memmove(w->buf, w->buf + m, w->n - m);
    w->n -= m;
}

void sh_bytes(sh_writer *w, const void *p, size_t n)
{
    const unsigned char *s = p;
    while (n) {
        size_t k = SH_WBUF - w->n < n ? SH_WBUF - w->n : n;
        memcpy(w->buf + w->n, s, k);
        w->n += k;
        s += k;
        n -= k;
        if (w->n == SH_WBUF)
            sh_flush(w, false);
    }
}

/* A counts file is read through a read-only mapping whose pages are dropped behind the
 * checksum and the parser, a step at a time, so that loading the shard of a large corpus does
 * not hold the whole file next to the counts made from it. A file that cannot be mapped (not a
 * regular file, mmap refused) is read into the heap. Counts files are replaced by rename, never
 * truncated in place, so a mapped file does not shrink under the reader. */
#define DROP_STEP ((size_t)8 << 20)

fs_status sh_infile_open(const char *path, sh_infile *f, fs_error *err)
{
    memset(f, 0, sizeof *f);
    struct stat st; /* by path: opening a pipe to look would take its data from the reader */
    int fd = stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0
                 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED) {
            close(fd);
            madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
            f->u = f->map = p;
            f->len = (size_t)st.st_size;
            return FS_OK;
        }
    }
    if (fd >= 0)
        close(fd);
    fs_status s = fs_read_file(path, 0, &f->heap, &f->len, err);
    f->u = (const unsigned char *)f->heap;
    return s;
}

void sh_infile_drop(sh_infile *f, const unsigned char *upto)
{
    if (!f || !f->map)
        return;
    size_t at = (size_t)(upto - f->u) / DROP_STEP * DROP_STEP;
    if (at > f->dropped) {
        madvise(f->map + f->dropped, at - f->dropped, MADV_DONTNEED);
        f->dropped = at;
    }
}

void sh_infile_close(sh_infile *f)
{
    if (f->map)
        munmap(f->map, f->len);
    free(f->heap);
}
