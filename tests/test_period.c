/* test_period.c: period options; expected ranges worked out on a calendar. */
#include "testutil.h"

#include "framescope/period.h"

/* 2026-01-15 00:00:00 UTC = 1768435200 (date -u -d 2026-01-15 +%s). */
#define JAN_15_2026 ((time_t)1768435200)
/* 2024-03-10 12:00:00 UTC = 1710072000. */
#define MAR_10_2024 ((time_t)1710072000)

static void test_month(void **state)
{
    (void)state;
    fs_period p;
    fs_error err;
    assert_int_equal(fs_period_parse("2025-04", NULL, NULL, 0, &p, &err), FS_OK);
    assert_string_equal(p.label, "2025-04");
    assert_int_equal(p.from.day, 1);
    assert_int_equal(p.to.day, 30);
    assert_true(fs_period_contains(&p, (fs_date){2025, 4, 1}));
    assert_true(fs_period_contains(&p, (fs_date){2025, 4, 30}));
    assert_false(fs_period_contains(&p, (fs_date){2025, 5, 1}));
    assert_false(fs_period_contains(&p, (fs_date){0, 0, 0}));
}

static void test_last_month_wraps_year_and_leap(void **state)
{
    (void)state;
    fs_period p;
    assert_int_equal(fs_period_parse("last-month", NULL, NULL, JAN_15_2026, &p, NULL), FS_OK);
    assert_string_equal(p.label, "2025-12");
    assert_int_equal(p.to.day, 31);
    assert_int_equal(fs_period_parse("last-month", NULL, NULL, MAR_10_2024, &p, NULL), FS_OK);
    assert_string_equal(p.label, "2024-02");
    assert_int_equal(p.to.day, 29); /* 2024 is a leap year */
}

static void test_from_to(void **state)
{
    (void)state;
    fs_period p;
    fs_error err;
    assert_int_equal(fs_period_parse(NULL, "2020-02-01", "2020-02-29", 0, &p, &err), FS_OK);
    assert_true(fs_period_contains(&p, (fs_date){2020, 2, 11}));
    assert_false(fs_period_contains(&p, (fs_date){2020, 3, 1}));
    assert_string_equal(p.label, "2020-02-01_2020-02-29");
    assert_int_equal(fs_period_parse(NULL, "2020-02-01", NULL, 0, &p, &err), FS_OK);
    assert_true(fs_period_contains(&p, (fs_date){2031, 1, 1}));
    assert_int_equal(fs_period_parse(NULL, NULL, NULL, 0, &p, &err), FS_OK);
    assert_true(p.all);
    assert_true(fs_period_contains(&p, (fs_date){0, 0, 0}));
}

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *spec, *from, *to, *where;
    } rows[] = {
        {"2025-13", NULL, NULL, "--period"},
        {"april", NULL, NULL, "--period"},
        {"2025-04", "2025-01-01", NULL, "--period"},
        {NULL, "2023-02-29", NULL, "--from"}, /* not a leap year */
        {NULL, "2025-01-01", "2024-12-31", "--from"},
        {NULL, NULL, "tomorrow", "--to"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        fs_period p;
        fs_error err;
        assert_int_equal(fs_period_parse(rows[i].spec, rows[i].from, rows[i].to, 0, &p, &err),
                         FS_ERR_USAGE);
        assert_string_equal(err.where, rows[i].where);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_month),
        cmocka_unit_test(test_last_month_wraps_year_and_leap),
        cmocka_unit_test(test_from_to),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
