/* test_export.c: CSV quoting and number formats, the set of files written, a round trip of
 * stats.json through cJSON, tables long enough to be written in several chunks, and the fast
 * number formatter against printf. The analysis is built by hand (analysis.h is plain data). */
#include "testutil.h"

#include <dirent.h>
#include <float.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cJSON.h>

#include "export_internal.h"
#include "framescope/analysis.h"
#include "framescope/export.h"
#include "framescope/fileio.h"

static char *dupstr(const char *s)
{
    char *p = strdup(s);
    assert_non_null(p);
    return p;
}

/* The analysis' term strings, owned as fs_stats_build owns them: one block, rows point into it. */
static void set_vocab(fs_analysis *a, const char *const *words, size_t n)
{
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++)
        bytes += strlen(words[i]) + 1;
    free(a->vocab);
    free(a->vocab_text);
    a->vocab = calloc(n, sizeof *a->vocab);
    a->vocab_text = malloc(bytes);
    assert_true(a->vocab && a->vocab_text);
    a->n_vocab = n;
    char *d = a->vocab_text;
    for (size_t i = 0; i < n; i++) {
        strcpy(d, words[i]);
        a->vocab[i] = d;
        d += strlen(words[i]) + 1;
    }
}

/* An empty co-occurrence table for `a`'s sources and vocabulary, to be filled by the test. */
static void cooc_alloc(fs_analysis *a, size_t rows)
{
    fs_cooc_table *c = &a->cooc;
    c->pairs = calloc(rows ? rows : 1, sizeof *c->pairs);
    c->first = calloc(a->n_sources + 1, sizeof *c->first);
    c->tf = calloc(a->n_sources * a->n_vocab, sizeof *c->tf);
    c->focus = calloc(a->n_vocab, sizeof *c->focus);
    assert_true(c->pairs && c->first && c->tf && c->focus);
    c->n_rows = rows;
}

/* Two sources, three terms whose text needs quoting (and "x"), one keyness row with NAN cells,
 * four co-occurrence pairs. */
