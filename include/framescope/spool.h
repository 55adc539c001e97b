/**
 * spool.h: document texts kept on disk instead of in the heap.
 *
 * A run over years of articles must not hold the corpus in memory. A spool is an append-only,
 * unlinked temporary file in $TMPDIR (else /tmp) mapped into one reserved address range: text
 * added to it gets a stable pointer that reads and writes like heap memory, but its pages belong
 * to the page cache, which the kernel writes back and evicts under pressure, and
 * fs_spool_evict() drops them from the process's resident set once a stage is done with them (a
 * later access faults them back in from the file). This is how sort(1) handles inputs larger
 * than memory, with pointers instead of merge files.
 *
 * When the address range cannot be reserved or the temporary file cannot be created (a
 * read-only /tmp, a tool such as valgrind limiting mappings), the spool falls back to heap
 * blocks: same interface, nothing evicted; fs_spool_on_disk() tells which.
 *
 * Thread safety: fs_spool_add and fs_spool_evict may be called from several threads at once.
 * A text is never freed on its own: everything goes with fs_spool_free.
 */
#ifndef FRAMESCOPE_SPOOL_H
#define FRAMESCOPE_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include "framescope/error.h"

typedef struct fs_spool fs_spool;

/** Creates an empty spool. `in_memory` forces the heap fallback (tests, small corpora).
 *  FS_ERR_NOMEM only: a spool that cannot use the disk still works from the heap. */
fs_status fs_spool_create(bool in_memory, fs_spool **out);
void fs_spool_free(fs_spool *sp);

/** Copies `len` bytes of `text` followed by a NUL into the spool and returns the copy, which is
 *  writable and stays valid until fs_spool_free; 16 further bytes are readable after the NUL
 *  (for word-at-a-time loads). NULL when out of memory or out of disk (errno tells which). */
char *fs_spool_add(fs_spool *sp, const char *text, size_t len);

/** Room for `len` bytes (+ NUL + 16 readable, zero) to be written by the caller through the
 *  returned pointer, e.g. an encoder filling a chunk. On disk its blocks are allocated at once,
 *  so a full temporary directory sends it to the heap like fs_spool_add. NULL as above. */
char *fs_spool_reserve(fs_spool *sp, size_t len);

/** Hints that [p, p + len) of this spool's texts will not be read for a while: their pages
 *  leave the resident set. The eviction covers the whole 2 MiB blocks around the range (texts
 *  of other threads there simply fault back in when touched), so call it per batch of
 *  documents, not per small text. Contents are kept. A no-op on the heap fallback or for a
 *  pointer not from `sp`. */
void fs_spool_evict(fs_spool *sp, const void *p, size_t len);

/** True when texts live in a file rather than on the heap. */
bool fs_spool_on_disk(const fs_spool *sp);
/** Bytes handed out so far (texts, NULs and padding). */
size_t fs_spool_size(const fs_spool *sp);

#endif
