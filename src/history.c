/* history.c: the per-period stats.json store and the period-over-period change table. */
#include "framescope/history.h"

#include <cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "framescope/export.h"
#include "framescope/fileio.h"
#include "framescope/vec.h"

/* ------------------------------------------------------------------------------------------ */
/* The store                                                                                  */
/* ------------------------------------------------------------------------------------------ */

#define STATS_PREFIX "stats-"
#define STATS_SUFFIX ".json"

/* A period label as it appears in a file name: [A-Za-z0-9._-] kept, anything else (a '/' above
 * all) becomes '_', and a leading '.' too so the file is never hidden. Empty means "all". */
static char *sanitize_period(const char *period)
{
    if (!period || !period[0])
        period = "all";
    char *s = strdup(period);
    if (!s)
        return NULL;
    for (char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        if (!ok || (p == s && c == '.'))
            *p = '_';
    }
    return s;
}

fs_status fs_history_store(const fs_analysis *a, const char *dir, const char *period, fs_error *err)
{
    char *name = NULL, *path = NULL;
    fs_status st = FS_OK;
    char *label = sanitize_period(period ? period : a->params.period);
    if (!label) {
        st = fs_error_set(err, FS_ERR_NOMEM, dir, "out of memory");
        goto done;
    }
    size_t n = strlen(STATS_PREFIX) + strlen(label) + strlen(STATS_SUFFIX) + 1;
    name = malloc(n);
    if (!name) {
        st = fs_error_set(err, FS_ERR_NOMEM, dir, "out of memory");
        goto done;
    }
    snprintf(name, n, STATS_PREFIX "%s" STATS_SUFFIX, label);
    path = fs_path_join(dir, name);
    if (!path) {
        st = fs_error_set(err, FS_ERR_NOMEM, dir, "out of memory");
        goto done;
    }
    st = fs_mkdir_p(dir, err);
    if (st == FS_OK)
        st = fs_export_stats_json(a, path, err);
done:
    free(label);
    free(name);
    free(path);
    return st;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

fs_status fs_history_find_previous(const char *dir, const char *period, char **path,
                                   char **prev_period, fs_error *err)
{
    *path = NULL;
    *prev_period = NULL;
    fs_status st = FS_OK;
    char **labels = NULL;
    size_t n = 0, cap = 0;
    DIR *d = NULL;
    char *cur = sanitize_period(period);
    if (!cur) {
        st = fs_error_set(err, FS_ERR_NOMEM, dir, "out of memory");
        goto done;
    }
    /* "all" is not a point in a sequence of periods, so it has no predecessor and is nobody's. */
    if (strcmp(cur, "all") == 0)
        goto done;
    d = opendir(dir);
    if (!d) {
        if (errno != ENOENT)  /* no folder yet: the first run, nothing to compare with */
            st = fs_error_set(err, FS_ERR_INPUT, dir, "cannot read history folder: %s",
                              strerror(errno));
        goto done;
    }
    const size_t pre = strlen(STATS_PREFIX), suf = strlen(STATS_SUFFIX);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (len <= pre + suf || strncmp(e->d_name, STATS_PREFIX, pre) != 0 ||
            strcmp(e->d_name + len - suf, STATS_SUFFIX) != 0)
            continue;
        char **nl = fs_vec_grow(labels, n, &cap, sizeof *nl, 16);
        if (!nl) {
            st = fs_error_set(err, FS_ERR_NOMEM, dir, "out of memory");
            goto done;
        }
        labels = nl;
        /* Compare labels, not file names: ".json" would otherwise sort "2025-04" after
         * "2025-04-01". */
        labels[n] = strndup(e->d_name + pre, len - pre - suf);
        if (!labels[n]) {
            st = fs_error_set(err, FS_ERR_NOMEM, dir, "out of memory");
            goto done;
        }
        n++;
    }
    if (n)
        qsort(labels, n, sizeof *labels, cmp_str);
    const char *best = NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(labels[i], cur) < 0 && strcmp(labels[i], "all") != 0)
            best = labels[i];
    if (best) {
        size_t len = pre + strlen(best) + suf + 1;
        char *name = malloc(len);
        if (name)
            snprintf(name, len, STATS_PREFIX "%s" STATS_SUFFIX, best);
        *path = name ? fs_path_join(dir, name) : NULL;
        *prev_period = strdup(best);
        free(name);
        if (!*path || !*prev_period) {
            free(*path);
            free(*prev_period);
            *path = *prev_period = NULL;
            st = fs_error_set(err, FS_ERR_NOMEM, dir, "out of memory");
        }
    }
done:
    if (d)
        closedir(d);
    for (size_t i = 0; i < n; i++)
        free(labels[i]);
    free(labels);
    free(cur);
    return st;
}

/* ------------------------------------------------------------------------------------------ */
/* Changes                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* One compared item of one source; `name` is borrowed from the analysis or the parsed JSON. */
typedef struct item {
    const char *name;
    double before, after, delta;
} item;

