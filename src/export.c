/* export.c: the column writers and table rows shared with stats.json (export_internal.h), the
 * CSV files (RFC 4180 quoting) and fs_export_write. stats.json is written by export_json.c.
 *
 * Conventions shared by every file: source columns hold the source id; numbers are written with
 * %.17g so they read back to the same double, integers as integers, and an undefined value (NAN,
 * or an infinity) as an empty field in CSV and null in JSON. CSV records end in CRLF, as RFC 4180
 * asks. Each file is written to a temporary file and renamed into place (fs_outfile), so a
 * reader never sees half a table.
 */
#include "framescope/export.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "export_internal.h"
#include "framescope/fileio.h"

/* ====================================== column writers ====================================== */

static void csv_sep(export_sink *s)
{
    if (s->col++ > 0)
        fputc(',', s->fp);
}

/* In header mode a column writes its name (names are plain identifiers) instead of a value;
 * returns whether it did. */
static bool header(export_sink *s, const char *name)
{
    if (s->mode != EXPORT_HEADER)
        return false;
    csv_sep(s);
    fputs(name, s->fp);
    return true;
}

/* A CSV field is quoted when it holds a separator, a quote or a line break; quotes are doubled. */
void export_str(export_sink *s, const char *name, const char *v)
{
    if (header(s, name))
        return;
    if (s->mode == EXPORT_JSON) {
        if (v)
            cJSON_AddStringToObject(s->obj, name, v);
        else
            cJSON_AddNullToObject(s->obj, name);
        return;
    }
    csv_sep(s);
    if (!v)
        return;
    if (!strpbrk(v, ",\"\r\n")) {
        fputs(v, s->fp);
        return;
    }
    fputc('"', s->fp);
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            fputc('"', s->fp);
        fputc(*p, s->fp);
    }
    fputc('"', s->fp);
}

void export_uint(export_sink *s, const char *name, uint64_t v)
{
    if (header(s, name))
        return;
    if (s->mode == EXPORT_JSON) {
        cJSON_AddNumberToObject(s->obj, name, (double)v);
        return;
    }
    csv_sep(s);
    fprintf(s->fp, "%" PRIu64, v);
}

/* cJSON writes NAN and infinities as null. */
void export_num(export_sink *s, const char *name, double v)
{
    if (header(s, name))
        return;
    if (s->mode == EXPORT_JSON) {
        cJSON_AddNumberToObject(s->obj, name, v);
        return;
    }
    csv_sep(s);
    if (isfinite(v))
        fprintf(s->fp, "%.17g", v);
}

void export_bool(export_sink *s, const char *name, bool v)
{
    if (s->mode == EXPORT_JSON)
        cJSON_AddBoolToObject(s->obj, name, v);
    else
        export_uint(s, name, v ? 1 : 0);
}

void export_date(export_sink *s, const char *name, fs_date d)
{
    char buf[16];
    if (d.year != 0)
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year % 10000, d.month % 100, d.day % 100);
    export_str(s, name, d.year != 0 ? buf : NULL);
}

const char *export_source_id(const fs_analysis *a, size_t s)
{
    return s < a->n_sources && a->sources[s].id ? a->sources[s].id : "";
}

/* ================================ rows shared with stats.json ================================ */

void export_row_term(const fs_analysis *a, size_t i, export_sink *s)
{
    static const fs_term_row zero;
    const fs_term_row *r = s->mode == EXPORT_HEADER ? &zero : &a->terms[i];
    export_str(s, "source", export_source_id(a, r->source));
    export_str(s, "term", r->term);
    export_uint(s, "count", r->count);
    export_num(s, "per_10k", r->per_10k);
    export_uint(s, "docs", r->docs);
    export_num(s, "dp", r->dp);
}

void export_row_keyness(const fs_analysis *a, size_t i, export_sink *s)
{
    static const fs_keyness_row zero;
    const fs_keyness_row *r = s->mode == EXPORT_HEADER ? &zero : &a->keyness[i];
    export_str(s, "source", export_source_id(a, r->source));
    export_str(s, "term", r->term);
    export_uint(s, "count", r->count);
    export_uint(s, "ref_count", r->ref_count);
    export_uint(s, "source_tokens", r->source_tokens);
    export_uint(s, "ref_tokens", r->ref_tokens);
    export_num(s, "g2", r->g2);
    export_num(s, "p", r->p);
    export_num(s, "q", r->q);
    export_num(s, "log_ratio", r->log_ratio);
    export_num(s, "lrc", r->lrc);
    export_num(s, "logodds_z", r->logodds_z);
}

void export_row_colloc(const fs_analysis *a, size_t i, export_sink *s)
{
    static const fs_colloc_row zero;
    const fs_colloc_row *r = s->mode == EXPORT_HEADER ? &zero : &a->colloc[i];
    export_str(s, "source", export_source_id(a, r->source));
    export_str(s, "term_a", r->term_a);
    export_str(s, "term_b", r->term_b);
    export_uint(s, "count", r->count);
    export_uint(s, "count_a", r->count_a);
    export_uint(s, "count_b", r->count_b);
    export_num(s, "pmi", r->pmi);
    export_num(s, "log_dice", r->log_dice);
    export_bool(s, "focus", r->focus);
}

