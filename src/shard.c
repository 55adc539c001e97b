/* shard.c: count shards on disk (save and load); merging is in shard_merge.c.
 *
 * File format:
 *   header   "FSCOUNTS" (8 bytes), u32 format version (2), u32 reserved (0), little-endian
 *   payload  parameters, vocabulary, tf/df, documents, pairs, concordance (see save_payload);
 *            every integer is an unsigned LEB128 varint (7 bits a byte, low first), strings
 *            are varint(length + 1) then the bytes (0: NULL), doubles are 8 bytes little-endian;
 *            term vectors and pair lists store ids as differences from the previous one
 *   trailer  u64 payload bytes, u64 checksum of header + payload (FNV-1a-64 over 8-byte
 *            little-endian words, then the tail bytes), little-endian
 * A file is written to a temporary beside the target and renamed (fs_outfile), so a reader sees
 * either the old file or the complete new one. Loading checks magic, version, length and
 * checksum before parsing, and parsing checks every length against the bytes left.
 *
 * Merging is in shard_merge.c. */
#include "count_internal.h"
#include "docvec.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "framescope/fileio.h"

#define MAGIC "FSCOUNTS"
#define FORMAT_VERSION 2u
#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull
#define VEC_BATCH 4096 /* documents whose term vectors leave the resident set at once */

/* The checksum, fed in pieces whose lengths are multiples of 8 except the last one. */
static uint64_t checksum(uint64_t h, const unsigned char *p, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w = 0;
        for (int k = 7; k >= 0; k--)
            w = (w << 8) | p[i + (size_t)k];
        h = (h ^ w) * FNV_PRIME;
    }
    for (; i < n; i++)
        h = (h ^ p[i]) * FNV_PRIME;
    return h;
}

/* ---------------------------------------------------------------- writing */

typedef struct writer {
    FILE *fp;
    uint64_t hash, bytes;
    unsigned char buf[1 << 16];
    size_t n;
    bool failed;
} writer;

static void w_flush(writer *w)
{
    w->hash = checksum(w->hash, w->buf, w->n);
    if (w->n && fwrite(w->buf, 1, w->n, w->fp) != w->n)
        w->failed = true;
    w->bytes += w->n;
    w->n = 0;
}

static void w_bytes(writer *w, const void *p, size_t n)
{
    const unsigned char *s = p;
    while (n) {
        size_t k = sizeof w->buf - w->n < n ? sizeof w->buf - w->n : n;
        memcpy(w->buf + w->n, s, k);
        w->n += k;
        s += k;
        n -= k;
        if (w->n == sizeof w->buf)
            w_flush(w);
    }
}

