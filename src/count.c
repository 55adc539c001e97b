/* count.c: the counting engine's workers. Workers (pthreads, started by count_run.c) take
 * chunks of documents in increasing order from a shared counter; each tokenizes and counts into
 * private tables keyed by its own local term ids. At the end (count_finish.c) the local
 * vocabularies are sorted into one byte-ordered vocabulary and everything is remapped and added
 * up, so the result never depends on the thread count. Accessors are in count_access.c; shards
 * and the file format in shard.c, merging in shard_merge.c. */
#include "count_job.h"

#include <stdlib.h>
#include <string.h>

#include "framescope/vec.h"

/* ---------------------------------------------------------------- workers */

static fs_status grow(void **p, size_t *cap, size_t need, size_t elem)
{
    return fs_vec_reserve(p, need, cap, elem, 256);
}

static void *table_calloc(size_t n, size_t elem)
{
    void *p = fs_alloc_large(n * elem, true);
    if (p)
        memset(p, 0, n * elem);
    return p;
}

/* Adds what tfdf holds to the records and clears it (see count_job.h). */
static void fold_tfdf(worker *w)
{
    size_t ns = w->job->ns;
    if (!w->tfdf)
        return;
    for (size_t s = 0; s < ns; s++) {
        uint64_t *t = w->tfdf + s * w->id_cap;
        for (size_t id = 0; id < w->n_ids; id++) {
            if (!t[id])
                continue;
            uint64_t *r = id_rec(w, (uint32_t)id) + 2 * s;
            r[0] += (uint32_t)t[id];
            r[1] += t[id] >> 32;
            t[id] = 0;
        }
    }
    w->tfdf_pending = 0;
}

/* Room for local id `id` in every per-id array (new slots zeroed). */
static fs_status ensure_id(worker *w, size_t id)
{
    if (id < w->id_cap)
        return FS_OK;
    fold_tfdf(w); /* tfdf is laid out by id_cap: emptied, it is simply replaced */
    size_t cap = w->id_cap ? w->id_cap : 4096;
    while (cap <= id)
        cap *= 2;
    uint8_t *flags = realloc(w->flags, cap * sizeof *flags);
    if (flags)
        w->flags = flags;
    uint32_t *focus_of = realloc(w->focus_of, cap * sizeof *focus_of);
    if (focus_of)
        w->focus_of = focus_of;
    uint32_t *dcount = realloc(w->dcount, cap * sizeof *dcount);
    if (dcount)
        w->dcount = dcount;
    /* Cache-line aligned: with 4 sources a record of 8 words is one line. */
    void *rec = flags && focus_of && dcount
                    ? fs_alloc_large(cap * w->stride * sizeof *w->rec, true)
                    : NULL;
    if (!rec)
        return FS_ERR_NOMEM;
    uint64_t *tfdf = calloc(cap * (w->job->ns ? w->job->ns : 1), sizeof *tfdf);
    if (!tfdf) {
        free(rec);
        return FS_ERR_NOMEM;
    }
    free(w->tfdf);
    w->tfdf = tfdf;
    size_t old = w->id_cap;
    if (old)
        memcpy(rec, w->rec, old * w->stride * sizeof *w->rec);
    free(w->rec);
    w->rec = rec;
    memset(w->flags + old, 0, (cap - old) * sizeof *w->flags);
    memset(w->focus_of + old, 0, (cap - old) * sizeof *w->focus_of);
    memset(w->dcount + old, 0, (cap - old) * sizeof *w->dcount);
    memset(w->rec + old * w->stride, 0, (cap - old) * w->stride * sizeof *w->rec);
    w->id_cap = cap;
    return FS_OK;
}

/* A local id seen for the first time: its per-id data. */
static fs_status first_sight(worker *w, const char *s, uint32_t len, uint32_t id)
{
    const job *j = w->job;
    if (ensure_id(w, id) != FS_OK)
        return FS_ERR_NOMEM;
    uint32_t f = j->nfocus ? fs_intern_find(j->focus, s, len) : FS_INTERN_NONE;
    w->focus_of[id] = f == FS_INTERN_NONE ? 0 : f + 1;
    w->flags[id] = (uint8_t)((fs_tokenizer_is_stopword(j->tk, s, len) ? F_STOP : 0) |
                             (f == FS_INTERN_NONE ? 0 : F_FOCUS));
    w->n_ids = (size_t)id + 1;
    return FS_OK;
}

