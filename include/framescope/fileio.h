/**
 * fileio.h: reading whole files, creating folders, path helpers, and atomic output files.
 *
 * An fs_outfile writes to a temporary file beside the destination and renames it into place
 * only on fs_outfile_commit, after checking every write, fflush, fsync and fclose. Until then the
 * destination is untouched; fs_outfile_abort (or a failed commit) removes the temporary file.
 */
#ifndef FRAMESCOPE_FILEIO_H
#define FRAMESCOPE_FILEIO_H

#include <stdio.h>
#include <stddef.h>
#include "framescope/error.h"

/** Reads `path` into a malloc'd, NUL-terminated buffer. `max` (0 = no limit) caps the size.
 *  Errors (FS_ERR_INPUT) name the path and the errno text. Caller frees *data. */
fs_status fs_read_file(const char *path, size_t max, char **data, size_t *len, fs_error *err);
/** fs_read_file into a buffer the caller keeps from file to file (*buf of capacity *buf_cap,
 *  both 0/NULL at first, grown as needed, freed by the caller): a run reading many large files
 *  does not fault in fresh memory for each. *len bytes + NUL on success. */
fs_status fs_read_file_into(const char *path, size_t max, char **buf, size_t *buf_cap,
                            size_t *len, fs_error *err);

/** mkdir -p. FS_ERR_OUTPUT naming the folder that could not be made. */
fs_status fs_mkdir_p(const char *dir, fs_error *err);

/** Joins `dir` and `rel` unless `rel` is absolute. Returns malloc'd string or NULL on OOM. */
char *fs_path_join(const char *dir, const char *rel);
/** The folder part of `path` ("." when none). malloc'd; NULL on OOM. */
char *fs_path_dirname(const char *path);
/** The last component of `path`, borrowed from `path`. */
const char *fs_path_basename(const char *path);

typedef struct fs_outfile {
    FILE *fp;       /* write through this */
    char *path;     /* destination */
    char *tmp;      /* temporary path */
    int failed;     /* a write error was seen */
} fs_outfile;

/** Creates the destination's folder if missing and opens a temporary file beside it. */
fs_status fs_outfile_open(fs_outfile *f, const char *path, fs_error *err);
/** Flushes, fsyncs, closes and renames into place; on any failure removes the temporary file. */
fs_status fs_outfile_commit(fs_outfile *f, fs_error *err);
/** Closes and removes the temporary file; the destination is untouched. Safe to call twice. */
void fs_outfile_abort(fs_outfile *f);
/** Writes a whole buffer atomically to `path`. */
fs_status fs_write_file_atomic(const char *path, const void *data, size_t len, fs_error *err);

#endif
