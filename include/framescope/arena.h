/**
 * arena.h: chunked bump allocator for many small strings that live and die together
 * (vocabulary, document metadata). Owned by the object that needs it; freed in one call.
 */
#ifndef FRAMESCOPE_ARENA_H
#define FRAMESCOPE_ARENA_H

#include <stddef.h>

typedef struct fs_arena fs_arena;

/** Creates an arena whose chunks are at least `chunk_size` bytes (0: 64 KiB). NULL on OOM. */
fs_arena *fs_arena_create(size_t chunk_size);
/** Frees every allocation and the arena. NULL is fine. */
void fs_arena_free(fs_arena *a);
/** Returns `n` bytes aligned for any type, or NULL on OOM. Never freed individually. */
void *fs_arena_alloc(fs_arena *a, size_t n);
/** Copies `len` bytes and a terminating NUL into the arena. */
char *fs_arena_strndup(fs_arena *a, const char *s, size_t len);
char *fs_arena_strdup(fs_arena *a, const char *s);
/** Bytes handed out so far (for memory accounting). */
size_t fs_arena_used(const fs_arena *a);

#endif