static const char *doc_text(const job *j, size_t d, size_t *len)
{
    if (j->clean) {
        *len = j->clean->docs[d].len;
        return j->clean->docs[d].text ? j->clean->docs[d].text : "";
    }
    *len = j->corpus->docs[d].len;
    return j->corpus->docs[d].text ? j->corpus->docs[d].text : "";
}

static fs_status add_kwic(worker *w, size_t d, size_t s, uint32_t focus, const fs_term *t,
                          const char *text, size_t len)
{
    job *j = w->job;
    uint32_t *cnt = &w->kw_count[focus * j->ns + s];
    if ((int)*cnt >= j->kwic_limit)
        return FS_OK;
    if (grow((void **)&w->kw, &w->kw_cap, w->n_kw + 1, sizeof *w->kw) != FS_OK)
        return FS_ERR_NOMEM;
    kwic_cand *k = &w->kw[w->n_kw];
    *k = (kwic_cand){focus, (uint32_t)s, (uint32_t)d, t->start, NULL, NULL, NULL};
    if (kwic_make(text, len, t->start, t->end, w->kw_arena, &k->left, &k->keyword, &k->right) !=
        FS_OK)
        return FS_ERR_NOMEM;
    w->n_kw++;
    (*cnt)++;
    return FS_OK;
}

/* The first 16 bytes of a term (len <= 16) as two words, zero-padded. */
static inline void load_key(const char *s, uint32_t len, uint64_t *w0, uint64_t *w1)
{
    uint64_t a, b;
    memcpy(&a, s, 8);       /* TEXT_SLACK makes both loads safe */
    memcpy(&b, s + 8, 8);
    if (len < 8) {
        *w0 = a & ((UINT64_C(1) << (8 * len)) - 1);
        *w1 = 0;
    } else {
        *w0 = a;
        *w1 = len == 16 ? b : b & ((UINT64_C(1) << (8 * (len - 8))) - 1);
    }
}

static inline size_t short_hash(uint64_t w0, uint64_t w1, uint32_t len)
{
    return (size_t)(((w0 * 0x9E3779B97F4A7C15ull + w1) * 0xC2B2AE3D27D4EB4Full + len) >> 20);
}

static fs_status shorts_grow(worker *w)
{
    size_t cap = w->shorts_cap * 2, mask = cap - 1;
    short_slot *t = table_calloc(cap, sizeof *t);
    if (!t)
        return FS_ERR_NOMEM;
    for (size_t i = 0; i < w->shorts_cap; i++) {
        const short_slot *e = &w->shorts[i];
        if (!e->len)
            continue;
        size_t k = short_hash(e->w0, e->w1, e->len) & mask;
        while (t[k].len)
            k = (k + 1) & mask;
        t[k] = *e;
    }
    free(w->shorts);
    w->shorts = t;
    w->shorts_cap = cap;
    return FS_OK;
}

static fs_status tiny_grow(worker *w)
{
    size_t cap = w->tiny_cap * 2, mask = cap - 1;
    tiny_slot *t = table_calloc(cap, sizeof *t);
    if (!t)
        return FS_ERR_NOMEM;
    for (size_t i = 0; i < w->tiny_cap; i++) {
        const tiny_slot *e = &w->tiny[i];
        if (!e->len)
            continue;
        size_t k = short_hash(e->w0, 0, e->len) & mask;
        while (t[k].len)
            k = (k + 1) & mask;
        t[k] = *e;
    }
    free(w->tiny);
    w->tiny = t;
    w->tiny_cap = cap;
    return FS_OK;
}

/* Local id and F_* flags of a term of 17 bytes or more (or empty), adding it to the worker's
 * vocabulary when new. */
static fs_status term_id_long(worker *w, const char *s, uint32_t len, uint32_t *id,
                              unsigned *flags)
{
    fs_status st;
    if ((st = fs_intern_add(w->vocab, s, len, id)) != FS_OK)
        return st;
    if (*id >= w->n_ids && (st = first_sight(w, s, len, *id)) != FS_OK)
        return st;
    *flags = w->flags[*id];
    return FS_OK;
}

