/* test_email.c: base64, quoted-printable, RFC 2047 headers, the summary text, and a whole
 * message checked by Python's email parser (tests/e2e/email_parse.py). */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>

#include "email_internal.h"
#include "framescope/base64.h"
#include "framescope/email.h"
#include "framescope/fileio.h"
#include "framescope/strbuf.h"

/* ---- base64 ---------------------------------------------------------------------------- */

static void test_base64_rfc4648(void **state)
{
    (void)state;
    /* RFC 4648 section 10 test vectors. */
    static const struct {
        const char *in, *out;
    } rows[] = {
        {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        fs_strbuf b = FS_STRBUF_INIT;
        assert_int_equal(fs_base64_encode(&b, rows[i].in, strlen(rows[i].in), 0), FS_OK);
        assert_string_equal(b.data ? b.data : "", rows[i].out);
        assert_int_equal(fs_base64_encoded_len(strlen(rows[i].in)), strlen(rows[i].out));
        fs_strbuf_free(&b);
    }
}

static void test_base64_lines(void **state)
{
    (void)state;
    unsigned char data[58];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 37);
    /* 57 bytes are exactly one 76-character line. */
    fs_strbuf b = FS_STRBUF_INIT;
    assert_int_equal(fs_base64_encode(&b, data, 57, 76), FS_OK);
    assert_int_equal(b.len, 78);
    assert_memory_equal(b.data + 76, "\r\n", 2);
    fs_strbuf_reset(&b);
    /* One byte more spills a final "XX==" line. */
    assert_int_equal(fs_base64_encode(&b, data, 58, 76), FS_OK);
    assert_int_equal(b.len, 78 + 6);
    assert_memory_equal(b.data + 78 + 2, "==\r\n", 4);
    fs_strbuf_free(&b);
    /* foobar wrapped at 4 gives two lines. */
    fs_strbuf c = FS_STRBUF_INIT;
    assert_int_equal(fs_base64_encode(&c, "foobar", 6, 4), FS_OK);
    assert_string_equal(c.data, "Zm9v\r\nYmFy\r\n");
    fs_strbuf_free(&c);
}

/* ---- quoted-printable ------------------------------------------------------------------ */

static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    assert_non_null(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static void check_qp(const char *in, const char *expected)
{
    fs_strbuf b = FS_STRBUF_INIT;
    assert_int_equal(fs_email_qp_encode(&b, in, strlen(in)), FS_OK);
    assert_string_equal(b.data ? b.data : "", expected);
    fs_strbuf_free(&b);
}

static void test_qp_rows(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } rows[] = {
        {"a=b", "a=3Db\r\n"},
        {"caf\xc3\xa9 ok", "caf=C3=A9 ok\r\n"},
        {"US\xe2\x80\x93ROK", "US=E2=80=93ROK\r\n"},
        {"trailing space \nnext", "trailing space=20\r\nnext\r\n"},
        {"tab\t\r\nx", "tab=09\r\nx\r\n"},
        {".dot\nFrom here\nFromage", "=2Edot\r\n=46rom here\r\nFromage\r\n"},
        {"", ""},
        {"\n\n", "\r\n\r\n"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        check_qp(rows[i].in, rows[i].out);
}

static void test_qp_long_lines(void **state)
{
    (void)state;
    char expected[512];
    /* 76 characters fit on one line: the last token may use the last column. */
    char *x76 = repeat('x', 76);
    snprintf(expected, sizeof expected, "%s\r\n", x76);
    check_qp(x76, expected);

    /* 100 characters: 75, a soft break "=", then the remaining 25. */
    char *x100 = repeat('x', 100);
    char *x75 = repeat('x', 75), *x25 = repeat('x', 25);
    snprintf(expected, sizeof expected, "%s=\r\n%s\r\n", x75, x25);
    check_qp(x100, expected);

    /* An escape is never split: 74 x and "é" (=C3=A9) break before the escape. */
    char *x74 = repeat('x', 74);
    char in[128];
    snprintf(in, sizeof in, "%s\xc3\xa9", x74);
    snprintf(expected, sizeof expected, "%s=\r\n=C3=A9\r\n", x74);
    check_qp(in, expected);

    /* A final '.' fits in column 76; one more character forces a soft break, and the '.'
     * that then starts a line is escaped. */
    snprintf(in, sizeof in, "%s.", x75);
    snprintf(expected, sizeof expected, "%s.\r\n", x75);
    check_qp(in, expected);
    snprintf(in, sizeof in, "%s.y", x75);
    snprintf(expected, sizeof expected, "%s=\r\n=2Ey\r\n", x75);
    check_qp(in, expected);
    free(x76);
    free(x100);
    free(x75);
    free(x25);
    free(x74);
}

/* ---- headers ---------------------------------------------------------------------------- */

/* Independent decoder for what the tests expect: unfolds, then decodes "Q" encoded-words and
 * drops the whitespace between adjacent ones (RFC 2047 section 6.2). */
static char *decode_header_value(const char *hdr)
{
    const char *colon = strchr(hdr, ':');
    assert_non_null(colon);
    fs_strbuf unf = FS_STRBUF_INIT;
    for (const char *p = colon + 1; *p; p++)
        if (*p != '\r' && *p != '\n')
            fs_strbuf_putc(&unf, *p);
    const char *s = unf.data + 1; /* the space after the colon */
    fs_strbuf out = FS_STRBUF_INIT;
    int last_was_word = 0;
    while (*s) {
        if (strncmp(s, "=?utf-8?Q?", 10) == 0) {
            s += 10;
            while (!(s[0] == '?' && s[1] == '=')) {
                assert_true(*s != '\0');
                if (*s == '_') {
                    fs_strbuf_putc(&out, ' ');
                    s++;
                } else if (*s == '=') {
                    unsigned v;
                    assert_int_equal(sscanf(s + 1, "%2X", &v), 1);
                    fs_strbuf_putc(&out, (char)v);
                    s += 3;
                } else {
                    fs_strbuf_putc(&out, *s++);
                }
            }
            s += 2;
            last_was_word = 1;
        } else if (*s == ' ' && last_was_word && strncmp(s + 1, "=?", 2) == 0) {
            s++;
        } else {
            fs_strbuf_putc(&out, *s++);
            last_was_word = 0;
        }
    }
    fs_strbuf_free(&unf);
    return fs_strbuf_detach(&out);
}

static void assert_lines_within(const char *text, size_t max)
{
    const char *line = text;
    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            assert_true(p > text && p[-1] == '\r');
            assert_true((size_t)(p - 1 - line) <= max);
            line = p + 1;
        }
    }
    assert_true(line[0] == '\0'); /* ends with CRLF */
}