typedef struct item_vec {
    item *v;
    size_t n, cap;
} item_vec;

static bool vec_push(item_vec *iv, item it)
{
    item *nv = fs_vec_grow(iv->v, iv->n, &iv->cap, sizeof *nv, 32);
    if (!nv)
        return false;
    iv->v = nv;
    iv->v[iv->n++] = it;
    return true;
}

static int cmp_name(const void *x, const void *y)
{
    return strcmp(((const item *)x)->name, ((const item *)y)->name);
}

/* Delta descending, then name: the order the header promises. */
static int cmp_delta_desc(const void *x, const void *y)
{
    const item *a = x, *b = y;
    if (a->delta != b->delta)
        return a->delta > b->delta ? -1 : 1;
    return strcmp(a->name, b->name);
}

/* Delta ascending (largest fall first), then name: picks the top falling items. */
static int cmp_delta_asc(const void *x, const void *y)
{
    const item *a = x, *b = y;
    if (a->delta != b->delta)
        return a->delta < b->delta ? -1 : 1;
    return strcmp(a->name, b->name);
}

static const char *json_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A number, or NAN when missing or null (the export writes undefined values as null). */
static double json_num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static bool append_row(fs_changes *c, size_t *cap, size_t source, const item *it, bool is_frame)
{
    fs_change_row *nr = fs_vec_grow(c->rows, c->n_rows, cap, sizeof *nr, 32);
    if (!nr)
        return false;
    c->rows = nr;
    fs_change_row *r = &c->rows[c->n_rows];
    r->item = strdup(it->name);
    if (!r->item)
        return false;
    r->source = source;
    r->is_frame = is_frame;
    r->before = it->before;
    r->after = it->after;
    r->delta = it->delta;
    c->n_rows++;
    return true;
}

/* Frames of source `s` measured in both periods (a frame added to or dropped from the config
 * has no counterpart to compare with), every one, delta descending. */
static bool frame_rows(const fs_analysis *a, size_t s, const cJSON *prev_rates, const char *id,
                       fs_changes *c, size_t *cap)
{
    item_vec iv = {0};
    bool ok = true;
    for (size_t i = 0; i < a->n_frame_rows && ok; i++) {
        const fs_frame_row *r = &a->frame_rows[i];
        if (r->source != s || r->frame >= a->n_frames || isnan(r->rate_per_1k))
            continue;
        const char *frame = a->frames[r->frame];
        const cJSON *e;
        cJSON_ArrayForEach(e, prev_rates)
        {
            const char *src = json_str(e, "source"), *name = json_str(e, "frame");
            double before = json_num(e, "rate_per_1k");
            if (!src || !name || strcmp(src, id) != 0 || strcmp(name, frame) != 0 || isnan(before))
                continue;
            ok = vec_push(&iv, (item){frame, before, r->rate_per_1k, r->rate_per_1k - before});
            break;
        }
    }
    if (ok && iv.n) {
        qsort(iv.v, iv.n, sizeof *iv.v, cmp_delta_desc);
        for (size_t i = 0; i < iv.n && ok; i++)
            ok = append_row(c, cap, s, &iv.v[i], true);
    }
    free(iv.v);
    return ok;
}

/* Terms of source `s` in either period (a missing side counts as 0 per 10k): the `k` largest
 * rises and the `k` largest falls, emitted together in delta-descending order. */
