/* testutil.h: shared includes and helpers for the cmocka suites. */
#ifndef FRAMESCOPE_TESTUTIL_H
#define FRAMESCOPE_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framescope/config.h"

/* Relative tolerance check for doubles computed by an independent method. */
#define assert_close(actual, expected, rel)                                                    \
    do {                                                                                       \
        double a_ = (actual), e_ = (expected);                                                 \
        double tol_ = (rel) * (fabs(e_) > 1e-300 ? fabs(e_) : 1.0);                            \
        if (!(fabs(a_ - e_) <= tol_)) {                                                        \
            fail_msg("%s = %.17g, expected %.17g (rel tol %g)", #actual, a_, e_, (double)(rel)); \
        }                                                                                      \
    } while (0)

/* Writes `text` to a fresh file under a temp folder; returns its malloc'd path. */
static inline char *tu_write_temp(const char *dir, const char *name, const char *text)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p)
        return NULL;
    snprintf(p, n, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (!f) {
        free(p);
        return NULL;
    }
    fputs(text, f);
    fclose(f);
    return p;
}

/* Removes a test's temp folder and everything in it (rm -rf); returns 0 on success. */
static inline int tu_remove_tree(const char *dir)
{
    char cmd[4200];
    if (snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir) >= (int)sizeof cmd)
        return -1;
    return system(cmd) == 0 ? 0 : -1;
}

/* Makes a fresh folder /tmp/fs-<name>-XXXXXX into `dir` (`cap` bytes); returns 0 on success. */
static inline int tu_make_temp_dir(char *dir, size_t cap, const char *name)
{
    if (snprintf(dir, cap, "/tmp/fs-%s-XXXXXX", name) >= (int)cap)
        return -1;
    return mkdtemp(dir) ? 0 : -1;
}

/* The end of a cmocka setup whose malloc'd fixture `f` holds a temp folder `dir` (`cap` bytes):
 * makes the folder /tmp/fs-<name>-XXXXXX and hands `f` over in *state; frees `f` on failure. */
static inline int tu_setup_temp_dir(void **state, void *f, char *dir, size_t cap, const char *name)
{
    if (tu_make_temp_dir(dir, cap, name) != 0) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

/* The matching teardown: removes the folder `dir` and everything in it, and frees `f`. */
static inline int tu_teardown_temp_dir(void *f, const char *dir)
{
    int rc = tu_remove_tree(dir);
    free(f);
    return rc;
}

/* Runs a shell command; returns its whole stdout (malloc'd) and, when `status` is not NULL,
 * its pclose status. */
static inline char *tu_run(const char *cmd, int *status)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, p)) > 0) {
        n += got;
        if (cap - n < 1024) {
            cap *= 2;
            char *grown = realloc(buf, cap);
            if (!grown)
                free(buf);
            assert_non_null(grown);
            buf = grown;
        }
    }
    buf[n] = 0;
    int rc = pclose(p);
    if (status)
        *status = rc;
    return buf;
}

/* A hand-built config over test-owned `src` (never passed to fs_config_free): `n_sources`
 * sources "one" and "two" (labels "One", "Two"), cleaning with its documented defaults
 * (generic rules on, navigation lines up to 4 words, near-duplicates at Jaccard 0.8 over
 * 5-word shingles). Zeroes `cfg` and the first n_sources entries of `src`. */
static inline void tu_config_init(fs_config *cfg, fs_source_cfg *src, size_t n_sources)
{
    memset(cfg, 0, sizeof *cfg);
    memset(src, 0, n_sources * sizeof *src);
    cfg->sources = src;
    cfg->n_sources = n_sources;
    cfg->clean.generic = true;
    cfg->clean.nav_max_words = 4;
    cfg->clean.dedup_threshold = 0.8;
    cfg->clean.shingle_size = 5;
    for (size_t s = 0; s < n_sources; s++) {
        src[s].id = s ? "two" : "one";
        src[s].label = s ? "Two" : "One";
    }
}

/* config/default.json, loaded (run from the repository root); fails the test when it does not
 * load. Free with fs_config_free. */
static inline fs_config *tu_load_default_config(void)
{
    fs_config *cfg = NULL;
    fs_error err;
    if (fs_config_load("config/default.json", &cfg, &err) != FS_OK)
        fail_msg("config/default.json: %s: %s", err.where, err.msg);
    return cfg;
}

#endif