static void w_fix(writer *w, uint64_t v, int bytes)
{
    unsigned char b[8];
    for (int i = 0; i < bytes; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    w_bytes(w, b, (size_t)bytes);
}

static void w_u64(writer *w, uint64_t v)
{
    unsigned char b[10];
    size_t n = 0;
    while (v >= 0x80) {
        b[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    b[n++] = (unsigned char)v;
    if (w->n + n < sizeof w->buf) { /* the buffer is flushed only when full (checksum pieces) */
        memcpy(w->buf + w->n, b, n);
        w->n += n;
    } else {
        w_bytes(w, b, n);
    }
}

static void w_u32(writer *w, uint32_t v)
{
    w_u64(w, v);
}

static void w_f64(writer *w, double d)
{
    uint64_t v;
    memcpy(&v, &d, sizeof v);
    w_fix(w, v, 8);
}

static void w_str(writer *w, const char *s)
{
    if (!s) {
        w_u64(w, 0);
        return;
    }
    size_t n = strlen(s);
    w_u64(w, (uint64_t)n + 1);
    w_bytes(w, s, n);
}

static void save_payload(writer *w, const fs_counts *c)
{
    size_t ns = c->n_sources, nt = c->n_terms, nf = c->n_frames;
    w_u64(w, ns);
    w_u64(w, nf);
    w_u64(w, c->n_focus);
    w_u32(w, (uint32_t)c->window);
    w_u32(w, (uint32_t)c->kwic_limit);
    w_u32(w, (uint32_t)c->sentence_cooc | ((uint32_t)c->pruned << 1));
    w_u64(w, c->fingerprint);
    w_str(w, c->stop_version);
    for (size_t s = 0; s < ns; s++)
        w_str(w, c->source_ids[s]);
    for (size_t f = 0; f < nf; f++)
        w_str(w, c->frame_names[f]);
    for (size_t f = 0; f < c->n_focus; f++)
        w_str(w, c->focus[f]);

    w_u64(w, nt);
    for (size_t t = 0; t < nt; t++)
        w_str(w, c->terms[t]);
    for (size_t i = 0; i < ns * nt; i++)
        w_u64(w, c->tf[i]);
    for (size_t i = 0; i < ns * nt; i++)
        w_u32(w, c->df[i]);
    for (size_t s = 0; s < ns; s++) {
        w_u64(w, c->tokens[s]);
        w_u64(w, c->content_tokens[s]);
        w_u64(w, c->docs_counted[s]);
    }

    w_u64(w, c->n_docs);
    size_t batch = 0; /* first document whose vector is still resident */
    for (size_t d = 0; d < c->n_docs; d++) {
        const fs_doc_info *di = &c->docs[d];
        w_str(w, di->id);
        w_str(w, di->path);
        w_str(w, di->title);
        w_str(w, di->author);
        w_str(w, di->outlet);
        w_str(w, di->url);
        w_str(w, di->duplicate_of);
        w_str(w, di->removals);
        w_u64(w, di->source);
        w_u32(w, (uint32_t)di->date.year);
        w_u32(w, (uint32_t)di->date.month);
        w_u32(w, (uint32_t)di->date.day);
        w_bytes(w, di->sha256, 64);
        w_u64(w, di->chars_raw);
        w_u64(w, di->chars_clean);
        w_f64(w, di->similarity);
        w_u32(w, di->counted);
        w_u64(w, di->tokens);
        w_u64(w, di->content_tokens);
        w_u64(w, di->invalid_bytes);
        w_u32(w, c->vec_n[d]);
        /* In memory the vector already has this file's layout (docvec.h): ids ascending as
         * varint differences from the previous one (the first from 0), each with its count. */
        if (c->vec_n[d])
            w_bytes(w, c->vec_at[d], dv_size(c->vec_at[d], c->vec_n[d]));
        if (d + 1 - batch == VEC_BATCH || d + 1 == c->n_docs) {
            fs_counts_doc_terms_evict(c, batch, d + 1);
            batch = d + 1;
        }
        for (size_t f = 0; f < nf; f++)
            w_u64(w, c->doc_frames[d * nf + f]);
    }

    for (size_t s = 0; s < ns; s++) {
        w_u64(w, c->n_pairs[s]);
        uint32_t pa = 0, pb = 0;
        for (size_t i = 0; i < c->n_pairs[s]; i++) {
            const fs_pair *p = &c->pairs[s][i];
            /* sorted by (a, b): a never decreases; b is stored from the previous b of the same
             * a, or from a for the first one (b > a) */
            uint32_t base = p->a == pa && i > 0 ? pb : p->a;
            w_u32(w, p->a - pa);
            w_u32(w, p->b - base);
            w_u64(w, p->count);
            pa = p->a;
            pb = p->b;
        }
    }

    w_u64(w, c->n_kwic);
    for (size_t i = 0; i < c->n_kwic; i++) {
        const fs_kwic *k = &c->kwic[i];
        w_u64(w, k->source);
        w_u64(w, k->focus);
        w_u64(w, k->doc);
        w_u32(w, c->kwic_pos[i]);
        w_str(w, k->left);
        w_str(w, k->keyword);
        w_str(w, k->right);
    }
}

fs_status fs_counts_save(const fs_counts *c, const char *path, fs_error *err)
{
    fs_outfile of;
    fs_status st = fs_outfile_open(&of, path, err);
    if (st != FS_OK)
        return st;
    writer *w = calloc(1, sizeof *w);
    if (!w) {
        fs_outfile_abort(&of);
        return fs_error_set(err, FS_ERR_NOMEM, path, "out of memory");
    }
    w->fp = of.fp;
    w->hash = FNV_OFFSET;
    w_bytes(w, MAGIC, 8);
    w_fix(w, FORMAT_VERSION, 4);
    w_fix(w, 0, 4);
    save_payload(w, c);
    w_flush(w);
    uint64_t payload = w->bytes - 16, hash = w->hash;
    w_fix(w, payload, 8);
    w_fix(w, hash, 8);
    w_flush(w);
    if (w->failed)
        of.failed = 1;
    free(w);
    return fs_outfile_commit(&of, err);
}

/* ---------------------------------------------------------------- reading */

/* A counts file is read through a read-only mapping whose pages are dropped behind the
 * checksum and the parser, a step at a time, so that loading the shard of a large corpus does
 * not hold the whole file next to the counts made from it. A file that cannot be mapped (not a
 * regular file, mmap refused) is read into the heap. Counts files are replaced by rename, never
 * truncated in place, so a mapped file does not shrink under the reader. */
#define DROP_STEP ((size_t)8 << 20)

typedef struct infile {
    unsigned char *map;   /* the mapping, or NULL */
    char *heap;           /* or the heap copy */
    const unsigned char *u;
    size_t len, dropped;  /* bytes before `dropped` have left the resident set */
} infile;

static fs_status infile_open(const char *path, infile *f, fs_error *err)
{
    memset(f, 0, sizeof *f);
    struct stat st; /* by path: opening a pipe to look would take its data from the reader */
    int fd = stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0
                 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED) {
            close(fd);
            madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
            f->u = f->map = p;
            f->len = (size_t)st.st_size;
            return FS_OK;
        }
    }
    if (fd >= 0)
        close(fd);
    fs_status s = fs_read_file(path, 0, &f->heap, &f->len, err);
    f->u = (const unsigned char *)f->heap;
    return s;
}

/* Drops the whole steps before `upto` from the resident set (read back if touched again). */
static void infile_drop(infile *f, const unsigned char *upto)
{
    if (!f || !f->map)
        return;
    size_t at = (size_t)(upto - f->u) / DROP_STEP * DROP_STEP;
    if (at > f->dropped) {
        madvise(f->map + f->dropped, at - f->dropped, MADV_DONTNEED);
        f->dropped = at;
    }
}

static void infile_close(infile *f)
{
    if (f->map)
        munmap(f->map, f->len);
    free(f->heap);
}

typedef struct reader {
    const unsigned char *p;
    size_t left;
    bool failed;
    fs_arena *arena;
    bool nomem;
    infile *file;         /* dropped behind p (NULL: nothing to drop) */
} reader;

static const unsigned char *r_take(reader *r, size_t n)
{
    if (r->failed || r->left < n) {
        r->failed = true;
        return NULL;
    }
    const unsigned char *p = r->p;
    r->p += n;
    r->left -= n;
    return p;
}

static uint64_t r_fix(reader *r, int bytes)
{
    const unsigned char *b = r_take(r, (size_t)bytes);
    uint64_t v = 0;
    if (b)
        for (int i = bytes - 1; i >= 0; i--)
            v = (v << 8) | b[i];
    return v;
}

static uint64_t r_u64(reader *r)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (r->failed || r->left == 0) {
            r->failed = true;
            return 0;
        }
        unsigned char b = *r->p++;
        r->left--;
        v |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80))
            return v;
    }
    r->failed = true; /* more than ten bytes */
    return 0;
}

