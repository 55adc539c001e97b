/* export_internal.h: what the export files share: the output buffer and number formatting
 * (export_num.c), the column writers and the tables shared by CSV and stats.json (export.c),
 * the stats.json pieces (export_json.c) and the parallel file writer (export_run.c).
 *
 * Every table is described once, by a row function that names and writes each column of row i
 * through an export_sink. The same function writes a CSV record, the members of a JSON object,
 * or, in header mode, the CSV header line from the column names, so the CSV files and
 * stats.json cannot drift apart. In header mode a row function reads an all-zero row, never
 * the analysis' arrays (which may be empty).
 *
 * Output is formatted into memory (export_buf) a chunk of rows at a time, by several threads at
 * once, and each chunk is appended to its file in row order (export_run), so the bytes written
 * never depend on the thread count.
 */
#ifndef FRAMESCOPE_EXPORT_INTERNAL_H
#define FRAMESCOPE_EXPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "framescope/analysis.h"
#include "framescope/error.h"

/* ================================ buffer and numbers (export_num.c) ================================ */

/** A growable byte buffer. An allocation failure sets `failed`; later writes are dropped. */
typedef struct export_buf {
    char *p;
    size_t len, cap;
    bool failed;
} export_buf;

/** Makes room for `n` more bytes; false (and `failed` set) when memory runs out. */
bool export_buf_grow(export_buf *b, size_t n);
void export_buf_free(export_buf *b);

/** Room for `n` more bytes at b->p + b->len, or NULL (failed). */
static inline char *export_buf_room(export_buf *b, size_t n)
{
    if (b->cap - b->len < n && !export_buf_grow(b, n))
        return NULL;
    return b->p + b->len;
}

static inline void export_buf_put(export_buf *b, const char *s, size_t n)
{
    char *d = export_buf_room(b, n);
    if (d) {
        memcpy(d, s, n);
        b->len += n;
    }
}

enum {
    EXPORT_U64_MAX = 20,  /* digits of UINT64_MAX */
    EXPORT_NUM_MAX = 32,  /* longest %.17g: "-1.2345678901234567e-308" is 24 */
};

/** Writes v in decimal (as "%" PRIu64 would) to out, without a terminator; returns the length. */
size_t export_fmt_u64(uint64_t v, char *out);

/** Writes a finite v exactly as printf's "%.17g" would (so strtod gives v back), without a
 *  terminator, and returns the length; returns 0 and writes nothing when v is NAN or infinite.
 *  The digits come from a 128-bit scaled product; the rare case too close to a rounding tie to
 *  decide from it is handed to snprintf. */
size_t export_fmt_double(double v, char *out);

/* ====================================== rows (export.c) ====================================== */

typedef enum export_mode {
    EXPORT_HEADER, /* CSV header: each column writes its name into `csv` */
    EXPORT_ROW,    /* one row: a CSV record into `csv` and/or JSON members into `json` */
} export_mode;

/* A row is written to a CSV buffer, a JSON buffer or both at once (terms, keyness and
 * cooccurrence go to their CSV file and to stats.json in one pass, each number formatted once).
 * The CSV record has no line end and the JSON members no braces: the caller frames them. */
typedef struct export_sink {
    export_mode mode;
    export_buf *csv;  /* NULL: no CSV */
    export_buf *json; /* NULL: no JSON (always NULL in header mode) */
    int col;          /* fields written so far in this record */
} export_sink;

/* Describes row i of one table (any i in header mode). */
typedef void (*export_row_fn)(const fs_analysis *a, size_t i, export_sink *s);

/* Column writers. CSV quotes strings as RFC 4180 asks and writes NULL as an empty field; JSON
 * escapes strings as cJSON does and writes NULL as null. Numbers use export_fmt_double; those
 * that are not finite are empty in CSV and null in JSON. Booleans are 1/0 in CSV. */
