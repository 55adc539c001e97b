/* corpus.c: expands each source's inputs (files, folders, globs) and drives the reading of
 * plain-text and JSON Lines documents on ctx->threads threads: batches of files or lines go to
 * the workers (corpus_doc.c: repair, parse, hash, NFC, metadata), whose results are taken in
 * order, so the corpus and the log are those of a single-threaded read. Binary, empty and
 * oversized files are skipped with a warning, malformed JSONL lines skipped and counted.
 * Metadata rules live in corpus_meta.c. */
#include "framescope/corpus.h"

#include <ctype.h>
#include <stdint.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus_internal.h"
#include "framescope/fileio.h"
#include "framescope/parallel.h"
#include "framescope/vec.h"

/* ---- small helpers ------------------------------------------------------------------------ */

typedef struct path_list {
    char **items;
    size_t n, cap;
} path_list;

static fs_status path_list_add(path_list *l, const char *path)
{
    char **ni = fs_vec_grow(l->items, l->n, &l->cap, sizeof *ni, 16);
    if (!ni)
        return FS_ERR_NOMEM;
    l->items = ni;
    size_t n = strlen(path) + 1;
    char *p = malloc(n);
    if (!p)
        return FS_ERR_NOMEM;
    memcpy(p, path, n);
    l->items[l->n++] = p;
    return FS_OK;
}

static void path_list_free(path_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n > e && strcmp(path + n - e, ext) == 0;
}

static bool is_jsonl(const char *path)
{
    return has_ext(path, ".jsonl") || has_ext(path, ".ndjson");
}

/* Folder walks pick up only the formats we read, so a folder may also hold notes or images. */
static bool readable_ext(const char *path)
{
    return has_ext(path, ".txt") || has_ext(path, ".text") || is_jsonl(path);
}

/* ---- input expansion ---------------------------------------------------------------------- */

static fs_status walk_dir(const char *dir, path_list *out, const fs_ctx *ctx)
{
    DIR *d = opendir(dir);
    if (!d) {
        fs_log(ctx, FS_LOG_WARN, "%s: cannot open folder: %s", dir, strerror(errno));
        return FS_OK;
    }
    path_list names = {0};
    fs_status st = FS_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') /* ".", "..", and hidden files such as .DS_Store */
            continue;
        if ((st = path_list_add(&names, e->d_name)) != FS_OK)
            goto done;
    }
    if (names.n)
        qsort(names.items, names.n, sizeof *names.items, cmp_str);
    for (size_t i = 0; i < names.n; i++) {
        char *p = fs_path_join(dir, names.items[i]);
        if (!p) {
            st = FS_ERR_NOMEM;
            goto done;
        }
        struct stat sb;
        if (stat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
            st = walk_dir(p, out, ctx);
        else if (readable_ext(p))
            st = path_list_add(out, p);
        free(p);
        if (st != FS_OK)
            goto done;
    }
done:
    path_list_free(&names);
    closedir(d);
    return st;
}

static fs_status expand_one(const char *path, path_list *out, const fs_ctx *ctx)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return FS_OK; /* vanished between glob and stat: nothing to read */
    if (S_ISDIR(sb.st_mode))
        return walk_dir(path, out, ctx);
    return path_list_add(out, path);
}

static fs_status expand_input(const char *input, const char *where, path_list *out,
                              const fs_ctx *ctx)
{
    size_t before = out->n;
    fs_status st = FS_OK;
    if (strpbrk(input, "*?[")) {
        glob_t g;
        int r = glob(input, 0, NULL, &g);
        if (r == GLOB_NOSPACE) {
            globfree(&g);
            return FS_ERR_NOMEM;
        }
        for (size_t i = 0; r == 0 && i < g.gl_pathc && st == FS_OK; i++)
            st = expand_one(g.gl_pathv[i], out, ctx);
        globfree(&g);
    } else {
        st = expand_one(input, out, ctx);
    }
    if (st == FS_OK && out->n == before)
        fs_log(ctx, FS_LOG_WARN, "%s: \"%s\" matches no readable file", where, input);
    return st;
}

/* ---- documents ---------------------------------------------------------------------------- */

/* Work is handed to the threads in batches: a batch's items (and for JSONL its lines' share of
 * the file buffer) are held at once, and its texts are evicted from memory together once taken.
 * 8 MiB of lines is enough to keep two to eight threads busy and far below the 2 MiB eviction
 * granule times the threads, which would let batches share blocks. */
