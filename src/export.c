/* export.c: CSV (RFC 4180 quoting) and stats.json exports of a finished analysis.
 *
 * Conventions shared by every file: source columns hold the source id; numbers are written with
 * %.17g so they read back to the same double, integers as integers, and an undefined value (NAN,
 * or an infinity) as an empty field in CSV and null in JSON. Lines end in LF (RFC 4180 asks for
 * CRLF, but every CSV reader accepts LF and line-based tools choke on CR). Each file is written
 * to a temporary file and renamed into place (fs_outfile), so a reader never sees half a table.
 *
 * stats.json is written one top-level key, and one table row, at a time with cJSON: the term
 * and keyness tables grow with sources × vocabulary, and a single cJSON tree of them would hold
 * the whole table several times over in memory.
 */
#include "framescope/export.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "framescope/fileio.h"

/* ========================================== CSV ========================================== */

typedef struct csv {
    FILE *fp;
    int col; /* fields written on the current line */
} csv;

static void csv_sep(csv *c)
{
    if (c->col++ > 0)
        fputc(',', c->fp);
}

/* A field is quoted when it holds a separator, a quote or a line break; quotes are doubled. */
static void csv_str(csv *c, const char *s)
{
    csv_sep(c);
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, c->fp);
        return;
    }
    fputc('"', c->fp);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', c->fp);
        fputc(*p, c->fp);
    }
    fputc('"', c->fp);
}

static void csv_num(csv *c, double v)
{
    csv_sep(c);
    if (isfinite(v))
        fprintf(c->fp, "%.17g", v);
}

static void csv_uint(csv *c, uint64_t v)
{
    csv_sep(c);
    fprintf(c->fp, "%" PRIu64, v);
}

/* RFC 4180 ends records with CRLF; every CSV reader accepts it. */
static void csv_end(csv *c)
{
    fputs("\r\n", c->fp);
    c->col = 0;
}

/* Writes a header line from a comma-separated list of names (already safe). */
static void csv_header(csv *c, const char *names)
{
    fputs(names, c->fp);
    csv_end(c);
}

static const char *src_id(const fs_analysis *a, size_t s)
{
    return s < a->n_sources && a->sources[s].id ? a->sources[s].id : "";
}

static void fmt_date(fs_date d, char buf[16])
{
    if (d.year == 0)
        buf[0] = '\0';
    else
        snprintf(buf, 16, "%04d-%02d-%02d", d.year % 10000, d.month % 100, d.day % 100);
}

static void write_sources(const fs_analysis *a, csv *c)
{
    csv_header(c, "source,label,documents,tokens,types,content_tokens,duplicates,chars_raw,"
                  "chars_clean,removed_share");
    for (size_t s = 0; s < a->n_sources; s++) {
        const fs_source_summary *r = &a->sources[s];
        csv_str(c, r->id);
        csv_str(c, r->label);
        csv_uint(c, r->docs);
        csv_uint(c, r->tokens);
        csv_uint(c, r->types);
        csv_uint(c, r->content_tokens);
        csv_uint(c, r->duplicates);
        csv_uint(c, r->chars_raw);
        csv_uint(c, r->chars_clean);
        csv_num(c, r->removed_share);
        csv_end(c);
    }
}

static void write_terms(const fs_analysis *a, csv *c)
{
    csv_header(c, "source,term,count,per_10k,docs,dp");
    for (size_t i = 0; i < a->n_terms; i++) {
        const fs_term_row *r = &a->terms[i];
        csv_str(c, src_id(a, r->source));
        csv_str(c, r->term);
        csv_uint(c, r->count);
        csv_num(c, r->per_10k);
        csv_uint(c, r->docs);
        csv_num(c, r->dp);
        csv_end(c);
    }
}

