/* test_pdf.c: the layout primitives: shaping through the fallback encoders, the line breaker
 * (widths, justification, hyphenated words kept whole, over-long tokens), shortening with an
 * ellipsis, and tables (number formats, header repeated after a page break). */
#include "testutil.h"

#include <unistd.h>
#include "pdf/pdf_internal.h"

static int setup(void **state)
{
    fs_theme th;
    fs_theme_init(&th, "A4");
    fs_error err = {0};
    fs_pdf *pdf = fs_pdf_create(&th, "fonts", NULL, &err);
    if (!pdf)
        fail_msg("fs_pdf_create: %s: %s", err.where, err.msg);
    *state = pdf;
    return 0;
}

static int teardown(void **state)
{
    fs_pdf_free(*state);
    return 0;
}

static void test_shape_encoders(void **state)
{
    fs_pdf *pdf = *state;
    static const struct { const char *text; int enc; } rows[] = {
        {"e", 0}, {"\xE2\x82\xAC", 0},          /* € in CP1252 */
        {"\xC3\xBC", 0},                        /* ü */
        {"\xC5\x81", 1},                        /* Ł: CP1250 */
        {"\xD0\xA0", 2},                        /* Р: CP1251 */
        {"\xCF\x87", 3},                        /* χ: CP1253 */
        {"\xC4\x9F", 4},                        /* ğ: CP1254 */
        {"\xED\x95\x9C", PDF_PLACEHOLDER},      /* Hangul */
        {"\xF0\x9F\x98\x80", PDF_PLACEHOLDER},  /* emoji */
        {"\xFF", PDF_PLACEHOLDER},              /* invalid UTF-8 */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        pdf_text t;
        assert_true(pdf_shape(pdf, FS_FACE_SERIF, rows[i].text, &t));
        assert_int_equal(t.n, 1);
        if (t.g[0].enc != rows[i].enc)
            fail_msg("row %zu: encoder %d, expected %d", i, t.g[0].enc, rows[i].enc);
        assert_true(t.g[0].w > 0);
        pdf_text_free(&t);
    }
}

static void test_shape_normalises(void **state)
{
    fs_pdf *pdf = *state;
    pdf_text t;
    /* NBSP -> space, soft hyphen and zero-width space dropped, minus -> en dash, spaces
     * collapsed, ends trimmed. */
    assert_true(pdf_shape(pdf, FS_FACE_SANS,
                          "  a\xC2\xA0" "b  c\xC2\xAD" "d\xE2\x80\x8B" "e \xE2\x88\x92" "1\t ", &t));
    const uint32_t want[] = {'a', ' ', 'b', ' ', 'c', 'd', 'e', ' ', 0x2013, '1'};
    assert_int_equal(t.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < t.n; i++)
        assert_int_equal(t.g[i].cp, want[i]);
    pdf_text_free(&t);
}

/* Breaks `s` at `width` and returns the lines; checks that every line fits. */
static size_t break_text(fs_pdf *pdf, const char *s, double size, double width, pdf_text *t,
                         pdf_line **lines)
{
    assert_true(pdf_shape(pdf, FS_FACE_SERIF, s, t));
    size_t n = pdf_break(t->g, t->n, size, width, lines);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        pdf_line *ln = &(*lines)[i];
        assert_true(ln->width <= width + 1e-6);
        assert_close(ln->width, pdf_glyphs_width(t->g + ln->start, ln->end - ln->start, size),
                     1e-9);
        assert_int_equal(ln->last, i == n - 1);
        assert_true(t->g[ln->start].cp != ' ' && t->g[ln->end - 1].cp != ' ');
    }
    return n;
}

static void test_break_widths_and_order(void **state)
{
    fs_pdf *pdf = *state;
    static const double widths[] = {60, 120, 250, 480};
    const char *s = "Officials in Seoul said the alliance would weather the dispute over cost "
                    "sharing, while analysts in Washington warned that extended deterrence "
                    "depends on more than words.";
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
        pdf_text t;
        pdf_line *lines;
        size_t n = break_text(pdf, s, 10, widths[w], &t, &lines);
        /* Lines joined by single spaces give back the text: nothing lost or reordered. */
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (i > 0)
                assert_int_equal(t.g[k++].cp, ' ');
            assert_int_equal(lines[i].start, k);
            k = lines[i].end;
        }
        assert_int_equal(k, t.n);
        /* Greedy: the first word of the next line would not have fitted. */
        for (size_t i = 0; i + 1 < n; i++) {
            size_t e = lines[i + 1].start;
            while (e < t.n && t.g[e].cp != ' ')
                e++;
            double next = pdf_glyphs_width(t.g + lines[i + 1].start, e - lines[i + 1].start, 10);
            double space = pdf_glyphs_width(t.g + lines[i].end, 1, 10);
            assert_true(lines[i].width + space + next > widths[w]);
        }
        free(lines);
        pdf_text_free(&t);
    }
}

static void test_justify(void **state)
{
    fs_pdf *pdf = *state;
    pdf_text t;
    pdf_line *lines;
    size_t n = break_text(pdf, "one two three four five six seven eight nine ten eleven "
                          "twelve thirteen", 10, 100, &t, &lines);
    assert_true(n >= 2);
    for (size_t i = 0; i < n; i++) {
        double tw = pdf_justify_space(&lines[i], 10, 100);
        if (lines[i].last || lines[i].spaces == 0) {
            assert_true(tw == 0);
        } else {
            assert_close(lines[i].width + tw * lines[i].spaces, 100.0, 1e-9);
        }
    }
    free(lines);
    pdf_text_free(&t);
}

