/* export_json.c: stats.json, every table of the analysis plus its parameters, totals and
 * versions (conventions as in export.c).
 *
 * The file is written one top-level key, and one table row, at a time with cJSON: the term and
 * keyness tables grow with sources × vocabulary, and a single cJSON tree of them would hold the
 * whole table several times over in memory.
 */
#include "framescope/export.h"

#include <stdlib.h>

#include "export_internal.h"
#include "framescope/fileio.h"

typedef struct jw {
    FILE *fp;
    int keys;      /* top-level keys written so far */
    bool nomem;
} jw;

/* Prints and frees `item`; a NULL item (failed allocation) or print marks the writer failed. */
static void jw_item(jw *w, cJSON *item)
{
    char *s = item ? cJSON_PrintUnformatted(item) : NULL;
    if (!s) {
        w->nomem = true;
    } else {
        fputs(s, w->fp);
        cJSON_free(s);
    }
    cJSON_Delete(item);
}

static void jw_key(jw *w, const char *key)
{
    fprintf(w->fp, "%s\"%s\":", w->keys++ ? ",\n" : "{\n", key);
}

static void jw_value(jw *w, const char *key, cJSON *item)
{
    jw_key(w, key);
    jw_item(w, item);
}

/* A table: `row` describes row i into a fresh object; rows go out one per line. */
static void jw_table(jw *w, const char *key, const fs_analysis *a, size_t n, export_row_fn row)
{
    jw_key(w, key);
    fputc('[', w->fp);
    for (size_t i = 0; i < n && !w->nomem; i++) {
        fputs(i ? ",\n" : "\n", w->fp);
        cJSON *o = cJSON_CreateObject();
        if (o) {
            export_sink s = {EXPORT_JSON, NULL, 0, o};
            row(a, i, &s);
        }
        jw_item(w, o);
    }
    fputs("]", w->fp);
}

/* ======================================= JSON-only rows ======================================= */

static void row_source(const fs_analysis *a, size_t i, export_sink *s)
{
    const fs_source_summary *r = &a->sources[i];
    export_str(s, "id", r->id);
    export_str(s, "label", r->label);
    export_uint(s, "documents", r->docs);
    export_uint(s, "documents_loaded", r->docs_loaded);
    export_uint(s, "duplicates", r->duplicates);
    export_uint(s, "undated", r->undated);
    export_uint(s, "tokens", r->tokens);
    export_uint(s, "content_tokens", r->content_tokens);
    export_uint(s, "types", r->types);
    export_uint(s, "chars_raw", r->chars_raw);
    export_uint(s, "chars_clean", r->chars_clean);
    export_num(s, "removed_share", r->removed_share);
    export_date(s, "first_date", r->first);
    export_date(s, "last_date", r->last);
    export_bool(s, "small", r->small);
}

static void row_ca(const fs_analysis *a, size_t i, export_sink *s)
{
    const fs_ca_point *r = &a->ca[i];
    export_str(s, "kind", r->is_source ? "source" : "term");
    export_str(s, "label", r->label);
    if (r->is_source)
        export_str(s, "source", export_source_id(a, r->source));
    export_num(s, "dim1", r->dim1);
    export_num(s, "dim2", r->dim2);
}

static void row_finding(const fs_analysis *a, size_t i, export_sink *s)
{
    const fs_finding *r = &a->findings[i];
    export_str(s, "text", r->text);
    export_num(s, "strength", r->strength);
    export_bool(s, "significant", r->significant);
}

/* ====================================== single objects ====================================== */

/* An object described by `fill`, or NULL when it cannot be allocated. */
static cJSON *object(const fs_analysis *a, void (*fill)(const fs_analysis *a, export_sink *s))
{
    cJSON *o = cJSON_CreateObject();
    if (o) {
        export_sink s = {EXPORT_JSON, NULL, 0, o};
        fill(a, &s);
    }
    return o;
}

static void params_fill(const fs_analysis *a, export_sink *s)
{
    const fs_params *p = &a->params;
    export_num(s, "min_count", p->min_count);
    export_num(s, "window", p->window);
    export_num(s, "min_pair_count", p->min_pair_count);
    export_num(s, "ca_terms", p->ca_terms);
    export_num(s, "min_source_tokens", p->min_source_tokens);
    export_num(s, "prior_strength", p->prior_strength);
    export_num(s, "dedup_threshold", p->dedup_threshold);
    export_bool(s, "sentence_cooccurrence", p->sentence_cooccurrence);
    export_bool(s, "keep_numbers", p->keep_numbers);
    export_bool(s, "include_undated", p->include_undated);
}

