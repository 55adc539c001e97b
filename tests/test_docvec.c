/* test_docvec.c: the term-vector codec and store (docvec.h) and the vectors the engine keeps
 * with them. Expected values come from outside the code under test: LEB128 bytes worked out
 * by hand, vectors kept as plain arrays next to their encodings, and the engine's tf, df and
 * content-token totals, which it computes without the vectors. */
#include "count_fixture.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>
#include "docvec.h"
#include "framescope/fileio.h"
#include "shard_io.h"

static uint64_t rnd(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 11;
}

/* LEB128 by hand: 0 → 00; 127 → 7F; 128 → 80 01; 300 → AC 02; 624485 → E5 8E 26;
 * 2^32 − 1 → FF FF FF FF 0F. Sorted layout: ids 5, 300, 301 with counts 1, 128, 2 are stored as
 * differences 5, 295, 1 → 05 01 | A7 02 80 01 | 01 02. */
static void test_varint_bytes(void **state)
{
    (void)state;
    uint8_t buf[64];
    uint8_t *p = buf;
    p = dv_put(p, 0);
    p = dv_put(p, 127);
    p = dv_put(p, 128);
    p = dv_put(p, 300);
    p = dv_put(p, 624485);
    p = dv_put(p, UINT32_MAX);
    const uint8_t want[] = {0x00, 0x7F, 0x80, 0x01, 0xAC, 0x02, 0xE5, 0x8E, 0x26,
                            0xFF, 0xFF, 0xFF, 0xFF, 0x0F};
    assert_int_equal(p - buf, sizeof want);
    assert_memory_equal(buf, want, sizeof want);
    const uint32_t back_want[] = {0, 127, 128, 300, 624485, UINT32_MAX};
    const uint8_t *q = buf;
    for (size_t i = 0; i < 6; i++) {
        uint32_t v;
        q = dv_get(q, &v);
        assert_int_equal(v, back_want[i]);
    }
    assert_ptr_equal(q, p);
    assert_int_equal(dv_size(buf, 3), sizeof want); /* six varints = three entries */

    const uint32_t terms[] = {5, 300, 301}, counts[] = {1, 128, 2};
    const uint8_t sorted[] = {0x05, 0x01, 0xA7, 0x02, 0x80, 0x01, 0x01, 0x02};
    p = dv_encode_sorted(buf, terms, counts, 3);
    assert_int_equal(p - buf, sizeof sorted);
    assert_memory_equal(buf, sorted, sizeof sorted);
    uint32_t t[3], c[3];
    assert_ptr_equal(dv_decode_sorted(buf, 3, t, c), p);
    assert_memory_equal(t, terms, sizeof terms);
    assert_memory_equal(c, counts, sizeof counts);
    /* empty vector: no bytes */
    assert_ptr_equal(dv_encode_sorted(buf, terms, counts, 0), buf);
    assert_int_equal(dv_size(buf, 0), 0);
}

/* A random strictly ascending vector of n entries below `limit` (from 0 or up to the top). */
static void random_vector(uint64_t *seed, uint32_t *t, uint32_t *c, size_t n, uint64_t limit)
{
    uint64_t at = rnd(seed) % 3 == 0 ? 0 : rnd(seed) % (limit / 2);
    for (size_t k = 0; k < n; k++) {
        uint64_t gap = k == 0 ? 0 : 1 + rnd(seed) % ((limit - at) / (n - k + 1) + 1);
        at += gap;
        t[k] = (uint32_t)at;
        uint64_t r = rnd(seed) % 8;
        c[k] = r < 5 ? 1 : r == 7 ? UINT32_MAX - (uint32_t)(rnd(seed) % 3)
                                  : (uint32_t)(rnd(seed) % 100000);
    }
    if (n && rnd(seed) % 4 == 0) /* the largest id there is */
        t[n - 1] = UINT32_MAX;
}

static void test_sorted_round_trip(void **state)
{
    (void)state;
    uint64_t seed = 7;
    uint32_t t[600], c[600], t2[600], c2[600];
    uint8_t *buf = malloc(DV_MAX_BYTES(600));
    assert_non_null(buf);
    for (int round = 0; round < 2000; round++) {
        size_t n = round < 5 ? (size_t)round : rnd(&seed) % 600;
        uint64_t limit = round % 2 ? (uint64_t)UINT32_MAX : 200000;
        random_vector(&seed, t, c, n, limit);
        for (size_t k = 1; k < n; k++)
            assert_true(t[k - 1] < t[k]);
        uint8_t *end = dv_encode_sorted(buf, t, c, n);
        size_t len = (size_t)(end - buf);
        assert_true(len <= DV_MAX_BYTES(n));
        assert_true(len >= 2 * n); /* at least a byte a varint */
        assert_int_equal(dv_size(buf, n), len);
        assert_ptr_equal(dv_decode_sorted(buf, n, t2, c2), end);
        if (n) {
            assert_memory_equal(t2, t, n * sizeof *t);
            assert_memory_equal(c2, c, n * sizeof *c);
        }
    }
    free(buf);
}

