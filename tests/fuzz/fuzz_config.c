/* fuzz_config.c: the config loader on arbitrary bytes: JSON syntax, types, keys, patterns. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fs_config *cfg = NULL;
    fs_error err;
    if (fs_config_parse((const char *)data, size, "fuzz.json", fuzz_dir(), false, &cfg, &err) ==
        FS_OK) {
        char *out = fs_config_output_path(cfg, NULL, "2025-04", "2025-04-30");
        free(out);
    } else if (!err.msg[0]) {
        abort(); /* every failure must say why */
    }
    fs_config_free(cfg);
    return 0;
}
