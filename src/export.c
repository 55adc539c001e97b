/* export.c: the column writers and table rows shared with stats.json (export_internal.h), the
 * CSV files (RFC 4180 quoting) and fs_export_write. stats.json is written by export_json.c.
 *
 * Conventions shared by every file: source columns hold the source id; numbers are written as
 * %.17g writes them (export_fmt_double) so they read back to the same double, integers as
 * integers, and an undefined value (NAN, or an infinity) as an empty field in CSV and null in
 * JSON. CSV records end in CRLF, as RFC 4180 asks. Each file is written to a temporary file and
 * renamed into place (fs_outfile, via export_run), so a reader never sees half a table.
 */
#include "framescope/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_internal.h"
#include "framescope/fileio.h"

/* ====================================== column writers ====================================== */

/* Bytes a CSV field must quote (RFC 4180) and a JSON string must escape (as cJSON does). */
static bool csv_special(unsigned char c)
{
    return c == ',' || c == '"' || c == '\r' || c == '\n';
}

static bool json_special(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

/* Starts a field: the CSV separator, and the JSON separator and member name. In header mode a
 * column writes its name (names are plain identifiers) instead; returns false then. */
static bool field(export_sink *s, const char *name, size_t n)
{
    bool first = s->col++ == 0;
    if (s->csv && !first)
        export_buf_put(s->csv, ",", 1);
    if (s->mode == EXPORT_HEADER) {
        export_buf_put(s->csv, name, n);
        return false;
    }
    if (s->json) {
        char *d = export_buf_room(s->json, n + 4);
        if (!d)
            return true;
        if (!first)
            *d++ = ',';
        *d++ = '"';
        memcpy(d, name, n);
        d += n;
        *d++ = '"';
        *d++ = ':';
        s->json->len = (size_t)(d - s->json->p);
    }
    return true;
}

void export_json_string(export_buf *b, const char *v)
{
    static const char hex[] = "0123456789abcdef";
    if (!v)
        v = "";
    size_t n = strlen(v);
    char *d = export_buf_room(b, n + 2);
    if (!d)
        return;
    *d++ = '"';
    const unsigned char *p = (const unsigned char *)v;
    size_t i = 0;
    while (i < n && !json_special(p[i]))
        i++;
    memcpy(d, v, i);
    b->len = (size_t)(d - b->p) + i;
    for (; i < n; i++) {
        unsigned char c = p[i];
        if (!json_special(c)) {
            export_buf_put(b, (const char *)&p[i], 1);
            continue;
        }
        char esc[6] = {'\\', 0};
        size_t len = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            len = 6;
        }
        export_buf_put(b, esc, len);
    }
    export_buf_put(b, "\"", 1);
}

/* A CSV field is quoted when it holds a separator, a quote or a line break; quotes are doubled. */
static void csv_string(export_buf *b, const char *v)
{
    const unsigned char *p = (const unsigned char *)v;
    size_t n = 0;
    while (p[n] && !csv_special(p[n]))
        n++;
    if (!p[n]) {
        export_buf_put(b, v, n);
        return;
    }
    n += strlen(v + n);
    char *d = export_buf_room(b, 2 * n + 2);
    if (!d)
        return;
    *d++ = '"';
    for (size_t i = 0; i < n; i++) {
        if (v[i] == '"')
            *d++ = '"';
        *d++ = v[i];
    }
    *d++ = '"';
    b->len = (size_t)(d - b->p);
}

void export_str_(export_sink *s, const char *name, size_t len, const char *v)
{
    if (!field(s, name, len))
        return;
    if (s->csv && v)
        csv_string(s->csv, v);
    if (s->json) {
        if (v)
            export_json_string(s->json, v);
        else
            export_buf_put(s->json, "null", 4);
    }
}

void export_uint_(export_sink *s, const char *name, size_t len, uint64_t v)
{
    if (!field(s, name, len))
        return;
    char tmp[EXPORT_U64_MAX];
    size_t n = export_fmt_u64(v, tmp);
    if (s->csv)
        export_buf_put(s->csv, tmp, n);
    if (s->json)
        export_buf_put(s->json, tmp, n);
}

void export_json_number(export_buf *b, double v)
{
    char *d = export_buf_room(b, EXPORT_NUM_MAX);
    if (!d)
        return;
    size_t n = export_fmt_double(v, d);
    if (n == 0) {
        memcpy(d, "null", 4);
        n = 4;
    }
    b->len += n;
}

