/* vec.c: doubling growth for plain arrays (see vec.h). */
#include "framescope/vec.h"

#include <stdint.h>
#include <stdlib.h>

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