/* The same for a term of 1..8 bytes, given its key word and short_hash. */
static inline fs_status term_id_tiny(worker *w, const char *s, uint32_t len, uint64_t w0,
                                     size_t h, uint32_t *id, unsigned *flags)
{
    fs_status st;
    size_t mask = w->tiny_cap - 1, k = h & mask;
    for (;;) {
        tiny_slot *e = &w->tiny[k];
        if (e->w0 == w0 && e->len == len) {
            *id = e->id;
            *flags = e->flags;
            return FS_OK;
        }
        if (!e->len)
            break;
        k = (k + 1) & mask;
    }
    /* Tiny terms only come through here: a term new to the table is new to the worker. */
    if ((st = fs_intern_add(w->vocab, s, len, id)) != FS_OK ||
        (st = first_sight(w, s, len, *id)) != FS_OK)
        return st;
    *flags = w->flags[*id];
    w->tiny[k] = (tiny_slot){w0, *id, (uint8_t)len, (uint8_t)*flags};
    if (++w->n_tiny * 2 > w->tiny_cap)
        return tiny_grow(w);
    return FS_OK;
}

/* The same for a term of 9..16 bytes, given its key words and short_hash. */
static inline fs_status term_id_short(worker *w, const char *s, uint32_t len, uint64_t w0,
                                      uint64_t w1, size_t h, uint32_t *id, unsigned *flags)
{
    fs_status st;
    size_t mask = w->shorts_cap - 1, k = h & mask;
    for (;;) {
        short_slot *e = &w->shorts[k];
        if (e->w0 == w0 && e->w1 == w1 && e->len == len) {
            *id = e->id;
            *flags = e->flags;
            return FS_OK;
        }
        if (!e->len)
            break;
        k = (k + 1) & mask;
    }
    /* Short terms only come through here: a term new to the table is new to the worker. */
    if ((st = fs_intern_add(w->vocab, s, len, id)) != FS_OK ||
        (st = first_sight(w, s, len, *id)) != FS_OK)
        return st;
    *flags = w->flags[*id];
    w->shorts[k] = (short_slot){w0, w1, *id, (uint8_t)len, (uint8_t)*flags};
    if (++w->n_shorts * 2 > w->shorts_cap)
        return shorts_grow(w);
    return FS_OK;
}

/* The token loop is a three-stage pipeline over a ring of RING entries, so that the two cache
 * misses of a rare term overlap with the work on other tokens: KEY_AHEAD tokens ahead, a term's
 * key and hash are computed and its slot in the short table prefetched; LOOKUP_AHEAD tokens
 * ahead, it is looked up (ids are still assigned in token order) and its per-document count
 * prefetched; then it is counted. */
#define KEY_AHEAD 24
#define LOOKUP_AHEAD 5
#define RING 32
/* Distance of the prefetches of per-id records at the end of a document: an iteration is short
 * (two varints), and a record is usually a miss to L3 or memory, so they must start early. */
#define PREFETCH 32

typedef struct term_key {
    uint64_t w0, w1;
    size_t h;
    uint32_t id;
    unsigned flags;
} term_key;

static inline void prefetch_term(const worker *w, const fs_tokens *tk, size_t k, term_key *ring)
{
    const fs_term *t = &tk->terms[k];
    if (t->len == 0 || t->len > 16)
        return;
    term_key *e = &ring[k % RING];
    load_key(tk->text + t->off, t->len, &e->w0, &e->w1);
    e->h = short_hash(e->w0, e->w1, t->len);
    if (t->len <= 8)
        __builtin_prefetch(&w->tiny[e->h & (w->tiny_cap - 1)]);
    else { /* a 24-byte slot may straddle two cache lines: both are fetched */
        const short_slot *slot = &w->shorts[e->h & (w->shorts_cap - 1)];
        __builtin_prefetch(slot);
        __builtin_prefetch((const char *)(slot + 1) - 1);
    }
}

