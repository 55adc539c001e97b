/**
 * vec.h: growing a plain array (items, count, capacity) one element at a time, for the small
 * lists the stages build. The caller keeps the three fields, owns the array and frees it with
 * free(); fs_vec_grow only makes room.
 */
#ifndef FRAMESCOPE_VEC_H
#define FRAMESCOPE_VEC_H

#include <stdbool.h>
#include <stddef.h>

#include "framescope/error.h"

/** Makes room for element `n` of `items`, an array of `size`-byte elements with capacity *cap:
 *  when n == *cap, reallocates it to twice the capacity (`first` when *cap is 0) and updates
 *  *cap. Returns the array to store back (moved or not), or NULL on OOM or size overflow, when
 *  `items` and *cap are left as they were (the caller still owns and frees `items`).
 *
 *     uint64_t *v = fs_vec_grow(a->v, a->n, &a->cap, sizeof *v, 256);
 *     if (!v)
 *         return FS_ERR_NOMEM;
 *     a->v = v;
 *     a->v[a->n++] = x;
 */
static inline void *fs_vec_grow(void *items, size_t n, size_t *cap, size_t size, size_t first);

/** The reallocation step of fs_vec_grow (out of line, so that the common case, room left, is an
 *  inline compare): doubles *cap (`first` when it is 0), same return and failure rules. */
void *fs_vec_double(void *items, size_t *cap, size_t size, size_t first);

/** Makes *cap at least `need`, doubling from *cap (or `first` when it is 0), and stores the
 *  (possibly moved) array in *items. FS_ERR_NOMEM on OOM or size overflow, when *items and *cap
 *  are left as they were. For buffers refilled in bulk (token and scratch arrays); unlike
 *  fs_vec_grow it returns a status, because an empty array may still be NULL. */
fs_status fs_vec_reserve(void **items, size_t need, size_t *cap, size_t size, size_t first);

/** Room for a large array (hash tables, key buffers, sort scratch): cache-line aligned, and
 *  from 2 MiB up 2 MiB-aligned. `huge_pages` advises the kernel to back it with huge pages: worth
 *  it for tables probed at random (a lookup in many megabytes otherwise misses the TLB as well as
 *  the cache), not for buffers filled once in order, where faulting and zeroing 2 MiB pages
 *  (and compacting memory for them) cost more than they save (measured on the count command).
 *  Not zeroed; NULL on OOM; freed with free() (realloc() works too, without the alignment). */
void *fs_alloc_large(size_t bytes, bool huge_pages);

static inline void *fs_vec_grow(void *items, size_t n, size_t *cap, size_t size, size_t first)
{
    return n < *cap ? items : fs_vec_double(items, cap, size, first);
}

#endif
