/**
 * intern.h: string interning. Maps byte strings to dense ids 0..n-1 (in order of first
 * insertion) with one open-addressing hash table; the strings live in an arena owned by the
 * table. The vocabulary backbone: counts store ids, never strings.
 *
 * Not thread-safe for writers; concurrent readers are fine when nobody writes.
 */
#ifndef FRAMESCOPE_INTERN_H
#define FRAMESCOPE_INTERN_H

#include <stddef.h>
#include <stdint.h>
#include "framescope/error.h"

typedef struct fs_intern fs_intern;

#define FS_INTERN_NONE UINT32_MAX

fs_intern *fs_intern_create(void);
void fs_intern_free(fs_intern *t);
/** Id of `s[0..len)`, adding it if new. Returns FS_ERR_NOMEM on OOM (then *id is untouched). */
fs_status fs_intern_add(fs_intern *t, const char *s, size_t len, uint32_t *id);
/** Id of `s[0..len)` or FS_INTERN_NONE. */
uint32_t fs_intern_find(const fs_intern *t, const char *s, size_t len);
/** Borrowed NUL-terminated string of `id` (valid until the table is freed). */
const char *fs_intern_str(const fs_intern *t, uint32_t id);
size_t fs_intern_len(const fs_intern *t, uint32_t id);
size_t fs_intern_count(const fs_intern *t);
/** Approximate bytes held. */
size_t fs_intern_memory(const fs_intern *t);

/** The hash the table uses (64-bit, seeded constant): exposed for other tables keyed by text. */
uint64_t fs_hash_bytes(const void *data, size_t len);

#endif
