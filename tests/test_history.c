/* test_history.c: storing stats.json per period, finding the previous one, and the change
 * table between two hand-built analyses with hand-computed deltas. */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>

#include "framescope/fileio.h"
#include "framescope/history.h"

typedef struct fixture {
    char dir[64];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    return tu_setup_temp_dir(state, f, f->dir, sizeof f->dir, "history");
}

static int teardown(void **state)
{
    fixture *f = *state;
    return tu_teardown_temp_dir(f, f->dir);
}

/* ---- two periods, built by hand ------------------------------------------------------- */

/* Previous period (2025-03): sources yna, kcna; frames listed economy, security.
 * Current period (2025-04): sources kcna, nknews (new), yna; frames listed security, economy.
 * Matching must go by id and name, never by position. */
static fs_source_summary prev_sources[] = {{.id = "yna", .label = "Yonhap"},
                                           {.id = "kcna", .label = "KCNA"}};
static char *prev_frames[] = {"economy", "security"};
static fs_frame_row prev_rates[] = {
    {.source = 0, .frame = 0, .rate_per_1k = 2.0}, {.source = 1, .frame = 0, .rate_per_1k = 1.0},
    {.source = 0, .frame = 1, .rate_per_1k = 5.0}, {.source = 1, .frame = 1, .rate_per_1k = 8.0},
};
static fs_term_row prev_terms[] = {
    {.source = 0, .term = "alliance", .per_10k = 10}, {.source = 0, .term = "seoul", .per_10k = 6},
    {.source = 0, .term = "navy", .per_10k = 5},      {.source = 0, .term = "drills", .per_10k = 4},
    {.source = 0, .term = "trade", .per_10k = 3},     {.source = 0, .term = "missile", .per_10k = 2},
    {.source = 1, .term = "enemy", .per_10k = 20},    {.source = 1, .term = "puppet", .per_10k = 5},
};

static fs_source_summary cur_sources[] = {{.id = "kcna", .label = "KCNA"},
                                          {.id = "nknews", .label = "NK News"},
                                          {.id = "yna", .label = "Yonhap"}};
static char *cur_frames[] = {"security", "economy"};
static fs_frame_row cur_rates[] = {
    {.source = 0, .frame = 0, .rate_per_1k = 6.0}, {.source = 1, .frame = 0, .rate_per_1k = 3.0},
    {.source = 2, .frame = 0, .rate_per_1k = 5.0}, {.source = 0, .frame = 1, .rate_per_1k = 1.5},
    {.source = 1, .frame = 1, .rate_per_1k = 3.0}, {.source = 2, .frame = 1, .rate_per_1k = 4.5},
};
static fs_term_row cur_terms[] = {
    {.source = 0, .term = "enemy", .per_10k = 15},    {.source = 0, .term = "puppet", .per_10k = 5},
    {.source = 0, .term = "war", .per_10k = 2.5},     {.source = 1, .term = "regime", .per_10k = 9},
    {.source = 2, .term = "alliance", .per_10k = 12}, {.source = 2, .term = "drills", .per_10k = 8},
    {.source = 2, .term = "seoul", .per_10k = 6},     {.source = 2, .term = "summit", .per_10k = 4},
    {.source = 2, .term = "navy", .per_10k = 3},      {.source = 2, .term = "trade", .per_10k = 1},
};

#define N(x) (sizeof(x) / sizeof(x)[0])

