/* test_base.c: arena, strbuf, vec, intern, error mapping and atomic output files. */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>

#include "framescope/arena.h"
#include "framescope/error.h"
#include "framescope/fileio.h"
#include "framescope/intern.h"
#include "framescope/strbuf.h"
#include "framescope/vec.h"

static void test_arena_strings(void **state)
{
    (void)state;
    fs_arena *a = fs_arena_create(64);
    assert_non_null(a);
    char *s = fs_arena_strdup(a, "taiwan strait");
    char *big = fs_arena_alloc(a, 10000); /* larger than a chunk: gets its own block */
    assert_non_null(big);
    memset(big, 'x', 10000);
    char *t = fs_arena_strndup(a, "deterrence!!", 10);
    assert_string_equal(s, "taiwan strait");
    assert_string_equal(t, "deterrence");
    assert_true(((uintptr_t)big % sizeof(void *)) == 0);
    fs_arena_free(a);
    fs_arena_free(NULL);
}

static void test_strbuf(void **state)
{
    (void)state;
    fs_strbuf b = FS_STRBUF_INIT;
    for (int i = 0; i < 1000; i++)
        assert_int_equal(fs_strbuf_printf(&b, "%d,", i % 10), FS_OK);
    assert_int_equal(b.len, 2000);
    assert_memory_equal(b.data, "0,1,2,", 6);
    fs_strbuf_reset(&b);
    fs_strbuf_puts(&b, "US");
    fs_strbuf_putc(&b, '-');
    fs_strbuf_append(&b, "ROKX", 3);
    char *s = fs_strbuf_detach(&b);
    assert_string_equal(s, "US-ROK");
    assert_null(b.data);
    free(s);
    s = fs_strbuf_detach(&b); /* empty buffer detaches to "" */
    assert_string_equal(s, "");
    free(s);
}

static void test_vec_grow(void **state)
{
    (void)state;
    uint64_t *v = NULL;
    size_t n = 0, cap = 0;
    for (uint64_t x = 0; x < 100; x++) {
        uint64_t *g = fs_vec_grow(v, n, &cap, sizeof *g, 4);
        assert_non_null(g);
        v = g;
        v[n++] = x;
        assert_true(n <= cap);
    }
    assert_int_equal(cap, 128); /* 4, doubled */
    for (uint64_t x = 0; x < 100; x++)
        assert_int_equal(v[x], x);
    /* Room left: the same array, the capacity unchanged. */
    assert_ptr_equal(fs_vec_grow(v, 100, &cap, sizeof *v, 4), v);
    assert_int_equal(cap, 128);
    /* Too large to count in bytes: NULL, the array and its capacity as they were. */
    size_t huge = SIZE_MAX / 2;
    assert_null(fs_vec_grow(v, huge, &huge, sizeof *v, 4));
    assert_int_equal(huge, SIZE_MAX / 2);
    free(v);
}

static void test_vec_reserve(void **state)
{
    (void)state;
    size_t cap = 0;
    void *b = NULL;
    /* Nothing needed yet: fine, and the array may stay NULL (an empty first document). */
    assert_int_equal(fs_vec_reserve(&b, 0, &cap, 1, 64), FS_OK);
    assert_null(b);
    assert_int_equal(fs_vec_reserve(&b, 100, &cap, 1, 64), FS_OK);
    assert_non_null(b);
    assert_int_equal(cap, 128); /* 64 doubled once reaches 100 */
    void *same = b;
    assert_int_equal(fs_vec_reserve(&b, 128, &cap, 1, 64), FS_OK); /* enough already */
    assert_ptr_equal(b, same);
    assert_int_equal(fs_vec_reserve(&b, 1000, &cap, 1, 64), FS_OK);
    assert_int_equal(cap, 1024);
    void *kept = b;
    assert_int_equal(fs_vec_reserve(&b, SIZE_MAX / 4, &cap, 8, 64), FS_ERR_NOMEM); /* overflow */
    assert_int_equal(cap, 1024);
    assert_ptr_equal(b, kept);
    free(b);
}

static void test_intern_ids_dense_and_stable(void **state)
{
    (void)state;
    fs_intern *t = fs_intern_create();
    assert_non_null(t);
    char word[32];
    /* 50,000 distinct words force several rehashes; ids must stay dense and stable. */
    for (uint32_t i = 0; i < 50000; i++) {
        int n = snprintf(word, sizeof word, "w%u", i);
        uint32_t id;
        assert_int_equal(fs_intern_add(t, word, (size_t)n, &id), FS_OK);
        assert_int_equal(id, i);
    }
    uint32_t id;
    assert_int_equal(fs_intern_add(t, "w123", 4, &id), FS_OK);
    assert_int_equal(id, 123);
    assert_int_equal(fs_intern_count(t), 50000);
    assert_string_equal(fs_intern_str(t, 49999), "w49999");
    assert_int_equal(fs_intern_len(t, 10), 3);
    assert_int_equal(fs_intern_find(t, "w7", 2), 7);
    assert_int_equal(fs_intern_find(t, "US", 2), FS_INTERN_NONE);
    /* Case matters: "US" and "us" are different terms. */
    uint32_t a, b;
    fs_intern_add(t, "US", 2, &a);
    fs_intern_add(t, "us", 2, &b);
    assert_int_not_equal(a, b);
    fs_intern_free(t);
}