#define BATCH_ITEMS 4096
#define BATCH_BYTES ((size_t)8 << 20)
#define TEXT_FILES_PER_BATCH 256
/* Lines per chunk a worker takes: a few tens of KB of news text, so the shared counter is not
 * a hot spot, while a batch still ends with at most one chunk of imbalance. */
#define JSONL_CHUNK 8

typedef struct loader {
    const fs_config *cfg;
    const fs_ctx *ctx;
    fs_corpus *c;
    size_t cap;
    size_t n_workers;
    corpus_work w;           /* w.items holds BATCH_ITEMS */
    const char *stage;       /* progress label of the current source */
    size_t n_files;          /* files of the current source, for progress */
    char *fbuf;              /* the JSON Lines file being read, reused from file to file */
    size_t fcap;
} loader;

static fs_status push_doc(loader *L, const fs_doc *d)
{
    fs_corpus *c = L->c;
    fs_doc *nd = fs_vec_grow(c->docs, c->n_docs, &L->cap, sizeof *nd, 64);
    if (!nd)
        return FS_ERR_NOMEM;
    c->docs = nd;
    c->docs[c->n_docs++] = *d;
    return FS_OK;
}

static void item_init(corpus_item *it, const char *path, const char *line, size_t len,
                      size_t offset, size_t lineno, size_t order)
{
    memset(it, 0, sizeof *it);
    it->path = path;
    it->line = line;
    it->len = len;
    it->offset = offset;
    it->lineno = lineno;
    it->order = order;
}

/* Takes one finished item into the corpus: its log lines, counters and document. */
static fs_status take_item(loader *L, corpus_item *it, const char **lo, const char **hi,
                           fs_error *err)
{
    const fs_ctx *ctx = L->ctx;
    for (size_t k = 0; ctx->log && k < it->n_msgs; k++)
        ctx->log(ctx->log_user, it->msgs[k].level, it->msgs[k].text);
    L->c->invalid_bytes += it->invalid;
    L->c->skipped_lines += it->skipped_line;
    L->c->skipped_files += it->skipped_file;
    if (it->st != FS_OK) {
        if (err)
            *err = L->w.errors[it->worker];
        return it->st;
    }
    if (it->has_doc) {
        if (push_doc(L, &it->doc) != FS_OK)
            return fs_error_set(err, FS_ERR_NOMEM, it->path, "out of memory");
        it->has_doc = false;
        const char *t = it->doc.text, *t_end = t + it->doc.len + 1;
        if (!*lo || t < *lo)
            *lo = t;
        if (!*hi || t_end > *hi)
            *hi = t_end;
    }
    return FS_OK;
}

/* Runs items [0, n) on the threads, then takes them in order. Item `order`s are reported as
 * progress when `progress` is set. The first failing item (in order) decides the status, after
 * the log lines of every item before it: what a single thread would have logged. */
static fs_status run_batch(loader *L, size_t n, size_t chunk, bool progress, fs_error *err)
{
    fs_status pst = fs_parallel_for(L->ctx, n, chunk, corpus_items_run, &L->w);
    fs_status st = FS_OK;
    const char *lo = NULL, *hi = NULL;
    for (size_t i = 0; i < n && st == FS_OK; i++) {
        corpus_item *it = &L->w.items[i];
        if (!it->done) { /* the loop stopped before it: interrupted */
            st = pst == FS_ERR_INTERRUPTED || pst == FS_OK ? FS_ERR_INTERRUPTED : pst;
            fs_error_set(err, st, "corpus", "interrupted");
            break;
        }
        st = take_item(L, it, &lo, &hi, err);
        if (st == FS_OK && progress)
            fs_progress(L->ctx, L->stage, it->order + 1, L->n_files);
    }
    for (size_t i = 0; i < n; i++)
        corpus_item_clear(&L->w.items[i]);
    /* The texts are on disk now: later stages fault them back in when they get to them. */
    if (lo)
        fs_spool_evict(L->c->spool, lo, (size_t)(hi - lo));
    return st;
}

static bool blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!isspace((unsigned char)s[i]))
            return false;
    return true;
}

/* Splits the file (data[len] is a NUL) into lines, each ended by a NUL in place of its newline,
 * and runs them in batches. */
