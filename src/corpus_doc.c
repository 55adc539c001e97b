/* corpus_doc.c: the per-document half of ingest, run by several threads at once (corpus.c
 * drives it): one JSONL line or one plain-text file per item. UTF-8 repair, JSON parse, SHA-256,
 * NFC, code points and metadata rules; the text goes straight into the corpus's spool. A worker
 * never logs nor touches the corpus: it leaves messages, counters and the document in its item,
 * and the loader takes them in item order, so every thread count gives the same corpus and the
 * same log. */
#include <cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus_internal.h"
#include "framescope/fileio.h"
#include "framescope/sha256.h"
#include "framescope/utf8.h"

void corpus_doc_drop(fs_doc *d)
{
    free(d->id);
    free(d->path);
    free(d->title);
    free(d->author);
    free(d->outlet);
    free(d->url);
    memset(d, 0, sizeof *d);
}

void corpus_item_clear(corpus_item *item)
{
    for (size_t i = 0; i < item->n_msgs; i++)
        free(item->msgs[i].text);
    free(item->msgs);
    item->msgs = NULL;
    item->n_msgs = item->cap_msgs = 0;
    if (item->has_doc)
        corpus_doc_drop(&item->doc);
    item->has_doc = false;
}

/* fs_log_fn of a worker's context: keeps the line in the item. A line that cannot be kept (out
 * of memory) is lost rather than failing the document: the log is a courtesy, not a result. */
static void capture(void *user, fs_log_level level, const char *msg)
{
    corpus_item *it = user;
    if (it->n_msgs == it->cap_msgs) {
        size_t cap = it->cap_msgs ? 2 * it->cap_msgs : 2;
        corpus_msg *m = realloc(it->msgs, cap * sizeof *m);
        if (!m)
            return;
        it->msgs = m;
        it->cap_msgs = cap;
    }
    corpus_msg *m = &it->msgs[it->n_msgs];
    m->level = level;
    if ((m->text = strdup(msg)) != NULL)
        it->n_msgs++;
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

static bool blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!isspace((unsigned char)s[i]))
            return false;
    return true;
}

/* Valid UTF-8 `s[0..len)` in NFC into the spool: d->text, len, chars_raw. Text that is NFC
 * already (nearly all of it) is copied once, straight into the spool. FS_ERR_OUTPUT when the
 * spool cannot grow (disk full), FS_ERR_NOMEM, FS_ERR_ENCODING from utf8proc. */
static fs_status store_text(fs_spool *sp, fs_doc *d, const char *s, size_t len)
{
    char *nfc = NULL;
    size_t nfc_len = len;
    if (!fs_utf8_nfc_quick(s, len)) {
        fs_status st = fs_utf8_nfc(s, len, &nfc, &nfc_len);
        if (st != FS_OK)
            return st;
        s = nfc;
    }
    char *p = fs_spool_add(sp, s, nfc_len);
    int e = errno;
    if (!p) {
        free(nfc);
        return e == ENOMEM ? FS_ERR_NOMEM : FS_ERR_OUTPUT;
    }
    d->text = p;
    d->len = nfc_len;
    /* Counted on the source, not the spool's copy: reading the copy would map its pages into
     * the process only for the batch to evict them again. */
    d->chars_raw = fs_utf8_count(s, nfc_len);
    free(nfc);
    return FS_OK;
}

/* Repairs `raw` when it is not valid UTF-8: returns the text to use (raw itself when valid, else
 * a malloc'd copy in *fixed) and logs the replacement. NULL when out of memory. */
static const char *repaired(const fs_ctx *ctx, corpus_item *it, const char *raw, size_t len,
                            size_t base_offset, const char *where, char **fixed, size_t *out_len)
{
    *fixed = NULL;
    *out_len = len;
    if (fs_utf8_valid_prefix(raw, len) == len)
        return raw;
    size_t bad, first;
    if (fs_utf8_repair(raw, len, fixed, out_len, &bad, &first) != FS_OK)
        return NULL;
    fs_log(ctx, FS_LOG_WARN,
           "%s: %zu invalid UTF-8 byte%s replaced by U+FFFD (first at byte offset %zu)", where,
           bad, bad == 1 ? "" : "s", base_offset + first);
    it->invalid = bad;
    return *fixed;
}

