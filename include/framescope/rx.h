/**
 * rx.h: small shared facts about PCRE2 use.
 *
 * fs_rx_jit_ok tells whether JIT compilation may be used. Under valgrind it may not: PCRE2's JIT
 * code reads words past the subject on purpose (Debian's PCRE2 is built without valgrind
 * annotations), which memcheck reports as uninitialised reads. The interpreter gives the same
 * matches, so the end-to-end valgrind run checks our code, not the JIT's.
 */
#ifndef FRAMESCOPE_RX_H
#define FRAMESCOPE_RX_H

#include <stdbool.h>

bool fs_rx_jit_ok(void);

#endif