static uint32_t r_u32(reader *r)
{
    uint64_t v = r_u64(r);
    if (v > UINT32_MAX)
        r->failed = true;
    return (uint32_t)v;
}

static double r_f64(reader *r)
{
    uint64_t v = r_fix(r, 8);
    double d;
    memcpy(&d, &v, sizeof d);
    return d;
}

static const char *r_str(reader *r)
{
    uint64_t n1 = r_u64(r);
    if (r->failed || n1 == 0)
        return NULL;
    if (n1 - 1 > r->left) {
        r->failed = true;
        return NULL;
    }
    size_t n = (size_t)(n1 - 1);
    const unsigned char *b = r_take(r, n);
    if (!b)
        return NULL;
    const char *s = fs_arena_strndup(r->arena, (const char *)b, n);
    if (!s)
        r->nomem = r->failed = true;
    return s;
}

/* A count read from the file is plausible when that many items of at least `min` bytes fit. */
static bool r_fits(reader *r, uint64_t count, size_t min)
{
    if (r->failed || (min && count > r->left / min)) {
        r->failed = true;
        return false;
    }
    return true;
}

static void *r_alloc(reader *r, uint64_t count, size_t elem)
{
    if (r->failed)
        return NULL;
    void *p = calloc((size_t)count + 1, elem);
    if (!p)
        r->nomem = r->failed = true;
    return p;
}