static fs_status load_jsonl(loader *L, const char *path, char *data, size_t len, fs_error *err)
{
    size_t lineno = 0, i = 0, n = 0, bytes = 0;
    size_t before = L->c->n_docs;
    while (i < len) {
        char *nl = memchr(data + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - data) : len;
        lineno++;
        if (!blank(data + i, e - i)) {
            data[e] = '\0';
            item_init(&L->w.items[n++], path, data + i, e - i, i, lineno, 0);
            bytes += e - i;
        }
        i = e + 1;
        if (n == BATCH_ITEMS || bytes >= BATCH_BYTES || (i >= len && n)) {
            fs_status st = run_batch(L, n, JSONL_CHUNK, false, err);
            if (st != FS_OK)
                return st;
            n = bytes = 0;
        }
    }
    if (L->c->n_docs == before)
        fs_log(L->ctx, FS_LOG_WARN, "%s: no document in this JSON Lines file", path);
    return FS_OK;
}

/* One buffer for all the files of a run: each read would otherwise fault in fresh memory only
 * to give it back (a 26 MB file costs some 6500 page faults and an munmap). *data is L->fbuf. */
static fs_status read_reused(loader *L, const char *path, char **data, size_t *len,
                             fs_error *err)
{
    fs_status st = fs_read_file_into(path, L->w.max_bytes, &L->fbuf, &L->fcap, len, err);
    *data = st == FS_OK ? L->fbuf : NULL;
    return st;
}

/* A JSON Lines file: read here, its lines parsed on the threads. */
static fs_status load_jsonl_file(loader *L, const char *path, fs_error *err)
{
    char *data = NULL;
    size_t len = 0;
    fs_error ferr;
    fs_error_clear(&ferr);
    fs_status st = read_reused(L, path, &data, &len, &ferr);
    if (st == FS_ERR_NOMEM)
        return fs_error_set(err, st, path, "%s", ferr.msg);
    if (st != FS_OK) {
        /* One unreadable or oversized file must not sink a monthly run: warn and go on. */
        fs_log(L->ctx, FS_LOG_WARN, "%s: %s; file skipped", path, ferr.msg);
        L->c->skipped_files++;
        return FS_OK;
    }
    const char *nul = memchr(data, '\0', len);
    if (blank(data, len)) {
        fs_log(L->ctx, FS_LOG_WARN, "%s: empty file; skipped", path);
        L->c->skipped_files++;
    } else if (nul) {
        fs_log(L->ctx, FS_LOG_WARN, "%s: binary file (NUL byte at offset %zu); skipped", path,
               (size_t)(nul - data));
        L->c->skipped_files++;
    } else {
        st = load_jsonl(L, path, data, len, err);
    }
    return st;
}

/* The files of one source in order: plain-text files in batches read and parsed on the
 * threads, each JSON Lines file on its own. */
static fs_status load_source(loader *L, const path_list *files, size_t *n_files, fs_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i <= files->n; i++) {
        const char *path = i < files->n ? files->items[i] : NULL;
        bool dup = path && i > 0 && strcmp(path, files->items[i - 1]) == 0;
        bool jsonl = path && !dup && is_jsonl(path);
        if (n && (!path || jsonl || n == TEXT_FILES_PER_BATCH)) {
            fs_status st = run_batch(L, n, 1, true, err);
            if (st != FS_OK)
                return st;
            n = 0;
        }
        if (!path || dup)
            continue;
        if (fs_ctx_interrupted(L->ctx))
            return fs_error_set(err, FS_ERR_INTERRUPTED, "corpus", "interrupted");
        (*n_files)++;
        if (!jsonl) {
            item_init(&L->w.items[n++], path, NULL, 0, 0, 0, i);
            continue;
        }
        fs_status st = load_jsonl_file(L, path, err);
        if (st != FS_OK)
            return st;
        fs_progress(L->ctx, L->stage, i + 1, files->n);
    }
    return FS_OK;
}

/* ---- public API --------------------------------------------------------------------------- */

/* Per-worker rules (PCRE2 match data belongs to one thread at a time), the workers' error slots
 * and the batch's items. Worker 0's rules are compiled first, source by source, so that a bad
 * pattern is reported as before. */
