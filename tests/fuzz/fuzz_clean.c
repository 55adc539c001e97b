/* fuzz_clean.c: boilerplate rules, generic heuristics and near-duplicate detection on
 * arbitrary text. The input is split at its first 0xFF byte into two documents of one outlet,
 * and repaired to valid UTF-8 first, as the corpus stage guarantees. */
#include <stddef.h>
#include <stdint.h>

#include "framescope/clean.h"
#include "framescope/corpus.h"
#include "framescope/utf8.h"
#include "fuzz_common.h"

static void make_doc(fs_doc *d, const char *id, const uint8_t *p, size_t n)
{
    memset(d, 0, sizeof *d);
    d->id = (char *)id;
    d->path = (char *)id;
    d->outlet = (char *)"Outlet";
    if (fs_utf8_repair((const char *)p, n, &d->text, &d->len, NULL, NULL) != FS_OK)
        abort();
    d->chars_raw = fs_utf8_count(d->text, d->len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fs_config *cfg;
    if (!cfg)
        cfg = fuzz_config(
            "{\"report\": {\"title\": \"f\"}, \"clean\": {\"drop_lines\": [\"^#\"], "
            "\"shingle_size\": 3, \"dedup_threshold\": 0.5}, \"sources\": [{\"id\": \"a\", "
            "\"label\": \"A\", \"inputs\": [\"x\"], \"clean\": {\"cut_from\": [\"^Related\"], "
            "\"cut_before\": [\"^START$\"], \"drop_blocks\": [{\"start\": \"^<<\", "
            "\"end\": \"^>>\"}]}}]}");
    const uint8_t *split = memchr(data, 0xFF, size);
    size_t n1 = split ? (size_t)(split - data) : size;
    fs_doc docs[2];
    make_doc(&docs[0], "d0", data, n1);
    make_doc(&docs[1], "d1", split ? split + 1 : data, split ? size - n1 - 1 : size);
    fs_corpus corpus = {.docs = docs, .n_docs = 2};
    fs_clean_result *res = NULL;
    fs_error err;
    fs_ctx ctx = {0};
    if (fs_clean_run(cfg, &ctx, &corpus, &res, &err) == FS_OK) {
        for (size_t i = 0; i < res->n_docs; i++) {
            const fs_clean_doc *c = &res->docs[i];
            if (c->len > docs[i].len || fs_utf8_valid_prefix(c->text, c->len) != c->len)
                abort(); /* cleaning only removes, and keeps the text valid UTF-8 */
        }
    }
    fs_clean_free(res);
    free(docs[0].text);
    free(docs[1].text);
    return 0;
}