static void test_header_plain_and_encoded(void **state)
{
    (void)state;
    fs_strbuf b = FS_STRBUF_INIT;
    assert_int_equal(fs_email_put_text_header(&b, "Subject", "Monthly brief 2025-04"), FS_OK);
    assert_string_equal(b.data, "Subject: Monthly brief 2025-04\r\n");
    fs_strbuf_reset(&b);

    /* The default title's en dash (U+2013, E2 80 93) forces an encoded-word. */
    assert_int_equal(fs_email_put_text_header(&b, "Subject", "US\xe2\x80\x93ROK alliance: 2025-04"),
                     FS_OK);
    assert_string_equal(b.data, "Subject: =?utf-8?Q?US=E2=80=93ROK_alliance=3A_2025-04?=\r\n");
    fs_strbuf_reset(&b);

    /* "=?" in plain text would be misread as an encoded-word, so it is encoded too. */
    assert_int_equal(fs_email_put_text_header(&b, "Subject", "a =?b"), FS_OK);
    assert_string_equal(b.data, "Subject: =?utf-8?Q?a_=3D=3Fb?=\r\n");
    fs_strbuf_free(&b);
}

static void test_header_folding(void **state)
{
    (void)state;
    /* Long ASCII: folded at spaces, every line <= 78, unfolding restores the text. */
    const char *ascii = "The framing of the alliance in four outlets over the last month, compared "
                        "with the month before, term by term and frame by frame";
    fs_strbuf b = FS_STRBUF_INIT;
    assert_int_equal(fs_email_put_text_header(&b, "Subject", ascii), FS_OK);
    assert_lines_within(b.data, 78);
    assert_non_null(strstr(b.data, "\r\n "));
    char *dec = decode_header_value(b.data);
    assert_string_equal(dec, ascii);
    free(dec);
    fs_strbuf_reset(&b);

    /* Long UTF-8: several encoded-words, each <= 75, no character split across words. */
    fs_strbuf t = FS_STRBUF_INIT;
    for (int i = 0; i < 12; i++)
        fs_strbuf_puts(&t, "\xc3\xbc\xc3\xa9 \xe2\x80\x93 Seoul ");
    assert_int_equal(fs_email_put_text_header(&b, "Subject", t.data), FS_OK);
    assert_lines_within(b.data, 78);
    for (const char *w = strstr(b.data, "=?"); w; w = strstr(w + 2, "=?")) {
        const char *e = strstr(w + 10, "?=");
        assert_non_null(e);
        assert_true(e + 2 - w <= 75);
        /* every word decodes to whole characters: it never ends inside a UTF-8 sequence */
        assert_true(e - w < 13 || strncmp(e - 3, "=C3", 3) != 0);
        assert_true(e - w < 13 || strncmp(e - 3, "=E2", 3) != 0);
        w = e;
    }
    dec = decode_header_value(b.data);
    assert_string_equal(dec, t.data);
    free(dec);
    fs_strbuf_reset(&b);

    /* CR/LF in the text cannot start a header of its own. */
    assert_int_equal(fs_email_put_text_header(&b, "Subject", "Hi\r\nBcc: spy@example.org"), FS_OK);
    assert_null(strstr(b.data, "\nBcc"));
    assert_lines_within(b.data, 78);
    fs_strbuf_free(&b);
    fs_strbuf_free(&t);
}

