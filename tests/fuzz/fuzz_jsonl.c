/* fuzz_jsonl.c: the JSON Lines reader (through fs_corpus_load) on arbitrary file content. */
#include <stddef.h>
#include <stdint.h>

#include "framescope/corpus.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fs_config *cfg;
    static char path[128];
    if (!cfg) {
        cfg = fuzz_config("{\"report\": {\"title\": \"f\"}, \"sources\": [{\"id\": \"a\", "
                          "\"label\": \"A\", \"inputs\": [\"in.jsonl\"], "
                          "\"date\": {\"pattern\": \"(\\\\d{4}-\\\\d{2}-\\\\d{2})\"}, "
                          "\"jsonl\": {\"text\": \"body\", \"date\": \"published\", "
                          "\"date_format\": \"%d %B %Y\"}}]}");
        snprintf(path, sizeof path, "%s/in.jsonl", fuzz_dir());
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
    fs_corpus *corpus = NULL;
    fs_error err;
    fs_ctx ctx = {0};
    if (fs_corpus_load(cfg, &ctx, &corpus, &err) == FS_OK) {
        for (size_t i = 0; i < corpus->n_docs; i++)
            if (!corpus->docs[i].text || corpus->docs[i].text[corpus->docs[i].len] != '\0')
                abort();
    }
    fs_corpus_free(corpus);
    return 0;
}