static fs_analysis *make_analysis(void)
{
    fs_analysis *a = calloc(1, sizeof *a);
    assert_non_null(a);
    a->params.min_count = 2;
    a->params.window = 5;
    a->params.ca_terms = 60;
    a->params.prior_strength = 1234.5;
    a->params.framescope_version = dupstr("0.1.0");
    a->params.stopwords_version = dupstr("stopwords-en 2024-01");
    a->params.period = dupstr("2025-04");

    a->n_sources = 2;
    a->sources = calloc(2, sizeof *a->sources);
    assert_non_null(a->sources);
    a->sources[0].id = dupstr("kh");
    a->sources[0].label = dupstr("Korea Herald, English");
    a->sources[0].docs = 3;
    a->sources[0].tokens = 1200;
    a->sources[0].content_tokens = 700;
    a->sources[0].types = 321;
    a->sources[0].chars_raw = 9000;
    a->sources[0].chars_clean = 6000;
    a->sources[0].removed_share = 1.0 / 3.0;
    a->sources[1].id = dupstr("yh");
    a->sources[1].label = dupstr("Yonhap \"wire\"");
    a->sources[1].removed_share = NAN;

    /* Vocabulary in byte order, as the counts give it. */
    static const char *const vocab[] = {"a,b", "line\nbreak", "say \"hi\"", "x"};
    set_vocab(a, vocab, 4);
    a->n_terms = 3;
    a->terms = calloc(3, sizeof *a->terms);
    assert_non_null(a->terms);
    static const size_t by_count[3] = {0, 2, 1}; /* a,b 7, say "hi" 6, line break 5 */
    for (size_t i = 0; i < 3; i++) {
        a->terms[i].source = 0;
        a->terms[i].term = a->vocab[by_count[i]];
        a->terms[i].count = 7 - i;
        a->terms[i].per_10k = 0.1;
        a->terms[i].docs = 2;
        a->terms[i].dp = i == 0 ? NAN : 2.0 / 3.0;
    }

    a->n_keyness = 1;
    a->keyness = calloc(1, sizeof *a->keyness);
    assert_non_null(a->keyness);
    a->keyness[0] = (fs_keyness_row){1, "alliance", 10, 20, 1000, 5000,
                                     4.9673928223299839, 0.025829553848809726, NAN,
                                     1.3219280948873624, 0.0, -INFINITY};

    a->n_frames = 1;
    a->frames = calloc(1, sizeof *a->frames);
    assert_non_null(a->frames);
    a->frames[0] = dupstr("Deterrence, military");
    a->n_frame_rows = 1;
    a->frame_rows = calloc(1, sizeof *a->frame_rows);
    assert_non_null(a->frame_rows);
    a->frame_rows[0] = (fs_frame_row){0, 0, 5, 1200, 5000.0 / 1200, 1.35, 9.72, NAN};
    a->frames_test = (fs_chisq){12.5, 0.0019, 2, false, true, 0, 0};

    a->n_docs = 1;
    a->docs = calloc(1, sizeof *a->docs);
    assert_non_null(a->docs);
    a->docs[0].doc_id = dupstr("000_kh");
    a->docs[0].path = dupstr("corpus/000_kh.txt");
    a->docs[0].title = dupstr("Allies meet, talk \"deterrence\"");
    a->docs[0].date = (fs_date){2025, 4, 3};
    strcpy(a->docs[0].sha256, "ab12");
    a->docs[0].chars_raw = 9000;
    a->docs[0].chars_clean = 6000;
    a->docs[0].counted = true;
    a->docs[0].tokens = 1234;
    a->docs[0].removals = dupstr("kh: footer=2500;generic:navigation=500");

    /* kh (700 content tokens): a,b 7, line break 5, say "hi" 6; yh (no content tokens, so no
     * PMI): a,b 4, x 4. x is a focus term. */
    cooc_alloc(a, 4);
    fs_cooc_table *c = &a->cooc;
    static const uint64_t tf[2][4] = {{7, 5, 6, 0}, {4, 0, 0, 4}};
    memcpy(c->tf, tf, sizeof tf);
    c->focus[3] = true;
    static const fs_cooc_pair pairs[4] = {{0, 1, 2}, {0, 2, 3}, {1, 2, 1}, {0, 3, 4}};
    memcpy(c->pairs, pairs, sizeof pairs);
    c->first[1] = 3;
    c->first[2] = 4;

    a->n_findings = 1;
    a->findings = calloc(1, sizeof *a->findings);
    assert_non_null(a->findings);
    a->findings[0] = (fs_finding){dupstr("\"alliance\" is distinctive (G\xC2\xB2 = 5.0)."), 1.5,
                                  true};
    return a;
}

static char *tmp_dir(void)
{
    char tmpl[] = "/tmp/fs-export-XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return dupstr(d);
}

static char *slurp(const char *dir, const char *name)
{
    char *path = fs_path_join(dir, name), *data = NULL;
    size_t len = 0;
    assert_non_null(path);
    fs_error err = {0};
    assert_int_equal(fs_read_file(path, 0, &data, &len, &err), FS_OK);
    free(path);
    return data;
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
            continue;
        char *p = fs_path_join(dir, e->d_name);
        if (p)
            unlink(p);
        free(p);
    }
    closedir(d);
    rmdir(dir);
}