void export_str_(export_sink *s, const char *name, size_t len, const char *v);
void export_uint_(export_sink *s, const char *name, size_t len, uint64_t v);
void export_num_(export_sink *s, const char *name, size_t len, double v);
void export_bool_(export_sink *s, const char *name, size_t len, bool v);
/* YYYY-MM-DD, or NULL (empty/null) when d.year is 0. */
void export_date_(export_sink *s, const char *name, size_t len, fs_date d);

/* Column names are string literals ("" name rejects anything else), measured at compile time. */
#define export_str(s, name, v) export_str_((s), "" name, sizeof(name) - 1, (v))
#define export_uint(s, name, v) export_uint_((s), "" name, sizeof(name) - 1, (v))
#define export_num(s, name, v) export_num_((s), "" name, sizeof(name) - 1, (v))
#define export_bool(s, name, v) export_bool_((s), "" name, sizeof(name) - 1, (v))
#define export_date(s, name, v) export_date_((s), "" name, sizeof(name) - 1, (v))

/* A JSON string value (quoted and escaped; NULL writes ""), and a JSON number value (null when
 * not finite), for the stats.json pieces that are not rows. */
void export_json_string(export_buf *b, const char *v);
void export_json_number(export_buf *b, double v);

/* The source id of source s, "" when out of range. */
const char *export_source_id(const fs_analysis *a, size_t s);

/* Tables written identically to CSV and stats.json. */
void export_row_term(const fs_analysis *a, size_t i, export_sink *s);
void export_row_keyness(const fs_analysis *a, size_t i, export_sink *s);
void export_row_colloc(const fs_analysis *a, size_t i, export_sink *s);
void export_row_frame(const fs_analysis *a, size_t i, export_sink *s);
void export_row_similarity(const fs_analysis *a, size_t i, export_sink *s);

/* ============================ files in pieces (export_run.c, export_json.c) ============================ */

typedef struct export_part export_part;

/* Appends rows [begin, end) of part p (and whatever comes before row 0 when begin is 0, and
 * after the last row when end is p->n) to the part's CSV buffer and/or JSON buffer (NULL when
 * the part has no such file). */
typedef void (*export_emit_fn)(const fs_analysis *a, const export_part *p, size_t begin,
                               size_t end, export_buf *csv, export_buf *json);

#define EXPORT_NO_FILE ((size_t)-1)

/** A run of bytes of one CSV file, of stats.json, or of both (a table that goes to both). The
 *  parts of a file are written in the order they are listed. */
struct export_part {
    size_t csv_file;     /* index into the run's paths, or EXPORT_NO_FILE */
    size_t json_file;    /* index into the run's paths, or EXPORT_NO_FILE */
    size_t n;            /* rows; emitted in chunks. 0: emitted once with begin = end = 0 */
    export_emit_fn emit;
    export_row_fn row;   /* for emit's use */
    const char *key;     /* for emit's use (the JSON key of a table) */
};

/** Rows [begin, end) of a CSV table with its header line before row 0 (export.c). */
void export_csv_emit(const fs_analysis *a, const export_part *p, size_t begin, size_t end,
                     export_buf *csv, export_buf *json);

/** The parts of stats.json, file number `json_file`, into parts[0..EXPORT_JSON_PARTS). Its
 *  head comes first and its tail last; the three large tables (terms, keyness, cooccurrence)
 *  also write CSV files csv_files[0..3) when csv_files is not NULL. */
enum { EXPORT_JSON_PARTS = 5 };
void export_json_parts(const fs_analysis *a, size_t json_file, const size_t *csv_files,
                       export_part *parts);

/** Writes every file of `paths` (each atomically, fs_outfile) from its parts, formatting
 *  chunks of rows on several threads. Every file must have a part. On failure, reports the
 *  first failing file in `paths` order; files that failed are not created. */
fs_status export_run(const fs_analysis *a, const char *const *paths, size_t n_files,
                     const export_part *parts, size_t n_parts, fs_error *err);

#endif
