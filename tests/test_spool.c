/* test_spool.c: the text spool: contents survive eviction, pointers stay put while the file
 * grows, several threads can add at once, eviction really leaves the resident set (read from
 * /proc/self/status), and the heap fallback behaves the same. */
#include "testutil.h"

#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "framescope/spool.h"

/* Resident file-backed pages of this process, in KB (-1 when /proc is not there). */
static long rss_file_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "RssFile:", 8) == 0)
            kb = strtol(line + 8, NULL, 10);
    fclose(f);
    return kb;
}

/* Text i: a 5,000-byte pattern of its own, so that a misplaced or lost page shows. */
static void fill(char *buf, size_t n, unsigned i)
{
    for (size_t k = 0; k < n; k++)
        buf[k] = (char)('a' + (k * 7 + i * 13) % 26);
}

static void check_round_trip(bool in_memory)
{
    fs_spool *sp = NULL;
    assert_int_equal(fs_spool_create(in_memory, &sp), FS_OK);
    enum { N = 30000, LEN = 5000 }; /* 150 MB: more than two 64 MB file segments */
    char **p = calloc(N, sizeof *p);
    char *buf = malloc(LEN);
    assert_non_null(p);
    assert_non_null(buf);
    for (unsigned i = 0; i < N; i++) {
        fill(buf, LEN, i);
        p[i] = fs_spool_add(sp, buf, LEN - i % 7); /* odd lengths: unaligned neighbours */
        assert_non_null(p[i]);
        if (i % 64 == 63)
            fs_spool_evict(sp, p[i - 63], (size_t)(p[i] - p[i - 63]) + LEN);
    }
    for (unsigned i = 0; i < N; i++) {
        size_t len = LEN - i % 7;
        fill(buf, len, i);
        assert_memory_equal(p[i], buf, len);
        assert_int_equal(p[i][len], '\0');
        for (size_t k = 1; k <= 16; k++) /* the readable slack after the NUL is zeroed */
            assert_int_equal(p[i][len + k], '\0');
        assert_int_equal(((uintptr_t)p[i]) % 8, 0);
    }
    assert_true(fs_spool_size(sp) >= (size_t)N * (LEN - 6));
    char *empty = fs_spool_add(sp, "", 0);
    assert_non_null(empty);
    assert_int_equal(empty[0], '\0');
    free(buf);
    free(p);
    fs_spool_free(sp);
}

static void test_round_trip_disk(void **state)
{
    (void)state;
    check_round_trip(false);
}

static void test_round_trip_heap(void **state)
{
    (void)state;
    check_round_trip(true);
}

/* 64 MB read through the spool are resident until evicted, then at most a few MB are (the
 * first check shows that the measurement sees the pages at all). */
static void test_evict_leaves_resident_set(void **state)
{
    (void)state;
    fs_spool *sp = NULL;
    assert_int_equal(fs_spool_create(false, &sp), FS_OK);
    if (!fs_spool_on_disk(sp) || rss_file_kb() < 0) {
        fs_spool_free(sp);
        skip(); /* no temp file or no /proc: nothing to measure */
    }
    enum { LEN = 1 << 20, N = 64 };
    char *buf = malloc(LEN);
    assert_non_null(buf);
    memset(buf, 'x', LEN);
    long before = rss_file_kb();
    char *first = NULL;
    for (int i = 0; i < N; i++) {
        char *q = fs_spool_add(sp, buf, LEN);
        assert_non_null(q);
        first = first ? first : q;
    }
    /* Adds go through the file; reading maps the pages in. */
    unsigned long sum = 0;
    for (size_t off = 0; off < (size_t)N * LEN; off += 4096)
        sum += (unsigned char)first[off];
    assert_true(sum > 0);
    long kept = rss_file_kb() - before;
    assert_true(kept > N * 1024 * 3 / 4); /* ~64 MB resident: the pages are seen */
    fs_spool_evict(sp, first, (size_t)N * (LEN + 24));
    long after = rss_file_kb() - before;
    assert_true(after < 4 * 1024);
    /* Contents come back from the file. */
    assert_int_equal(first[0], 'x');
    assert_int_equal(first[(size_t)N * LEN / 2 + 5], 'x');
    free(buf);
    fs_spool_free(sp);
}

/* A full temporary directory (here: a file size limit, which fails writes with EFBIG like a
 * full disk fails them with ENOSPC) sends texts to the heap instead of failing the run. In a
 * child process, so that the limit does not reach the other tests. */
static void test_disk_full_falls_back_to_heap(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {1 << 20, 1 << 20};
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
            _exit(2);
        fs_spool *sp = NULL;
        if (fs_spool_create(false, &sp) != FS_OK)
            _exit(3);
        char buf[5000];
        char *p[400];
        for (unsigned i = 0; i < 400; i++) { /* 2 MB: past the limit */
            fill(buf, sizeof buf, i);
            if (!(p[i] = fs_spool_add(sp, buf, sizeof buf)))
                _exit(4);
        }
        for (unsigned i = 0; i < 400; i++) {
            fill(buf, sizeof buf, i);
            if (memcmp(p[i], buf, sizeof buf) != 0 || p[i][sizeof buf] != '\0')
                _exit(5);
        }
        if (fs_spool_size(sp) < 400 * sizeof buf)
            _exit(6);
        fs_spool_free(sp);
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

typedef struct adder {
    fs_spool *sp;
    unsigned tag;
    char *ptr[2000];
} adder;

static void *add_many(void *arg)
{
    adder *a = arg;
    char buf[700];
    for (unsigned i = 0; i < 2000; i++) {
        fill(buf, sizeof buf, a->tag * 10000 + i);
        a->ptr[i] = fs_spool_add(a->sp, buf, sizeof buf);
        if (i % 100 == 99)
            fs_spool_evict(a->sp, a->ptr[i], sizeof buf);
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    fs_spool *sp = NULL;
    assert_int_equal(fs_spool_create(false, &sp), FS_OK);
    adder a[4];
    pthread_t t[4];
    for (unsigned k = 0; k < 4; k++) {
        a[k].sp = sp;
        a[k].tag = k;
        assert_int_equal(pthread_create(&t[k], NULL, add_many, &a[k]), 0);
    }
    for (unsigned k = 0; k < 4; k++)
        pthread_join(t[k], NULL);
    char buf[700];
    for (unsigned k = 0; k < 4; k++)
        for (unsigned i = 0; i < 2000; i++) {
            assert_non_null(a[k].ptr[i]);
            fill(buf, sizeof buf, k * 10000 + i);
            assert_memory_equal(a[k].ptr[i], buf, sizeof buf);
        }
    fs_spool_evict(sp, buf, sizeof buf); /* not the spool's: ignored */
    fs_spool_evict(NULL, buf, sizeof buf);
    fs_spool_free(sp);
    fs_spool_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_disk),
        cmocka_unit_test(test_round_trip_heap),
        cmocka_unit_test(test_evict_leaves_resident_set),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_disk_full_falls_back_to_heap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