static void test_csv_quoting_and_numbers(void **state)
{
    (void)state;
    fs_analysis *a = make_analysis();
    char *dir = tmp_dir();
    fs_error err = {0};
    assert_int_equal(fs_export_write(a, dir, &err), FS_OK);

    /* RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; NAN is an
     * empty field; integers are plain; 0.1 and 2/3 print with %.17g (python: '%.17g' % x). */
    char *terms = slurp(dir, "terms.csv");
    assert_string_equal(terms, "source,term,count,per_10k,docs,dp\r\n"
                               "kh,\"a,b\",7,0.10000000000000001,2,\r\n"
                               "kh,\"say \"\"hi\"\"\",6,0.10000000000000001,2,0.66666666666666663\r\n"
                               "kh,\"line\nbreak\",5,0.10000000000000001,2,0.66666666666666663\r\n");
    free(terms);

    char *src = slurp(dir, "sources.csv");
    assert_string_equal(src,
                        "source,label,documents,tokens,types,content_tokens,duplicates,"
                        "chars_raw,chars_clean,removed_share\r\n"
                        "kh,\"Korea Herald, English\",3,1200,321,700,0,9000,6000,"
                        "0.33333333333333331\r\n"
                        "yh,\"Yonhap \"\"wire\"\"\",0,0,0,0,0,0,0,\r\n");
    free(src);

    /* Source columns hold the id; q (NAN) and -inf are empty. */
    char *key = slurp(dir, "keyness.csv");
    assert_non_null(strstr(key, "\r\nyh,alliance,10,20,1000,5000,4.9673928223299839,"
                                "0.025829553848809726,,1.3219280948873624,0,\r\n"));
    free(key);

    char *docs = slurp(dir, "documents.csv");
    /* The ten fixed columns, then counted (1/0), tokens and the removal log. */
    assert_string_equal(docs, "doc_id,path,source,outlet,date,title,sha256,chars_raw,chars_clean,"
                              "duplicate_of,counted,tokens,removals\r\n"
                              "000_kh,corpus/000_kh.txt,kh,,2025-04-03,"
                              "\"Allies meet, talk \"\"deterrence\"\"\",ab12,9000,6000,,1,1234,"
                              "kh: footer=2500;generic:navigation=500\r\n");
    free(docs);

    char *frames = slurp(dir, "frames.csv");
    assert_string_equal(frames, "frame,source,hits,tokens,rate_per_1k,ci_low,ci_high,"
                                "std_residual\r\n"
                                "\"Deterrence, military\",kh,5,1200,4.166666666666667,"
                                "1.3500000000000001,9.7200000000000006,\r\n");
    free(frames);

    /* Empty tables still get their header line. */
    char *sim = slurp(dir, "similarity.csv");
    assert_string_equal(sim, "source_a,source_b,cosine,jsd\r\n");
    free(sim);
    char *ca = slurp(dir, "ca.csv");
    assert_string_equal(ca, "kind,label,dim1,dim2\r\n");
    free(ca);
    /* Rows made from the pairs as they are written. python, window 5, n1 = 700:
     * '%.17g' % log2(c*700/(2*5*ca*cb)), '%.17g' % (14 + log2(2*c/(ca+cb))) for (c, ca, cb) =
     * (2, 7, 5), (3, 7, 6), (1, 5, 6); yh has no content tokens: PMI undefined, log Dice
     * 14 + log2(8/8) = 14. */
    char *co = slurp(dir, "cooccurrence.csv");
    assert_string_equal(co, "source,term_a,term_b,count,count_a,count_b,pmi,log_dice,focus\r\n"
                            "kh,\"a,b\",\"line\nbreak\",2,7,5,2,12.415037499278844,0\r\n"
                            "kh,\"a,b\",\"say \"\"hi\"\"\",3,7,6,2.3219280948873622,"
                            "12.884522782580063,0\r\n"
                            "kh,\"line\nbreak\",\"say \"\"hi\"\"\",1,5,6,1.2223924213364481,"
                            "11.540568381362704,0\r\n"
                            "yh,\"a,b\",x,4,4,4,,14,1\r\n");
    free(co);

    remove_dir(dir);
    free(dir);
    fs_analysis_free(a);
}

