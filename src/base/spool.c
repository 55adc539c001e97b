/* spool.c: texts in an unlinked temporary file mapped into one reserved address range (see
 * spool.h). The range is reserved once, PROT_NONE, so that pointers never move; the file grows
 * in SEGMENT steps, each mapped MAP_SHARED | MAP_FIXED over its part of the reservation. A
 * MAP_SHARED file page dropped with MADV_DONTNEED keeps its contents in the page cache (or on
 * disk), so eviction is always safe, even of a page another thread is using: the next access
 * faults the same page back in. */
#include "framescope/spool.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#define SEGMENT ((size_t)64 << 20)     /* file growth and mapping step */
#define RESERVE ((size_t)1 << 40)      /* 1 TiB of address space, never touched unless used */
#define TAIL 17                        /* NUL + 16 readable bytes after each text */
#define HEAP_BLOCK ((size_t)8 << 20)
/* Evictions cover whole 2 MiB blocks: the kernel maps file pages in folios of up to that size
 * (ext4 large folios), so a fault next to an evicted range can map some of its pages back; a
 * block-aligned eviction takes every folio touching the block. */
#define EVICT_ALIGN ((uintptr_t)2 << 20)

typedef struct heap_block {
    struct heap_block *next;
    size_t used, cap;
    char data[];
} heap_block;

struct fs_spool {
    pthread_mutex_t lock;
    /* on disk */
    int fd;
    char *base;           /* the reservation, NULL on the heap fallback */
    size_t mapped;        /* bytes of file mapped at base */
    size_t used;          /* bytes handed out */
    bool disk_full;       /* the file could not grow: new texts go to the heap */
    /* heap fallback */
    heap_block *blocks;
    size_t heap_used;
};

/* A file in $TMPDIR (else /tmp), unlinked at once: the kernel frees it when the run ends,
 * however it ends. -1 when none can be made. */
static int temp_fd(void)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    char path[4096];
    if (snprintf(path, sizeof path, "%s/framescope-spool-XXXXXX", dir) >= (int)sizeof path)
        return -1;
    int fd = mkstemp(path);
    if (fd >= 0)
        unlink(path);
    return fd;
}

