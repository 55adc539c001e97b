/**
 * error.h: status codes and the error record every stage fills.
 *
 * Library code never prints or exits: it returns an fs_status and, on failure, fills an fs_error
 * whose `where` names the place (a config key path such as `sources[1].inputs[0]`, a
 * `FILE:LINE:COL`, or a document id) and whose `msg` says what is wrong and what is allowed.
 * main.c maps the status to an exit code (see fs_status_exit_code).
 */
#ifndef FRAMESCOPE_ERROR_H
#define FRAMESCOPE_ERROR_H

#include <stdarg.h>

typedef enum fs_status {
    FS_OK = 0,
    FS_ERR_NOMEM,       /* allocation failed */
    FS_ERR_USAGE,       /* bad command line */
    FS_ERR_CONFIG,      /* config syntax, type, value or unknown key */
    FS_ERR_REGEX,       /* a pattern in the config does not compile or hits a match limit */
    FS_ERR_INPUT,       /* no documents, unreadable input, bad shard file */
    FS_ERR_ENCODING,    /* text that cannot be used (binary) */
    FS_ERR_OUTPUT,      /* cannot write an output file */
    FS_ERR_LOCKED,      /* another run holds the output lock */
    FS_ERR_STATS,       /* a statistic could not be computed */
    FS_ERR_PDF,         /* libharu reported an error */
    FS_ERR_INTERRUPTED, /* SIGINT or SIGTERM arrived */
    FS_ERR_INTERNAL     /* a bug */
} fs_status;

typedef struct fs_error {
    fs_status status;
    char where[256];
    char msg[768];
} fs_error;

/** Fills `err` (if not NULL) and returns `status`, so callers can `return fs_error_set(...)`. */
fs_status fs_error_set(fs_error *err, fs_status status, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
fs_status fs_error_vset(fs_error *err, fs_status status, const char *where, const char *fmt,
                        va_list ap);
void fs_error_clear(fs_error *err);

/** A short English name of the status ("config error"). */
const char *fs_status_str(fs_status status);

/** Documented process exit codes: 0 ok, 2 usage/config, 3 input, 4 output, 1 other, 130/143 signal. */
enum {
    FS_EXIT_OK = 0,
    FS_EXIT_FAILURE = 1,
    FS_EXIT_USAGE = 2,
    FS_EXIT_INPUT = 3,
    FS_EXIT_OUTPUT = 4,
    FS_EXIT_LOCKED = 5,
    FS_EXIT_SIGINT = 130,
    FS_EXIT_SIGTERM = 143
};
int fs_status_exit_code(fs_status status);

#endif
