/* test_report.c: fs_report_write on a hand-built analysis, checked with real PDF readers
 * (qpdf, pdffonts, pdftotext, pdfinfo) and for byte-identical reruns. */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>
#include "framescope/report.h"

#define N_SRC 4

typedef struct fixture {
    char dir[64];
    fs_config cfg;
    fs_analysis a;
} fixture;

static char *labels[N_SRC] = {"Korea Herald", "Quincy Institute", "The Diplomat",
                              "Real News Now"};
static char *ids[N_SRC] = {"korea-herald", "quincy", "diplomat", "realnewsnow"};
static char *frames[2] = {"Deterrence and military", "Restraint and diplomacy"};
static char *focus[2] = {"alliance", "taiwan"};
static char *words[] = {"alliance", "deterrence", "taiwan", "Россия", "Łódź", "china",
                        "burden-sharing", "nuclear", "diplomacy", "restraint", "troops", "strait"};
#define N_WORDS (sizeof words / sizeof words[0])

static char finding0[] = "The Quincy Institute uses the restraint frame 3.2 times as often as "
                         "the Korea Herald (G\xC2\xB2 = 41.2, q < 0.001).";
static char finding1[] = "Coverage of extended deterrence is similar across sources.";

/* Everything static: the analysis only borrows string literals and these arrays. */
static fs_source_summary srcs[N_SRC];
static fs_term_row terms[N_SRC * N_WORDS];
static fs_keyness_row key[N_SRC * N_WORDS];
static fs_colloc_row coll[N_SRC * 6];
static fs_frame_row frows[2 * N_SRC];
static fs_similarity_row sims[6];
static fs_ca_point ca[N_SRC + 8];
static fs_doc_row docs[8];
static fs_kwic_row kwic[8];
static fs_finding finds[2];