static void load_payload(reader *r, fs_counts **out)
{
    uint64_t ns = r_u64(r), nf = r_u64(r), nfocus = r_u64(r);
    if (!r_fits(r, ns, 1) || !r_fits(r, nf, 1) || !r_fits(r, nfocus, 1))
        return;
    fs_counts *c = counts_alloc((size_t)ns, (size_t)nf, (size_t)nfocus);
    if (!c) {
        r->nomem = r->failed = true;
        return;
    }
    *out = c;
    r->arena = c->arena;
    c->window = (int)r_u32(r);
    c->kwic_limit = (int)r_u32(r);
    uint32_t fl = r_u32(r);
    c->sentence_cooc = fl & 1;
    c->pruned = (fl >> 1) & 1;
    c->fingerprint = r_u64(r);
    c->stop_version = r_str(r);
    if (!c->stop_version)
        c->stop_version = "";
    for (size_t s = 0; s < ns; s++)
        c->source_ids[s] = r_str(r);
    for (size_t f = 0; f < nf; f++)
        c->frame_names[f] = r_str(r);
    for (size_t f = 0; f < nfocus; f++)
        c->focus[f] = r_str(r);

    uint64_t nt = r_u64(r);
    if (!r_fits(r, nt, 1))
        return;
    c->n_terms = (size_t)nt;
    c->terms = r_alloc(r, nt, sizeof *c->terms);
    for (size_t t = 0; t < nt && !r->failed; t++)
        c->terms[t] = r_str(r);
    if (!r_fits(r, ns * nt, 2))
        return;
    c->tf = r_alloc(r, ns * nt, sizeof *c->tf);
    c->df = r_alloc(r, ns * nt, sizeof *c->df);
    for (size_t i = 0; i < ns * nt && !r->failed; i++)
        c->tf[i] = r_u64(r);
    for (size_t i = 0; i < ns * nt && !r->failed; i++)
        c->df[i] = r_u32(r);
    for (size_t s = 0; s < ns; s++) {
        c->tokens[s] = r_u64(r);
        c->content_tokens[s] = r_u64(r);
        c->docs_counted[s] = (size_t)r_u64(r);
    }

    uint64_t nd = r_u64(r);
    if (!r_fits(r, nd, 80))
        return;
    c->n_docs = (size_t)nd;
    c->docs = r_alloc(r, nd, sizeof *c->docs);
    c->vec_at = r_alloc(r, nd, sizeof *c->vec_at);
    c->vec_n = r_alloc(r, nd, sizeof *c->vec_n);
    c->doc_frames = r_alloc(r, nd * nf, sizeof *c->doc_frames);
    if (!r->failed && fs_spool_create(false, &c->vec_spool) != FS_OK)
        r->nomem = r->failed = true;
    dv_store vs = {.sp = c->vec_spool};
    for (size_t d = 0; d < nd && !r->failed; d++) {
        fs_doc_info *di = &c->docs[d];
        di->id = r_str(r);
        di->path = r_str(r);
        di->title = r_str(r);
        di->author = r_str(r);
        di->outlet = r_str(r);
        di->url = r_str(r);
        di->duplicate_of = r_str(r);
        di->removals = r_str(r);
        di->source = (size_t)r_u64(r);
        di->date.year = (int)r_u32(r);
        di->date.month = (int)r_u32(r);
        di->date.day = (int)r_u32(r);
        const unsigned char *sha = r_take(r, 64);
        if (sha)
            memcpy(di->sha256, sha, 64);
        di->sha256[64] = '\0';
        di->chars_raw = r_u64(r);
        di->chars_clean = r_u64(r);
        di->similarity = r_f64(r);
        di->counted = r_u32(r) != 0;
        di->tokens = r_u64(r);
        di->content_tokens = r_u64(r);
        di->invalid_bytes = r_u64(r);
        uint32_t vn = r_u32(r);
        if (!r_fits(r, vn, 2) || di->source >= ns) {
            r->failed = true;
            return;
        }
        /* Validated, then encoded afresh: a file may spell a number with extra bytes. */
        uint8_t *q = dv_room(&vs, DV_MAX_BYTES(vn));
        if (!q) {
            r->nomem = r->failed = true;
            return;
        }
        c->vec_at[d] = q;
        c->vec_n[d] = vn;
        c->vec_len += vn;
        c->vec_max = vn > c->vec_max ? vn : c->vec_max;
        uint64_t t = 0;
        for (uint32_t k = 0; k < vn && !r->failed; k++) {
            uint32_t delta = r_u32(r);
            t += delta;
            if (t >= nt || (k > 0 && delta == 0))
                r->failed = true;
            q = dv_put(q, delta);
            q = dv_put(q, r_u32(r));
        }
        dv_commit(&vs, q);
        for (size_t f = 0; f < nf; f++)
            c->doc_frames[d * nf + f] = r_u64(r);
        infile_drop(r->file, r->p);
    }

    dv_store_evict(&vs);

    for (size_t s = 0; s < ns && !r->failed; s++) {
        uint64_t np = r_u64(r);
        if (!r_fits(r, np, 3))
            return;
        c->n_pairs[s] = (size_t)np;
        c->pairs[s] = r_alloc(r, np, sizeof *c->pairs[s]);
        uint64_t pa = 0, pb = 0;
        for (size_t i = 0; i < np && !r->failed; i++) {
            fs_pair *p = &c->pairs[s][i];
            uint64_t da = r_u32(r), db = r_u32(r);
            uint64_t a = pa + da, b = (da == 0 && i > 0 ? pb : a) + db;
            p->count = r_u64(r);
            if (a >= b || b >= nt || (i > 0 && da == 0 && db == 0))
                r->failed = true;
            p->a = (uint32_t)a;
            p->b = (uint32_t)b;
            pa = a;
            pb = b;
        }
        infile_drop(r->file, r->p);
    }

    uint64_t nk = r_u64(r);
    if (!r_fits(r, nk, 7))
        return;
    c->kwic = r_alloc(r, nk, sizeof *c->kwic);
    c->kwic_pos = r_alloc(r, nk, sizeof *c->kwic_pos);
    for (size_t i = 0; i < nk && !r->failed; i++) {
        fs_kwic *k = &c->kwic[i];
        k->source = (size_t)r_u64(r);
        k->focus = (size_t)r_u64(r);
        k->doc = (size_t)r_u64(r);
        c->kwic_pos[i] = r_u32(r);
        k->left = r_str(r);
        k->keyword = r_str(r);
        k->right = r_str(r);
        if (k->source >= ns || k->focus >= nfocus || k->doc >= nd || !k->left || !k->keyword ||
            !k->right)
            r->failed = true;
    }
    c->n_kwic = (size_t)nk;
}