static inline fs_status lookup_term(worker *w, const fs_tokens *tk, size_t k, term_key *ring)
{
    const fs_term *t = &tk->terms[k];
    term_key *e = &ring[k % RING];
    fs_status st;
    if (t->len == 0 || t->len > 16)
        st = term_id_long(w, tk->text + t->off, t->len, &e->id, &e->flags);
    else if (t->len <= 8)
        st = term_id_tiny(w, tk->text + t->off, t->len, e->w0, e->h, &e->id, &e->flags);
    else
        st = term_id_short(w, tk->text + t->off, t->len, e->w0, e->w1, e->h, &e->id,
                           &e->flags);
    if (st == FS_OK && !(e->flags & F_STOP))
        __builtin_prefetch(&w->dcount[e->id], 1);
    return st;
}

/* Once a worker has seen RANK_AFTER content tokens, its most frequent terms so far get the dense
 * co-occurrence slots: about twice as many pairs are counted in place as with the first-seen
 * ids, fewer keys to sort. */
#define RANK_AFTER (1u << 18)

static int cmp_desc_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? 1 : a > b ? -1 : 0;
}

static fs_status rank_dense(worker *w)
{
    size_t ns = w->job->ns, n = w->n_ids, k = w->cooc.dense_k;
    w->ranked = true;
    if (!k || n == 0)
        return FS_OK;
    fold_tfdf(w);
    uint64_t *v = malloc(n * sizeof *v);
    if (!v)
        return FS_ERR_NOMEM;
    for (size_t id = 0; id < n; id++) { /* tf << 32 | id, ids of frequent terms first */
        const uint64_t *r = id_rec(w, (uint32_t)id);
        uint64_t tf = 0;
        for (size_t s = 0; s < ns; s++)
            tf += r[2 * s];
        v[id] = (tf > 0xFFFFFFFFu ? 0xFFFFFFFFu : tf) << 32 | (0xFFFFFFFFu - id);
    }
    qsort(v, n, sizeof *v, cmp_desc_u64);
    size_t m = 0;
    uint32_t *ids = (uint32_t *)malloc(k * sizeof *ids);
    if (!ids) {
        free(v);
        return FS_ERR_NOMEM;
    }
    for (size_t i = 0; i < n && m < k && (v[i] >> 32); i++)
        ids[m++] = 0xFFFFFFFFu - (uint32_t)v[i];
    free(v);
    fs_status st = cooc_set_dense(&w->cooc, ids, m, n);
    free(ids);
    return st;
}

