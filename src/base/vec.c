/* vec.c: doubling growth for plain arrays (see vec.h). */
#include "framescope/vec.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

void *fs_vec_double(void *items, size_t *cap, size_t size, size_t first)
{
    size_t ncap = *cap ? *cap * 2 : (first ? first : 1);
    if (ncap < *cap || size == 0 || ncap > SIZE_MAX / size)
        return NULL;
    void *grown = realloc(items, ncap * size);
    if (grown)
        *cap = ncap;
    return grown;
}

fs_status fs_vec_reserve(void **items, size_t need, size_t *cap, size_t size, size_t first)
{
    if (need <= *cap)
        return FS_OK;
    size_t ncap = *cap ? *cap : (first ? first : 1);
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return FS_ERR_NOMEM;
        ncap *= 2;
    }
    if (size == 0 || ncap > SIZE_MAX / size)
        return FS_ERR_NOMEM;
    void *grown = realloc(*items, ncap * size);
    if (!grown)
        return FS_ERR_NOMEM;
    *items = grown;
    *cap = ncap;
    return FS_OK;
}

void *fs_alloc_large(size_t bytes, bool huge_pages)
{
    const size_t huge = (size_t)2 << 20;
    void *p = NULL;
    bytes = bytes ? bytes : 1;
    if (posix_memalign(&p, bytes < huge ? 64 : huge, bytes) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    if (huge_pages && bytes >= huge)
        madvise(p, bytes & ~(huge - 1), MADV_HUGEPAGE); /* a hint: nothing to do if refused */
#endif
    return p;
}
