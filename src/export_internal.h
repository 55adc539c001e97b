/* export_internal.h: what the CSV writer (export.c) and the stats.json writer (export_json.c)
 * share.
 *
 * Every table is described once, by a row function that names and writes each column of row i
 * through an export_sink. The same function writes a CSV record, fills a cJSON row object, or,
 * in header mode, writes the CSV header line from the column names, so the CSV files and
 * stats.json cannot drift apart. In header mode a row function reads an all-zero row, never
 * the analysis' arrays (which may be empty).
 */
#ifndef FRAMESCOPE_EXPORT_INTERNAL_H
#define FRAMESCOPE_EXPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cJSON.h>

#include "framescope/analysis.h"

typedef enum export_mode {
    EXPORT_HEADER, /* CSV header: each column writes its name */
    EXPORT_CSV,    /* one CSV record */
    EXPORT_JSON,   /* members of one cJSON object */
} export_mode;

typedef struct export_sink {
    export_mode mode;
    FILE *fp;    /* header and CSV */
    int col;     /* header and CSV: fields written on the current line */
    cJSON *obj;  /* JSON: the object being filled (not owned) */
} export_sink;

/* Describes row i of one table (any i in header mode). */
typedef void (*export_row_fn)(const fs_analysis *a, size_t i, export_sink *s);

/* Column writers. CSV quotes strings as RFC 4180 asks and writes NULL as an empty field; JSON
 * writes NULL as null. Numbers that are not finite are empty in CSV and null in JSON (cJSON).
 * Booleans are 1/0 in CSV. cJSON allocation failures are not reported here: the row is then
 * incomplete and the JSON writer's print of it fails. */
void export_str(export_sink *s, const char *name, const char *v);
void export_uint(export_sink *s, const char *name, uint64_t v);
void export_num(export_sink *s, const char *name, double v);
void export_bool(export_sink *s, const char *name, bool v);
/* YYYY-MM-DD, or NULL (empty/null) when d.year is 0. */
void export_date(export_sink *s, const char *name, fs_date d);

/* The source id of source s, "" when out of range. */
const char *export_source_id(const fs_analysis *a, size_t s);

/* Tables written identically to CSV and stats.json. */
void export_row_term(const fs_analysis *a, size_t i, export_sink *s);
void export_row_keyness(const fs_analysis *a, size_t i, export_sink *s);
void export_row_colloc(const fs_analysis *a, size_t i, export_sink *s);
void export_row_frame(const fs_analysis *a, size_t i, export_sink *s);
void export_row_similarity(const fs_analysis *a, size_t i, export_sink *s);

#endif