fs_status fs_counts_load(const char *path, fs_counts **out, fs_error *err)
{
    *out = NULL;
    infile in;
    fs_status st = infile_open(path, &in, err);
    if (st != FS_OK)
        return st;
    const unsigned char *u = in.u;
    size_t len = in.len;
    const char *why = NULL;
    if (len < 16 || memcmp(u, MAGIC, 8) != 0) {
        why = "not a framescope counts file (bad magic)";
    } else {
        reader hr = {u + 8, 8, false, NULL, false, NULL};
        uint32_t version = (uint32_t)r_fix(&hr, 4);
        if (version != FORMAT_VERSION) {
            fs_error_set(err, FS_ERR_INPUT, path,
                         "counts file format version %u is not supported (this build reads %u)",
                         version, FORMAT_VERSION);
            infile_close(&in);
            return FS_ERR_INPUT;
        }
        if (len < 32) {
            why = "truncated counts file";
        } else {
            reader tr = {u + len - 16, 16, false, NULL, false, NULL};
            uint64_t payload = r_fix(&tr, 8), hash = r_fix(&tr, 8);
            uint64_t h = FNV_OFFSET;
            for (size_t at = 0; at < len - 16; at += DROP_STEP) { /* pieces of 8k bytes */
                size_t n = len - 16 - at < DROP_STEP ? len - 16 - at : DROP_STEP;
                h = checksum(h, u + at, n);
                infile_drop(&in, u + at + n);
            }
            if (payload != len - 32)
                why = "truncated counts file (length does not match)";
            else if (h != hash)
                why = "corrupted counts file (checksum mismatch)";
        }
    }
    if (why) {
        infile_close(&in);
        return fs_error_set(err, FS_ERR_INPUT, path, "%s", why);
    }
    in.dropped = 0; /* the parser starts over from the top */
    reader r = {u + 16, len - 32, false, NULL, false, &in};
    fs_counts *c = NULL;
    load_payload(&r, &c);
    infile_close(&in);
    if (r.failed || r.left != 0) {
        fs_counts_free(c);
        if (r.nomem)
            return fs_error_set(err, FS_ERR_NOMEM, path, "out of memory reading counts");
        return fs_error_set(err, FS_ERR_INPUT, path, "malformed counts file (inconsistent data)");
    }
    *out = c;
    return FS_OK;
}
