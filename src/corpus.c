/* corpus.c: expands each source's inputs (files, folders, globs) and reads plain-text and JSON
 * Lines documents: UTF-8 repair, NFC, binary/empty/oversized files skipped with a warning,
 * malformed JSONL lines skipped and counted. Metadata rules live in corpus_meta.c. */
#include "framescope/corpus.h"

#include <cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "corpus_internal.h"
#include "framescope/fileio.h"
#include "framescope/sha256.h"
#include "framescope/utf8.h"
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

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
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

typedef struct loader {
    const fs_config *cfg;
    const fs_ctx *ctx;
    fs_corpus *c;
    size_t cap;
    size_t source;
    corpus_meta_rules *rules;
    size_t max_bytes;
} loader;

static void doc_free_fields(fs_doc *d)
{
    free(d->id);
    free(d->path);
    free(d->title);
    free(d->author);
    free(d->outlet);
    free(d->url);
    free(d->text);
}

/* Frees a document that did not make it into the corpus (its text may be in the spool). */
static void doc_drop(const loader *L, fs_doc *d)
{
    if (L->c->spool)
        d->text = NULL;
    doc_free_fields(d);
}

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

/* Moves a heap text into the corpus's spool (*text then points there). On failure *text is
 * freed and NULL. */
static fs_status spool_text(loader *L, char **text, size_t len)
{
    if (!L->c->spool)
        return FS_OK;
    char *p = fs_spool_add(L->c->spool, *text, len);
    int e = errno;
    free(*text);
    *text = p;
    if (!p)
        return e == ENOMEM ? FS_ERR_NOMEM : FS_ERR_OUTPUT;
    return FS_OK;
}

/* Fills text, len, chars_raw and invalid_bytes from raw bytes (repair, then NFC). Logs the
 * first bad byte at `base_offset` + its offset in `raw` under the label `where`. */
static fs_status set_text(loader *L, fs_doc *d, const char *raw, size_t len, size_t base_offset,
                          const char *where)
{
    char *fixed = NULL;
    size_t fixed_len, bad, first;
    if (fs_utf8_repair(raw, len, &fixed, &fixed_len, &bad, &first) != FS_OK)
        return FS_ERR_NOMEM;
    if (bad) {
        fs_log(L->ctx, FS_LOG_WARN,
               "%s: %zu invalid UTF-8 byte%s replaced by U+FFFD (first at byte offset %zu)",
               where, bad, bad == 1 ? "" : "s", base_offset + first);
        L->c->invalid_bytes += bad;
    }
    char *nfc = NULL;
    size_t nfc_len;
    fs_status st = fs_utf8_nfc(fixed, fixed_len, &nfc, &nfc_len);
    free(fixed);
    if (st != FS_OK)
        return st;
    if ((st = spool_text(L, &nfc, nfc_len)) != FS_OK)
        return st;
    d->text = nfc;
    d->len = nfc_len;
    d->chars_raw = fs_utf8_count(nfc, nfc_len);
    d->invalid_bytes = bad;
    return FS_OK;
}

static bool blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!isspace((unsigned char)s[i]))
            return false;
    return true;
}

