/* export_json.c: stats.json, every table of the analysis plus its parameters, totals and
 * versions (conventions as in export.c).
 *
 * The layout is one top-level key per line, and one table row per line:
 *   {
 *   "versions":{...},
 *   ...
 *   "terms":[
 *   {"source":"s0","term":"ze",...},
 *   ...]
 *   }
 * The file is written as five parts (export_run): everything before "terms", the three large
 * tables (terms, keyness, cooccurrence), each formatted in chunks of rows on several threads,
 * and everything after. No JSON tree is built: rows go straight from the analysis to text. When
 * fs_export_write asks, the large tables' parts also write terms.csv, keyness.csv and
 * cooccurrence.csv from the same pass over the rows.
 */
#include "framescope/export.h"

#include <stdlib.h>

#include "export_internal.h"

static void put(export_buf *b, const char *s)
{
    export_buf_put(b, s, strlen(s));
}

/* A top-level key; `first` opens the object. */
static void key(export_buf *b, const char *name, bool first)
{
    put(b, first ? "{\n\"" : ",\n\"");
    put(b, name);
    put(b, "\":");
}

/* Rows [begin, end) of a table of n rows as one JSON object per line, with the key and the
 * opening bracket before row 0 and the closing bracket after row n-1. With `csv`, the same rows
 * also go there as CSV records (and the header line before row 0). */
static void table(const fs_analysis *a, export_buf *csv, export_buf *b, const char *name,
                  size_t n, size_t begin, size_t end, export_row_fn row)
{
    if (begin == 0) {
        if (csv) {
            export_sink h = {EXPORT_HEADER, csv, NULL, 0};
            row(a, 0, &h);
            put(csv, "\r\n");
        }
        key(b, name, false);
        put(b, "[");
    }
    export_sink s = {EXPORT_ROW, csv, b, 0};
    for (size_t i = begin; i < end && !b->failed; i++) {
        put(b, i ? ",\n{" : "\n{");
        s.col = 0;
        row(a, i, &s);
        put(b, "}");
        if (csv)
            put(csv, "\r\n");
    }
    if (end == n)
        put(b, "]");
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

static void object(const fs_analysis *a, export_buf *b, const char *name,
                   void (*fill)(const fs_analysis *a, export_sink *s))
{
    key(b, name, false);
    put(b, "{");
    export_sink s = {EXPORT_ROW, NULL, b, 0};
    fill(a, &s);
    put(b, "}");
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

static void ca_fill(const fs_analysis *a, export_sink *s)
{
    export_bool(s, "valid", a->ca_valid);
    put(s->json, ",\"inertia_share\":[");
    export_json_number(s->json, a->ca_inertia[0]);
    put(s->json, ",");
    export_json_number(s->json, a->ca_inertia[1]);
    put(s->json, "]");
}

static void boolean(export_buf *b, const char *name, bool v)
{
    key(b, name, false);
    put(b, v ? "true" : "false");
}

static void string_array(export_buf *b, const char *name, char *const *v, size_t n)
{
    key(b, name, false);
    put(b, "[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            put(b, ",");
        export_json_string(b, v[i] ? v[i] : "");
    }
    put(b, "]");
}

/* ========================================= the file ========================================= */

static void emit_head(const fs_analysis *a, const export_part *p, size_t begin, size_t end,
                      export_buf *csv, export_buf *b)
{
    (void)p;
    (void)begin;
    (void)end;
    (void)csv;
    key(b, "versions", true);
    put(b, "{");
    export_sink s = {EXPORT_ROW, NULL, b, 0};
    versions_fill(a, &s);
    put(b, "}");
    key(b, "period", false);
    export_json_string(b, a->params.period ? a->params.period : "");
    object(a, b, "parameters", params_fill);
    object(a, b, "totals", totals_fill);
    boolean(b, "too_small", a->too_small);
    boolean(b, "no_reference", a->no_reference);
    boolean(b, "cooc_pruned", a->cooc_pruned);
    table(a, NULL, b, "sources", a->n_sources, 0, a->n_sources, row_source);
    string_array(b, "frames", a->frames, a->n_frames);
    string_array(b, "focus", a->focus, a->n_focus);
    table(a, NULL, b, "findings", a->n_findings, 0, a->n_findings, row_finding);
}

static void emit_table(const fs_analysis *a, const export_part *p, size_t begin, size_t end,
                       export_buf *csv, export_buf *json)
{
    table(a, csv, json, p->key, p->n, begin, end, p->row);
}

static void emit_tail(const fs_analysis *a, const export_part *p, size_t begin, size_t end,
                      export_buf *csv, export_buf *b)
{
    (void)p;
    (void)begin;
    (void)end;
    (void)csv;
    table(a, NULL, b, "frame_rates", a->n_frame_rows, 0, a->n_frame_rows, export_row_frame);
    object(a, b, "frames_test", chisq_fill);
    table(a, NULL, b, "similarity", a->n_similarity, 0, a->n_similarity, export_row_similarity);
    object(a, b, "ca", ca_fill);
    table(a, NULL, b, "ca_points", a->n_ca, 0, a->n_ca, row_ca);
    put(b, "\n}\n");
}

void export_json_parts(const fs_analysis *a, size_t json_file, const size_t *csv_files,
                       export_part *parts)
{
    size_t c[3] = {EXPORT_NO_FILE, EXPORT_NO_FILE, EXPORT_NO_FILE};
    if (csv_files)
        memcpy(c, csv_files, sizeof c);
    parts[0] = (export_part){EXPORT_NO_FILE, json_file, 0, emit_head, NULL, NULL};
    parts[1] = (export_part){c[0], json_file, a->n_terms, emit_table, export_row_term, "terms"};
    parts[2] = (export_part){c[1], json_file, a->n_keyness, emit_table, export_row_keyness,
                             "keyness"};
    parts[3] = (export_part){c[2], json_file, a->cooc.n_rows, emit_table, export_row_colloc,
                             "cooccurrence"};
    parts[4] = (export_part){EXPORT_NO_FILE, json_file, 0, emit_tail, NULL, NULL};
}

fs_status fs_export_stats_json(const fs_analysis *a, const char *path, fs_error *err)
{
    export_part parts[EXPORT_JSON_PARTS];
    export_json_parts(a, 0, NULL, parts);
    return export_run(a, &path, 1, parts, EXPORT_JSON_PARTS, err);
}
