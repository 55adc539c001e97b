/* rx.c: whether PCRE2's JIT may be used (not under valgrind; see rx.h). The Makefile defines
 * FS_HAVE_VALGRIND_H when valgrind's client-request header is installed. */
#include "framescope/rx.h"

#ifdef FS_HAVE_VALGRIND_H
#include <valgrind/valgrind.h>
#endif

bool fs_rx_jit_ok(void)
{
#ifdef FS_HAVE_VALGRIND_H
    return !RUNNING_ON_VALGRIND;
#else
    return true;
#endif
}
