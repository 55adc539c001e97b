/* error.c: the error record and the status → text / exit-code tables. */
#include "framescope/error.h"

#include <stdio.h>
#include <string.h>

fs_status fs_error_vset(fs_error *err, fs_status status, const char *where, const char *fmt,
                        va_list ap)
{
    if (!err)
        return status;
    err->status = status;
    snprintf(err->where, sizeof err->where, "%s", where ? where : "");
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    return status;
}

fs_status fs_error_set(fs_error *err, fs_status status, const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fs_error_vset(err, status, where, fmt, ap);
    va_end(ap);
    return status;
}

void fs_error_clear(fs_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

const char *fs_status_str(fs_status status)
{
    switch (status) {
    case FS_OK: return "ok";
    case FS_ERR_NOMEM: return "out of memory";
    case FS_ERR_USAGE: return "usage error";
    case FS_ERR_CONFIG: return "config error";
    case FS_ERR_REGEX: return "pattern error";
    case FS_ERR_INPUT: return "input error";
    case FS_ERR_ENCODING: return "encoding error";
    case FS_ERR_OUTPUT: return "output error";
    case FS_ERR_LOCKED: return "output locked";
    case FS_ERR_STATS: return "statistics error";
    case FS_ERR_PDF: return "PDF error";
    case FS_ERR_INTERRUPTED: return "interrupted";
    case FS_ERR_INTERNAL: return "internal error";
    }
    return "unknown error";
}

int fs_status_exit_code(fs_status status)
{
    switch (status) {
    case FS_OK: return FS_EXIT_OK;
    case FS_ERR_USAGE:
    case FS_ERR_CONFIG:
    case FS_ERR_REGEX: return FS_EXIT_USAGE;
    case FS_ERR_INPUT:
    case FS_ERR_ENCODING: return FS_EXIT_INPUT;
    case FS_ERR_OUTPUT: return FS_EXIT_OUTPUT;
    case FS_ERR_LOCKED: return FS_EXIT_LOCKED;
    case FS_ERR_INTERRUPTED: return FS_EXIT_SIGINT;
    default: return FS_EXIT_FAILURE;
    }
}
