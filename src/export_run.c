/* export_run.c: writes export files from their parts (export_internal.h) on several threads.
 *
 * Each part is cut into units of UNIT_ROWS rows. Workers (fs_parallel_for) take units in order,
 * format one into their own buffers (CSV and JSON: a table shared by a CSV file and stats.json
 * fills both in one pass), then wait for the unit's turn in each of its files and append, so
 * formatting runs in parallel while every file receives its bytes in order. The last unit of a
 * file commits it (fs_outfile: flush, fsync, rename), overlapping that with the formatting of
 * later files. Waiting never deadlocks: units are handed out in increasing order, so the lowest
 * unfinished unit always has its turn in both of its files.
 *
 * The thread count: fs_export_write has no fs_ctx, so the run uses the online CPUs (at most
 * MAX_THREADS); the output bytes do not depend on it.
 */
#include "export_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "framescope/ctx.h"
#include "framescope/fileio.h"
#include "framescope/parallel.h"

enum { UNIT_ROWS = 8192, MAX_THREADS = 8 };

typedef struct unit {
    size_t part, begin, end;
    size_t seq[2]; /* position among the units of its CSV file and of its JSON file */
} unit;

typedef struct out_file {
    fs_outfile f;
    fs_status st;   /* first failure (FS_OK: none) */
    fs_error err;   /* its message */
    size_t n_units;
    size_t done;    /* units appended (or skipped after a failure): whose turn it is */
} out_file;

typedef struct run {
    const fs_analysis *a;
    const export_part *parts;
    const unit *units;
    out_file *files;
    export_buf *bufs; /* two per worker: CSV and JSON */
    pthread_mutex_t lock;
    pthread_cond_t turn;
} run;

/* Appends b as unit number `seq` of file `of` once it is that unit's turn; the last unit
 * commits the file (or removes it after a failure). */
static void append(run *r, out_file *of, size_t seq, const export_buf *b)
{
    pthread_mutex_lock(&r->lock);
    while (of->done != seq)
        pthread_cond_wait(&r->turn, &r->lock);
    bool skip = of->st != FS_OK;
    pthread_mutex_unlock(&r->lock);
    /* This worker holds the file's turn: nobody else touches the file until `done` moves on,
     * and only the failure status is shared (under the lock). */
    fs_status st = FS_OK;
    fs_error err = {0};
    if (!skip && b->failed)
        st = fs_error_set(&err, FS_ERR_NOMEM, of->f.path, "out of memory");
    else if (!skip && b->len && fwrite(b->p, 1, b->len, of->f.fp) != b->len)
        of->f.failed = 1; /* fs_outfile_commit reports it with the errno text */
    if (seq + 1 == of->n_units) {
        if (!skip && st == FS_OK)
            st = fs_outfile_commit(&of->f, &err);
        else
            fs_outfile_abort(&of->f);
    }
    pthread_mutex_lock(&r->lock);
    if (st != FS_OK && of->st == FS_OK) {
        of->st = st;
        of->err = err;
    }
    of->done++;
    pthread_cond_broadcast(&r->turn);
    pthread_mutex_unlock(&r->lock);
}

static fs_status run_units(void *user, size_t worker, size_t begin, size_t end)
{
    run *r = user;
    export_buf *b = &r->bufs[2 * worker];
    for (size_t u = begin; u < end; u++) {
        const unit *un = &r->units[u];
        const export_part *p = &r->parts[un->part];
        size_t file[2] = {p->csv_file, p->json_file};
        bool skip = true;
        pthread_mutex_lock(&r->lock);
        for (int k = 0; k < 2; k++)
            if (file[k] != EXPORT_NO_FILE && r->files[file[k]].st == FS_OK)
                skip = false;
        pthread_mutex_unlock(&r->lock);
        for (int k = 0; k < 2; k++) {
            b[k].len = 0;
            b[k].failed = false;
        }
        if (!skip)
            p->emit(r->a, p, un->begin, un->end, file[0] != EXPORT_NO_FILE ? &b[0] : NULL,
                    file[1] != EXPORT_NO_FILE ? &b[1] : NULL);
        for (int k = 0; k < 2; k++)
            if (file[k] != EXPORT_NO_FILE)
                append(r, &r->files[file[k]], un->seq[k], &b[k]);
    }
    return FS_OK;
}