static bool disk_init(fs_spool *sp)
{
    sp->fd = temp_fd();
    if (sp->fd < 0)
        return false;
    void *r = mmap(NULL, RESERVE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (r == MAP_FAILED) {
        close(sp->fd);
        sp->fd = -1;
        return false;
    }
    sp->base = r;
    return true;
}

fs_status fs_spool_create(bool in_memory, fs_spool **out)
{
    *out = NULL;
    fs_spool *sp = calloc(1, sizeof *sp);
    if (!sp)
        return FS_ERR_NOMEM;
    sp->fd = -1;
    if (pthread_mutex_init(&sp->lock, NULL) != 0) {
        free(sp);
        return FS_ERR_NOMEM;
    }
    if (!in_memory)
        disk_init(sp); /* on failure: the heap fallback */
    *out = sp;
    return FS_OK;
}

void fs_spool_free(fs_spool *sp)
{
    if (!sp)
        return;
    if (sp->base)
        munmap(sp->base, RESERVE);
    if (sp->fd >= 0)
        close(sp->fd);
    for (heap_block *b = sp->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    pthread_mutex_destroy(&sp->lock);
    free(sp);
}

/* Maps more of the file so that `need` bytes are usable. Called with the lock held. */
static bool disk_grow(fs_spool *sp, size_t need)
{
    while (sp->mapped < need) {
        if (sp->mapped + SEGMENT > RESERVE) {
            errno = ENOMEM;
            return false;
        }
        if (ftruncate(sp->fd, (off_t)(sp->mapped + SEGMENT)) != 0)
            return false;
        void *p = mmap(sp->base + sp->mapped, SEGMENT, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_FIXED, sp->fd, (off_t)sp->mapped);
        if (p == MAP_FAILED)
            return false;
        sp->mapped += SEGMENT;
    }
    return true;
}

static char *heap_reserve(fs_spool *sp, size_t n)
{
    heap_block *b = sp->blocks;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > HEAP_BLOCK ? n : HEAP_BLOCK;
        heap_block *nb = malloc(sizeof *nb + cap);
        if (!nb) {
            errno = ENOMEM;
            return NULL;
        }
        nb->next = b;
        nb->used = 0;
        nb->cap = cap;
        sp->blocks = b = nb;
    }
    char *p = b->data + b->used;
    b->used += n;
    sp->heap_used += n;
    return p;
}

/* Hands out n bytes (a multiple of 8). On disk the bytes are a fresh part of the file, all
 * zero until written, since no part is ever handed out twice. */
static char *take(fs_spool *sp, size_t n, bool *on_disk)
{
    char *p = NULL;
    pthread_mutex_lock(&sp->lock);
    if (sp->base && !sp->disk_full) {
        if (disk_grow(sp, sp->used + n)) {
            p = sp->base + sp->used;
            sp->used += n;
        } else if (errno == ENOSPC || errno == EFBIG) {
            sp->disk_full = true;
        }
    }
    *on_disk = p != NULL;
    if (!p && (!sp->base || sp->disk_full))
        p = heap_reserve(sp, n);
    pthread_mutex_unlock(&sp->lock);
    return p;
}

/* The temporary directory filled up: later texts go to the heap (a run that fits in memory
 * should not fail because /tmp is small). */
static void set_disk_full(fs_spool *sp)
{
    pthread_mutex_lock(&sp->lock);
    sp->disk_full = true;
    pthread_mutex_unlock(&sp->lock);
}

static size_t padded(size_t len)
{
    return (len + TAIL + 7) & ~(size_t)7; /* 8-byte aligned starts */
}

char *fs_spool_reserve(fs_spool *sp, size_t len)
{
    if (len > SIZE_MAX / 2) {
        errno = ENOMEM;
        return NULL;
    }
    bool disk;
    char *p = take(sp, padded(len), &disk);
    /* The caller writes through the mapping: its blocks are allocated now, so that a full disk
     * is an error here (and a fall back to the heap) rather than a SIGBUS on the write. */
    if (p && disk && posix_fallocate(sp->fd, (off_t)(p - sp->base), (off_t)padded(len)) != 0) {
        set_disk_full(sp);
        p = take(sp, padded(len), &disk);
    }
    if (p && !disk)
        memset(p + len, 0, padded(len) - len); /* NUL and the readable slack */
    return p;
}

/* Writes text and its NUL at `at` of the spool file: the NUL too, so that every block a later
 * in-place write may touch is allocated now (a write through the mapping into a hole of a full
 * disk would be a SIGBUS, not an error). */
static bool file_write(fs_spool *sp, const char *text, size_t len, off_t at)
{
    static const char nul = '\0';
    size_t done = 0, total = len + 1;
    while (done < total) {
        struct iovec v[2];
        int nv = 0;
        if (done < len)
            v[nv++] = (struct iovec){(void *)(uintptr_t)(text + done), len - done};
        v[nv++] = (struct iovec){(void *)(uintptr_t)&nul, 1};
        ssize_t w = pwritev(sp->fd, v, nv, at + (off_t)done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return false;
        }
        done += (size_t)w;
    }
    return true;
}

char *fs_spool_add(fs_spool *sp, const char *text, size_t len)
{
    if (len > SIZE_MAX / 2) {
        errno = ENOMEM;
        return NULL;
    }
    bool disk;
    char *p = take(sp, padded(len), &disk);
    if (p && disk) {
        /* Through the file, not the mapping: writing through the mapping would fault in every
         * page only for the stage to evict it again. The mapping sees the same page cache. */
        if (file_write(sp, text, len, (off_t)(p - sp->base)))
            return p;
        if (errno != ENOSPC && errno != EFBIG && errno != EDQUOT)
            return NULL;
        set_disk_full(sp); /* this part of the file stays a hole */
        p = take(sp, padded(len), &disk);
    }
    if (p) {
        memcpy(p, text, len);
        memset(p + len, 0, padded(len) - len);
    }
    return p;
}

void fs_spool_evict(fs_spool *sp, const void *p, size_t len)
{
    if (!sp || !sp->base || !p || len == 0)
        return;
    const char *c = p;
    if (c < sp->base || c >= sp->base + sp->mapped)
        return;
    uintptr_t base = (uintptr_t)sp->base, top = base + sp->mapped;
    uintptr_t lo = (uintptr_t)c & ~(EVICT_ALIGN - 1);
    uintptr_t hi = ((uintptr_t)c + len + EVICT_ALIGN - 1) & ~(EVICT_ALIGN - 1);
    if (lo < base) /* the reservation is page-aligned, not necessarily block-aligned */
        lo = base;
    if (hi > top)
        hi = top;
    madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

bool fs_spool_on_disk(const fs_spool *sp)
{
    return sp && sp->base;
}

size_t fs_spool_size(const fs_spool *sp)
{
    return sp ? sp->used + sp->heap_used : 0;
}