/* "dir/000_abc.txt" -> "000_abc" */
static char *doc_id_from_path(const char *path)
{
    const char *b = fs_path_basename(path);
    const char *dot = strrchr(b, '.');
    return dup_n(b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
}

static fs_status finish_doc(loader *L, fs_doc *d, fs_error *err)
{
    fs_status st = corpus_meta_extract(&L->cfg->sources[L->source], &L->rules[L->source], L->ctx,
                                       d, err);
    if (st == FS_OK)
        st = push_doc(L, d);
    if (st != FS_OK)
        doc_drop(L, d);
    return st;
}

static fs_status load_text(loader *L, const char *path, const char *data, size_t len,
                           fs_error *err)
{
    fs_doc d = {0};
    d.source = L->source;
    fs_sha256_hex(data, len, d.sha256);
    /* A byte-order mark is an encoding signature, not text. */
    size_t skip = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    d.id = doc_id_from_path(path);
    d.path = dup_n(path, strlen(path));
    if (!d.id || !d.path) {
        doc_drop(L, &d);
        return fs_error_set(err, FS_ERR_NOMEM, path, "out of memory");
    }
    fs_status st = set_text(L, &d, data + skip, len - skip, skip, path);
    if (st != FS_OK) {
        doc_drop(L, &d);
        return fs_error_set(err, st, path, "cannot normalize the text (%s)", fs_status_str(st));
    }
    return finish_doc(L, &d, err);
}

static const char *field_name(const char *configured, const char *dflt)
{
    return configured && *configured ? configured : dflt;
}

/* A string member of `obj`, or NULL (absent, null, or not a string). */
static const char *json_str(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(v) && v->valuestring && *v->valuestring ? v->valuestring : NULL;
}

static fs_status load_jsonl_line(loader *L, const char *path, size_t lineno, const char *line,
                                 size_t len, size_t offset, fs_error *err)
{
    const fs_source_cfg *src = &L->cfg->sources[L->source];
    const fs_jsonl_fields *f = &src->jsonl;
    char where[64 + 4096];
    snprintf(where, sizeof where, "%s:%zu", path, lineno);
    fs_doc d = {0};
    cJSON *obj = NULL;
    fs_status st = FS_OK;
    /* Repair first so that the JSON parser and everything after it see valid UTF-8. */
    char *fixed = NULL;
    size_t fixed_len, bad, first;
    if (fs_utf8_repair(line, len, &fixed, &fixed_len, &bad, &first) != FS_OK) {
        st = fs_error_set(err, FS_ERR_NOMEM, where, "out of memory");
        goto done;
    }
    if (bad) {
        fs_log(L->ctx, FS_LOG_WARN,
               "%s: %zu invalid UTF-8 byte%s replaced by U+FFFD (first at byte offset %zu)",
               where, bad, bad == 1 ? "" : "s", offset + first);
        L->c->invalid_bytes += bad;
    }
    const char *end = NULL;
    obj = cJSON_ParseWithLengthOpts(fixed, fixed_len + 1, &end, 1);
    const char *reason = NULL;
    char reason_buf[128];
    if (!obj) {
        size_t col = end && end >= fixed ? (size_t)(end - fixed) + 1 : 1;
        snprintf(reason_buf, sizeof reason_buf, "malformed JSON at column %zu", col);
        reason = reason_buf;
    } else if (!cJSON_IsObject(obj)) {
        reason = "not a JSON object";
    }
    const char *tname = field_name(f->text, "text");
    const char *text = reason ? NULL : json_str(obj, tname);
    if (!reason && !text) {
        snprintf(reason_buf, sizeof reason_buf, "no non-empty string field \"%.64s\"", tname);
        reason = reason_buf;
    }
    if (!reason && blank(text, strlen(text)))
        reason = "the text field is blank";
    if (reason) {
        fs_log(L->ctx, FS_LOG_WARN, "%s: %s; line skipped", where, reason);
        L->c->skipped_lines++;
        goto done;
    }
    d.source = L->source;
    d.line = lineno;
    size_t tlen = strlen(text);
    fs_sha256_hex(text, tlen, d.sha256);
    const char *base = fs_path_basename(path);
    char idbuf[4200];
    snprintf(idbuf, sizeof idbuf, "%s:%zu", base, lineno);
    d.id = dup_n(idbuf, strlen(idbuf));
    d.path = dup_n(path, strlen(path));
    if (!d.id || !d.path) {
        st = fs_error_set(err, FS_ERR_NOMEM, where, "out of memory");
        goto done;
    }
    if ((st = fs_utf8_nfc(text, tlen, &d.text, &d.len)) != FS_OK ||
        (st = spool_text(L, &d.text, d.len)) != FS_OK) {
        st = fs_error_set(err, st, where, st == FS_ERR_OUTPUT
                          ? "cannot write the text spool (temporary directory full?)"
                          : "cannot normalize the text");
        goto done;
    }
    d.chars_raw = fs_utf8_count(d.text, d.len);
    d.invalid_bytes = bad;
    struct {
        const char *name;
        char **field;
    } meta[] = {
        {field_name(f->title, "title"), &d.title},
        {field_name(f->author, "author"), &d.author},
        {field_name(f->url, "url"), &d.url},
        {field_name(f->outlet, "outlet"), &d.outlet},
    };
    for (size_t k = 0; k < sizeof meta / sizeof meta[0]; k++) {
        const char *v = json_str(obj, meta[k].name);
        if (v && !(*meta[k].field = dup_n(v, strlen(v)))) {
            st = fs_error_set(err, FS_ERR_NOMEM, where, "out of memory");
            goto done;
        }
    }
    const char *dname = field_name(f->date, "date");
    const char *dv = json_str(obj, dname);
    if (dv && !corpus_parse_date(dv, strlen(dv), f->date_format, &d.date))
        fs_log(L->ctx, FS_LOG_WARN, "%s: date \"%s\" does not match the format \"%s\"", where, dv,
               f->date_format ? f->date_format : "%Y-%m-%d");
    st = finish_doc(L, &d, err); /* takes the fields, or frees them on failure */
    memset(&d, 0, sizeof d);
done:
    doc_drop(L, &d);
    cJSON_Delete(obj);
    free(fixed);
    return st;
}

static fs_status load_jsonl(loader *L, const char *path, const char *data, size_t len,
                            fs_error *err)
{
    size_t lineno = 0, i = 0;
    size_t before = L->c->n_docs;
    while (i < len) {
        const char *nl = memchr(data + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - data) : len;
        lineno++;
        if (!blank(data + i, e - i)) {
            fs_status st = load_jsonl_line(L, path, lineno, data + i, e - i, i, err);
            if (st != FS_OK)
                return st;
        }
        i = e + 1;
    }
    if (L->c->n_docs == before)
        fs_log(L->ctx, FS_LOG_WARN, "%s: no document in this JSON Lines file", path);
    return FS_OK;
}

static fs_status load_file(loader *L, const char *path, fs_error *err)
{
    char *data = NULL;
    size_t len = 0;
    fs_error ferr;
    fs_error_clear(&ferr);
    fs_status st = fs_read_file(path, L->max_bytes, &data, &len, &ferr);
    if (st == FS_ERR_NOMEM)
        return fs_error_set(err, st, path, "%s", ferr.msg);
    if (st != FS_OK) {
        /* One unreadable or oversized file must not sink a monthly run: warn and go on. */
        fs_log(L->ctx, FS_LOG_WARN, "%s: %s; file skipped", path, ferr.msg);
        L->c->skipped_files++;
        return FS_OK;
    }
    if (blank(data, len)) {
        fs_log(L->ctx, FS_LOG_WARN, "%s: empty file; skipped", path);
        L->c->skipped_files++;
    } else if (memchr(data, '\0', len)) {
        size_t at = (size_t)((char *)memchr(data, '\0', len) - data);
        fs_log(L->ctx, FS_LOG_WARN, "%s: binary file (NUL byte at offset %zu); skipped", path, at);
        L->c->skipped_files++;
    } else if (is_jsonl(path)) {
        st = load_jsonl(L, path, data, len, err);
    } else {
        st = load_text(L, path, data, len, err);
    }
    free(data);
    return st;
}

/* ---- public API --------------------------------------------------------------------------- */

fs_status fs_corpus_load(const fs_config *cfg, const fs_ctx *ctx, fs_corpus **out, fs_error *err)
{
    *out = NULL;
    fs_status st = FS_OK;
    path_list files = {0};
    loader L = {0};
    L.cfg = cfg;
    L.ctx = ctx;
    L.max_bytes = (cfg->clean.max_file_mb ? cfg->clean.max_file_mb : 256) * (size_t)1024 * 1024;
    L.c = calloc(1, sizeof *L.c);
    L.rules = calloc(cfg->n_sources ? cfg->n_sources : 1, sizeof *L.rules);
    if (!L.c || !L.rules || fs_spool_create(false, &L.c->spool) != FS_OK) {
        st = fs_error_set(err, FS_ERR_NOMEM, "corpus", "out of memory");
        goto done;
    }
    for (size_t s = 0; s < cfg->n_sources; s++)
        if ((st = corpus_meta_compile(&cfg->sources[s], s, &L.rules[s], err)) != FS_OK)
            goto done;
    size_t n_files = 0;
    for (size_t s = 0; s < cfg->n_sources; s++) {
        const fs_source_cfg *src = &cfg->sources[s];
        L.source = s;
        path_list_free(&files);
        for (size_t k = 0; k < src->n_inputs; k++) {
            char where[64];
            snprintf(where, sizeof where, "sources[%zu].inputs[%zu]", s, k);
            if ((st = expand_input(src->inputs[k], where, &files, ctx)) != FS_OK) {
                fs_error_set(err, st, where, "out of memory expanding inputs");
                goto done;
            }
        }
        /* Sorted, each path once, so that the document order is reproducible. */
        if (files.n)
            qsort(files.items, files.n, sizeof *files.items, cmp_str);
        for (size_t i = 0; i < files.n; i++) {
            if (i > 0 && strcmp(files.items[i], files.items[i - 1]) == 0)
                continue;
            if (fs_ctx_interrupted(ctx)) {
                st = fs_error_set(err, FS_ERR_INTERRUPTED, "corpus", "interrupted");
                goto done;
            }
            n_files++;
            if ((st = load_file(&L, files.items[i], err)) != FS_OK)
                goto done;
            char stage[64];
            snprintf(stage, sizeof stage, "ingest %s", src->id);
            fs_progress(ctx, stage, i + 1, files.n);
        }
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
    if (L.rules)
        for (size_t s = 0; s < cfg->n_sources; s++)
            corpus_meta_free(&L.rules[s]);
    free(L.rules);
    fs_corpus_free(L.c);
    return st;
}

void fs_corpus_release_text(fs_corpus *corpus, size_t i)
{
    if (!corpus || i >= corpus->n_docs)
        return;
    if (!corpus->spool)
        free(corpus->docs[i].text);
    corpus->docs[i].text = NULL;
}

void fs_corpus_free(fs_corpus *corpus)
{
    if (!corpus)
        return;
    for (size_t i = 0; i < corpus->n_docs; i++) {
        if (corpus->spool)
            corpus->docs[i].text = NULL; /* the spool's */
        doc_free_fields(&corpus->docs[i]);
    }
    free(corpus->docs);
    fs_spool_free(corpus->spool);
    free(corpus);
}
