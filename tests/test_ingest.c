/* test_ingest.c: the parallel reader against itself on one thread and against what the test's
 * generator knows (the UTF-8 fast paths are tested in test_base.c).
 *  - A generated JSONL file (more lines than one batch; malformed, blank, invalid-UTF-8,
 *    non-NFC and badly dated lines at known places) and 300 plain-text files (more than one
 *    batch) are read with 1, 2 and 3 threads: the documents, counters and the whole log must be
 *    identical, and equal to the values the generator knows; a regex failure must name the first
 *    failing document for any thread count; the spool's pages must have left the resident set.
 * Run from the repository root (tests/run.sh does). */
#include "testutil.h"

#include <dirent.h>
#include <unistd.h>

#include "corpus_internal.h"
#include "framescope/config.h"
#include "framescope/corpus.h"
#include "framescope/sha256.h"
#include "framescope/utf8.h"

/* Code points: bytes that are not continuation bytes (10xxxxxx), one at a time. */
static size_t ref_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* ---- ingest ------------------------------------------------------------------------------- */

typedef struct biglog {
    char *buf;
    size_t len, cap;
} biglog;

static void big_log(void *user, fs_log_level level, const char *msg)
{
    biglog *b = user;
    size_t need = strlen(msg) + 4;
    if (b->len + need >= b->cap) {
        b->cap = (b->cap + need) * 2;
        b->buf = realloc(b->buf, b->cap);
        assert_non_null(b->buf);
    }
    b->len += (size_t)snprintf(b->buf + b->len, b->cap - b->len, "%d %s\n", (int)level, msg);
}

static char tmpdir[64];

static int make_tmp(void **state)
{
    (void)state;
    return tu_make_temp_dir(tmpdir, sizeof tmpdir, "ingest");
}

static int remove_tmp(void **state)
{
    (void)state;
    return tu_remove_tree(tmpdir);
}

static char *path_in_tmp(const char *name)
{
    size_t n = strlen(tmpdir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", tmpdir, name);
    return p;
}

#define JSONL_LINES 5000

/* Line k (1-based) of the generated feed: every 7th blank, every 11th malformed, every 13th with
 * an ill-formed byte, every 17th non-NFC (e + combining acute), every 19th with a date that does
 * not exist. Returns the expected text of the document, or NULL when the line yields none. */
static const char *feed_line(size_t k, char *line, size_t cap, char *text, size_t tcap)
{
    if (k % 7 == 0) {
        snprintf(line, cap, "   ");
        return NULL;
    }
    if (k % 11 == 0) {
        snprintf(line, cap, "{\"text\": \"broken %zu\"", k);
        return NULL;
    }
    const char *accent = k % 17 == 0 ? "e\xCC\x81" : "";
    const char *bad = k % 13 == 0 ? "\xFF" : "";
    const char *date = k % 19 == 0 ? "2025-02-30" : "2025-03-01";
    snprintf(line, cap, "{\"title\": \"T%zu\", \"date\": \"%s\", \"text\": \"Doc %zu caf%s%s "
             "about the alliance and its talks, %zu.\"}", k, date, k, accent, bad, k * 7);
    snprintf(text, tcap, "Doc %zu caf%s%s about the alliance and its talks, %zu.", k,
             k % 17 == 0 ? "\xC3\xA9" : "", k % 13 == 0 ? "\xEF\xBF\xBD" : "", k * 7);
    return text;
}

static char *write_feed(void)
{
    char *p = path_in_tmp("feed.jsonl");
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    char line[256], text[256];
    for (size_t k = 1; k <= JSONL_LINES; k++) {
        feed_line(k, line, sizeof line, text, sizeof text);
        fprintf(f, "%s\n", line);
    }
    fclose(f);
    return p;
}

static void write_text_files(size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char name[64], body[128];
        snprintf(name, sizeof name, "t%03zu.txt", i);
        /* every 50th empty (skipped), every 30th with a combining mark */
        if (i % 50 == 0)
            snprintf(body, sizeof body, "  \n");
        else
            snprintf(body, sizeof body, "Plain file %zu%s.\n", i, i % 30 == 0 ? "a\xCC\x8A" : "");
        char *p = tu_write_temp(tmpdir, name, body);
        assert_non_null(p);
        free(p);
    }
}

/* Points a test source at its inputs (one path). */
static void source_inputs(fs_source_cfg *src, char **inputs)
{
    src->inputs = inputs;
    src->n_inputs = 1;
}

typedef struct loaded {
    fs_corpus *c;
    biglog log;
    fs_status st;
    fs_error err;
} loaded;

static void load_with(const fs_config *cfg, int threads, loaded *out)
{
    memset(out, 0, sizeof *out);
    fs_ctx ctx = {big_log, &out->log, FS_LOG_DEBUG, threads, NULL, NULL, NULL};
    out->st = fs_corpus_load(cfg, &ctx, &out->c, &out->err);
}