static void totals_fill(const fs_analysis *a, export_sink *s)
{
    export_uint(s, "documents", a->total_docs);
    export_uint(s, "duplicates", a->total_duplicates);
    export_uint(s, "tokens", a->total_tokens);
    export_uint(s, "content_tokens", a->total_content_tokens);
    export_uint(s, "tested_terms", a->tested_terms);
    export_uint(s, "skipped_lines", a->skipped_lines);
    export_uint(s, "skipped_files", a->skipped_files);
    export_uint(s, "invalid_bytes", a->invalid_bytes);
}

static void chisq_fill(const fs_analysis *a, export_sink *s)
{
    const fs_chisq *t = &a->frames_test;
    export_num(s, "statistic", t->statistic);
    export_num(s, "df", t->df);
    export_num(s, "p", t->p);
    export_bool(s, "low_expected", t->low_expected);
    export_bool(s, "valid", t->valid);
    export_uint(s, "dropped_frames", t->dropped_rows);
    export_uint(s, "dropped_sources", t->dropped_cols);
}

static void versions_fill(const fs_analysis *a, export_sink *s)
{
    export_str(s, "framescope", a->params.framescope_version);
    export_str(s, "stopwords", a->params.stopwords_version);
}

static cJSON *ca_info_json(const fs_analysis *a)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddBoolToObject(o, "valid", a->ca_valid);
    cJSON *in = cJSON_CreateDoubleArray(a->ca_inertia, 2);
    if (!in) {
        cJSON_Delete(o);
        return NULL;
    }
    cJSON_AddItemToObject(o, "inertia_share", in);
    return o;
}

static cJSON *string_array(char *const *v, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < n; i++) {
        cJSON *s = cJSON_CreateString(v[i] ? v[i] : "");
        if (!s) {
            cJSON_Delete(arr);
            return NULL;
        }
        cJSON_AddItemToArray(arr, s);
    }
    return arr;
}

/* ========================================= the file ========================================= */

static void write_json(const fs_analysis *a, jw *w)
{
    jw_value(w, "versions", object(a, versions_fill));
    jw_value(w, "period", cJSON_CreateString(a->params.period ? a->params.period : ""));
    jw_value(w, "parameters", object(a, params_fill));
    jw_value(w, "totals", object(a, totals_fill));
    jw_value(w, "too_small", cJSON_CreateBool(a->too_small));
    jw_value(w, "no_reference", cJSON_CreateBool(a->no_reference));
    jw_value(w, "cooc_pruned", cJSON_CreateBool(a->cooc_pruned));
    jw_table(w, "sources", a, a->n_sources, row_source);
    jw_value(w, "frames", string_array(a->frames, a->n_frames));
    jw_value(w, "focus", string_array(a->focus, a->n_focus));
    jw_table(w, "findings", a, a->n_findings, row_finding);
    jw_table(w, "terms", a, a->n_terms, export_row_term);
    jw_table(w, "keyness", a, a->n_keyness, export_row_keyness);
    jw_table(w, "cooccurrence", a, a->n_colloc, export_row_colloc);
    jw_table(w, "frame_rates", a, a->n_frame_rows, export_row_frame);
    jw_value(w, "frames_test", object(a, chisq_fill));
    jw_table(w, "similarity", a, a->n_similarity, export_row_similarity);
    jw_value(w, "ca", ca_info_json(a));
    jw_table(w, "ca_points", a, a->n_ca, row_ca);
    fputs("\n}\n", w->fp);
}

fs_status fs_export_stats_json(const fs_analysis *a, const char *path, fs_error *err)
{
    fs_outfile f;
    fs_status st = fs_outfile_open(&f, path, err);
    if (st != FS_OK)
        return st;
    jw w = {f.fp, 0, false};
    write_json(a, &w);
    if (w.nomem) {
        fs_outfile_abort(&f);
        return fs_error_set(err, FS_ERR_NOMEM, path, "out of memory");
    }
    return fs_outfile_commit(&f, err);
}