static fs_status loader_init(loader *L, fs_error *err)
{
    const fs_config *cfg = L->cfg;
    size_t ns = cfg->n_sources ? cfg->n_sources : 1;
    L->n_workers = fs_parallel_workers(L->ctx, SIZE_MAX, 1);
    L->w.cfg = cfg;
    L->w.ctx = L->ctx;
    L->w.max_bytes =
        (cfg->clean.max_file_mb ? cfg->clean.max_file_mb : 256) * (size_t)1024 * 1024;
    L->c = calloc(1, sizeof *L->c);
    L->w.rules = calloc(L->n_workers * ns, sizeof *L->w.rules);
    L->w.errors = calloc(L->n_workers, sizeof *L->w.errors);
    L->w.items = calloc(BATCH_ITEMS, sizeof *L->w.items);
    if (!L->c || !L->w.rules || !L->w.errors || !L->w.items ||
        fs_spool_create(false, &L->c->spool) != FS_OK)
        return fs_error_set(err, FS_ERR_NOMEM, "corpus", "out of memory");
    L->w.spool = L->c->spool;
    for (size_t w = 0; w < L->n_workers; w++)
        for (size_t s = 0; s < cfg->n_sources; s++) {
            fs_status st = corpus_meta_compile(&cfg->sources[s], s, &L->w.rules[w * ns + s], err);
            if (st != FS_OK)
                return st;
        }
    return FS_OK;
}

static void loader_free(loader *L)
{
    if (L->w.rules)
        for (size_t i = 0; i < L->n_workers * L->cfg->n_sources; i++)
            corpus_meta_free(&L->w.rules[i]);
    free(L->w.rules);
    free(L->w.errors);
    free(L->w.items);
    free(L->fbuf);
    fs_corpus_free(L->c);
}

fs_status fs_corpus_load(const fs_config *cfg, const fs_ctx *ctx, fs_corpus **out, fs_error *err)
{
    *out = NULL;
    path_list files = {0};
    loader L = {0};
    const fs_ctx quiet = {0}; /* workers copy the context: they need one even when none given */
    L.cfg = cfg;
    L.ctx = ctx ? ctx : &quiet;
    ctx = L.ctx;
    fs_status st = loader_init(&L, err);
    if (st != FS_OK)
        goto done;
    size_t n_files = 0;
    for (size_t s = 0; s < cfg->n_sources; s++) {
        const fs_source_cfg *src = &cfg->sources[s];
        path_list_free(&files);
        for (size_t k = 0; k < src->n_inputs; k++) {
            char where[64];
            snprintf(where, sizeof where, "sources[%zu].inputs[%zu]", s, k);
            if ((st = expand_input(src->inputs[k], where, &files, ctx)) != FS_OK) {
                fs_error_set(err, st, where, "out of memory expanding inputs");
                goto done;
            }
        }
        /* Sorted (duplicates are then neighbours, read once) for a reproducible order. */
        if (files.n)
            qsort(files.items, files.n, sizeof *files.items, cmp_str);
        char stage[64];
        snprintf(stage, sizeof stage, "ingest %s", src->id);
        L.w.source = s;
        L.stage = stage;
        L.n_files = files.n;
        if ((st = load_source(&L, &files, &n_files, err)) != FS_OK)
            goto done;
    }
    fs_corpus *c = L.c;
    for (size_t i = 0; i < c->n_docs; i++)
        c->undated += c->docs[i].date.year == 0;
    if (c->n_docs == 0) {
        st = fs_error_set(err, FS_ERR_INPUT, "sources",
                          "no document could be read (%zu file%s found, %zu skipped, %zu "
                          "malformed JSONL line%s)",
                          n_files, n_files == 1 ? "" : "s", c->skipped_files, c->skipped_lines,
                          c->skipped_lines == 1 ? "" : "s");
        goto done;
    }
    fs_log(ctx, FS_LOG_DEBUG,
           "corpus: %zu documents from %zu files (%zu files skipped, %zu JSONL lines skipped, "
           "%zu invalid bytes replaced, %zu undated)",
           c->n_docs, n_files, c->skipped_files, c->skipped_lines, c->invalid_bytes, c->undated);
    *out = c;
    L.c = NULL;
done:
    path_list_free(&files);
    loader_free(&L);
    return st;
}

void fs_corpus_free(fs_corpus *corpus)
{
    if (!corpus)
        return;
    for (size_t i = 0; i < corpus->n_docs; i++) {
        if (!corpus->spool)
            free(corpus->docs[i].text); /* else the spool's */
        corpus_doc_drop(&corpus->docs[i]);
    }
    free(corpus->docs);
    fs_spool_free(corpus->spool);
    free(corpus);
}