static void assert_same_corpus(const fs_corpus *a, const fs_corpus *b)
{
    assert_int_equal(a->n_docs, b->n_docs);
    assert_int_equal(a->skipped_lines, b->skipped_lines);
    assert_int_equal(a->skipped_files, b->skipped_files);
    assert_int_equal(a->invalid_bytes, b->invalid_bytes);
    assert_int_equal(a->undated, b->undated);
    for (size_t i = 0; i < a->n_docs; i++) {
        const fs_doc *x = &a->docs[i], *y = &b->docs[i];
        assert_string_equal(x->id, y->id);
        assert_string_equal(x->path, y->path);
        assert_int_equal(x->line, y->line);
        assert_int_equal(x->source, y->source);
        assert_int_equal(x->len, y->len);
        assert_memory_equal(x->text, y->text, x->len + 1);
        assert_int_equal(x->chars_raw, y->chars_raw);
        assert_int_equal(x->invalid_bytes, y->invalid_bytes);
        assert_string_equal(x->sha256, y->sha256);
        assert_int_equal(x->date.year, y->date.year);
        assert_int_equal(x->date.day, y->date.day);
        assert_true((x->title == NULL) == (y->title == NULL));
        if (x->title)
            assert_string_equal(x->title, y->title);
        assert_true((x->outlet == NULL) == (y->outlet == NULL));
        if (x->outlet)
            assert_string_equal(x->outlet, y->outlet);
    }
}

static void test_parallel_ingest_is_thread_independent(void **state)
{
    (void)state;
    char *feed = write_feed();
    write_text_files(300);
    char *glob_txt = path_in_tmp("t*.txt");
    fs_config cfg;
    fs_source_cfg src[2];
    tu_config_init(&cfg, src, 2);
    cfg.clean.max_file_mb = 64;
    char *in0[] = {feed}, *in1[] = {glob_txt};
    source_inputs(&src[0], in0);
    source_inputs(&src[1], in1);
    src[0].outlet = "Feed";
    loaded one, more[2];
    load_with(&cfg, 1, &one);
    assert_int_equal(one.st, FS_OK);
    /* What the generator says. */
    size_t docs = 0, skipped = 0, invalid = 0, undated = 0, k_doc = 0;
    char line[256], text[256];
    for (size_t k = 1; k <= JSONL_LINES; k++) {
        const char *t = feed_line(k, line, sizeof line, text, sizeof text);
        skipped += k % 7 != 0 && k % 11 == 0;
        if (!t)
            continue;
        const fs_doc *d = &one.c->docs[docs++];
        char id[32];
        snprintf(id, sizeof id, "feed.jsonl:%zu", k);
        assert_string_equal(d->id, id);
        assert_string_equal(d->text, t);
        assert_int_equal(d->chars_raw, ref_count(t, strlen(t)));
        invalid += k % 13 == 0;
        undated += k % 19 == 0;
        if (k == 17 * 3)
            k_doc = docs - 1;
    }
    /* The sha256 is of the text field as parsed (before NFC): line 51 has e + U+0301. */
    char expect[65], raw[128];
    snprintf(raw, sizeof raw, "Doc 51 cafe\xCC\x81 about the alliance and its talks, 357.");
    fs_sha256_hex(raw, strlen(raw), expect);
    assert_string_equal(one.c->docs[k_doc].sha256, expect);
    size_t files = 0;
    for (size_t i = 0; i < 300; i++) {
        if (i % 50 == 0)
            continue;
        const fs_doc *d = &one.c->docs[docs + files++];
        char id[16], t[64];
        snprintf(id, sizeof id, "t%03zu", i);
        snprintf(t, sizeof t, "Plain file %zu%s.\n", i, i % 30 == 0 ? "\xC3\xA5" : "");
        assert_string_equal(d->id, id);
        assert_string_equal(d->text, t);
        assert_string_equal(d->outlet ? d->outlet : "", "");
    }
    assert_int_equal(one.c->n_docs, docs + files);
    assert_int_equal(one.c->skipped_lines, skipped);
    assert_int_equal(one.c->skipped_files, 6);
    assert_int_equal(one.c->invalid_bytes, invalid);
    assert_int_equal(one.c->undated, undated + files); /* plain files have no date */
    /* The same corpus and the very same log on more threads. */
    for (int t = 0; t < 2; t++) {
        load_with(&cfg, t + 2, &more[t]);
        assert_int_equal(more[t].st, FS_OK);
        assert_same_corpus(one.c, more[t].c);
        assert_int_equal(more[t].log.len, one.log.len);
        assert_memory_equal(more[t].log.buf, one.log.buf, one.log.len);
        fs_corpus_free(more[t].c);
        free(more[t].log.buf);
    }
    /* Spot checks of the log order: line 11's complaint precedes line 13's. */
    const char *l11 = strstr(one.log.buf, "feed.jsonl:11: malformed JSON");
    const char *l13 = strstr(one.log.buf, "feed.jsonl:13: 1 invalid UTF-8 byte replaced");
    assert_non_null(l11);
    assert_non_null(l13);
    assert_true(l11 < l13);
    assert_non_null(strstr(one.log.buf, "feed.jsonl:19: date \"2025-02-30\" does not match"));
    fs_corpus_free(one.c);
    free(one.log.buf);
    free(feed);
    free(glob_txt);
}

