/**
 * corpus.h: inputs → documents. Expands each source's inputs (files, folders recursively in
 * sorted order, glob patterns), reads plain text (.txt) and JSON Lines (.jsonl, one article per
 * line, field names per source), repairs invalid UTF-8 (replaced by U+FFFD, counted and logged
 * with file and byte offset), normalizes to NFC (utf8proc), skips binary files (NUL bytes), empty
 * files and files above cfg->clean.max_file_mb with a warning, drops a leading byte-order mark,
 * and extracts metadata (title, date, author, outlet, url) with per-source PCRE2 rules
 * and config fallbacks.
 *
 * Ownership: fs_corpus_load returns an owned fs_corpus; documents and their strings belong to it.
 * Document order is deterministic: sources in config order, then files in sorted path order,
 * then JSONL lines in file order.
 *
 * Threads: documents are read on ctx->threads threads (batches of plain-text files, or of a JSONL
 * file's lines), and taken in the order above: the corpus, the counters and the log lines (same
 * texts, same order) do not depend on the thread count. Texts go to the corpus's spool and leave
 * the resident set batch by batch, so reading a large corpus holds little more than its metadata.
 */
#ifndef FRAMESCOPE_CORPUS_H
#define FRAMESCOPE_CORPUS_H

#include <stddef.h>
#include "framescope/config.h"
#include "framescope/ctx.h"
#include "framescope/error.h"
#include "framescope/spool.h"

typedef struct fs_doc {
    char *id;            /* file name without extension; JSONL: "<file name>:<line>" */
    char *path;          /* file path as opened */
    size_t line;         /* JSONL line number (1-based); 0 for plain text */
    size_t source;       /* index into cfg->sources */
    char *title;         /* NULL when unknown */
    char *author;
    char *outlet;        /* who published the page (from a rule or the source's fallback) */
    char *url;
    fs_date date;        /* all 0 when unknown */
    char *text;          /* valid UTF-8, NFC, NUL-terminated: the document as captured */
    size_t len;          /* bytes in text */
    size_t chars_raw;    /* code points in text */
    size_t invalid_bytes;/* input bytes replaced by U+FFFD */
    char sha256[65];     /* hex SHA-256 of the bytes as read (file, or the JSONL text field) */
} fs_doc;

typedef struct fs_corpus {
    fs_doc *docs;
    size_t n_docs;
    fs_spool *spool;       /* owns every docs[i].text when not NULL (texts are then never freed
                              one by one; stages evict them instead); NULL: each text is a heap
                              block of its own */
    size_t skipped_lines;  /* malformed JSONL lines (each logged as FILE:LINE: reason) */
    size_t skipped_files;  /* binary, empty, oversized or unreadable files (each logged) */
    size_t invalid_bytes;  /* total replaced bytes */
    size_t undated;        /* documents without a date */
} fs_corpus;

/** Loads every source's inputs. FS_ERR_INPUT when nothing could be read at all. */
fs_status fs_corpus_load(const fs_config *cfg, const fs_ctx *ctx, fs_corpus **out, fs_error *err);
void fs_corpus_free(fs_corpus *corpus);

#endif
