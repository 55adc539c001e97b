/* arena.c: chunked bump allocator. Chunks form a list; large requests get their own chunk. */
#include "framescope/arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    alignas(max_align_t) unsigned char data[];
} chunk;

struct fs_arena {
    chunk *head;
    size_t chunk_size;
    size_t used;
};

fs_arena *fs_arena_create(size_t chunk_size)
{
    fs_arena *a = calloc(1, sizeof *a);
    if (a)
        a->chunk_size = chunk_size ? chunk_size : 64 * 1024;
    return a;
}

void fs_arena_free(fs_arena *a)
{
    if (!a)
        return;
    for (chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}

void *fs_arena_alloc(fs_arena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    n = (n + align - 1) & ~(align - 1);
    if (n == 0)
        n = align;
    chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > a->chunk_size / 4 ? n : a->chunk_size;
        chunk *fresh = malloc(sizeof *fresh + size);
        if (!fresh)
            return NULL;
        fresh->size = size;
        fresh->used = 0;
        if (c && size == n && c->size - c->used >= a->chunk_size / 8) {
            /* A big one-off block: keep bumping in the current chunk afterwards. */
            fresh->next = c->next;
            c->next = fresh;
        } else {
            fresh->next = c;
            a->head = fresh;
        }
        c = fresh;
    }
    void *p = c->data + c->used;
    c->used += n;
    a->used += n;
    return p;
}

char *fs_arena_strndup(fs_arena *a, const char *s, size_t len)
{
    char *p = fs_arena_alloc(a, len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

char *fs_arena_strdup(fs_arena *a, const char *s)
{
    return fs_arena_strndup(a, s, strlen(s));
}

size_t fs_arena_used(const fs_arena *a)
{
    return a ? a->used : 0;
}