/* A title rule that backtracks catastrophically on lines 30 and 40 only: the error names line 30
 * whatever the thread count, after the same log. */
static void test_first_failure_wins(void **state)
{
    (void)state;
    char *p = path_in_tmp("rx.jsonl");
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    for (int k = 1; k <= 64; k++) {
        if (k == 30 || k == 40)
            fprintf(f, "{\"text\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\", \"date\": \"x\"}\n");
        else if (k % 5 == 0)
            fprintf(f, "not json %d\n", k);
        else
            fprintf(f, "{\"text\": \"b%d\"}\n", k);
    }
    fclose(f);
    fs_config cfg;
    fs_source_cfg src[1];
    tu_config_init(&cfg, src, 1);
    char *in[] = {p};
    source_inputs(src, in);
    src->title_rule.pattern = "^(a+)+$";
    loaded r[3];
    for (int t = 0; t < 3; t++) {
        load_with(&cfg, t + 1, &r[t]);
        assert_int_equal(r[t].st, FS_ERR_REGEX);
        assert_non_null(strstr(r[t].err.where, "(document rx.jsonl:30)"));
        assert_null(r[t].c);
        if (t > 0) {
            assert_string_equal(r[t].err.where, r[0].err.where);
            assert_string_equal(r[t].err.msg, r[0].err.msg);
            assert_int_equal(r[t].log.len, r[0].log.len);
            assert_memory_equal(r[t].log.buf, r[0].log.buf, r[0].log.len);
        }
    }
    /* The lines before 30 were all logged (25 is malformed), none after it (35 is too). */
    assert_non_null(strstr(r[0].log.buf, "rx.jsonl:25: malformed JSON"));
    assert_null(strstr(r[0].log.buf, "rx.jsonl:35:"));
    for (int t = 0; t < 3; t++)
        free(r[t].log.buf);
    free(p);
}

/* Resident bytes of the mapping that holds `addr` (from /proc/self/smaps); -1 when unknown. */
static long rss_of_mapping(const void *addr)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f)
        return -1;
    char line[512];
    bool in = false;
    long kb = -1;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        /* A mapping's header starts "lo-hi "; its fields start with a name and a colon. */
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
            in = (uintptr_t)addr >= lo && (uintptr_t)addr < hi;
            continue;
        }
        if (in && sscanf(line, "Rss: %ld kB", &kb) == 1)
            break;
    }
    fclose(f);
    return kb;
}

static void test_ingest_evicts_the_spool(void **state)
{
    (void)state;
    /* 3000 lines of ~4 KB: 12 MB of text, more than one batch. */
    char *p = path_in_tmp("big.jsonl");
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    for (int k = 0; k < 3000; k++) {
        fprintf(f, "{\"text\": \"");
        for (int w = 0; w < 400; w++)
            fprintf(f, "word%05d ", (k * 400 + w) % 99991);
        fprintf(f, "\"}\n");
    }
    fclose(f);
    fs_config cfg;
    fs_source_cfg src[1];
    tu_config_init(&cfg, src, 1);
    char *in[] = {p};
    source_inputs(src, in);
    loaded r;
    load_with(&cfg, 2, &r);
    assert_int_equal(r.st, FS_OK);
    assert_int_equal(r.c->n_docs, 3000);
    if (fs_spool_on_disk(r.c->spool)) {
        long kb = rss_of_mapping(r.c->docs[1500].text);
        /* 12 MB written; what stays resident is at most the 2 MiB block the last batch ended
         * in (the kernel may keep nothing at all). */
        if (kb >= 0)
            assert_true(kb <= 2048 + 64);
    }
    /* Evicted texts are intact: they come back from the file. */
    assert_int_equal(strncmp(r.c->docs[2999].text, "word", 4), 0);
    assert_int_equal(r.c->docs[2999].len, 4000);
    fs_corpus_free(r.c);
    free(r.log.buf);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parallel_ingest_is_thread_independent),
        cmocka_unit_test(test_first_failure_wins),
        cmocka_unit_test(test_ingest_evicts_the_spool),
    };
    return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