static void build_analysis(fs_analysis *a)
{
    memset(a, 0, sizeof *a);
    static const double rgb[N_SRC][3] = {{0, 0.45, 0.70}, {0.84, 0.37, 0}, {0, 0.62, 0.45},
                                         {0.8, 0.47, 0.65}};
    for (size_t s = 0; s < N_SRC; s++) {
        srcs[s] = (fs_source_summary){.id = ids[s], .label = labels[s], .docs = 2 + s,
                                      .docs_loaded = 3 + s, .duplicates = s == 0,
                                      .tokens = 12000 + 1000 * s, .content_tokens = 6000 + 500 * s,
                                      .types = 1800 + 10 * s, .chars_raw = 90000,
                                      .chars_clean = 80000, .removed_share = 0.111,
                                      .first = {2025, 4, 1}, .last = {2025, 4, 28},
                                      .small = s == 3};
        memcpy(srcs[s].rgb, rgb[s], sizeof rgb[s]);
        for (size_t w = 0; w < N_WORDS; w++) {
            terms[s * N_WORDS + w] = (fs_term_row){s, words[w], 100 - 7 * w, 150.0 - 9.5 * w,
                                                   (uint32_t)(2 + s), 0.25};
            double lr = 2.5 - 0.45 * (double)w;
            key[s * N_WORDS + w] = (fs_keyness_row){s, words[w], 80 - 5 * w, 40, 6000, 18000,
                                                    60.0 - 5 * w, w < 8 ? 1e-5 : 0.2,
                                                    w < 8 ? 1e-4 : 0.31, lr, lr * 0.8,
                                                    3.1 - 0.5 * w};
        }
        for (size_t k = 0; k < 6; k++)
            coll[s * 6 + k] = (fs_colloc_row){s, k % 2 ? "alliance" : "taiwan",
                                              words[3 + k], 12 - k, 60, 40, 3.2 - 0.3 * k,
                                              11.5 - 0.4 * k - 0.2 * s, true};
        for (size_t f = 0; f < 2; f++)
            frows[f * N_SRC + s] = (fs_frame_row){s, f, 20 + 5 * s + 10 * f, 6000,
                                                  3.3 + s * 0.6 - f, 2.2 + s * 0.6 - f,
                                                  4.4 + s * 0.6 - f, f ? -1.5 + s : 1.8 - s};
    }
    size_t k = 0;
    for (size_t i = 0; i < N_SRC; i++)
        for (size_t j = i + 1; j < N_SRC; j++) {
            k++; /* the made-up values count pairs from 1 */
            sims[k - 1] = (fs_similarity_row){i, j, 0.9 - 0.05 * (double)k, 0.1 + 0.02 * k};
        }
    for (size_t s = 0; s < N_SRC; s++)
        ca[s] = (fs_ca_point){true, labels[s], s, s % 2 ? 0.5 : -0.4, s < 2 ? 0.3 : -0.35};
    for (size_t t = 0; t < 8; t++)
        ca[N_SRC + t] = (fs_ca_point){false, words[t], 0, 0.1 * t - 0.4, 0.3 - 0.08 * t};
    for (size_t d = 0; d < 8; d++) {
        docs[d] = (fs_doc_row){.doc_id = d == 1 ? "001_alliance_copy" : "000_alliance_story",
                               .source = d % N_SRC, .date = {2025, 4, 1 + (int)d},
                               .title = d == 2 ? "\xED\x95\x9C\xEB\xAF\xB8 \xEB\x8F\x99\xEB\xA7"
                                                 "\xB9 (Korean title) and the alliance"
                                               : "Allies weigh burden-sharing as talks resume "
                                                 "in Seoul and Washington",
                               .chars_raw = 12000 + d, .chars_clean = 10000 + d,
                               .counted = d != 1};
        strcpy(docs[d].sha256, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        if (d == 1)
            docs[d].duplicate_of = "000_alliance_story";
    }
    for (size_t i = 0; i < 8; i++)
        kwic[i] = (fs_kwic_row){i % N_SRC, i / N_SRC, "000",
                                "officials in Seoul said on Tuesday that the future of the",
                                i / N_SRC ? "Taiwan" : "alliance",
                                i == 3 ? "see https://example.com/a/very/long/path/"
                                         "that-keeps-going-and-going-without-any-space-at-all"
                                       : "depends on how Washington weighs burden-sharing and "
                                         "the cost of troops on the peninsula"};
    finds[0] = (fs_finding){finding0, 5.0, true};
    finds[1] = (fs_finding){finding1, 1.0, false};
    a->params = (fs_params){.min_count = 2, .window = 5, .min_pair_count = 2, .ca_terms = 60,
                            .min_source_tokens = 6500, .prior_strength = 24000,
                            .dedup_threshold = 0.8, .stopwords_version = "en-1",
                            .framescope_version = "0.1.0", .period = "2025-04",
                            .include_undated = true};
    a->sources = srcs;
    a->n_sources = N_SRC;
    a->frames = frames;
    a->n_frames = 2;
    a->focus = focus;
    a->n_focus = 2;
    a->terms = terms;
    a->n_terms = N_SRC * N_WORDS;
    a->keyness = key;
    a->n_keyness = N_SRC * N_WORDS;
    a->tested_terms = 812;
    a->colloc = coll;
    a->n_colloc = N_SRC * 6;
    a->frame_rows = frows;
    a->n_frame_rows = 2 * N_SRC;
    a->frames_test = (fs_chisq){18.4, 0.0004, 3, true, true, 0, 0};
    a->similarity = sims;
    a->n_similarity = 6;
    a->ca = ca;
    a->n_ca = N_SRC + 8;
    a->ca_inertia[0] = 0.52;
    a->ca_inertia[1] = 0.31;
    a->ca_valid = true;
    a->docs = docs;
    a->n_docs = 8;
    a->kwic = kwic;
    a->n_kwic = 8;
    a->findings = finds;
    a->n_findings = 2;
    a->total_tokens = 54000;
    a->total_content_tokens = 27000;
    a->total_docs = 14;
    a->total_duplicates = 1;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_int_equal(tu_make_temp_dir(f->dir, sizeof f->dir, "report"), 0);
    build_analysis(&f->a);
    f->cfg.report.title = "How sources frame the US\xE2\x80\x93ROK alliance \xED\x95\x9C\xEB\xAF\xB8";
    f->cfg.report.subtitle = "Monthly framing comparison";
    f->cfg.report.organization = "Institute for Testing";
    f->cfg.report.paper = "A4";
    f->cfg.report.fonts_dir = "fonts";
    f->cfg.analysis.top_terms = 10;
    f->cfg.analysis.kwic_per_term = 8;
    f->cfg.report.provenance_rows = 300;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    /* FS_TEST_KEEP=1 keeps the PDFs to look at (the folder is printed). */
    if (getenv("FS_TEST_KEEP")) {
        fprintf(stderr, "kept %s\n", f->dir);
        free(f);
        return 0;
    }
    return tu_teardown_temp_dir(f, f->dir);
}

static fs_report_opts opts_at(time_t t)
{
    fs_report_opts o = {t, NULL};
    return o;
}

/* Writes f->dir/name with the default sections; returns its path (static buffer per call). */
static const char *write_pdf(fixture *f, const char *name, fs_report_info *info)
{
    static char path[2][128];
    static int slot;
    char *p = path[slot++ % 2];
    snprintf(p, 128, "%s/%s", f->dir, name);
    fs_report_opts o = opts_at(1764547200);
    fs_error err = {0};
    fs_status st = fs_report_write(&f->cfg, NULL, &f->a, &o, p, info, &err);
    if (st != FS_OK)
        fail_msg("fs_report_write: %s: %s", err.where, err.msg);
    return p;
}

static void test_readers_accept_pdf(void **state)
{
    fixture *f = *state;
    fs_report_info info;
    const char *pdf = write_pdf(f, "report.pdf", &info);
    assert_true(info.pages >= 10 && info.pages <= 60);
    assert_true(info.bytes > 10000 && info.bytes < 1048576);
    assert_true(info.replaced_chars > 0);   /* the Hangul in the title and a document title */
    char cmd[512];
    int rc;
    snprintf(cmd, sizeof cmd, "qpdf --check '%s' 2>&1", pdf);
    char *out = tu_run(cmd, &rc);
    if (rc != 0 || !strstr(out, "No syntax or stream encoding errors"))
        fail_msg("qpdf --check: %s", out);
    free(out);

    snprintf(cmd, sizeof cmd, "pdffonts '%s' 2>&1 | tail -n +3 | awk '{print $(NF-4)}' | sort -u",
             pdf);
    out = tu_run(cmd, &rc);
    assert_string_equal(out, "yes\n");
    free(out);

    snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>&1", pdf);
    out = tu_run(cmd, &rc);
    static const char *const fields[][2] = {
        {"Title:", "How sources frame the US\xE2\x80\x93ROK alliance \xED\x95\x9C"},
        {"Author:", "Institute for Testing"},
        {"Creator:", "framescope 0.1.0"},
        {"Producer:", "framescope"},
        {"Subject:", "Framing comparison of 4 sources"},
        {"Keywords:", "Korea Herald"},
        {"CreationDate:", "Mon Dec  1 00:00:00 2025"},
        {"Page size:", "595.276 x 841.89"},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *line = strstr(out, fields[i][0]);
        if (!line || !strstr(line, fields[i][1]) || strchr(line, '\n') < strstr(line, fields[i][1]))
            fail_msg("pdfinfo %s lacks \"%s\":\n%s", fields[i][0], fields[i][1], out);
    }
    const char *pl = strstr(out, "Pages:");
    assert_non_null(pl);
    assert_int_equal(atoi(pl + 6), info.pages);
    free(out);
}

static void test_text_extracts(void **state)
{
    fixture *f = *state;
    const char *pdf = write_pdf(f, "text.pdf", NULL);
    char cmd[512], errf[128];
    snprintf(errf, sizeof errf, "%s/pdftotext.err", f->dir);
    snprintf(cmd, sizeof cmd, "pdftotext '%s' - 2>'%s'", pdf, errf);
    int rc;
    char *text = tu_run(cmd, &rc);
    assert_int_equal(rc, 0);
    static const char *const want[] = {
        "Contents", "Summary", "Corpus", "Vocabulary", "Distinctive terms", "Frames",
        "Co-occurrence", "Similarity", "Concordance", "Methods", "Provenance",
        "Korea Herald", "Quincy Institute", "The Diplomat", "Real News Now",
        "uses the restraint frame 3.2 times as often", "burden-sharing", "Łódź", "Россия",
        "Page 3 of", "Duplicates", "001_alliance_copy"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(text, want[i]))
            fail_msg("pdftotext lacks \"%s\"", want[i]);
    free(text);
    snprintf(cmd, sizeof cmd, "cat '%s'", errf);
    char *err = tu_run(cmd, &rc);
    assert_string_equal(err, "");
    free(err);
}

/* Past report.provenance_rows the appendix lists the documents that were not counted first
 * and says how many it left out. Fixture: 8 documents, only 001_alliance_copy not counted. */
static void test_provenance_cap(void **state)
{
    fixture *f = *state;
    f->cfg.report.provenance_rows = 2;
    const char *pdf = write_pdf(f, "cap.pdf", NULL);
    f->cfg.report.provenance_rows = 300;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "pdftotext -layout '%s' - | tr -s ' \\n' '  '", pdf);
    int rc;
    char *text = tu_run(cmd, &rc);
    assert_int_equal(rc, 0);
    if (!strstr(text, "Note: 2 of 8 documents are listed"))
        fail_msg("no cap note in provenance");
    const char *prov = strstr(text, "Document and title");
    assert_non_null(prov);
    const char *dup = strstr(prov, "001_alliance_copy");
    const char *kept = strstr(prov, "000_alliance_story");
    assert_non_null(dup);
    assert_non_null(kept);
    assert_true(dup < kept); /* the duplicate is listed before the first counted document */
    free(text);
}