static bool term_rows(const fs_analysis *a, size_t s, const cJSON *prev_terms, const char *id,
                      size_t k, fs_changes *c, size_t *cap)
{
    item_vec cur = {0}, prev = {0}, merged = {0};
    bool ok = true;
    for (size_t i = 0; i < a->n_terms && ok; i++)
        if (a->terms[i].source == s && a->terms[i].term)
            ok = vec_push(&cur, (item){a->terms[i].term, 0, a->terms[i].per_10k, 0});
    const cJSON *e;
    cJSON_ArrayForEach(e, prev_terms)
    {
        if (!ok)
            break;
        const char *src = json_str(e, "source"), *term = json_str(e, "term");
        if (!src || !term || strcmp(src, id) != 0)
            continue;
        double v = json_num(e, "per_10k");
        ok = vec_push(&prev, (item){term, isnan(v) ? 0 : v, 0, 0});
    }
    if (!ok)
        goto done;
    if (cur.n)
        qsort(cur.v, cur.n, sizeof *cur.v, cmp_name);
    if (prev.n)
        qsort(prev.v, prev.n, sizeof *prev.v, cmp_name);
    /* Merge the two name-sorted lists; equal names pair up. */
    size_t i = 0, j = 0;
    while (ok && (i < cur.n || j < prev.n)) {
        int d = i == cur.n ? 1 : j == prev.n ? -1 : strcmp(cur.v[i].name, prev.v[j].name);
        item it = {d <= 0 ? cur.v[i].name : prev.v[j].name, 0, 0, 0};
        if (d <= 0)
            it.after = isnan(cur.v[i].after) ? 0 : cur.v[i].after;
        if (d >= 0)
            it.before = prev.v[j].before;
        i += d <= 0;
        j += d >= 0;
        it.delta = it.after - it.before;
        if (it.delta != 0)
            ok = vec_push(&merged, it);
    }
    if (!ok || merged.n == 0)
        goto done;

    /* Rises: the first k in delta-descending order; falls: the first k ascending. */
    qsort(merged.v, merged.n, sizeof *merged.v, cmp_delta_desc);
    size_t rising = 0;
    while (rising < merged.n && rising < k && merged.v[rising].delta > 0)
        rising++;
    size_t n_fall_total = 0;
    while (n_fall_total < merged.n && merged.v[merged.n - 1 - n_fall_total].delta < 0)
        n_fall_total++;
    item *falls = merged.v + merged.n - n_fall_total;
    qsort(falls, n_fall_total, sizeof *falls, cmp_delta_asc);
    size_t falling = n_fall_total < k ? n_fall_total : k;
    qsort(falls, falling, sizeof *falls, cmp_delta_desc);
    for (size_t r = 0; r < rising && ok; r++)
        ok = append_row(c, cap, s, &merged.v[r], false);
    for (size_t r = 0; r < falling && ok; r++)
        ok = append_row(c, cap, s, &falls[r], false);
done:
    free(cur.v);
    free(prev.v);
    free(merged.v);
    return ok;
}

/* 1-based line and column of byte `off` in `text`, for parse errors. */
static void line_col(const char *text, size_t off, size_t *line, size_t *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off && text[i]; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

fs_status fs_changes_compute(const fs_analysis *a, const char *prev_path, const char *prev_period,
                             size_t per_source, fs_changes **out, fs_error *err)
{
    *out = NULL;
    fs_status st = FS_OK;
    char *text = NULL;
    size_t len = 0, cap = 0;
    cJSON *root = NULL;
    fs_changes *c = calloc(1, sizeof *c);
    if (!c) {
        st = fs_error_set(err, FS_ERR_NOMEM, prev_path, "out of memory");
        goto done;
    }
    st = fs_read_file(prev_path, 0, &text, &len, err);
    if (st != FS_OK)
        goto done;
    const char *end = NULL;
    root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        size_t line, col;
        line_col(text, end ? (size_t)(end - text) : 0, &line, &col);
        char where[sizeof err->where];
        snprintf(where, sizeof where, "%s:%zu:%zu", prev_path, line, col);
        st = fs_error_set(err, FS_ERR_INPUT, where, "not valid JSON");
        goto done;
    }
    const cJSON *sources = cJSON_GetObjectItemCaseSensitive(root, "sources");
    const cJSON *terms = cJSON_GetObjectItemCaseSensitive(root, "terms");
    /* The export writes frame rows as "frame_rates" ("frames" holds the frame names); a
     * "frames" array of row objects is accepted too. */
    const cJSON *rates = cJSON_GetObjectItemCaseSensitive(root, "frame_rates");
    if (!cJSON_IsArray(rates)) {
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(root, "frames");
        rates = cJSON_IsArray(f) && cJSON_IsObject(f->child) ? f : NULL;
    }
    if (!cJSON_IsArray(sources) || (terms && !cJSON_IsArray(terms))) {
        st = fs_error_set(err, FS_ERR_INPUT, prev_path,
                          "not a framescope stats.json: \"sources\" and \"terms\" must be arrays");
        goto done;
    }
    const char *label = prev_period ? prev_period : json_str(root, "period");
    c->previous_period = strdup(label ? label : "");
    if (!c->previous_period) {
        st = fs_error_set(err, FS_ERR_NOMEM, prev_path, "out of memory");
        goto done;
    }
    for (size_t s = 0; s < a->n_sources; s++) {
        const char *id = a->sources[s].id;
        const cJSON *e;
        bool present = false;
        cJSON_ArrayForEach(e, sources)
        {
            const char *pid = json_str(e, "id");
            if (id && pid && strcmp(id, pid) == 0)
                present = true;
        }
        if (!present)  /* new source: nothing to compare with */
            continue;
        if (!frame_rows(a, s, rates, id, c, &cap) ||
            !term_rows(a, s, terms, id, per_source, c, &cap)) {
            st = fs_error_set(err, FS_ERR_NOMEM, prev_path, "out of memory");
            goto done;
        }
    }
done:
    cJSON_Delete(root);
    free(text);
    if (st != FS_OK) {
        fs_changes_free(c);
        c = NULL;
    }
    *out = c;
    return st;
}

void fs_changes_free(fs_changes *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_rows; i++)
        free(c->rows[i].item);
    free(c->rows);
    free(c->previous_period);
    free(c);
}