/* ---- plain-text files --------------------------------------------------------------------- */

/* "dir/000_abc.txt" -> "000_abc" */
static char *doc_id_from_path(const char *path)
{
    const char *b = fs_path_basename(path);
    const char *dot = strrchr(b, '.');
    return dup_n(b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
}

static fs_status text_doc(const corpus_work *w, const fs_ctx *ctx, corpus_item *it,
                          const char *data, size_t len, fs_doc *d, fs_error *err)
{
    const char *path = it->path;
    if (!fs_sha256_hex(data, len, d->sha256))
        return fs_error_set(err, FS_ERR_NOMEM, path, "out of memory");
    /* A byte-order mark is an encoding signature, not text. */
    size_t skip = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    d->id = doc_id_from_path(path);
    d->path = dup_n(path, strlen(path));
    if (!d->id || !d->path)
        return fs_error_set(err, FS_ERR_NOMEM, path, "out of memory");
    char *fixed;
    size_t flen;
    const char *t = repaired(ctx, it, data + skip, len - skip, skip, path, &fixed, &flen);
    fs_status st = t ? store_text(w->spool, d, t, flen) : FS_ERR_NOMEM;
    free(fixed);
    if (st != FS_OK)
        return fs_error_set(err, st, path, "cannot normalize the text (%s)", fs_status_str(st));
    d->invalid_bytes = it->invalid;
    return FS_OK;
}

static fs_status text_file(const corpus_work *w, const fs_ctx *ctx, corpus_item *it,
                           fs_doc *d, fs_error *err)
{
    const char *path = it->path;
    char *data = NULL;
    size_t len = 0;
    fs_error ferr;
    fs_error_clear(&ferr);
    fs_status st = fs_read_file(path, w->max_bytes, &data, &len, &ferr);
    if (st == FS_ERR_NOMEM)
        return fs_error_set(err, st, path, "%s", ferr.msg);
    if (st != FS_OK) {
        /* One unreadable or oversized file must not sink a monthly run: warn and go on. */
        fs_log(ctx, FS_LOG_WARN, "%s: %s; file skipped", path, ferr.msg);
        it->skipped_file = true;
        return FS_OK;
    }
    const char *nul = memchr(data, '\0', len);
    if (blank(data, len)) {
        fs_log(ctx, FS_LOG_WARN, "%s: empty file; skipped", path);
        it->skipped_file = true;
    } else if (nul) {
        fs_log(ctx, FS_LOG_WARN, "%s: binary file (NUL byte at offset %zu); skipped", path,
               (size_t)(nul - data));
        it->skipped_file = true;
    } else {
        st = text_doc(w, ctx, it, data, len, d, err);
        it->has_doc = st == FS_OK;
    }
    free(data);
    return st;
}

/* ---- JSON Lines --------------------------------------------------------------------------- */

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

/* Why `obj` (parsed from `json`, parsing stopped at `end`) yields no document, or NULL. */
static const char *line_problem(const cJSON *obj, const char *json, const char *end,
                                const char *tname, const char **text, char *buf, size_t cap)
{
    *text = NULL;
    if (!obj) {
        size_t col = end && end >= json ? (size_t)(end - json) + 1 : 1;
        snprintf(buf, cap, "malformed JSON at column %zu", col);
        return buf;
    }
    if (!cJSON_IsObject(obj))
        return "not a JSON object";
    *text = json_str(obj, tname);
    if (!*text) {
        snprintf(buf, cap, "no non-empty string field \"%.64s\"", tname);
        return buf;
    }
    return blank(*text, strlen(*text)) ? "the text field is blank" : NULL;
}

/* Metadata fields from the object, and its date when it parses. */
static fs_status json_meta(const fs_jsonl_fields *f, const fs_ctx *ctx, const cJSON *obj,
                           fs_doc *d, const char *where, fs_error *err)
{
    struct {
        const char *name;
        char **field;
    } meta[] = {
        {field_name(f->title, "title"), &d->title},
        {field_name(f->author, "author"), &d->author},
        {field_name(f->url, "url"), &d->url},
        {field_name(f->outlet, "outlet"), &d->outlet},
    };
    for (size_t k = 0; k < sizeof meta / sizeof meta[0]; k++) {
        const char *v = json_str(obj, meta[k].name);
        if (v && !(*meta[k].field = dup_n(v, strlen(v))))
            return fs_error_set(err, FS_ERR_NOMEM, where, "out of memory");
    }
    const char *dv = json_str(obj, field_name(f->date, "date"));
    if (dv && !corpus_parse_date(dv, strlen(dv), f->date_format, &d->date))
        fs_log(ctx, FS_LOG_WARN, "%s: date \"%s\" does not match the format \"%s\"", where, dv,
               f->date_format ? f->date_format : "%Y-%m-%d");
    return FS_OK;
}

static fs_status jsonl_line(const corpus_work *w, const fs_ctx *ctx, corpus_item *it,
                            fs_doc *d, fs_error *err)
{
    const fs_jsonl_fields *f = &w->cfg->sources[w->source].jsonl;
    char where[64 + 4096];
    snprintf(where, sizeof where, "%s:%zu", it->path, it->lineno);
    /* Repair first so that the JSON parser and everything after it see valid UTF-8. */
    char *fixed;
    size_t jlen;
    const char *json = repaired(ctx, it, it->line, it->len, it->offset, where, &fixed, &jlen);
    if (!json)
        return fs_error_set(err, FS_ERR_NOMEM, where, "out of memory");
    const char *end = NULL;
    /* json[jlen] is a NUL (the loader ends each line with one), which the parser must reach. */
    cJSON *obj = cJSON_ParseWithLengthOpts(json, jlen + 1, &end, 1);
    const char *tname = field_name(f->text, "text"), *text;
    char reason_buf[128];
    const char *reason = line_problem(obj, json, end, tname, &text, reason_buf, sizeof reason_buf);
    fs_status st = FS_OK;
    if (reason) {
        fs_log(ctx, FS_LOG_WARN, "%s: %s; line skipped", where, reason);
        it->skipped_line = true;
        goto done;
    }
    d->source = w->source;
    d->line = it->lineno;
    size_t tlen = strlen(text);
    char idbuf[4200];
    snprintf(idbuf, sizeof idbuf, "%s:%zu", fs_path_basename(it->path), it->lineno);
    d->id = dup_n(idbuf, strlen(idbuf));
    d->path = dup_n(it->path, strlen(it->path));
    if (!fs_sha256_hex(text, tlen, d->sha256) || !d->id || !d->path) {
        st = fs_error_set(err, FS_ERR_NOMEM, where, "out of memory");
        goto done;
    }
    if ((st = store_text(w->spool, d, text, tlen)) != FS_OK) {
        st = fs_error_set(err, st, where, st == FS_ERR_OUTPUT
                          ? "cannot write the text spool (temporary directory full?)"
                          : "cannot normalize the text");
        goto done;
    }
    d->invalid_bytes = it->invalid;
    if ((st = json_meta(f, ctx, obj, d, where, err)) == FS_OK)
        it->has_doc = true;
done:
    cJSON_Delete(obj);
    free(fixed);
    return st;
}

/* ---- the parallel loop body --------------------------------------------------------------- */

static fs_status run_item(const corpus_work *w, size_t worker, corpus_item *it)
{
    /* The worker's own view of the context: lines go to the item, not to the sink. */
    fs_ctx ctx = *w->ctx;
    ctx.progress = NULL;
    if (ctx.log) {
        ctx.log = capture;
        ctx.log_user = it;
    }
    fs_error *err = &w->errors[worker];
    fs_doc *d = &it->doc;
    memset(d, 0, sizeof *d);
    d->source = w->source;
    fs_status st = it->line ? jsonl_line(w, &ctx, it, d, err) : text_file(w, &ctx, it, d, err);
    if (st == FS_OK && it->has_doc)
        st = corpus_meta_extract(&w->cfg->sources[w->source],
                                 &w->rules[worker * w->cfg->n_sources + w->source], &ctx, d, err);
    if (st != FS_OK) {
        corpus_doc_drop(d);
        it->has_doc = false;
    }
    it->st = st;
    it->worker = worker;
    it->done = true;
    return st;
}

fs_status corpus_items_run(void *work, size_t worker, size_t begin, size_t end)
{
    const corpus_work *w = work;
    for (size_t i = begin; i < end; i++) {
        fs_status st = run_item(w, worker, &w->items[i]);
        if (st != FS_OK)
            return st;
    }
    return FS_OK;
}