static void write_documents(const fs_analysis *a, csv *c)
{
    char date[16];
    csv_header(c, "doc_id,path,source,outlet,date,title,sha256,chars_raw,chars_clean,"
                  "duplicate_of");
    for (size_t i = 0; i < a->n_docs; i++) {
        const fs_doc_row *r = &a->docs[i];
        fmt_date(r->date, date);
        csv_str(c, r->doc_id);
        csv_str(c, r->path);
        csv_str(c, src_id(a, r->source));
        csv_str(c, r->outlet);
        csv_str(c, date);
        csv_str(c, r->title);
        csv_str(c, r->sha256);
        csv_uint(c, r->chars_raw);
        csv_uint(c, r->chars_clean);
        csv_str(c, r->duplicate_of);
        csv_end(c);
    }
}

static void write_keyness(const fs_analysis *a, csv *c)
{
    csv_header(c, "source,term,count,ref_count,source_tokens,ref_tokens,g2,p,q,log_ratio,lrc,"
                  "logodds_z");
    for (size_t i = 0; i < a->n_keyness; i++) {
        const fs_keyness_row *r = &a->keyness[i];
        csv_str(c, src_id(a, r->source));
        csv_str(c, r->term);
        csv_uint(c, r->count);
        csv_uint(c, r->ref_count);
        csv_uint(c, r->source_tokens);
        csv_uint(c, r->ref_tokens);
        csv_num(c, r->g2);
        csv_num(c, r->p);
        csv_num(c, r->q);
        csv_num(c, r->log_ratio);
        csv_num(c, r->lrc);
        csv_num(c, r->logodds_z);
        csv_end(c);
    }
}

static void write_cooccurrence(const fs_analysis *a, csv *c)
{
    csv_header(c, "source,term_a,term_b,count,count_a,count_b,pmi,log_dice,focus");
    for (size_t i = 0; i < a->n_colloc; i++) {
        const fs_colloc_row *r = &a->colloc[i];
        csv_str(c, src_id(a, r->source));
        csv_str(c, r->term_a);
        csv_str(c, r->term_b);
        csv_uint(c, r->count);
        csv_uint(c, r->count_a);
        csv_uint(c, r->count_b);
        csv_num(c, r->pmi);
        csv_num(c, r->log_dice);
        csv_uint(c, r->focus ? 1 : 0);
        csv_end(c);
    }
}

static void write_frames(const fs_analysis *a, csv *c)
{
    csv_header(c, "frame,source,hits,tokens,rate_per_1k,ci_low,ci_high,std_residual");
    for (size_t i = 0; i < a->n_frame_rows; i++) {
        const fs_frame_row *r = &a->frame_rows[i];
        csv_str(c, r->frame < a->n_frames ? a->frames[r->frame] : "");
        csv_str(c, src_id(a, r->source));
        csv_uint(c, r->hits);
        csv_uint(c, r->tokens);
        csv_num(c, r->rate_per_1k);
        csv_num(c, r->ci_low);
        csv_num(c, r->ci_high);
        csv_num(c, r->std_residual);
        csv_end(c);
    }
}

static void write_similarity(const fs_analysis *a, csv *c)
{
    csv_header(c, "source_a,source_b,cosine,jsd");
    for (size_t i = 0; i < a->n_similarity; i++) {
        const fs_similarity_row *r = &a->similarity[i];
        csv_str(c, src_id(a, r->a));
        csv_str(c, src_id(a, r->b));
        csv_num(c, r->cosine);
        csv_num(c, r->jsd);
        csv_end(c);
    }
}

/* Source points are labelled with the source id like every other source column; the label a
 * chart shows is in sources.csv. */
static void write_ca(const fs_analysis *a, csv *c)
{
    csv_header(c, "kind,label,dim1,dim2");
    for (size_t i = 0; i < a->n_ca; i++) {
        const fs_ca_point *r = &a->ca[i];
        csv_str(c, r->is_source ? "source" : "term");
        csv_str(c, r->is_source ? src_id(a, r->source) : r->label);
        csv_num(c, r->dim1);
        csv_num(c, r->dim2);
        csv_end(c);
    }
}