static void test_outline_per_section(void **state)
{
    fixture *f = *state;
    const char *pdf = write_pdf(f, "outline.pdf", NULL);
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "qpdf --json --json-key=outlines '%s' | python3 -c \"import json,sys; "
             "o=json.load(sys.stdin)['outlines']; print(len(o)); "
             "print('|'.join(x['title'] for x in o))\"", pdf);
    int rc;
    char *out = tu_run(cmd, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "11\nCover|Summary|Corpus|Vocabulary|Distinctive terms|Frames|"
                             "Co-occurrence|Similarity|Concordance|Methods|Provenance\n");
    free(out);
    /* The contents page (page 2) links to each of the 10 listed sections. */
    snprintf(cmd, sizeof cmd, "pdftohtml -xml -stdout -i -f 2 -l 2 '%s' | grep -o 'link to page "
             "[0-9]*' | wc -l", pdf);
    out = tu_run(cmd, &rc);
    assert_int_equal(atoi(out), 10);
    free(out);
}

static void test_reproducible(void **state)
{
    fixture *f = *state;
    char a[128], b[128], cmd[300];
    snprintf(a, sizeof a, "%s", write_pdf(f, "one.pdf", NULL));
    snprintf(b, sizeof b, "%s", write_pdf(f, "two.pdf", NULL));
    snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", a, b);
    assert_int_equal(system(cmd), 0);
}