static void test_files_written_atomically(void **state)
{
    (void)state;
    fs_analysis *a = make_analysis();
    char *dir = tmp_dir();
    char *sub = fs_path_join(dir, "exports");
    fs_error err = {0};
    assert_int_equal(fs_export_write(a, sub, &err), FS_OK); /* creates the folder */
    /* Exactly the nine exports, and no temporary file left behind. */
    static const char *const names[] = {"ca.csv",        "cooccurrence.csv", "documents.csv",
                                        "frames.csv",    "keyness.csv",      "similarity.csv",
                                        "sources.csv",   "stats.json",       "terms.csv"};
    DIR *d = opendir(sub);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        bool known = false;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            known = known || strcmp(e->d_name, names[i]) == 0;
        if (!known)
            fail_msg("unexpected file %s", e->d_name);
        n++;
    }
    closedir(d);
    assert_int_equal(n, 9);
    remove_dir(sub);
    free(sub);

    /* stats.json cannot replace a folder of that name: an output error naming it, no
     * temporary file left, and the folder untouched. */
    char *blocked = fs_path_join(dir, "blocked");
    char *sj = fs_path_join(blocked, "stats.json");
    assert_int_equal(mkdir(blocked, 0755), 0);
    assert_int_equal(mkdir(sj, 0755), 0);
    assert_int_equal(fs_export_write(a, blocked, &err), FS_ERR_OUTPUT);
    assert_non_null(strstr(err.where, "stats.json"));
    struct stat stt;
    assert_int_equal(stat(sj, &stt), 0);
    assert_true(S_ISDIR(stt.st_mode));
    d = opendir(blocked);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] == '.' && e->d_name[1] && e->d_name[1] != '.')
            fail_msg("temporary file left: %s", e->d_name);
    closedir(d);
    rmdir(sj);
    remove_dir(blocked);
    free(sj);
    free(blocked);

    /* A folder that cannot be created: an output error naming the place, nothing written. */
    char *file = tu_write_temp(dir, "plain", "x");
    char *bad = fs_path_join(file, "exports");
    assert_int_not_equal(fs_export_write(a, bad, &err), FS_OK);
    assert_int_equal(err.status, FS_ERR_OUTPUT);
    unlink(file);
    free(file);
    free(bad);
    remove_dir(dir);
    free(dir);
    fs_analysis_free(a);
}

static const cJSON *get(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v)
        fail_msg("missing key %s", key);
    return v;
}