static void test_exit_codes(void **state)
{
    (void)state;
    /* The table documented in --help and the README. */
    assert_int_equal(fs_status_exit_code(FS_OK), 0);
    assert_int_equal(fs_status_exit_code(FS_ERR_CONFIG), 2);
    assert_int_equal(fs_status_exit_code(FS_ERR_USAGE), 2);
    assert_int_equal(fs_status_exit_code(FS_ERR_REGEX), 2);
    assert_int_equal(fs_status_exit_code(FS_ERR_INPUT), 3);
    assert_int_equal(fs_status_exit_code(FS_ERR_OUTPUT), 4);
    assert_int_equal(fs_status_exit_code(FS_ERR_NOMEM), 1);
    fs_error e;
    assert_int_equal(fs_error_set(&e, FS_ERR_CONFIG, "sources[1].inputs[0]", "bad %s", "glob"),
                     FS_ERR_CONFIG);
    assert_string_equal(e.where, "sources[1].inputs[0]");
    assert_string_equal(e.msg, "bad glob");
}

static void test_outfile_atomic(void **state)
{
    (void)state;
    char dir[] = "/tmp/fs-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/sub/deeper/out.txt", dir);
    fs_error err;
    /* An aborted write leaves nothing behind, and an old file stays as it was. */
    assert_int_equal(fs_write_file_atomic(path, "old\n", 4, &err), FS_OK);
    fs_outfile f;
    assert_int_equal(fs_outfile_open(&f, path, &err), FS_OK);
    fputs("partial", f.fp);
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", f.tmp);
    fs_outfile_abort(&f);
    assert_int_not_equal(access(tmp, F_OK), 0);
    char *data;
    size_t len;
    assert_int_equal(fs_read_file(path, 0, &data, &len, &err), FS_OK);
    assert_string_equal(data, "old\n");
    free(data);
    /* A missing file is an input error naming the path. */
    assert_int_equal(fs_read_file("/nonexistent/x.txt", 0, &data, &len, &err), FS_ERR_INPUT);
    assert_string_equal(err.where, "/nonexistent/x.txt");
    /* A size cap is enforced. */
    assert_int_equal(fs_read_file(path, 2, &data, &len, &err), FS_ERR_INPUT);
    unlink(path);
    assert_int_equal(tu_remove_tree(dir), 0);
}

/* A full disk: the write itself fails (ENOSPC). /dev/full stands in for the disk under the
 * temporary file; the error must surface at commit and the destination must stay as it was. */
static void test_outfile_full_disk(void **state)
{
    (void)state;
    char dir[] = "/tmp/fs-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/report.pdf", dir);
    fs_error err;
    assert_int_equal(fs_write_file_atomic(path, "previous report", 15, &err), FS_OK);
    fs_outfile f;
    assert_int_equal(fs_outfile_open(&f, path, &err), FS_OK);
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", f.tmp);
    fclose(f.fp);
    f.fp = fopen("/dev/full", "wb");
    assert_non_null(f.fp);
    static char block[1 << 16];
    fwrite(block, 1, sizeof block, f.fp); /* buffered: fails now or at the flush in commit */
    assert_int_equal(fs_outfile_commit(&f, &err), FS_ERR_OUTPUT);
    assert_non_null(strstr(err.msg, "No space left"));
    assert_int_not_equal(access(tmp, F_OK), 0);
    char *data;
    size_t len;
    assert_int_equal(fs_read_file(path, 0, &data, &len, &err), FS_OK);
    assert_string_equal(data, "previous report");
    free(data);
    assert_int_equal(tu_remove_tree(dir), 0);
}

static void test_outfile_unwritable(void **state)
{
    (void)state;
    /* A path through a device fails for root too (permissions would not). */
    fs_error err;
    assert_int_equal(fs_write_file_atomic("/dev/null/x/out.pdf", "x", 1, &err), FS_ERR_OUTPUT);
    assert_non_null(strstr(err.where, "/dev/null"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena_strings),
        cmocka_unit_test(test_strbuf),
        cmocka_unit_test(test_vec_grow),
        cmocka_unit_test(test_vec_reserve),
        cmocka_unit_test(test_intern_ids_dense_and_stable),
        cmocka_unit_test(test_exit_codes),
        cmocka_unit_test(test_outfile_atomic),
        cmocka_unit_test(test_outfile_unwritable),
        cmocka_unit_test(test_outfile_full_disk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