/* Vectors written through a store (several chunks, one vector larger than a chunk, evictions
 * on the way) read back equal to plain copies kept on the heap, on disk and on the heap
 * fallback. */
static void store_round_trip(bool in_memory)
{
    enum { N = 3000 };
    uint64_t seed = in_memory ? 11 : 12;
    fs_spool *sp;
    assert_int_equal(fs_spool_create(in_memory, &sp), FS_OK);
    dv_store st = {.sp = sp};
    uint32_t **t = calloc(N, sizeof *t), **c = calloc(N, sizeof *c);
    size_t *n = calloc(N, sizeof *n);
    const uint8_t **at = calloc(N, sizeof *at);
    assert_true(t && c && n && at);
    size_t bytes = 0;
    for (size_t d = 0; d < N; d++) {
        n[d] = d == 1500 ? 700000 : d % 97 == 0 ? 0 : rnd(&seed) % 900; /* 700000: > a chunk */
        t[d] = malloc((n[d] + 1) * sizeof **t);
        c[d] = malloc((n[d] + 1) * sizeof **c);
        assert_true(t[d] && c[d]);
        random_vector(&seed, t[d], c[d], n[d], d % 2 ? (uint64_t)UINT32_MAX : 1000000);
        uint8_t *q = dv_room(&st, DV_MAX_BYTES(n[d]));
        assert_non_null(q);
        at[d] = q;
        uint8_t *end = dv_encode_sorted(q, t[d], c[d], n[d]);
        bytes += (size_t)(end - q);
        dv_commit(&st, end);
        if (d % 500 == 499)
            dv_evict_span(sp, at[d - 499], at[d] + 1);
    }
    dv_store_evict(&st);
    assert_true(fs_spool_size(sp) >= bytes);
    for (size_t d = 0; d < N; d++) {
        uint32_t *t2 = malloc((n[d] + 1) * sizeof *t2), *c2 = malloc((n[d] + 1) * sizeof *c2);
        assert_true(t2 && c2);
        dv_decode_sorted(at[d], n[d], t2, c2);
        if (n[d]) {
            assert_memory_equal(t2, t[d], n[d] * sizeof *t2);
            assert_memory_equal(c2, c[d], n[d] * sizeof *c2);
        }
        free(t2);
        free(c2);
        free(t[d]);
        free(c[d]);
    }
    free(t);
    free(c);
    free(n);
    free(at);
    dv_store_free(&st); /* borrowed: the spool stays */
    assert_null(st.sp);
    fs_spool_free(sp);
}

static void test_store_disk(void **state)
{
    (void)state;
    store_round_trip(false);
}

static void test_store_heap(void **state)
{
    (void)state;
    store_round_trip(true);
}

/* A store with no spool makes and owns one; freeing it twice is harmless (worker_free after
 * count_finish released it). */
static void test_store_owned(void **state)
{
    (void)state;
    dv_store st = {0};
    uint8_t *q = dv_room(&st, 0); /* an empty vector still gets a valid pointer */
    assert_non_null(q);
    assert_true(st.owned);
    dv_commit(&st, dv_put(dv_put(q, 624485), 1));
    uint32_t v;
    assert_ptr_equal(dv_get(q, &v), q + 3);
    assert_int_equal(v, 624485);
    dv_store_free(&st);
    dv_store_free(&st);
}

/* Feeds a file's bytes into a FIFO (the reader cannot map it: the loader's heap path). */
typedef struct feed {
    const char *fifo;
    const char *data;
    size_t len;
} feed;

static void *feed_fifo(void *arg)
{
    const feed *f = arg;
    int fd = open(f->fifo, O_WRONLY);
    if (fd < 0)
        return NULL;
    for (size_t at = 0; at < f->len;) {
        ssize_t w = write(fd, f->data + at, f->len - at);
        if (w <= 0)
            break;
        at += (size_t)w;
    }
    close(fd);
    return NULL;
}

/* The engine's vectors against totals it keeps apart from them: per source and term, the
 * counts summed over documents are tf and the documents holding the term are df; per
 * document, the counts add up to its content tokens. Ids ascend, counts are positive. */