static void test_stats_json_round_trip(void **state)
{
    (void)state;
    fs_analysis *a = make_analysis();
    char *dir = tmp_dir();
    char *path = fs_path_join(dir, "stats.json");
    fs_error err = {0};
    assert_int_equal(fs_export_stats_json(a, path, &err), FS_OK);
    char *text = slurp(dir, "stats.json");
    cJSON *root = cJSON_Parse(text);
    assert_non_null(root);

    const cJSON *v = get(root, "versions");
    assert_string_equal(get(v, "framescope")->valuestring, "0.1.0");
    assert_string_equal(get(v, "stopwords")->valuestring, "stopwords-en 2024-01");
    assert_string_equal(get(root, "period")->valuestring, "2025-04");
    const cJSON *p = get(root, "parameters");
    assert_int_equal(get(p, "window")->valueint, 5);
    assert_true(get(p, "prior_strength")->valuedouble == 1234.5);

    const cJSON *terms = get(root, "terms");
    assert_int_equal(cJSON_GetArraySize(terms), 3);
    const cJSON *t2 = cJSON_GetArrayItem(terms, 2);
    assert_string_equal(get(t2, "term")->valuestring, "line\nbreak");
    assert_string_equal(get(t2, "source")->valuestring, "kh");
    assert_true(get(t2, "dp")->valuedouble == 2.0 / 3.0); /* exact: the double survives */
    assert_true(cJSON_IsNull(get(cJSON_GetArrayItem(terms, 0), "dp")));
    assert_string_equal(get(cJSON_GetArrayItem(terms, 1), "term")->valuestring, "say \"hi\"");

    const cJSON *k = cJSON_GetArrayItem(get(root, "keyness"), 0);
    assert_true(get(k, "g2")->valuedouble == 4.9673928223299839);
    assert_true(get(k, "p")->valuedouble == 0.025829553848809726);
    assert_true(cJSON_IsNull(get(k, "q")));
    assert_true(cJSON_IsNull(get(k, "logodds_z"))); /* -inf has no JSON form */
    assert_string_equal(get(k, "source")->valuestring, "yh");

    const cJSON *src = cJSON_GetArrayItem(get(root, "sources"), 1);
    assert_string_equal(get(src, "label")->valuestring, "Yonhap \"wire\"");
    assert_true(cJSON_IsNull(get(src, "removed_share")));

    const cJSON *test = get(root, "frames_test");
    assert_true(get(test, "statistic")->valuedouble == 12.5);
    assert_int_equal(get(test, "df")->valueint, 2);
    assert_true(cJSON_IsTrue(get(test, "valid")));
    assert_string_equal(cJSON_GetArrayItem(get(root, "frames"), 0)->valuestring,
                        "Deterrence, military");
    const cJSON *f = cJSON_GetArrayItem(get(root, "findings"), 0);
    assert_string_equal(get(f, "text")->valuestring,
                        "\"alliance\" is distinctive (G\xC2\xB2 = 5.0).");
    assert_true(cJSON_IsTrue(get(f, "significant")));
    assert_int_equal(cJSON_GetArraySize(get(root, "similarity")), 0);
    const cJSON *co = get(root, "cooccurrence");
    assert_int_equal(cJSON_GetArraySize(co), 4);
    const cJSON *c3 = cJSON_GetArrayItem(co, 3);
    assert_string_equal(get(c3, "source")->valuestring, "yh");
    assert_string_equal(get(c3, "term_b")->valuestring, "x");
    assert_true(cJSON_IsNull(get(c3, "pmi")));
    assert_true(get(c3, "log_dice")->valuedouble == 14.0);
    assert_true(cJSON_IsTrue(get(c3, "focus")));
    const cJSON *c1 = cJSON_GetArrayItem(co, 1);
    assert_string_equal(get(c1, "term_b")->valuestring, "say \"hi\"");
    assert_true(get(c1, "pmi")->valuedouble == 2.3219280948873622);
    assert_int_equal(get(c1, "count_b")->valueint, 6);
    assert_true(cJSON_IsFalse(get(get(root, "ca"), "valid")));
    assert_int_equal(get(get(root, "totals"), "tested_terms")->valueint, 0);

    cJSON_Delete(root);
    free(text);
    free(path);
    remove_dir(dir);
    free(dir);
    fs_analysis_free(a);
}

/* ================================== number formatting ================================== */

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* export_fmt_double must print exactly what "%.17g" prints, and strtod must give x back. */
static void check_double(double x)
{
    char fast[EXPORT_NUM_MAX + 1], ref[64];
    size_t n = export_fmt_double(x, fast);
    assert_true(n > 0 && n <= EXPORT_NUM_MAX);
    fast[n] = '\0';
    snprintf(ref, sizeof ref, "%.17g", x);
    if (strcmp(fast, ref) != 0)
        fail_msg("export_fmt_double(%a) = %s, printf gives %s", x, fast, ref);
    char *end = NULL;
    double back = strtod(fast, &end);
    assert_true(*end == '\0');
    if (!(back == x && signbit(back) == signbit(x)))
        fail_msg("%s reads back as %a, not %a", fast, back, x);
}

