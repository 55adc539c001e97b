/* rx.c: whether PCRE2's JIT may be used (not under valgrind; see rx.h). */
#include "framescope/rx.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define FS_HAVE_VALGRIND_H 1
#endif
#endif

bool fs_rx_jit_ok(void)
{
#ifdef FS_HAVE_VALGRIND_H
    return !RUNNING_ON_VALGRIND;
#else
    return true;
#endif
}