static void check_vectors(const fs_counts *c)
{
    size_t ns = fs_counts_n_sources(c), nt = fs_counts_n_terms(c);
    uint64_t *tf = calloc(ns * nt + 1, sizeof *tf);
    uint32_t *df = calloc(ns * nt + 1, sizeof *df);
    size_t room = fs_counts_doc_terms_max(c) + 1;
    uint32_t *t = malloc(room * sizeof *t), *k = malloc(room * sizeof *k);
    assert_true(tf && df && t && k);
    size_t nonempty = 0;
    for (size_t d = 0; d < fs_counts_n_docs(c); d++) {
        const fs_doc_info *di = fs_counts_doc(c, d);
        size_t n = fs_counts_doc_terms(c, d, t, k);
        assert_int_equal(n, fs_counts_doc_n_terms(c, d));
        if (!di->counted) {
            assert_int_equal(n, 0);
            continue;
        }
        uint64_t sum = 0;
        for (size_t i = 0; i < n; i++) {
            assert_true(t[i] < nt && k[i] > 0);
            if (i)
                assert_true(t[i - 1] < t[i]);
            tf[di->source * nt + t[i]] += k[i];
            df[di->source * nt + t[i]]++;
            sum += k[i];
        }
        assert_int_equal(sum, di->content_tokens);
        nonempty += n > 0;
        if (d % 16 == 15)
            fs_counts_doc_terms_evict(c, d - 15, d + 1);
    }
    assert_true(nonempty > 0);
    for (size_t s = 0; s < ns; s++)
        for (size_t i = 0; i < nt; i++) {
            assert_int_equal(tf[s * nt + i], fs_counts_tf(c, s, (uint32_t)i));
            assert_int_equal(df[s * nt + i], fs_counts_df(c, s, (uint32_t)i));
        }
    assert_int_equal(fs_counts_doc_n_terms(c, fs_counts_n_docs(c)), 0); /* out of range */
    assert_int_equal(fs_counts_doc_terms(c, fs_counts_n_docs(c) + 5, t, k), 0);
    free(tf);
    free(df);
    free(t);
    free(k);
}

static void test_engine_vectors(void **state)
{
    (void)state;
    fixture *f = generated(300);
    fixture_add(f, 1, "the of a and"); /* counted, no content term: an empty vector */
    fs_counts *one = run(f, 1, NULL), *two = run(f, 2, NULL), *back = NULL, *part = NULL;
    check_vectors(one);
    check_vectors(two);
    assert_counts_equal(one, two);

    /* save → load → save: the same bytes (the vectors are copied as stored), the same counts */
    char dir[] = "/tmp/fs_docvec_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p1[64], p2[64];
    snprintf(p1, sizeof p1, "%s/a.counts", dir);
    snprintf(p2, sizeof p2, "%s/b.counts", dir);
    fs_error err;
    assert_int_equal(fs_counts_save(two, p1, &err), FS_OK);
    assert_int_equal(fs_counts_load(p1, &back, &err), FS_OK);
    check_vectors(back);
    assert_counts_equal(two, back);
    assert_int_equal(fs_counts_save(back, p2, &err), FS_OK);
    char *a, *b;
    size_t la, lb;
    assert_int_equal(fs_read_file(p1, 0, &a, &la, &err), FS_OK);
    assert_int_equal(fs_read_file(p2, 0, &b, &lb, &err), FS_OK);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    free(b);

    /* the same file through a FIFO: read into the heap instead of mapped, the same counts */
    char p3[64];
    snprintf(p3, sizeof p3, "%s/c.fifo", dir);
    assert_int_equal(mkfifo(p3, 0600), 0);
    feed fd = {p3, a, la};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, feed_fifo, &fd), 0);
    fs_counts *piped = NULL;
    assert_int_equal(fs_counts_load(p3, &piped, &err), FS_OK);
    pthread_join(th, NULL);
    assert_counts_equal(two, piped);
    fs_counts_free(piped);
    unlink(p3);
    free(a);

    /* two halves merged: remapped vectors equal the direct ones */
    size_t nd = f->corpus.n_docs;
    bool *lo = calloc(nd, sizeof *lo), *hi = calloc(nd, sizeof *hi);
    assert_true(lo && hi);
    for (size_t d = 0; d < nd; d++)
        (d < nd / 3 ? lo : hi)[d] = true;
    fs_counts *x = run(f, 2, lo);
    part = run(f, 1, hi);
    assert_int_equal(fs_counts_merge(x, part, &err), FS_OK);
    check_vectors(x);
    assert_counts_equal(x, one);
    fs_counts_free(x);
    free(lo);
    free(hi);
    unlink(p1);
    unlink(p2);
    rmdir(dir);
    fs_counts_free(one);
    fs_counts_free(two);
    fs_counts_free(back);
    fs_counts_free(part);
    fixture_free(f);
}