/* The analysis of one period over its <p>_sources, <p>_frames, <p>_rates and <p>_terms. */
#define PERIOD_ANALYSIS(label, p)                                                              \
    ((fs_analysis){.params.period = (label),                                                   \
                   .sources = p##_sources, .n_sources = N(p##_sources),                        \
                   .frames = p##_frames, .n_frames = N(p##_frames),                            \
                   .frame_rows = p##_rates, .n_frame_rows = N(p##_rates),                      \
                   .terms = p##_terms, .n_terms = N(p##_terms)})

static fs_analysis prev_analysis(void)
{
    return PERIOD_ANALYSIS("2025-03", prev);
}

static fs_analysis cur_analysis(void)
{
    return PERIOD_ANALYSIS("2025-04", cur);
}

static char *path_in(const fixture *f, const char *name)
{
    char *p = fs_path_join(f->dir, name);
    assert_non_null(p);
    return p;
}

/* ---- store and find --------------------------------------------------------------------- */

static void test_store_and_find(void **state)
{
    fixture *f = *state;
    fs_analysis prev = prev_analysis();
    fs_error err = {0};
    char *hist = path_in(f, "history/nested");

    /* No folder yet: not an error, just nothing to compare with. */
    char *path = (char *)1, *label = (char *)1;
    assert_int_equal(fs_history_find_previous(hist, "2025-04", &path, &label, &err), FS_OK);
    assert_null(path);
    assert_null(label);

    assert_int_equal(fs_history_store(&prev, hist, NULL, &err), FS_OK);       /* 2025-03 */
    assert_int_equal(fs_history_store(&prev, hist, "2025-01", &err), FS_OK);
    assert_int_equal(fs_history_store(&prev, hist, "2025-05", &err), FS_OK);
    assert_int_equal(fs_history_store(&prev, hist, "all", &err), FS_OK);
    assert_int_equal(fs_history_store(&prev, hist, "2024/12", &err), FS_OK); /* sanitized */
    assert_int_equal(fs_history_store(&prev, hist, "2025-04", &err), FS_OK); /* the current one */
    char *odd = path_in(f, "history/nested/notes.txt");
    FILE *fp = fopen(odd, "w");
    assert_non_null(fp);
    fclose(fp);
    free(odd);

    char *sanitized = path_in(f, "history/nested/stats-2024_12.json");
    assert_int_equal(access(sanitized, F_OK), 0);
    free(sanitized);

    static const struct {
        const char *current, *expected; /* NULL: none */
    } rows[] = {
        {"2025-04", "2025-03"},   /* strictly before: its own file is skipped */
        {"2025-04-15", "2025-04"},/* label order, not file-name order (".json" vs "-15.json") */
        {"2025-03", "2025-01"},
        {"2025-01", "2024_12"},
        {"2024_12", NULL},
        {"2099-01", "2025-05"},   /* "all" never counts as a period */
        {"all", NULL},
    };
    for (size_t i = 0; i < N(rows); i++) {
        assert_int_equal(fs_history_find_previous(hist, rows[i].current, &path, &label, &err),
                         FS_OK);
        if (!rows[i].expected) {
            assert_null(path);
            assert_null(label);
            continue;
        }
        assert_non_null(label);
        assert_string_equal(label, rows[i].expected);
        char name[64];
        snprintf(name, sizeof name, "history/nested/stats-%s.json", rows[i].expected);
        char *want = path_in(f, name);
        assert_string_equal(path, want);
        free(want);
        free(path);
        free(label);
    }
    free(hist);
}

/* ---- change table ----------------------------------------------------------------------- */

typedef struct expected_row {
    size_t source;
    const char *item;
    bool is_frame;
    double before, after, delta;
} expected_row;

static void check_rows(const fs_changes *c, const expected_row *want, size_t n)
{
    for (size_t i = 0; i < c->n_rows && i < n; i++) {
        const fs_change_row *r = &c->rows[i];
        if (r->source != want[i].source || strcmp(r->item, want[i].item) != 0 ||
            r->is_frame != want[i].is_frame)
            fail_msg("row %zu: got (%zu, %s, %d), expected (%zu, %s, %d)", i, r->source,
                     r->item, r->is_frame, want[i].source, want[i].item, want[i].is_frame);
        assert_close(r->before, want[i].before, 1e-12);
        assert_close(r->after, want[i].after, 1e-12);
        assert_close(r->delta, want[i].delta, 1e-12);
    }
    assert_int_equal(c->n_rows, n);
}

static void test_changes(void **state)
{
    fixture *f = *state;
    fs_analysis prev = prev_analysis(), cur = cur_analysis();
    fs_error err = {0};
    char *hist = path_in(f, "h");
    assert_int_equal(fs_history_store(&prev, hist, NULL, &err), FS_OK);
    char *path, *label;
    assert_int_equal(fs_history_find_previous(hist, "2025-04", &path, &label, &err), FS_OK);
    assert_non_null(path);

    fs_changes *c = NULL;
    assert_int_equal(fs_changes_compute(&cur, path, label, 2, &c, &err), FS_OK);
    assert_non_null(c);
    assert_string_equal(c->previous_period, "2025-03");
    /* Hand-computed. kcna (current index 0): economy 1.0 -> 1.5 (+0.5), security 8 -> 6 (-2);
     * terms: war new (0 -> 2.5), enemy 20 -> 15 (-5), puppet unchanged (left out).
     * nknews (1): absent in 2025-03, no rows.
     * yna (2): economy 2 -> 4.5 (+2.5), security 5 -> 5 (0, frames are all listed);
     * terms: drills +4 and summit +4 (new; tie by text), alliance +2 is third and cut;
     * falls missile -2 (gone), navy -2, trade -2: a three-way tie, the first two by text stay. */
    static const expected_row want[] = {
        {0, "economy", true, 1.0, 1.5, 0.5},
        {0, "security", true, 8.0, 6.0, -2.0},
        {0, "war", false, 0, 2.5, 2.5},
        {0, "enemy", false, 20, 15, -5},
        {2, "economy", true, 2.0, 4.5, 2.5},
        {2, "security", true, 5.0, 5.0, 0},
        {2, "drills", false, 4, 8, 4},
        {2, "summit", false, 0, 4, 4},
        {2, "missile", false, 2, 0, -2},
        {2, "navy", false, 5, 3, -2},
    };
    check_rows(c, want, N(want));
    fs_changes_free(c);

    /* per_source 1: one rise and one fall per source. */
    assert_int_equal(fs_changes_compute(&cur, path, label, 1, &c, &err), FS_OK);
    static const expected_row want1[] = {
        {0, "economy", true, 1.0, 1.5, 0.5},
        {0, "security", true, 8.0, 6.0, -2.0},
        {0, "war", false, 0, 2.5, 2.5},
        {0, "enemy", false, 20, 15, -5},
        {2, "economy", true, 2.0, 4.5, 2.5},
        {2, "security", true, 5.0, 5.0, 0},
        {2, "drills", false, 4, 8, 4},
        {2, "missile", false, 2, 0, -2},
    };
    check_rows(c, want1, N(want1));
    fs_changes_free(c);
    free(path);
    free(label);
    free(hist);
    fs_changes_free(NULL);
}

/* The reader against a hand-written stats.json: only the keys it needs, nulls for undefined
 * rates, and frame rows under "frame_rates". */
static void test_changes_handwritten(void **state)
{
    fixture *f = *state;
    fs_analysis cur = cur_analysis();
    char *p = tu_write_temp(
        f->dir, "stats-2025-02.json",
        "{\"period\": \"2025-02\",\n"
        " \"sources\": [{\"id\": \"yna\", \"label\": \"Yonhap\"}],\n"
        " \"frames\": [\"economy\", \"security\"],\n"
        " \"terms\": [{\"source\": \"yna\", \"term\": \"trade\", \"count\": 3, \"per_10k\": 2.25},\n"
        "            {\"source\": \"kcna\", \"term\": \"trade\", \"count\": 3, \"per_10k\": 9}],\n"
        " \"frame_rates\": [{\"source\": \"yna\", \"frame\": \"economy\", \"rate_per_1k\": 4.0},\n"
        "                   {\"source\": \"yna\", \"frame\": \"security\", \"rate_per_1k\": null}]}\n");
    assert_non_null(p);
    fs_changes *c = NULL;
    fs_error err = {0};
    assert_int_equal(fs_changes_compute(&cur, p, NULL, 1, &c, &err), FS_OK);
    assert_string_equal(c->previous_period, "2025-02");
    static const expected_row want[] = {
        {2, "economy", true, 4.0, 4.5, 0.5},   /* security was undefined before: no row */
        {2, "alliance", false, 0, 12, 12},
        {2, "trade", false, 2.25, 1, -1.25},
    };
    check_rows(c, want, N(want));
    fs_changes_free(c);
    free(p);

    p = tu_write_temp(f->dir, "broken.json", "{\"sources\": [\n  {\"id\": }\n]}");
    assert_int_equal(fs_changes_compute(&cur, p, "x", 1, &c, &err), FS_ERR_INPUT);
    assert_null(c);
    assert_non_null(strstr(err.where, "broken.json:2:"));
    free(p);

    p = tu_write_temp(f->dir, "other.json", "{\"sources\": 3}");
    assert_int_equal(fs_changes_compute(&cur, p, "x", 1, &c, &err), FS_ERR_INPUT);
    assert_null(c);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_and_find, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changes_handwritten, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