typedef void (*csv_writer)(const fs_analysis *a, csv *c);

static fs_status write_csv(const fs_analysis *a, const char *dir, const char *name,
                           csv_writer fn, fs_error *err)
{
    char *path = fs_path_join(dir, name);
    if (!path)
        return fs_error_set(err, FS_ERR_NOMEM, name, "out of memory");
    fs_outfile f;
    fs_status st = fs_outfile_open(&f, path, err);
    if (st == FS_OK) {
        csv c = {f.fp, 0};
        fn(a, &c);
        st = fs_outfile_commit(&f, err);
    }
    free(path);
    return st;
}

/* ========================================== JSON ========================================== */

typedef struct jw {
    FILE *fp;
    int keys;      /* top-level keys written so far */
    bool nomem;
} jw;

/* Numbers through cJSON, which writes NAN and infinities as null. */
static void jnum(cJSON *o, const char *k, double v)
{
    cJSON_AddNumberToObject(o, k, v);
}

static void jstr(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static void jbool(cJSON *o, const char *k, bool v)
{
    cJSON_AddBoolToObject(o, k, v);
}

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

/* A table: `row(a, i)` builds row i; rows go out one per line. */
typedef cJSON *(*row_fn)(const fs_analysis *a, size_t i);

static void jw_table(jw *w, const char *key, const fs_analysis *a, size_t n, row_fn row)
{
    jw_key(w, key);
    fputc('[', w->fp);
    for (size_t i = 0; i < n && !w->nomem; i++) {
        fputs(i ? ",\n" : "\n", w->fp);
        jw_item(w, row(a, i));
    }
    fputs("]", w->fp);
}

static cJSON *obj(void)
{
    return cJSON_CreateObject();
}

static cJSON *row_source(const fs_analysis *a, size_t i)
{
    const fs_source_summary *r = &a->sources[i];
    char first[16], last[16];
    fmt_date(r->first, first);
    fmt_date(r->last, last);
    cJSON *o = obj();
    if (!o)
        return NULL;
    jstr(o, "id", r->id);
    jstr(o, "label", r->label);
    jnum(o, "documents", (double)r->docs);
    jnum(o, "documents_loaded", (double)r->docs_loaded);
    jnum(o, "duplicates", (double)r->duplicates);
    jnum(o, "undated", (double)r->undated);
    jnum(o, "tokens", (double)r->tokens);
    jnum(o, "content_tokens", (double)r->content_tokens);
    jnum(o, "types", (double)r->types);
    jnum(o, "chars_raw", (double)r->chars_raw);
    jnum(o, "chars_clean", (double)r->chars_clean);
    jnum(o, "removed_share", r->removed_share);
    jstr(o, "first_date", first[0] ? first : NULL);
    jstr(o, "last_date", last[0] ? last : NULL);
    jbool(o, "small", r->small);
    return o;
}

static cJSON *row_term(const fs_analysis *a, size_t i)
{
    const fs_term_row *r = &a->terms[i];
    cJSON *o = obj();
    if (!o)
        return NULL;
    jstr(o, "source", src_id(a, r->source));
    jstr(o, "term", r->term);
    jnum(o, "count", (double)r->count);
    jnum(o, "per_10k", r->per_10k);
    jnum(o, "docs", (double)r->docs);
    jnum(o, "dp", r->dp);
    return o;
}

static cJSON *row_keyness(const fs_analysis *a, size_t i)
{
    const fs_keyness_row *r = &a->keyness[i];
    cJSON *o = obj();
    if (!o)
        return NULL;
    jstr(o, "source", src_id(a, r->source));
    jstr(o, "term", r->term);
    jnum(o, "count", (double)r->count);
    jnum(o, "ref_count", (double)r->ref_count);
    jnum(o, "source_tokens", (double)r->source_tokens);
    jnum(o, "ref_tokens", (double)r->ref_tokens);
    jnum(o, "g2", r->g2);
    jnum(o, "p", r->p);
    jnum(o, "q", r->q);
    jnum(o, "log_ratio", r->log_ratio);
    jnum(o, "lrc", r->lrc);
    jnum(o, "logodds_z", r->logodds_z);
    return o;
}

static cJSON *row_colloc(const fs_analysis *a, size_t i)
{
    const fs_colloc_row *r = &a->colloc[i];
    cJSON *o = obj();
    if (!o)
        return NULL;
    jstr(o, "source", src_id(a, r->source));
    jstr(o, "term_a", r->term_a);
    jstr(o, "term_b", r->term_b);
    jnum(o, "count", (double)r->count);
    jnum(o, "count_a", (double)r->count_a);
    jnum(o, "count_b", (double)r->count_b);
    jnum(o, "pmi", r->pmi);
    jnum(o, "log_dice", r->log_dice);
    jbool(o, "focus", r->focus);
    return o;
}

static cJSON *row_frame(const fs_analysis *a, size_t i)
{
    const fs_frame_row *r = &a->frame_rows[i];
    cJSON *o = obj();
    if (!o)
        return NULL;
    jstr(o, "frame", r->frame < a->n_frames ? a->frames[r->frame] : "");
    jstr(o, "source", src_id(a, r->source));
    jnum(o, "hits", (double)r->hits);
    jnum(o, "tokens", (double)r->tokens);
    jnum(o, "rate_per_1k", r->rate_per_1k);
    jnum(o, "ci_low", r->ci_low);
    jnum(o, "ci_high", r->ci_high);
    jnum(o, "std_residual", r->std_residual);
    return o;
}

static cJSON *row_similarity(const fs_analysis *a, size_t i)
{
    const fs_similarity_row *r = &a->similarity[i];
    cJSON *o = obj();
    if (!o)
        return NULL;
    jstr(o, "source_a", src_id(a, r->a));
    jstr(o, "source_b", src_id(a, r->b));
    jnum(o, "cosine", r->cosine);
    jnum(o, "jsd", r->jsd);
    return o;
}

static cJSON *row_ca(const fs_analysis *a, size_t i)
{
    const fs_ca_point *r = &a->ca[i];
    cJSON *o = obj();
    if (!o)
        return NULL;
    jstr(o, "kind", r->is_source ? "source" : "term");
    jstr(o, "label", r->label);
    if (r->is_source)
        jstr(o, "source", src_id(a, r->source));
    jnum(o, "dim1", r->dim1);
    jnum(o, "dim2", r->dim2);
    return o;
}

static cJSON *row_finding(const fs_analysis *a, size_t i)
{
    const fs_finding *r = &a->findings[i];
    cJSON *o = obj();
    if (!o)
        return NULL;
    jstr(o, "text", r->text);
    jnum(o, "strength", r->strength);
    jbool(o, "significant", r->significant);
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

static cJSON *params_json(const fs_analysis *a)
{
    const fs_params *p = &a->params;
    cJSON *o = obj();
    if (!o)
        return NULL;
    jnum(o, "min_count", p->min_count);
    jnum(o, "window", p->window);
    jnum(o, "min_pair_count", p->min_pair_count);
    jnum(o, "ca_terms", p->ca_terms);
    jnum(o, "min_source_tokens", p->min_source_tokens);
    jnum(o, "prior_strength", p->prior_strength);
    jnum(o, "dedup_threshold", p->dedup_threshold);
    jbool(o, "sentence_cooccurrence", p->sentence_cooccurrence);
    jbool(o, "keep_numbers", p->keep_numbers);
    jbool(o, "include_undated", p->include_undated);
    return o;
}

static cJSON *totals_json(const fs_analysis *a)
{
    cJSON *o = obj();
    if (!o)
        return NULL;
    jnum(o, "documents", (double)a->total_docs);
    jnum(o, "duplicates", (double)a->total_duplicates);
    jnum(o, "tokens", (double)a->total_tokens);
    jnum(o, "content_tokens", (double)a->total_content_tokens);
    jnum(o, "tested_terms", (double)a->tested_terms);
    jnum(o, "skipped_lines", (double)a->skipped_lines);
    jnum(o, "skipped_files", (double)a->skipped_files);
    jnum(o, "invalid_bytes", (double)a->invalid_bytes);
    return o;
}

static cJSON *chisq_json(const fs_chisq *t)
{
    cJSON *o = obj();
    if (!o)
        return NULL;
    jnum(o, "statistic", t->statistic);
    jnum(o, "df", t->df);
    jnum(o, "p", t->p);
    jbool(o, "low_expected", t->low_expected);
    jbool(o, "valid", t->valid);
    jnum(o, "dropped_frames", (double)t->dropped_rows);
    jnum(o, "dropped_sources", (double)t->dropped_cols);
    return o;
}

static cJSON *ca_info_json(const fs_analysis *a)
{
    cJSON *o = obj();
    if (!o)
        return NULL;
    jbool(o, "valid", a->ca_valid);
    cJSON *in = cJSON_CreateDoubleArray(a->ca_inertia, 2);
    if (!in) {
        cJSON_Delete(o);
        return NULL;
    }
    cJSON_AddItemToObject(o, "inertia_share", in);
    return o;
}

static cJSON *versions_json(const fs_analysis *a)
{
    cJSON *o = obj();
    if (!o)
        return NULL;
    jstr(o, "framescope", a->params.framescope_version);
    jstr(o, "stopwords", a->params.stopwords_version);
    return o;
}

static void write_json(const fs_analysis *a, jw *w)
{
    jw_value(w, "versions", versions_json(a));
    jw_value(w, "period", cJSON_CreateString(a->params.period ? a->params.period : ""));
    jw_value(w, "parameters", params_json(a));
    jw_value(w, "totals", totals_json(a));
    jw_value(w, "too_small", cJSON_CreateBool(a->too_small));
    jw_value(w, "no_reference", cJSON_CreateBool(a->no_reference));
    jw_value(w, "cooc_pruned", cJSON_CreateBool(a->cooc_pruned));
    jw_table(w, "sources", a, a->n_sources, row_source);
    jw_value(w, "frames", string_array(a->frames, a->n_frames));
    jw_value(w, "focus", string_array(a->focus, a->n_focus));
    jw_table(w, "findings", a, a->n_findings, row_finding);
    jw_table(w, "terms", a, a->n_terms, row_term);
    jw_table(w, "keyness", a, a->n_keyness, row_keyness);
    jw_table(w, "cooccurrence", a, a->n_colloc, row_colloc);
    jw_table(w, "frame_rates", a, a->n_frame_rows, row_frame);
    jw_value(w, "frames_test", chisq_json(&a->frames_test));
    jw_table(w, "similarity", a, a->n_similarity, row_similarity);
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

/* ========================================= all ========================================= */

fs_status fs_export_write(const fs_analysis *a, const char *dir, fs_error *err)
{
    static const struct {
        const char *name;
        csv_writer fn;
    } files[] = {
        {"sources.csv", write_sources},       {"terms.csv", write_terms},
        {"documents.csv", write_documents},   {"keyness.csv", write_keyness},
        {"cooccurrence.csv", write_cooccurrence}, {"frames.csv", write_frames},
        {"similarity.csv", write_similarity}, {"ca.csv", write_ca},
    };
    fs_status st = fs_mkdir_p(dir, err);
    for (size_t i = 0; st == FS_OK && i < sizeof files / sizeof files[0]; i++)
        st = write_csv(a, dir, files[i].name, files[i].fn, err);
    if (st != FS_OK)
        return st;
    char *path = fs_path_join(dir, "stats.json");
    if (!path)
        return fs_error_set(err, FS_ERR_NOMEM, dir, "out of memory");
    st = fs_export_stats_json(a, path, err);
    free(path);
    return st;
}
