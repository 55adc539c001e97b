/* fuzz_tokenize.c: the tokenizer (case policy, aliases, phrases, sentences) on arbitrary text,
 * repaired to valid UTF-8 first as the corpus stage guarantees. */
#include <stddef.h>
#include <stdint.h>

#include "framescope/tokenize.h"
#include "framescope/utf8.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fs_tokenizer *tk;
    if (!tk) {
        fs_config *cfg = fuzz_config(
            "{\"report\": {\"title\": \"f\"}, \"sources\": [{\"id\": \"a\", \"label\": \"A\", "
            "\"inputs\": [\"x\"]}], \"analysis\": {\"stopwords\": {\"files\": [], \"add\": "
            "[\"the\", \"us\", \"of\"]}, \"aliases\": {\"U.S.\": \"US\", \"United States\": "
            "\"US\"}, \"phrases\": [\"Taiwan Strait\", \"South Korea\", \"a b c d\"], "
            "\"keep_numbers\": true}}");
        fs_error err;
        if (fs_tokenizer_create(&cfg->analysis, &tk, &err) != FS_OK)
            abort();
        fs_config_free(cfg);
    }
    char *text;
    size_t len;
    if (fs_utf8_repair((const char *)data, size, &text, &len, NULL, NULL) != FS_OK)
        abort();
    fs_tokens toks = FS_TOKENS_INIT;
    if (fs_tokenize(tk, text, len, FS_TOKENIZE_MARK_STOP, &toks) == FS_OK) {
        for (size_t i = 0; i < toks.n; i++) {
            const fs_term *t = &toks.terms[i];
            if (t->len == 0 || t->end > len || t->start > t->end ||
                strlen(fs_tokens_str(&toks, i)) != t->len)
                abort();
        }
    }
    fs_tokens_free(&toks);
    free(text);
    return 0;
}
