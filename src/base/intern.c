/* intern.c: open-addressing (linear probing) string → dense id table over an arena. */
#include "framescope/intern.h"
#include "framescope/arena.h"
#include "framescope/hash.h"

#include <stdlib.h>
#include <string.h>

typedef struct entry {
    const char *str;
    uint32_t len;
} entry;

typedef struct slot {
    uint32_t id1;       /* id + 1, 0 = empty */
    uint32_t h32;       /* low 32 bits of the hash, to skip most string comparisons */
} slot;

struct fs_intern {
    fs_arena *arena;
    entry *entries;     /* by id */
    size_t count, entries_cap;
    slot *slots;        /* id and hash side by side: one cache miss per probe */
    size_t nslots;      /* power of two */
};

/* The hash itself is inline in hash.h, for the clean stage's hot loops. */
uint64_t fs_hash_bytes(const void *data, size_t len)
{
    return fs_hash_inline(data, len);
}

fs_intern *fs_intern_create(void)
{
    fs_intern *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->arena = fs_arena_create(256 * 1024);
    t->nslots = 1024;
    t->slots = calloc(t->nslots, sizeof *t->slots);
    if (!t->arena || !t->slots) {
        fs_intern_free(t);
        return NULL;
    }
    return t;
}

void fs_intern_free(fs_intern *t)
{
    if (!t)
        return;
    fs_arena_free(t->arena);
    free(t->entries);
    free(t->slots);
    free(t);
}

static size_t probe(const fs_intern *t, const char *s, size_t len, uint64_t h, int *found)
{
    size_t mask = t->nslots - 1, i = (size_t)(h >> 32) & mask;
    uint32_t h32 = (uint32_t)h;
    for (;;) {
        slot sl = t->slots[i];
        if (!sl.id1) {
            *found = 0;
            return i;
        }
        if (sl.h32 == h32) {
            const entry *e = &t->entries[sl.id1 - 1];
            if (e->len == len && memcmp(e->str, s, len) == 0) {
                *found = 1;
                return i;
            }
        }
        i = (i + 1) & mask;
    }
}

static fs_status grow(fs_intern *t)
{
    size_t n = t->nslots * 2;
    slot *slots = calloc(n, sizeof *slots);
    if (!slots)
        return FS_ERR_NOMEM;
    for (size_t id = 0; id < t->count; id++) {
        const entry *e = &t->entries[id];
        uint64_t h = fs_hash_bytes(e->str, e->len);
        size_t i = (size_t)(h >> 32) & (n - 1);
        while (slots[i].id1)
            i = (i + 1) & (n - 1);
        slots[i] = (slot){(uint32_t)id + 1, (uint32_t)h};
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = n;
    return FS_OK;
}

fs_status fs_intern_add(fs_intern *t, const char *s, size_t len, uint32_t *id)
{
    if (len > UINT32_MAX)
        return FS_ERR_INTERNAL;
    uint64_t h = fs_hash_bytes(s, len);
    int found;
    size_t i = probe(t, s, len, h, &found);
    if (found) {
        *id = t->slots[i].id1 - 1;
        return FS_OK;
    }
    if (t->count + 1 >= UINT32_MAX)
        return FS_ERR_NOMEM;
    if ((t->count + 1) * 4 > t->nslots * 3) {
        if (grow(t) != FS_OK)
            return FS_ERR_NOMEM;
        i = probe(t, s, len, h, &found);
    }
    if (t->count == t->entries_cap) {
        size_t cap = t->entries_cap ? t->entries_cap * 2 : 1024;
        entry *e = realloc(t->entries, cap * sizeof *e);
        if (!e)
            return FS_ERR_NOMEM;
        t->entries = e;
        t->entries_cap = cap;
    }
    char *copy = fs_arena_strndup(t->arena, s, len);
    if (!copy)
        return FS_ERR_NOMEM;
    t->entries[t->count] = (entry){copy, (uint32_t)len};
    t->slots[i] = (slot){(uint32_t)t->count + 1, (uint32_t)h};
    *id = (uint32_t)t->count++;
    return FS_OK;
}

uint32_t fs_intern_find(const fs_intern *t, const char *s, size_t len)
{
    int found;
    size_t i = probe(t, s, len, fs_hash_bytes(s, len), &found);
    return found ? t->slots[i].id1 - 1 : FS_INTERN_NONE;
}

const char *fs_intern_str(const fs_intern *t, uint32_t id)
{
    return id < t->count ? t->entries[id].str : NULL;
}

size_t fs_intern_len(const fs_intern *t, uint32_t id)
{
    return id < t->count ? t->entries[id].len : 0;
}

size_t fs_intern_count(const fs_intern *t)
{
    return t->count;
}

size_t fs_intern_memory(const fs_intern *t)
{
    return fs_arena_used(t->arena) + t->entries_cap * sizeof *t->entries +
           t->nslots * sizeof *t->slots;
}