/* ---- fixtures for the summary and the message ---------------------------------------- */

typedef struct fixture {
    fs_config cfg;
    fs_analysis a;
    fs_source_summary src[2];
    fs_finding findings[3];
    char *to[2];
    char *cc[1];
    char dir[64];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->cfg.report.title = "US\xe2\x80\x93ROK alliance brief";
    f->cfg.email.enabled = true;
    f->cfg.email.from = "Framescope <fs@example.org>";
    f->to[0] = "desk@example.org";
    f->to[1] = "Analyst Two <two@example.net>";
    f->cfg.email.to = f->to;
    f->cfg.email.n_to = 2;
    f->cc[0] = "J\xc3\xb6rg M\xc3\xbcller <jm@example.de>";
    f->cfg.email.cc = f->cc;
    f->cfg.email.n_cc = 1;
    f->cfg.email.subject = "{title}: {period} ({date})";
    f->a.params.period = "2025-04";
    f->src[0].id = "yna";
    f->src[1].id = "kcna";
    f->a.sources = f->src;
    f->a.n_sources = 2;
    f->a.total_docs = 42;         /* read; 2 merged as near-duplicates, 25 + 15 counted */
    f->a.total_duplicates = 2;
    f->src[0].docs = 25;
    f->src[1].docs = 15;
    f->a.total_tokens = 31337;
    f->a.total_content_tokens = 17000;
    f->findings[0].text = "Yonhap uses \"deterrence\" 3.1 times as often as KCNA (q < 0.001).";
    f->findings[1].text = "KCNA frames the drills as provocation = threat, far more than "
                          "Yonhap does, at 12.4 per 1k tokens against 1.9 \xe2\x80\x93 a gap that "
                          "holds in every week of the month.";
    f->findings[2].text = "Both sources name \xe2\x80\x9cSeoul\xe2\x80\x9d most often.";
    f->a.findings = f->findings;
    f->a.n_findings = 3;
    return tu_setup_temp_dir(state, f, f->dir, sizeof f->dir, "email");
}

static int teardown(void **state)
{
    fixture *f = *state;
    return tu_teardown_temp_dir(f, f->dir);
}

static void test_summary_text(void **state)
{
    fixture *f = *state;
    char *s = fs_summary_text(&f->cfg, &f->a);
    assert_non_null(s);
    char expected[1024];
    snprintf(expected, sizeof expected,
             "US\xe2\x80\x93ROK alliance brief\n"
             "Period: 2025-04\n"
             "Corpus: 42 documents read from 2 sources, 2 merged as near-duplicates, 40 counted; "
             "31337 word tokens (17000 content tokens).\n"
             "\n"
             "Findings:\n"
             "1. %s\n2. %s\n3. %s\n",
             f->findings[0].text, f->findings[1].text, f->findings[2].text);
    assert_string_equal(s, expected);
    free(s);

    char path[128];
    snprintf(path, sizeof path, "%s/out/summary.txt", f->dir);
    assert_int_equal(fs_summary_write_txt(&f->cfg, &f->a, path, NULL), FS_OK);
    char *data;
    size_t len;
    assert_int_equal(fs_read_file(path, 0, &data, &len, NULL), FS_OK);
    assert_string_equal(data, expected);
    free(data);

    f->a.n_findings = 0;
    s = fs_summary_text(&f->cfg, &f->a);
    assert_non_null(strstr(s, "Findings:\nNo findings.\n"));
    free(s);
}

static void write_fake_pdf(const char *path, size_t n, unsigned seed)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    /* Starts like a PDF, then bytes that stress a transfer encoding: CR, LF, CRLF, NUL. */
    fputs("%PDF-1.7\r\n", fp);
    fwrite("\r\n\0\n\r\0\r", 1, 7, fp);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        fputc((int)((seed >> 16) & 0xff), fp);
    }
    fclose(fp);
}