/* Not finite: an empty CSV field, null in JSON. Formatted once for both. */
void export_num_(export_sink *s, const char *name, size_t len, double v)
{
    if (!field(s, name, len))
        return;
    if (!s->csv) {
        export_json_number(s->json, v);
        return;
    }
    char *d = export_buf_room(s->csv, EXPORT_NUM_MAX);
    if (!d)
        return;
    size_t n = export_fmt_double(v, d);
    s->csv->len += n;
    if (s->json) {
        if (n)
            export_buf_put(s->json, d, n);
        else
            export_buf_put(s->json, "null", 4);
    }
}

void export_bool_(export_sink *s, const char *name, size_t len, bool v)
{
    if (!field(s, name, len))
        return;
    if (s->csv)
        export_buf_put(s->csv, v ? "1" : "0", 1);
    if (s->json)
        export_buf_put(s->json, v ? "true" : "false", v ? 4 : 5);
}

void export_date_(export_sink *s, const char *name, size_t len, fs_date d)
{
    char buf[16];
    if (d.year != 0)
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year % 10000, d.month % 100, d.day % 100);
    export_str_(s, name, len, d.year != 0 ? buf : NULL);
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
    /* Rows are not held (analysis.h): each is made from the pair as it is written. */
    fs_colloc_row row = {0};
    if (s->mode != EXPORT_HEADER)
        fs_cooc_row(a, i, &row);
    const fs_colloc_row *r = &row;
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
    /* After the fixed columns: whether it was counted, its word tokens, and every boilerplate
     * removal as rule=characters pairs, so the cleaning can be audited per document. */
    export_bool(s, "counted", r->counted);
    export_uint(s, "tokens", r->tokens);
    export_str(s, "removals", r->removals);
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

/* The header line before row 0, then rows [begin, end), each ending in CRLF. */
void export_csv_emit(const fs_analysis *a, const export_part *p, size_t begin, size_t end,
                     export_buf *csv, export_buf *json)
{
    (void)json;
    export_sink s = {EXPORT_HEADER, csv, NULL, 0};
    if (begin == 0) {
        p->row(a, 0, &s);
        export_buf_put(csv, "\r\n", 2);
    }
    s.mode = EXPORT_ROW;
    for (size_t i = begin; i < end && !csv->failed; i++) {
        s.col = 0;
        p->row(a, i, &s);
        export_buf_put(csv, "\r\n", 2);
    }
}

fs_status fs_export_write(const fs_analysis *a, const char *dir, fs_error *err)
{
    const struct {
        const char *name;
        size_t n;
        export_row_fn row;
    } csv[] = {
        {"sources.csv", a->n_sources, csv_row_source},
        {"terms.csv", a->n_terms, export_row_term},
        {"documents.csv", a->n_docs, csv_row_document},
        {"keyness.csv", a->n_keyness, export_row_keyness},
        {"cooccurrence.csv", a->cooc.n_rows, export_row_colloc},
        {"frames.csv", a->n_frame_rows, export_row_frame},
        {"similarity.csv", a->n_similarity, export_row_similarity},
        {"ca.csv", a->n_ca, csv_row_ca},
    };
    enum { N_CSV = sizeof csv / sizeof csv[0], N_FILES = N_CSV + 1, JSON = N_CSV };
    /* terms, keyness and cooccurrence are written by stats.json's parts, rows to both files. */
    static const size_t shared[3] = {1, 3, 4};
    char *paths[N_FILES] = {0};
    export_part parts[N_CSV - 3 + EXPORT_JSON_PARTS];
    fs_status st = fs_mkdir_p(dir, err);
    if (st != FS_OK)
        return st;
    for (size_t f = 0; f < N_FILES; f++) {
        paths[f] = fs_path_join(dir, f < N_CSV ? csv[f].name : "stats.json");
        if (!paths[f]) {
            st = fs_error_set(err, FS_ERR_NOMEM, dir, "out of memory");
            goto done;
        }
    }
    size_t np = 0;
    for (size_t f = 0; f < N_CSV; f++)
        if (f != shared[0] && f != shared[1] && f != shared[2])
            parts[np++] = (export_part){f, EXPORT_NO_FILE, csv[f].n, export_csv_emit, csv[f].row,
                                        NULL};
    export_json_parts(a, JSON, shared, parts + np);
    np += EXPORT_JSON_PARTS;
    st = export_run(a, (const char *const *)paths, N_FILES, parts, np, err);
done:
    for (size_t f = 0; f < N_FILES; f++)
        free(paths[f]);
    return st;
}