static fs_status count_doc(worker *w, size_t d)
{
    job *j = w->job;
    size_t len;
    const char *text = doc_text(j, d, &len);
    size_t s = j->corpus->docs[d].source;
    fs_status st = fs_tokenize(j->tk, text, len, 0, &w->toks);
    if (st != FS_OK)
        return fs_error_set(&w->err, st, j->corpus->docs[d].id,
                            st == FS_ERR_NOMEM ? "out of memory" : "document too large");
    if (w->toks.text_cap < w->toks.text_len + TEXT_SLACK) {
        char *t = realloc(w->toks.text, w->toks.text_len + TEXT_SLACK);
        if (!t)
            return FS_ERR_NOMEM;
        w->toks.text = t;
        w->toks.text_cap = w->toks.text_len + TEXT_SLACK;
    }
    const fs_tokens *tk = &w->toks;
    if (tk->n > w->c_cap) { /* content ids, their sentences, distinct ids: one slot per term */
        size_t cap = tk->n + tk->n / 2 + 16;
        uint32_t *p = realloc(w->cids, cap * sizeof *p);
        if (!p)
            return FS_ERR_NOMEM;
        w->cids = p;
        uint32_t *q = realloc(w->csent, cap * sizeof *q);
        if (!q)
            return FS_ERR_NOMEM;
        w->csent = q;
        uint32_t *u = realloc(w->touched, cap * sizeof *u);
        if (!u)
            return FS_ERR_NOMEM;
        w->touched = u;
        w->c_cap = cap;
    }
    /* Per token only the document count of its id changes (dcount, 4 bytes an id: mostly in
     * the cache); tf and df are added once per distinct term at the end of the document. */
    uint64_t tokens = 0, content = 0;
    size_t n_touched = 0, n = tk->n;
    term_key ring[RING];
    for (size_t k = 0; k < n && k < KEY_AHEAD; k++)
        prefetch_term(w, tk, k, ring);
    for (size_t k = 0; k < n && k < LOOKUP_AHEAD; k++)
        if (lookup_term(w, tk, k, ring) != FS_OK)
            return FS_ERR_NOMEM;
    for (size_t k = 0; k < n; k++) {
        if (k + KEY_AHEAD < n)
            prefetch_term(w, tk, k + KEY_AHEAD, ring);
        if (k + LOOKUP_AHEAD < n && lookup_term(w, tk, k + LOOKUP_AHEAD, ring) != FS_OK)
            return FS_ERR_NOMEM;
        const fs_term *t = &tk->terms[k];
        uint32_t id = ring[k % RING].id;
        unsigned fl = ring[k % RING].flags;
        tokens++;
        if ((fl & F_FOCUS) &&
            (st = add_kwic(w, d, s, w->focus_of[id] - 1, t, text, len)) != FS_OK)
            return st;
        if (fl & F_STOP)
            continue;
        if (w->dcount[id]++ == 0)
            w->touched[n_touched++] = id;
        w->cids[content] = id;
        w->csent[content] = t->sentence;
        content++;
    }
    /* The term vector goes to the worker's spool as varints (docvec.h): file pages, evicted
     * chunk by chunk, so the vectors of a large corpus do not stay in memory. */
    uint8_t *vec = dv_room(&w->vec, DV_MAX_BYTES(n_touched));
    if (!vec ||
        grow((void **)&w->vec_at, &w->vec_cap, w->vec_len + 1, sizeof *w->vec_at) != FS_OK)
        return fs_error_set(&w->err, FS_ERR_NOMEM, j->corpus->docs[d].id,
                            "out of memory or temporary disk space for term vectors");
    j->doc_vec_off[d] = w->vec_len;
    j->doc_vec_n[d] = (uint32_t)n_touched;
    w->vec_at[w->vec_len++] = vec;
    /* Each half of a tfdf word grows by at most the content tokens added since the fold. */
    if (w->tfdf_pending + content > UINT32_MAX)
        fold_tfdf(w);
    w->tfdf_pending += content;
    uint64_t *tfdf = n_touched ? w->tfdf + s * w->id_cap : NULL;
    for (size_t k = 0; k < n_touched && k < PREFETCH; k++)
        __builtin_prefetch(tfdf + w->touched[k], 1);
    for (size_t k = 0; k < n_touched; k++) {
        if (k + PREFETCH < n_touched)
            __builtin_prefetch(tfdf + w->touched[k + PREFETCH], 1);
        uint32_t id = w->touched[k];
        tfdf[id] += (UINT64_C(1) << 32) | w->dcount[id]; /* df, tf */
        vec = dv_put(vec, id);
        vec = dv_put(vec, w->dcount[id]);
        w->dcount[id] = 0;
    }
    dv_commit(&w->vec, vec);
    j->doc_worker[d] = (uint16_t)w->index;
    j->doc_tokens[d] = tokens;
    j->doc_content[d] = content;
    st = cooc_add_doc(&w->cooc, s, w->cids, w->csent, content, j->window, j->by_sentence,
                      w->n_ids);
    if (st != FS_OK)
        return st;
    w->content_seen += content;
    if (!w->ranked && w->content_seen >= RANK_AFTER && (st = rank_dense(w)) != FS_OK)
        return st;
    if (j->nf)
        return frameset_count(j->frames, w->fscratch, text, len, j->doc_frames + d * j->nf,
                              &w->err);
    return FS_OK;
}

/* Texts leave the resident set in spans of at least EVICT_SPAN bytes: each eviction interrupts
 * the other core to flush its address translations, so once per chunk of 16 documents costs
 * more than the memory it saves. Spans of the two workers overlap; a text the other worker is
 * still reading just faults back in from the page cache. */
#define EVICT_SPAN ((size_t)8 << 20)

