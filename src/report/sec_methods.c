/* sec_methods.c: every parameter of the run (a->params) and each measure in words. */
#include <stdio.h>
#include "report/report_internal.h"

static void param(fs_pdf_table *t, const char *name, const char *value, const char *meaning)
{
    fs_pdf_table_row(t);
    fs_pdf_table_text(t, name);
    fs_pdf_table_text(t, value);
    fs_pdf_table_text(t, meaning);
}

static void param_int(fs_pdf_table *t, const char *name, long v, const char *meaning)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    param(t, name, buf, meaning);
}

static void param_real(fs_pdf_table *t, const char *name, double v, const char *meaning)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.6g", v);
    param(t, name, buf, meaning);
}

static const char *const formulas[] = {
    "Rates: a term's count divided by the source's content tokens, times 10,000 (terms) or "
    "1,000 (frames).",
    "Log-likelihood G\xC2\xB2: twice the sum over the source and the rest of observed count "
    "times the natural log of observed over expected count, where the expected count shares "
    "the term's total in proportion to the two token totals; p from the chi-square "
    "distribution with one degree of freedom.",
    "q: the Benjamini\xE2\x80\x93Hochberg adjustment of p over all tested terms (those with a "
    "corpus count of at least min_count), controlling the false discovery rate.",
    "Log ratio: the binary log of the source's relative frequency over the rest's, with half a "
    "count added to a zero count.",
    "Weighted log-odds z: the difference of the term's log-odds in the source and in the rest, "
    "each smoothed with a Dirichlet prior from the whole corpus (strength \xCE\xB1" "0), divided "
    "by its standard error.",
    "Dispersion DP (Gries): half the sum over a source's documents of the absolute difference "
    "between each document's share of the term and its share of the tokens.",
    "Frame intervals: 95% confidence interval of the rate of frame matches among the source's "
    "content tokens; chi-square test of the frames \xC3\x97 sources table of hits against "
    "tokens without a hit, with standardized residuals (observed minus expected over the square "
    "root of the expected count).",
    "PMI: the binary log of how much more often two terms co-occur within the window than "
    "independence predicts. Log Dice: 14 plus the binary log of twice the pair count over the "
    "sum of the two term counts.",
    "Cosine similarity: the dot product of two sources' term-frequency vectors over the product "
    "of their lengths. Jensen\xE2\x80\x93Shannon divergence: the mean Kullback\xE2\x80\x93Leibler "
    "divergence of each distribution from their average, base 2.",
    "Correspondence analysis: singular value decomposition of the standardized residuals of "
    "the sources \xC3\x97 terms table; points are principal coordinates on the first two "
    "dimensions.",
    "Near-duplicates: documents whose word-shingle sets have a Jaccard similarity at or above "
    "the threshold are merged into the earliest one.",
};

void sec_methods(rpt *r)
{
    const fs_params *p = &r->a->params;
    fs_pdf_heading(r->pdf, "Parameters", 0);
    static const rpt_column cols[] = {
        {"Parameter", FS_COL_CLIP, 0},
        {"Value", FS_COL_WRAP, 0},
        {"Meaning", FS_COL_WRAP, 0},
    };
    fs_pdf_table *t = rpt_table(r, cols, sizeof cols / sizeof cols[0]);
    if (!t)
        return;
    param(t, "period", p->period ? p->period : "all", "Documents dated in this period");
    param(t, "include_undated", p->include_undated ? "yes" : "no",
          "Undated documents are kept in period runs");
    param_int(t, "min_count", p->min_count, "Corpus count below which a term is not tested");
    param_int(t, "window", p->window, "Tokens either side counted as co-occurring");
    param(t, "sentence_cooccurrence", p->sentence_cooccurrence ? "yes" : "no",
          "Co-occurrence windows stop at sentence ends");
    param_int(t, "min_pair_count", p->min_pair_count, "Pairs seen fewer times are not scored");
    param_int(t, "ca_terms", p->ca_terms, "Terms in the correspondence analysis");
    param_int(t, "min_source_tokens", p->min_source_tokens,
              "Sources with fewer content tokens are flagged as small");
    param_real(t, "prior_strength (\xCE\xB1" "0)", p->prior_strength,
               "Strength of the log-odds prior actually used");
    param_real(t, "dedup_threshold", p->dedup_threshold,
               "Jaccard similarity at which documents are merged");
    param(t, "keep_numbers", p->keep_numbers ? "yes" : "no", "Numbers are counted as terms");
    param(t, "stopwords", p->stopwords_version ? p->stopwords_version : "\xE2\x80\x93",
          "Stopword list version");
    param(t, "framescope", p->framescope_version ? p->framescope_version : "\xE2\x80\x93",
          "Program version");
    fs_pdf_table_draw(r->pdf, t);
    fs_pdf_table_free(t);
    fs_pdf_heading(r->pdf, "Measures", 0);
    for (size_t i = 0; i < sizeof formulas / sizeof formulas[0]; i++)
        fs_pdf_bullet(r->pdf, formulas[i], FS_TEXT_SMALL);
}
