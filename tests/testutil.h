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

#endif