static void evict_texts(worker *w, size_t first, size_t last, bool flush)
{
    const fs_clean_result *clean = w->job->consume;
    for (size_t d = first; d < last; d++) {
        const char *t = clean->docs[d].text;
        if (!t)
            continue;
        if (!w->evict_lo || t < w->evict_lo)
            w->evict_lo = t;
        if (!w->evict_hi || t + clean->docs[d].len > w->evict_hi)
            w->evict_hi = t + clean->docs[d].len;
    }
    if (w->evict_lo && (flush || (size_t)(w->evict_hi - w->evict_lo) >= EVICT_SPAN)) {
        fs_spool_evict(clean->spool, w->evict_lo, (size_t)(w->evict_hi - w->evict_lo));
        w->evict_lo = w->evict_hi = NULL;
    }
}

void *worker_main(void *arg)
{
    worker *w = arg;
    job *j = w->job;
    size_t n = j->corpus->n_docs;
    while (!atomic_load(&j->stop)) {
        if (fs_ctx_interrupted(j->ctx)) {
            w->status = fs_error_set(&w->err, FS_ERR_INTERRUPTED, "count", "interrupted");
            break;
        }
        size_t first = atomic_fetch_add(&j->next, CHUNK_DOCS);
        if (first >= n)
            break;
        size_t last = first + CHUNK_DOCS < n ? first + CHUNK_DOCS : n;
        for (size_t d = first; d < last && w->status == FS_OK; d++) {
            if (doc_counted(j, d))
                w->status = count_doc(w, d);
            if (j->consume && !j->consume->spool) {
                free(j->consume->docs[d].text);
                j->consume->docs[d].text = NULL;
            }
        }
        if (j->consume && j->consume->spool)
            evict_texts(w, first, last, false);
        if (w->status != FS_OK)
            break;
    }
    if (j->consume && j->consume->spool)
        evict_texts(w, 0, 0, true);
    fold_tfdf(w); /* count_finish reads the records */
    if (w->status == FS_OK) /* drain the dense tables here, in parallel */
        w->status = cooc_finish(&w->cooc, w->n_ids);
    if (w->status != FS_OK) {
        if (w->status == FS_ERR_NOMEM && w->err.status != FS_ERR_NOMEM)
            fs_error_set(&w->err, FS_ERR_NOMEM, "count", "out of memory while counting");
        else if (w->status == FS_ERR_OUTPUT && w->err.status != FS_ERR_OUTPUT)
            fs_error_set(&w->err, FS_ERR_OUTPUT, "count",
                         "cannot write the co-occurrence spill file (temporary directory full?)");
        atomic_store(&j->stop, 1);
    }
    return NULL;
}

fs_status worker_init(worker *w, job *j, size_t index, size_t budget)
{
    memset(w, 0, sizeof *w);
    w->job = j;
    w->index = index;
    w->toks = (fs_tokens)FS_TOKENS_INIT;
    w->vocab = fs_intern_create();
    w->stride = j->ns ? 2 * j->ns : 1;
    w->tiny_cap = 1 << 14;
    w->tiny = calloc(w->tiny_cap, sizeof *w->tiny);
    w->shorts_cap = 1 << 13;
    w->shorts = calloc(w->shorts_cap, sizeof *w->shorts);
    w->kw_arena = fs_arena_create(0);
    w->kw_count = calloc(j->nfocus * j->ns + 1, sizeof *w->kw_count);
    w->fscratch = j->nf ? frame_scratch_create(j->frames) : NULL;
    if (!w->vocab || !w->tiny || !w->shorts || !w->kw_arena || !w->kw_count || (j->nf && !w->fscratch))
        return FS_ERR_NOMEM;
    return cooc_init(&w->cooc, j->ns, budget);
}

void worker_free(worker *w)
{
    fs_tokens_free(&w->toks);
    fs_intern_free(w->vocab);
    free(w->tiny);
    free(w->shorts);
    free(w->flags);
    free(w->focus_of);
    free(w->rec);
    free(w->tfdf);
    free(w->dcount);
    free(w->touched);
    free(w->cids);
    free(w->csent);
    dv_store_free(&w->vec);
    free(w->vec_at);
    cooc_free(&w->cooc);
    frame_scratch_free(w->fscratch);
    free(w->kw);
    free(w->kw_count);
    fs_arena_free(w->kw_arena);
}