void export_row_frame(const fs_analysis *a, size_t i, export_sink *s)
{
    static const fs_frame_row zero;
    const fs_frame_row *r = s->mode == EXPORT_HEADER ? &zero : &a->frame_rows[i];
    export_str(s, "frame", r->frame < a->n_frames ? a->frames[r->frame] : "");
    export_str(s, "source", export_source_id(a, r->source));
    export_uint(s, "hits", r->hits);
    export_uint(s, "tokens", r->tokens);
    export_num(s, "rate_per_1k", r->rate_per_1k);
    export_num(s, "ci_low", r->ci_low);
    export_num(s, "ci_high", r->ci_high);
    export_num(s, "std_residual", r->std_residual);
}

void export_row_similarity(const fs_analysis *a, size_t i, export_sink *s)
{
    static const fs_similarity_row zero;
    const fs_similarity_row *r = s->mode == EXPORT_HEADER ? &zero : &a->similarity[i];
    export_str(s, "source_a", export_source_id(a, r->a));
    export_str(s, "source_b", export_source_id(a, r->b));
    export_num(s, "cosine", r->cosine);
    export_num(s, "jsd", r->jsd);
}

/* ======================================== CSV-only rows ======================================== */

/* stats.json has its own, longer source rows (export_json.c). */
static void csv_row_source(const fs_analysis *a, size_t i, export_sink *s)
{
    static const fs_source_summary zero;
    const fs_source_summary *r = s->mode == EXPORT_HEADER ? &zero : &a->sources[i];
    export_str(s, "source", r->id);
    export_str(s, "label", r->label);
    export_uint(s, "documents", r->docs);
    export_uint(s, "tokens", r->tokens);
    export_uint(s, "types", r->types);
    export_uint(s, "content_tokens", r->content_tokens);
    export_uint(s, "duplicates", r->duplicates);
    export_uint(s, "chars_raw", r->chars_raw);
    export_uint(s, "chars_clean", r->chars_clean);
    export_num(s, "removed_share", r->removed_share);
}

static void csv_row_document(const fs_analysis *a, size_t i, export_sink *s)
{
    static const fs_doc_row zero;
    const fs_doc_row *r = s->mode == EXPORT_HEADER ? &zero : &a->docs[i];
    export_str(s, "doc_id", r->doc_id);
    export_str(s, "path", r->path);
    export_str(s, "source", export_source_id(a, r->source));
    export_str(s, "outlet", r->outlet);
    export_date(s, "date", r->date);
    export_str(s, "title", r->title);
    export_str(s, "sha256", r->sha256);
    export_uint(s, "chars_raw", r->chars_raw);
    export_uint(s, "chars_clean", r->chars_clean);
    export_str(s, "duplicate_of", r->duplicate_of);
}

/* Source points are labelled with the source id like every other source column; the label a
 * chart shows is in sources.csv. stats.json gives both (export_json.c). */
static void csv_row_ca(const fs_analysis *a, size_t i, export_sink *s)
{
    static const fs_ca_point zero;
    const fs_ca_point *r = s->mode == EXPORT_HEADER ? &zero : &a->ca[i];
    export_str(s, "kind", r->is_source ? "source" : "term");
    export_str(s, "label", r->is_source ? export_source_id(a, r->source) : r->label);
    export_num(s, "dim1", r->dim1);
    export_num(s, "dim2", r->dim2);
}

/* ========================================= CSV files ========================================= */

static void csv_end(export_sink *s)
{
    fputs("\r\n", s->fp);
    s->col = 0;
}

static fs_status write_csv(const fs_analysis *a, const char *dir, const char *name, size_t n,
                           export_row_fn row, fs_error *err)
{
    char *path = fs_path_join(dir, name);
    if (!path)
        return fs_error_set(err, FS_ERR_NOMEM, name, "out of memory");
    fs_outfile f;
    fs_status st = fs_outfile_open(&f, path, err);
    if (st == FS_OK) {
        export_sink s = {EXPORT_HEADER, f.fp, 0, NULL};
        row(a, 0, &s);
        csv_end(&s);
        s.mode = EXPORT_CSV;
        for (size_t i = 0; i < n; i++) {
            row(a, i, &s);
            csv_end(&s);
        }
        st = fs_outfile_commit(&f, err);
    }
    free(path);
    return st;
}

fs_status fs_export_write(const fs_analysis *a, const char *dir, fs_error *err)
{
    const struct {
        const char *name;
        size_t n;
        export_row_fn row;
    } files[] = {
        {"sources.csv", a->n_sources, csv_row_source},
        {"terms.csv", a->n_terms, export_row_term},
        {"documents.csv", a->n_docs, csv_row_document},
        {"keyness.csv", a->n_keyness, export_row_keyness},
        {"cooccurrence.csv", a->n_colloc, export_row_colloc},
        {"frames.csv", a->n_frame_rows, export_row_frame},
        {"similarity.csv", a->n_similarity, export_row_similarity},
        {"ca.csv", a->n_ca, csv_row_ca},
    };
    fs_status st = fs_mkdir_p(dir, err);
    for (size_t i = 0; st == FS_OK && i < sizeof files / sizeof files[0]; i++)
        st = write_csv(a, dir, files[i].name, files[i].n, files[i].row, err);
    if (st != FS_OK)
        return st;
    char *path = fs_path_join(dir, "stats.json");
    if (!path)
        return fs_error_set(err, FS_ERR_NOMEM, dir, "out of memory");
    st = fs_export_stats_json(a, path, err);
    free(path);
    return st;
}