static void test_hyphenated_word_kept_whole(void **state)
{
    fs_pdf *pdf = *state;
    const char *s = "the burden-sharing deal and the so-called cost-sharing clause, a long-term "
                    "burden-sharing plan";
    pdf_text probe;
    assert_true(pdf_shape(pdf, FS_FACE_SERIF, "the burden-sharing", &probe));
    double w_both = pdf_glyphs_width(probe.g, probe.n, 10);
    pdf_text_free(&probe);
    /* Widths that fit "the burden-" (and "burden-sharing" alone) but not "the burden-sharing". */
    static const double cut[] = {0.9, 0.95, 0.99};
    for (size_t c = 0; c < sizeof cut / sizeof cut[0]; c++) {
        pdf_text t;
        pdf_line *lines;
        size_t n = break_text(pdf, s, 10, w_both * cut[c], &t, &lines);
        for (size_t i = 0; i < n; i++) {
            /* No line ends in a hyphen, and none starts right after one. */
            assert_true(t.g[lines[i].end - 1].cp != '-');
            if (lines[i].start > 0)
                assert_int_equal(t.g[lines[i].start - 1].cp, ' ');
        }
        free(lines);
        pdf_text_free(&t);
    }
}

static void test_long_token_split(void **state)
{
    fs_pdf *pdf = *state;
    pdf_text t;
    pdf_line *lines;
    size_t n = break_text(pdf, "see https://example.com/a/very/long/path/"
                          "that-keeps-going-and-going-without-any-space-at-all/index.html now",
                          10, 90, &t, &lines);
    assert_true(n >= 4);
    size_t soft = 0;
    for (size_t i = 0; i + 1 < n; i++)
        soft += t.g[lines[i].end - 1].cp == '/';
    assert_true(soft >= 1);   /* prefers URL separators */
    free(lines);
    pdf_text_free(&t);
    /* A column narrower than one glyph still makes progress. */
    assert_true(pdf_shape(pdf, FS_FACE_SERIF, "WWW", &t));
    n = pdf_break(t.g, t.n, 10, 1, &lines);
    assert_int_equal(n, 3);
    free(lines);
    pdf_text_free(&t);
}

static void test_fit_with_ellipsis(void **state)
{
    fs_pdf *pdf = *state;
    pdf_text t;
    assert_true(pdf_shape(pdf, FS_FACE_SANS, "Quincy Institute for Responsible Statecraft", &t));
    double full = pdf_glyphs_width(t.g, t.n, 8), ell = 8.0;
    assert_int_equal(pdf_fit(t.g, t.n, 8, full, ell, false), t.n);
    size_t k = pdf_fit(t.g, t.n, 8, full / 2, ell, false);
    assert_true(k > 0 && k < t.n);
    assert_true(pdf_glyphs_width(t.g, k, 8) + ell <= full / 2 + 1e-9);
    size_t e = pdf_fit(t.g, t.n, 8, full / 2, ell, true);
    assert_true(pdf_glyphs_width(t.g + t.n - e, e, 8) + ell <= full / 2 + 1e-9);
    pdf_text_free(&t);
}

static void test_table_pages_and_numbers(void **state)
{
    fs_pdf *pdf = *state;
    fs_pdf_section(pdf, "Table test", true);
    fs_pdf_table *t = fs_pdf_table_create(3);
    assert_non_null(t);
    fs_pdf_table_column(t, 0, "Label column", FS_COL_WRAP, 0);
    fs_pdf_table_column(t, 1, "Amount value", FS_COL_NUM, 2);
    fs_pdf_table_column(t, 2, "Probability", FS_COL_NUM, 3);
    fs_pdf_table_row(t);
    fs_pdf_table_text(t, "first");
    fs_pdf_table_num(t, 1234.5);
    fs_pdf_table_pvalue(t, 0.0001);
    fs_pdf_table_row(t);
    fs_pdf_table_text(t, "second");
    fs_pdf_table_num(t, NAN);
    fs_pdf_table_pvalue(t, 0.25);
    fs_pdf_table_row(t);
    fs_pdf_table_text(t, "third");
    fs_pdf_table_num(t, -0.001);
    fs_pdf_table_count(t, 1234567);
    for (int i = 0; i < 150; i++) {
        fs_pdf_table_row(t);
        fs_pdf_table_text(t, "row");
        fs_pdf_table_num(t, i);
        fs_pdf_table_num(t, 0.5);
    }
    fs_pdf_table_draw(pdf, t);
    fs_pdf_table_free(t);
    fs_pdf_finish(pdf);
    char dir[] = "/tmp/fs-pdf-XXXXXX", path[64], cmd[200];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.pdf", dir);
    fs_error err = {0};
    size_t bytes = 0;
    assert_int_equal(fs_pdf_save(pdf, path, &bytes, &err), FS_OK);
    assert_true(bytes > 1000);
    assert_true(fs_pdf_page_count(pdf) >= 3);
    snprintf(cmd, sizeof cmd, "pdftotext -layout '%s' - 2>&1", path);
    char *text = tu_run(cmd, NULL);
    size_t headers = 0;
    for (const char *p = text; (p = strstr(p, "Label column")); p++)
        headers++;
    assert_int_equal(headers, (size_t)fs_pdf_page_count(pdf));   /* once per page */
    assert_non_null(strstr(text, "1,234.50"));
    assert_non_null(strstr(text, "< 0.001"));
    assert_non_null(strstr(text, "\xE2\x80\x93"));
    assert_non_null(strstr(text, "1,234,567"));
    assert_null(strstr(text, "-0.00"));
    free(text);
    assert_int_equal(tu_remove_tree(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_shape_encoders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shape_normalises, setup, teardown),
        cmocka_unit_test_setup_teardown(test_break_widths_and_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_justify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hyphenated_word_kept_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_token_split, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fit_with_ellipsis, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_pages_and_numbers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
