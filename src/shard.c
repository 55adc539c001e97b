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
#include "shard_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "framescope/fileio.h"

#define MAGIC "FSCOUNTS"
#define FORMAT_VERSION 2u
#define VEC_BATCH 4096 /* documents whose term vectors leave the resident set at once */
#define W_STEP 4096    /* values of an array encoded per request for buffer room */

/* ---------------------------------------------------------------- writing */

typedef sh_writer writer;

static void w_fix(writer *w, uint64_t v, int bytes)
{
    unsigned char b[8];
    for (int i = 0; i < bytes; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    sh_bytes(w, b, (size_t)bytes);
}

static void w_u64(writer *w, uint64_t v)
{
    sh_done(w, sh_put(sh_room(w, SH_VAR_MAX), v));
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
    sh_bytes(w, s, n);
}

/* The large arrays go a run of values per request for room: the encoding loop then only
 * stores bytes. */
static void w_u64s(writer *w, const uint64_t *v, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t end = i + (n - i < W_STEP ? n - i : W_STEP);
        unsigned char *q = sh_room(w, (end - i) * SH_VAR_MAX);
        for (; i < end; i++)
            q = sh_put(q, v[i]);
        sh_done(w, q);
    }
}

static void w_u32s(writer *w, const uint32_t *v, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t end = i + (n - i < W_STEP ? n - i : W_STEP);
        unsigned char *q = sh_room(w, (end - i) * SH_VAR_MAX);
        for (; i < end; i++)
            q = sh_put(q, v[i]);
        sh_done(w, q);
    }
}

/* Pairs sorted by (a, b): a never decreases; b is stored from the previous b of the same a, or
 * from a for the first one (b > a). */
static void w_pairs(writer *w, const fs_pair *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t end = i + (n - i < W_STEP ? n - i : W_STEP);
        unsigned char *q = sh_room(w, (end - i) * 3 * SH_VAR_MAX);
        for (; i < end; i++) {
            uint32_t pa = i ? p[i - 1].a : 0;
            uint32_t base = i && p[i].a == pa ? p[i - 1].b : p[i].a;
            q = sh_put(q, p[i].a - pa);
            q = sh_put(q, p[i].b - base);
            q = sh_put(q, p[i].count);
        }
        sh_done(w, q);
    }
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
    w_u64s(w, c->tf, ns * nt);
    w_u32s(w, c->df, ns * nt);
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
        sh_bytes(w, di->sha256, 64);
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
            sh_bytes(w, c->vec_at[d], dv_size(c->vec_at[d], c->vec_n[d]));
        if (d + 1 - batch == VEC_BATCH || d + 1 == c->n_docs) {
            fs_counts_doc_terms_evict(c, batch, d + 1);
            batch = d + 1;
        }
        for (size_t f = 0; f < nf; f++)
            w_u64(w, c->doc_frames[d * nf + f]);
    }

    for (size_t s = 0; s < ns; s++) {
        w_u64(w, c->n_pairs[s]);
        w_pairs(w, c->pairs[s], c->n_pairs[s]);
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
    writer w;
    if (!sh_writer_start(&w, of.fp)) {
        fs_outfile_abort(&of);
        return fs_error_set(err, FS_ERR_NOMEM, path, "out of memory");
    }
    sh_bytes(&w, MAGIC, 8);
    w_fix(&w, FORMAT_VERSION, 4);
    w_fix(&w, 0, 4);
    save_payload(&w, c);
    sh_writer_stop(&w);
    unsigned char trailer[16];
    for (int i = 0; i < 8; i++) {
        trailer[i] = (unsigned char)((w.bytes - 16) >> (8 * i)); /* payload bytes */
        trailer[8 + i] = (unsigned char)(w.hash >> (8 * i));
    }
    if (w.failed || fwrite(trailer, 1, sizeof trailer, of.fp) != sizeof trailer)
        of.failed = 1;
    return fs_outfile_commit(&of, err);
}

/* ---------------------------------------------------------------- reading */

#define DROP_STEP ((size_t)8 << 20) /* checksum pieces between drops (a multiple of 8) */

typedef sh_infile infile;

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

static uint64_t r_u64_checked(reader *r)
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

/* With ten bytes left no step of the decoder needs a bounds check. */
static inline uint64_t r_u64(reader *r)
{
    if (r->left < SH_VAR_MAX || r->failed)
        return r_u64_checked(r);
    uint64_t v;
    const unsigned char *e = sh_get(r->p, &v);
    if (!e) {
        r->failed = true; /* more than ten bytes */
        return 0;
    }
    r->left -= (size_t)(e - r->p);
    r->p = e;
    return v;
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
        sh_infile_drop(r->file, r->p);
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
        sh_infile_drop(r->file, r->p);
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
    fs_status st = sh_infile_open(path, &in, err);
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
            sh_infile_close(&in);
            return FS_ERR_INPUT;
        }
        if (len < 32) {
            why = "truncated counts file";
        } else {
            reader tr = {u + len - 16, 16, false, NULL, false, NULL};
            uint64_t payload = r_fix(&tr, 8), hash = r_fix(&tr, 8);
            uint64_t h = SH_FNV_OFFSET;
            for (size_t at = 0; at < len - 16; at += DROP_STEP) { /* pieces of 8k bytes */
                size_t n = len - 16 - at < DROP_STEP ? len - 16 - at : DROP_STEP;
                h = sh_checksum(h, u + at, n);
                sh_infile_drop(&in, u + at + n);
            }
            if (payload != len - 32)
                why = "truncated counts file (length does not match)";
            else if (h != hash)
                why = "corrupted counts file (checksum mismatch)";
        }
    }
    if (why) {
        sh_infile_close(&in);
        return fs_error_set(err, FS_ERR_INPUT, path, "%s", why);
    }
    in.dropped = 0; /* the parser starts over from the top */
    reader r = {u + 16, len - 32, false, NULL, false, &in};
    fs_counts *c = NULL;
    load_payload(&r, &c);
    sh_infile_close(&in);
    if (r.failed || r.left != 0) {
        fs_counts_free(c);
        if (r.nomem)
            return fs_error_set(err, FS_ERR_NOMEM, path, "out of memory reading counts");
        return fs_error_set(err, FS_ERR_INPUT, path, "malformed counts file (inconsistent data)");
    }
    *out = c;
    return FS_OK;
}
