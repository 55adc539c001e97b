/* fuzz_count.c: the counting engine (tokenize, TF/DF, co-occurrence runs, frames, KWIC) on
 * arbitrary documents, and a differential check: one thread and three threads must give the
 * same counts. The input is split at 0xFF bytes into up to eight documents of two sources. */
#include <stddef.h>
#include <stdint.h>

#include "framescope/count.h"
#include "framescope/utf8.h"
#include "fuzz_common.h"

#define MAX_DOCS 8

static fs_counts *count_with(const fs_config *cfg, const fs_corpus *corpus, int threads)
{
    fs_ctx ctx = {0};
    ctx.threads = threads;
    fs_counts *c = NULL;
    fs_error err;
    if (fs_count_run(cfg, &ctx, corpus, NULL, NULL, &c, &err) != FS_OK)
        return NULL;
    return c;
}

static void same_or_abort(const fs_counts *a, const fs_counts *b)
{
    if (!a || !b) {
        if (a || b)
            abort(); /* one failed, the other did not */
        return;
    }
    size_t nt = fs_counts_n_terms(a);
    if (nt != fs_counts_n_terms(b))
        abort();
    for (uint32_t t = 0; t < nt; t++) {
        if (strcmp(fs_counts_term(a, t), fs_counts_term(b, t)) != 0)
            abort();
        for (size_t s = 0; s < fs_counts_n_sources(a); s++)
            if (fs_counts_tf(a, s, t) != fs_counts_tf(b, s, t) ||
                fs_counts_df(a, s, t) != fs_counts_df(b, s, t))
                abort();
    }
    for (size_t s = 0; s < fs_counts_n_sources(a); s++) {
        size_t np = fs_counts_n_pairs(a, s);
        if (np != fs_counts_n_pairs(b, s))
            abort();
        for (size_t i = 0; i < np; i++) {
            uint32_t a1, b1, a2, b2;
            uint64_t c1, c2;
            fs_counts_pair(a, s, i, &a1, &b1, &c1);
            fs_counts_pair(b, s, i, &a2, &b2, &c2);
            if (a1 != a2 || b1 != b2 || c1 != c2 || a1 >= b1)
                abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fs_config *cfg;
    if (!cfg)
        cfg = fuzz_config(
            "{\"report\": {\"title\": \"f\"}, \"sources\": [{\"id\": \"a\", \"label\": \"A\", "
            "\"inputs\": [\"x\"]}, {\"id\": \"b\", \"label\": \"B\", \"inputs\": [\"y\"]}], "
            "\"analysis\": {\"stopwords\": {\"files\": [], \"add\": [\"the\", \"us\"]}, "
            "\"aliases\": {\"U.S.\": \"US\"}, \"phrases\": [\"Taiwan Strait\"], \"window\": 3, "
            "\"focus\": [\"taiwan\"], \"kwic_per_term\": 2, \"cooc_memory_mb\": 1, "
            "\"frames\": {\"f\": [\"korea\", \"south korea\"]}}}");
    fs_doc docs[MAX_DOCS];
    size_t nd = 0, start = 0;
    for (size_t i = 0; i <= size && nd < MAX_DOCS; i++) {
        if (i == size || data[i] == 0xFF) {
            fs_doc *d = &docs[nd];
            memset(d, 0, sizeof *d);
            d->id = (char *)"d";
            d->path = (char *)"d";
            d->source = nd % 2;
            if (fs_utf8_repair((const char *)data + start, i - start, &d->text, &d->len, NULL,
                               NULL) != FS_OK)
                abort();
            d->chars_raw = fs_utf8_count(d->text, d->len);
            nd++;
            start = i + 1;
        }
    }
    fs_corpus corpus = {.docs = docs, .n_docs = nd};
    fs_counts *one = count_with(cfg, &corpus, 1);
    fs_counts *three = count_with(cfg, &corpus, 3);
    same_or_abort(one, three);
    fs_counts_free(one);
    fs_counts_free(three);
    for (size_t i = 0; i < nd; i++)
        free(docs[i].text);
    return 0;
}