static size_t part_units(const export_part *p)
{
    return p->n ? (p->n + UNIT_ROWS - 1) / UNIT_ROWS : 1;
}

fs_status export_run(const fs_analysis *a, const char *const *paths, size_t n_files,
                     const export_part *parts, size_t n_parts, fs_error *err)
{
    fs_status st = FS_OK;
    size_t n_units = 0, opened = 0, n_bufs = 0;
    unit *units = NULL;
    export_buf *bufs = NULL;
    out_file *files = calloc(n_files ? n_files : 1, sizeof *files);
    for (size_t i = 0; i < n_parts; i++)
        n_units += part_units(&parts[i]);
    units = malloc((n_units ? n_units : 1) * sizeof *units);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    fs_ctx ctx = {.threads = cpus < 1 ? 1 : cpus > MAX_THREADS ? MAX_THREADS : (int)cpus};
    n_bufs = 2 * fs_parallel_workers(&ctx, n_units, 1);
    bufs = calloc(n_bufs, sizeof *bufs);
    if (!files || !units || !bufs) {
        st = fs_error_set(err, FS_ERR_NOMEM, "export", "out of memory");
        goto done;
    }
    size_t k = 0;
    for (size_t i = 0; i < n_parts; i++) {
        const export_part *p = &parts[i];
        for (size_t j = 0; j < part_units(p); j++) {
            size_t b = j * UNIT_ROWS, e = b + UNIT_ROWS < p->n ? b + UNIT_ROWS : p->n;
            unit *un = &units[k++];
            *un = (unit){i, b, e, {0, 0}};
            if (p->csv_file != EXPORT_NO_FILE)
                un->seq[0] = files[p->csv_file].n_units++;
            if (p->json_file != EXPORT_NO_FILE)
                un->seq[1] = files[p->json_file].n_units++;
        }
    }
    for (; opened < n_files; opened++) {
        if (files[opened].n_units == 0) /* a file without parts would never be committed */
            st = fs_error_set(err, FS_ERR_INTERNAL, paths[opened], "nothing to write");
        else
            st = fs_outfile_open(&files[opened].f, paths[opened], err);
        if (st != FS_OK)
            goto done;
    }

    run r = {.a = a, .parts = parts, .units = units, .files = files, .bufs = bufs};
    if (pthread_mutex_init(&r.lock, NULL) != 0) {
        st = fs_error_set(err, FS_ERR_INTERNAL, "export", "cannot create a lock");
        goto done;
    }
    if (pthread_cond_init(&r.turn, NULL) != 0) {
        pthread_mutex_destroy(&r.lock);
        st = fs_error_set(err, FS_ERR_INTERNAL, "export", "cannot create a condition");
        goto done;
    }
    /* run_units never fails a unit (failures are kept per file), so every unit runs and every
     * file is committed or removed. */
    fs_parallel_for(&ctx, n_units, 1, run_units, &r);
    pthread_cond_destroy(&r.turn);
    pthread_mutex_destroy(&r.lock);
    opened = 0; /* all closed by their last unit */
    for (size_t f = 0; f < n_files; f++)
        if (files[f].st != FS_OK) {
            st = files[f].st;
            if (err)
                *err = files[f].err;
            break;
        }
done:
    for (size_t f = 0; f < opened; f++)
        fs_outfile_abort(&files[f].f);
    for (size_t w = 0; bufs && w < n_bufs; w++)
        export_buf_free(&bufs[w]);
    free(bufs);
    free(units);
    free(files);
    return st;
}