static void test_number_format(void **state)
{
    (void)state;
    static const double fixed[] = {
        0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 2.0 / 3.0, 1.0 / 3.0, 1e-5, 1e-4, 9.9999999999999995e-5,
        123456.789, 1e15, 1e16, 1e17, 9007199254740993.0, 99999999999999999.0, 1e21, 1e22, 1e23,
        5e-324, 2.2250738585072009e-308, DBL_MIN, DBL_MAX, 1e-300, 1e300, 4.9673928223299839,
        0.025829553848809726, 1551.1602855237561, 396698.52240242908, 0.1 + 0.2, 100.0, 1234.5,
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        check_double(fixed[i]);
        check_double(-fixed[i]);
    }
    uint64_t s = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < 20000; i++) {
        uint64_t r = rng_next(&s);
        double x;
        switch (i % 4) {
        case 0: /* any bit pattern: every exponent, subnormals included */
            memcpy(&x, &r, sizeof x);
            if (!isfinite(x))
                continue;
            break;
        case 1: /* uniform in [0, 1), like p-values and shares */
            x = (double)(r >> 11) / 9007199254740992.0;
            break;
        case 2: /* ratios of counts, like rates and log ratios */
            x = (double)(r % 1000000) / (double)(1 + rng_next(&s) % 10000);
            break;
        default: /* integers held in doubles, up to 2^53 */
            x = (double)(r >> (11 + rng_next(&s) % 53));
            break;
        }
        check_double(x);
    }

    /* Integers: as PRIu64; NAN and infinities: nothing (empty CSV field, JSON null). */
    static const uint64_t ints[] = {0, 1, 9, 10, 99, 100, 12345, 4294967295u, 4294967296u,
                                    999999999999999999u, 10000000000000000000u, UINT64_MAX};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        char fast[EXPORT_U64_MAX + 1], ref[32];
        size_t n = export_fmt_u64(ints[i], fast);
        fast[n] = '\0';
        snprintf(ref, sizeof ref, "%" PRIu64, ints[i]);
        assert_string_equal(fast, ref);
    }
    char buf[EXPORT_NUM_MAX] = "unchanged";
    assert_int_equal(export_fmt_double(NAN, buf), 0);
    assert_int_equal(export_fmt_double(INFINITY, buf), 0);
    assert_int_equal(export_fmt_double(-INFINITY, buf), 0);
    assert_string_equal(buf, "unchanged");
    export_buf b = {0};
    export_json_number(&b, NAN);
    export_json_number(&b, -0.5);
    export_json_string(&b, "tab\tnl\nq\"bs\\\x01\x7f\xc3\xa9");
    assert_int_equal(b.len, strlen("null-0.5\"tab\\tnl\\nq\\\"bs\\\\\\u0001\x7f\xc3\xa9\""));
    assert_memory_equal(b.p, "null-0.5\"tab\\tnl\\nq\\\"bs\\\\\\u0001\x7f\xc3\xa9\"", b.len);
    export_buf_free(&b);
}

/* ================================ tables written in chunks ================================ */

/* Tables longer than one unit of export_run are cut into chunks formatted on several threads;
 * the files must still hold every row once, in order. */