static int run_checker(const char *msg, const char *pdf, const fixture *f, const char *subject)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "python3 tests/e2e/email_parse.py '%s' '%s' --from '%s' --to '%s' --to '%s' "
             "--cc '%s' --subject '%s' --finding '%s' --finding '%s' --finding '%s'",
             msg, pdf, f->cfg.email.from, f->to[0], f->to[1], f->cc[0], subject,
             "Yonhap uses \"deterrence\" 3.1 times", f->findings[1].text, f->findings[2].text);
    return system(cmd);
}

static void test_message_end_to_end(void **state)
{
    fixture *f = *state;
    static const char *const names[] = {
        "brief 2025-04.pdf",
        /* non-ASCII and long: RFC 2231 percent-encoding with continuations */
        "b\xc3\xa9richt-\xc3\xbc-us-rok-alliance-framing-comparison-for-the-month-of-april-2025.pdf",
    };
    char msg1[256] = "";
    for (size_t i = 0; i < 2; i++) {
        char pdf[256], msg[256];
        snprintf(pdf, sizeof pdf, "%s/%s", f->dir, names[i]);
        snprintf(msg, sizeof msg, "%s/mail/brief-%zu.eml", f->dir, i);
        write_fake_pdf(pdf, 3000 + i * 1001, 7u + (unsigned)i);
        fs_error err = {0};
        /* 2025-05-01 06:00:00 UTC */
        assert_int_equal(fs_email_write(&f->cfg, &f->a, pdf, msg, (time_t)1746079200, &err), FS_OK);
        int rc = run_checker(msg, pdf, f, "US\xe2\x80\x93ROK alliance brief: 2025-04 (2025-05-01)");
        assert_int_equal(rc, 0);

        char *data;
        size_t len;
        assert_int_equal(fs_read_file(msg, 0, &data, &len, NULL), FS_OK);
        assert_non_null(strstr(data, "Date: Thu, 01 May 2025 06:00:00 +0000\r\n"));
        assert_non_null(strstr(data, "Message-ID: <framescope."));
        assert_non_null(strstr(data, "@example.org>\r\n"));
        free(data);
        if (i == 0)
            strcpy(msg1, msg);
    }

    /* Same PDF, another day: the Message-ID is derived from the PDF alone. */
    char pdf[256], msg[256];
    snprintf(pdf, sizeof pdf, "%s/%s", f->dir, names[0]);
    snprintf(msg, sizeof msg, "%s/mail/again.eml", f->dir);
    assert_int_equal(fs_email_write(&f->cfg, &f->a, pdf, msg, (time_t)1746165600, NULL), FS_OK);
    char *a, *b;
    size_t la, lb;
    assert_int_equal(fs_read_file(msg1, 0, &a, &la, NULL), FS_OK);
    assert_int_equal(fs_read_file(msg, 0, &b, &lb, NULL), FS_OK);
    char *ida = strstr(a, "Message-ID:"), *idb = strstr(b, "Message-ID:");
    assert_non_null(ida);
    assert_non_null(idb);
    size_t n = strcspn(ida, "\r");
    assert_true(n > 40);
    assert_memory_equal(ida, idb, n);
    free(a);
    free(b);
}

static void test_message_errors(void **state)
{
    fixture *f = *state;
    char pdf[256], msg[256];
    snprintf(pdf, sizeof pdf, "%s/x.pdf", f->dir);
    snprintf(msg, sizeof msg, "%s/x.eml", f->dir);
    write_fake_pdf(pdf, 10, 1);
    fs_error err = {0};

    f->to[1] = "evil@example.org\r\nBcc: spy@example.org";
    assert_int_equal(fs_email_write(&f->cfg, &f->a, pdf, msg, 0, &err), FS_ERR_CONFIG);
    assert_string_equal(err.where, "email.to[1]");
    assert_int_equal(access(msg, F_OK), -1);

    f->cfg.email.from = NULL;
    assert_int_equal(fs_email_write(&f->cfg, &f->a, pdf, msg, 0, &err), FS_ERR_CONFIG);
    assert_string_equal(err.where, "email.from");

    f->cfg.email.from = "fs@example.org";
    f->to[1] = "two@example.net";
    char missing[256];
    snprintf(missing, sizeof missing, "%s/missing.pdf", f->dir);
    assert_int_equal(fs_email_write(&f->cfg, &f->a, missing, msg, 0, &err), FS_ERR_INPUT);
    assert_int_equal(access(msg, F_OK), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64_rfc4648),
        cmocka_unit_test(test_base64_lines),
        cmocka_unit_test(test_qp_rows),
        cmocka_unit_test(test_qp_long_lines),
        cmocka_unit_test(test_header_plain_and_encoded),
        cmocka_unit_test(test_header_folding),
        cmocka_unit_test_setup_teardown(test_summary_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_message_end_to_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_message_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
