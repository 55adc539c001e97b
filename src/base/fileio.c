/* fileio.c: whole-file reads, mkdir -p, paths, and temp-file-then-rename output. */
#include "framescope/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Room for `need` bytes in *buf (capacity *cap); `keep` bytes of it are kept. Not a plain
 * realloc when nothing is kept: copying a stale buffer would only touch its pages. */
static bool buf_room(char **buf, size_t *cap, size_t need, size_t keep)
{
    if (need <= *cap)
        return true;
    char *nb = keep ? realloc(*buf, need) : malloc(need);
    if (!nb)
        return false;
    if (!keep)
        free(*buf);
    *buf = nb;
    *cap = need;
    return true;
}

fs_status fs_read_file_into(const char *path, size_t max, char **buf, size_t *buf_cap,
                            size_t *len, fs_error *err)
{
    *len = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return fs_error_set(err, FS_ERR_INPUT, path, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        int e = errno;
        close(fd);
        return fs_error_set(err, FS_ERR_INPUT, path, "cannot read: %s",
                            S_ISDIR(st.st_mode) ? "is a folder" : strerror(e));
    }
    /* The file's size (+1 for the NUL) decides the first read; pipes start at 64 KiB. */
    size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 65536;
    if (max && cap > max + 1)
        cap = max + 1;
    size_t n = 0;
    fs_status ret = FS_OK;
    if (!buf_room(buf, buf_cap, cap, 0)) {
        ret = fs_error_set(err, FS_ERR_NOMEM, path, "out of memory reading %zu bytes", cap);
        goto done;
    }
    for (;;) {
        if (n + 1 >= cap) {
            if (max && n >= max) {
                ret = fs_error_set(err, FS_ERR_INPUT, path, "file is larger than %zu bytes", max);
                goto done;
            }
            if (!buf_room(buf, buf_cap, cap * 2, n)) {
                ret = fs_error_set(err, FS_ERR_NOMEM, path, "out of memory");
                goto done;
            }
            cap *= 2;
        }
        ssize_t r = read(fd, *buf + n, cap - 1 - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            ret = fs_error_set(err, FS_ERR_INPUT, path, "read failed: %s", strerror(errno));
            goto done;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    (*buf)[n] = '\0';
    *len = n;
done:
    close(fd);
    return ret;
}

fs_status fs_read_file(const char *path, size_t max, char **data, size_t *len, fs_error *err)
{
    char *buf = NULL;
    size_t cap = 0;
    fs_status st = fs_read_file_into(path, max, &buf, &cap, len, err);
    if (st != FS_OK) {
        free(buf);
        buf = NULL;
        *len = 0;
    }
    *data = buf;
    return st;
}

fs_status fs_mkdir_p(const char *dir, fs_error *err)
{
    size_t n = strlen(dir);
    char *p = malloc(n + 1);
    if (!p)
        return fs_error_set(err, FS_ERR_NOMEM, dir, "out of memory");
    memcpy(p, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        char c = p[i];
        p[i] = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            fs_error_set(err, FS_ERR_OUTPUT, p, "cannot create folder: %s", strerror(errno));
            free(p);
            return FS_ERR_OUTPUT;
        }
        p[i] = c;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        free(p);
        return fs_error_set(err, FS_ERR_OUTPUT, dir, "not a folder");
    }
    free(p);
    return FS_OK;
}

char *fs_path_join(const char *dir, const char *rel)
{
    if (rel[0] == '/' || !dir || !dir[0] || strcmp(dir, ".") == 0)
        return strdup(rel);
    size_t a = strlen(dir), b = strlen(rel);
    char *p = malloc(a + b + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, a);
    size_t k = a;
    if (a && dir[a - 1] != '/')
        p[k++] = '/';
    memcpy(p + k, rel, b + 1);
    return p;
}

char *fs_path_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

const char *fs_path_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

fs_status fs_outfile_open(fs_outfile *f, const char *path, fs_error *err)
{
    memset(f, 0, sizeof *f);
    char *dir = fs_path_dirname(path);
    if (!dir)
        return fs_error_set(err, FS_ERR_NOMEM, path, "out of memory");
    fs_status st = fs_mkdir_p(dir, err);
    free(dir);
    if (st != FS_OK)
        return st;
    size_t n = strlen(path);
    f->path = strdup(path);
    f->tmp = malloc(n + 16);
    if (!f->path || !f->tmp) {
        fs_outfile_abort(f);
        return fs_error_set(err, FS_ERR_NOMEM, path, "out of memory");
    }
    /* Hidden temporary beside the target so rename() stays within one filesystem. */
    const char *base = fs_path_basename(path);
    size_t dlen = (size_t)(base - path);
    memcpy(f->tmp, path, dlen);
    snprintf(f->tmp + dlen, n + 16 - dlen, ".%s.XXXXXX", base);
    int fd = mkstemp(f->tmp);
    if (fd < 0) {
        int e = errno;
        free(f->tmp);
        f->tmp = NULL;
        fs_outfile_abort(f);
        return fs_error_set(err, FS_ERR_OUTPUT, path, "cannot create file: %s", strerror(e));
    }
    fchmod(fd, 0644);
    f->fp = fdopen(fd, "wb");
    if (!f->fp) {
        close(fd);
        fs_outfile_abort(f);
        return fs_error_set(err, FS_ERR_OUTPUT, path, "cannot open: %s", strerror(errno));
    }
    return FS_OK;
}

fs_status fs_outfile_commit(fs_outfile *f, fs_error *err)
{
    if (!f->fp)
        return fs_error_set(err, FS_ERR_OUTPUT, f->path ? f->path : "", "file is not open");
    int bad = f->failed || ferror(f->fp) || fflush(f->fp) != 0;
    int e = errno;
    if (!bad && fsync(fileno(f->fp)) != 0 && errno != EINVAL) {
        bad = 1;
        e = errno;
    }
    if (fclose(f->fp) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    f->fp = NULL;
    if (!bad && rename(f->tmp, f->path) != 0) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        fs_error_set(err, FS_ERR_OUTPUT, f->path, "write failed: %s",
                     e ? strerror(e) : "I/O error");
        fs_outfile_abort(f);
        return FS_ERR_OUTPUT;
    }
    free(f->tmp);
    free(f->path);
    f->tmp = f->path = NULL;
    return FS_OK;
}

void fs_outfile_abort(fs_outfile *f)
{
    if (f->fp) {
        fclose(f->fp);
        f->fp = NULL;
    }
    if (f->tmp) {
        unlink(f->tmp);
        free(f->tmp);
        f->tmp = NULL;
    }
    free(f->path);
    f->path = NULL;
}

fs_status fs_write_file_atomic(const char *path, const void *data, size_t len, fs_error *err)
{
    fs_outfile f;
    fs_status st = fs_outfile_open(&f, path, err);
    if (st != FS_OK)
        return st;
    if (len && fwrite(data, 1, len, f.fp) != len)
        f.failed = 1;
    return fs_outfile_commit(&f, err);
}
