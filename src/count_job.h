/* count_job.h: the counting job and its workers, shared by count.c (the workers) and
 * count_finish.c (vocabulary merge, remapping, co-occurrence collection). Private. */
#ifndef FRAMESCOPE_COUNT_JOB_H
#define FRAMESCOPE_COUNT_JOB_H

#include <stdatomic.h>
#include "count_internal.h"
#include "docvec.h"
#include "framescope/intern.h"
#include "framescope/tokenize.h"

typedef struct job {
    const fs_config *cfg;
    const fs_ctx *ctx;
    const fs_corpus *corpus;
    const fs_clean_result *clean;
    fs_clean_result *consume;  /* non-NULL: free each clean text once counted */
    const bool *select;
    const fs_tokenizer *tk;
    const frameset *frames;
    fs_intern *focus;          /* normalized focus terms: id = focus index */
    size_t ns, nf, nfocus;
    int window;
    bool by_sentence;
    int kwic_limit;
    size_t cooc_cap;           /* analysis.cooc_memory_mb in bytes */
    bool spilled;              /* some worker wrote co-occurrence runs to a temporary file */
    uint64_t prune_tf;         /* pairs of terms rarer than this were dropped (0: none) */
    atomic_size_t next;
    atomic_int stop;           /* set by a failing worker */
    /* per document, written by the worker that counted it */
    uint16_t *doc_worker;
    size_t *doc_vec_off;
    uint32_t *doc_vec_n;
    uint64_t *doc_tokens, *doc_content;
    uint64_t *doc_frames;
} job;

enum { F_STOP = 1, F_FOCUS = 2 };

#define CHUNK_DOCS 16   /* documents a worker takes at a time */

/* Terms of at most 16 bytes are looked up by value in an open-addressing table whose slots
 * hold the text itself (two zero-padded words): a lookup costs one multiply and usually one
 * cache line, with no string comparison. Longer terms, and the texts of all terms, live in the
 * worker's fs_intern, which assigns the ids. */
#define TEXT_SLACK 16   /* bytes readable after any term text (see load_key) */

typedef struct short_slot {
    uint64_t w0, w1;
    uint32_t id;
    uint8_t len;        /* 0: empty */
    uint8_t flags;      /* F_* of the term, so that stopwords cost one lookup */
} short_slot;

/* Terms of 1..8 bytes (most tokens of news text) have a table of their own with 16-byte slots:
 * smaller than the 24-byte one, so more of it stays in the cache, and no slot straddles two
 * cache lines. */
typedef struct tiny_slot {
    uint64_t w0;
    uint32_t id;
    uint8_t len;        /* 0: empty */
    uint8_t flags;
} tiny_slot;

typedef struct worker {
    job *job;
    size_t index;
    fs_tokens toks;
    fs_intern *vocab;          /* local ids */
    tiny_slot *tiny;           /* terms of 1..8 bytes → local id */
    size_t n_tiny, tiny_cap;   /* cap: a power of two */
    short_slot *shorts;        /* terms of 9..16 bytes → local id */
    size_t n_shorts, shorts_cap; /* cap: a power of two */
    size_t n_ids, id_cap;
    uint8_t *flags;
    uint32_t *focus_of;        /* focus index + 1, 0: none */
    /* One record of `stride` words per id: [2 s] tf of source s, [2 s + 1] df. */
    uint64_t *rec;
    size_t stride;
    /* What documents add to rec goes first to `tfdf`, one word an id per source ([s * id_cap +
     * id]: df << 32 | tf): a document adds to one source's array, 8 bytes an id, which mostly
     * stays in L2 where the 64-byte records would not. Folded into rec (fold_tfdf, count.c)
     * before a 32-bit half could overflow, before rec is read and when the ids grow. */
    uint64_t *tfdf;
    uint64_t tfdf_pending;     /* content tokens added to tfdf since the last fold */
    uint32_t *dcount;          /* per id: count in the current document */
    uint32_t *touched, *cids, *csent; /* c_cap each */
    size_t c_cap;
    dv_store vec;              /* term vectors of its documents, worker layout (docvec.h) */
    const uint8_t **vec_at;    /* per document it counted, in order: its vector */
    size_t vec_len, vec_cap;   /* documents in vec_at, room */
    cooc_state cooc;
    uint64_t content_seen;     /* content tokens counted by this worker */
    bool ranked;               /* the dense co-occurrence slots went to the top terms */
    frame_scratch *fscratch;
    kwic_cand *kw;
    size_t n_kw, kw_cap;
    uint32_t *kw_count;        /* [focus * ns + s] */
    fs_arena *kw_arena;
    const char *evict_lo, *evict_hi; /* span of counted texts not yet evicted (spool) */
    fs_status status;
    fs_error err;
} worker;

static inline uint64_t *id_rec(const worker *w, uint32_t id)
{
    return w->rec + (size_t)id * w->stride;
}

/* Is document d counted (not excluded by cleaning, selected)? */
static inline bool doc_counted(const job *j, size_t d)
{
    if (j->clean && j->clean->docs[d].excluded)
        return false;
    return !j->select || j->select[d];
}

/* Workers (count.c). worker_init: FS_ERR_NOMEM; worker_free frees what init allocated, also
 * after a failed init. worker_main counts chunks of documents until none is left, then
 * finishes its co-occurrence state (cooc_finish); w->status and w->err tell how it went. */
fs_status worker_init(worker *w, job *j, size_t index, size_t budget);
void worker_free(worker *w);
void *worker_main(void *arg);

/* Builds the counts from the finished workers (count_finish.c). FS_ERR_NOMEM or FS_ERR_OUTPUT
 * (spill file). */
fs_status count_finish(job *j, worker *ws, size_t nw, fs_counts *c);

#endif