/* dv_size counts varint ends a word at a time while enough remain: every length from 0 to 40
 * entries, ids and counts of every width, and bytes after the encoding that look like more of
 * it (high bit set). The expected size is where the encoder stopped. */
static void test_size_words(void **state)
{
    (void)state;
    uint64_t seed = 7;
    uint32_t t[40], c[40];
    uint8_t buf[40 * 10 + 16];
    for (size_t n = 0; n <= 40; n++) {
        for (int round = 0; round < 20; round++) {
            uint32_t at = 0;
            for (size_t k = 0; k < n; k++) {
                unsigned bits = (unsigned)(rnd(&seed) % 33);
                uint32_t gap = bits ? (uint32_t)(rnd(&seed) & ((1ull << bits) - 1)) : 0;
                at += 1 + gap % (UINT32_MAX / 64);
                t[k] = at;
                bits = (unsigned)(rnd(&seed) % 33);
                c[k] = (uint32_t)(rnd(&seed) & ((1ull << bits) - 1));
            }
            memset(buf, 0x80, sizeof buf);
            uint8_t *end = dv_encode_sorted(buf, t, c, n);
            assert_int_equal(dv_size(buf, n), (size_t)(end - buf));
        }
    }
}

/* LEB128 and FNV-1a-64 over little-endian words, written here from their definitions. */
static size_t ref_leb(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    for (;;) {
        uint8_t b = v & 0x7F;
        v >>= 7;
        p[n++] = (uint8_t)(b | (v ? 0x80 : 0));
        if (!v)
            return n;
    }
}

static uint64_t ref_fnv(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w = 0;
        for (int k = 0; k < 8; k++)
            w |= (uint64_t)p[i + (size_t)k] << (8 * k);
        h = (h ^ w) * 0x100000001b3ull;
    }
    for (; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

/* The counts-file writer over several buffers (handed to its helper thread): the file holds
 * exactly the varints and byte runs given, in order, and the checksum is FNV over them. The
 * decoder reads every value back, and refuses an eleventh byte. */
static void test_shard_writer(void **state)
{
    (void)state;
    size_t cap = (size_t)5 << 20, n = 0;
    uint8_t *want = malloc(cap), *bytes = malloc(3000);
    uint64_t *vals = malloc(((size_t)1 << 20) * sizeof *vals), seed = 11;
    assert_true(want && bytes && vals);
    FILE *fp = tmpfile();
    assert_non_null(fp);
    sh_writer w;
    assert_true(sh_writer_start(&w, fp));
    size_t nv = 0;
    while (n < cap - 4000) {
        if (rnd(&seed) % 50 == 0) { /* a run of bytes, sometimes longer than a word */
            size_t len = (size_t)(rnd(&seed) % 3000);
            for (size_t i = 0; i < len; i++)
                bytes[i] = (uint8_t)rnd(&seed);
            sh_bytes(&w, bytes, len);
            memcpy(want + n, bytes, len);
            n += len;
        } else {
            unsigned bits = (unsigned)(rnd(&seed) % 65);
            uint64_t v = bits == 64 ? rnd(&seed) << 11 | rnd(&seed)
                                    : rnd(&seed) & ((1ull << bits) - 1);
            sh_done(&w, sh_put(sh_room(&w, SH_VAR_MAX), v));
            n += ref_leb(want + n, v);
            if (nv < ((size_t)1 << 20))
                vals[nv++] = v;
        }
    }
    sh_writer_stop(&w);
    assert_false(w.failed);
    assert_int_equal(w.bytes, n);
    assert_true(w.hash == ref_fnv(want, n));
    assert_int_equal(fflush(fp), 0);
    assert_int_equal(ftell(fp), (long)n);
    rewind(fp);
    uint8_t *got = malloc(n + 1);
    assert_non_null(got);
    assert_int_equal(fread(got, 1, n + 1, fp), n);
    assert_memory_equal(got, want, n);
    fclose(fp);

    uint8_t b[16];
    for (size_t i = 0; i < nv; i++) {
        memset(b, 0xEE, sizeof b);
        size_t len = ref_leb(b, vals[i]);
        uint64_t v;
        assert_ptr_equal(sh_get(b, &v), b + len);
        assert_true(v == vals[i]);
    }
    memset(b, 0xFF, sizeof b);
    uint64_t v;
    assert_null(sh_get(b, &v));
    free(got);
    free(want);
    free(bytes);
    free(vals);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_varint_bytes),
        cmocka_unit_test(test_sorted_round_trip),
        cmocka_unit_test(test_store_disk),
        cmocka_unit_test(test_store_heap),
        cmocka_unit_test(test_store_owned),
        cmocka_unit_test(test_engine_vectors),
        cmocka_unit_test(test_size_words),
        cmocka_unit_test(test_shard_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