static void test_sections_and_letter(void **state)
{
    fixture *f = *state;
    char *order[] = {"summary", "frames", "changes"};
    f->cfg.report.sections = order;
    f->cfg.report.n_sections = 3;
    f->cfg.report.paper = "Letter";
    fs_report_info info;
    const char *pdf = write_pdf(f, "letter.pdf", &info);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' | grep 'Page size'; pdftotext '%s' - | grep -c "
             "'^Provenance$'", pdf, pdf);
    int rc;
    char *out = tu_run(cmd, &rc);
    assert_non_null(strstr(out, "612 x 792"));
    assert_non_null(strstr(out, "\n0\n"));   /* not selected, not rendered */
    free(out);
    /* "changes" renders only with a previous period. */
    fs_change_row rows[1] = {{0, "deterrence", false, 10.0, 14.5, 4.5}};
    fs_changes ch = {"2025-03", rows, 1};
    fs_report_opts o = {1764547200, &ch};
    fs_error err = {0};
    char p2[128];
    snprintf(p2, sizeof p2, "%s/changes.pdf", f->dir);
    assert_int_equal(fs_report_write(&f->cfg, NULL, &f->a, &o, p2, &info, &err), FS_OK);
    snprintf(cmd, sizeof cmd, "pdftotext '%s' - | grep -c 'Changes since 2025-03'", p2);
    out = tu_run(cmd, &rc);
    assert_true(atoi(out) >= 2);   /* contents entry and section heading */
    free(out);
    f->cfg.report.sections = NULL;
    f->cfg.report.n_sections = 0;
    f->cfg.report.paper = "A4";
}

static void test_errors(void **state)
{
    fixture *f = *state;
    fs_report_opts o = opts_at(0);
    fs_error err = {0};
    char p[160];
    snprintf(p, sizeof p, "%s/missing-fonts.pdf", f->dir);
    f->cfg.report.fonts_dir = "/nonexistent-fonts";
    assert_int_equal(fs_report_write(&f->cfg, NULL, &f->a, &o, p, NULL, &err), FS_ERR_PDF);
    assert_non_null(strstr(err.msg, "font"));
    f->cfg.report.fonts_dir = "fonts";
    struct stat sb;
    assert_int_not_equal(stat(p, &sb), 0);
    /* An output folder that cannot be created: a file stands in its way. */
    snprintf(p, sizeof p, "%s/plainfile", f->dir);
    free(tu_write_temp(f->dir, "plainfile", "x"));
    snprintf(p, sizeof p, "%s/plainfile/sub/report.pdf", f->dir);
    fs_status st = fs_report_write(&f->cfg, NULL, &f->a, &o, p, NULL, &err);
    assert_int_equal(st, FS_ERR_OUTPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_readers_accept_pdf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_extracts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_provenance_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outline_per_section, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reproducible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sections_and_letter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