static void test_long_tables_in_order(void **state)
{
    (void)state;
    fs_analysis *a = make_analysis();
    enum { N = 20011, HALF = 10005 }; /* several chunks and a partial last one */
    /* Vocabulary: t00000..t(N-1), then x and a,"b. */
    char **words = calloc(N + 2, sizeof *words);
    assert_non_null(words);
    for (size_t i = 0; i < N; i++) {
        words[i] = malloc(8);
        assert_non_null(words[i]);
        snprintf(words[i], 8, "t%05zu", i);
    }
    words[N] = dupstr("x");
    words[N + 1] = dupstr("a,\"b");
    set_vocab(a, (const char *const *)words, N + 2);
    for (size_t i = 0; i < N + 2; i++)
        free(words[i]);
    free(words);
    free(a->terms);
    a->terms = calloc(N, sizeof *a->terms);
    assert_non_null(a->terms);
    a->n_terms = N;
    free(a->cooc.pairs);
    free(a->cooc.first);
    free(a->cooc.tf);
    free(a->cooc.focus);
    cooc_alloc(a, N);
    fs_cooc_table *c = &a->cooc;
    c->first[1] = HALF;
    c->first[2] = N;
    for (size_t s = 0; s < 2; s++) {
        for (size_t i = 0; i < N; i++)
            c->tf[s * (N + 2) + i] = i + 2;
        c->tf[s * (N + 2) + N] = 50000;
        c->tf[s * (N + 2) + N + 1] = 70000;
    }
    c->focus[N] = true; /* x */
    for (size_t i = 0; i < N; i++) {
        a->terms[i] = (fs_term_row){i % 2, a->vocab[i], N - i, (double)i / 7, 1, NAN};
        c->pairs[i] = (fs_cooc_pair){(uint32_t)i, (uint32_t)(i % 3 ? N : N + 1), i + 1};
        c->focus[i] = i % 5 == 0;
    }
    char *dir = tmp_dir();
    fs_error err = {0};
    assert_int_equal(fs_export_write(a, dir, &err), FS_OK);

    char *terms = slurp(dir, "terms.csv");
    const char *p = strstr(terms, "\r\n");
    assert_non_null(p);
    p += 2;
    for (size_t i = 0; i < N; i++) {
        char num[64], line[160];
        size_t n = export_fmt_double((double)i / 7, num);
        num[n] = '\0';
        snprintf(line, sizeof line, "%s,t%05zu,%zu,%s,1,\r\n", i % 2 ? "yh" : "kh", i,
                 (size_t)N - i, num);
        size_t len = strlen(line);
        if (strncmp(p, line, len) != 0)
            fail_msg("terms.csv row %zu: expected %s", i, line);
        p += len;
    }
    assert_int_equal(*p, '\0');
    free(terms);

    /* Every row's measures, from the definitions (README "Statistics"): kh has 700 content
     * tokens, yh none (PMI undefined); window 5. */
    char *text = slurp(dir, "stats.json");
    cJSON *root = cJSON_Parse(text);
    assert_non_null(root);
    const cJSON *co = cJSON_GetObjectItemCaseSensitive(root, "cooccurrence");
    assert_int_equal(cJSON_GetArraySize(co), N);
    size_t i = 0;
    for (const cJSON *r = co->child; r; r = r->next, i++) {
        char t[32];
        snprintf(t, sizeof t, "t%05zu", i);
        double n = (double)i + 1, ca = (double)i + 2, cb = i % 3 ? 50000 : 70000;
        assert_string_equal(get(r, "source")->valuestring, i < HALF ? "kh" : "yh");
        assert_string_equal(get(r, "term_a")->valuestring, t);
        assert_string_equal(get(r, "term_b")->valuestring, i % 3 ? "x" : "a,\"b");
        assert_true(get(r, "count")->valuedouble == n);
        assert_true(get(r, "count_a")->valuedouble == ca);
        assert_true(get(r, "count_b")->valuedouble == cb);
        if (i < HALF)
            assert_true(get(r, "pmi")->valuedouble == log2(n * 700 / (2.0 * 5 * ca * cb)));
        else
            assert_true(cJSON_IsNull(get(r, "pmi")));
        assert_true(get(r, "log_dice")->valuedouble == 14.0 + log2(2.0 * n / (ca + cb)));
        assert_true(cJSON_IsBool(get(r, "focus")) &&
                    cJSON_IsTrue(get(r, "focus")) == (i % 5 == 0 || i % 3 != 0));
    }
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "terms")), N);
    cJSON_Delete(root);
    free(text);

    /* cooccurrence.csv holds the same rows as stats.json, in the same order. */
    char *csv = slurp(dir, "cooccurrence.csv");
    size_t lines = 0;
    for (const char *q = csv; (q = strstr(q, "\r\n")); q += 2)
        lines++;
    assert_int_equal(lines, N + 1);
    assert_non_null(strstr(csv, "\r\nkh,t00001,x,2,3,50000,"));
    assert_non_null(strstr(csv, "\r\nyh,t20009,x,20010,20011,50000,,"));
    free(csv);
    remove_dir(dir);
    free(dir);
    fs_analysis_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_quoting_and_numbers),
        cmocka_unit_test(test_files_written_atomically),
        cmocka_unit_test(test_stats_json_round_trip),
        cmocka_unit_test(test_number_format),
        cmocka_unit_test(test_long_tables_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
