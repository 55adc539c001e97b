/* fuzz_common.h: shared setup for the libFuzzer targets: a scratch folder and a config parsed
 * once from a fixed JSON text. Only built by `make fuzz`. */
#ifndef FRAMESCOPE_FUZZ_COMMON_H
#define FRAMESCOPE_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "framescope/config.h"

/* A per-process scratch folder, made on first use. */
static inline const char *fuzz_dir(void)
{
    static char dir[64];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/framescope-fuzz-%d", (int)getpid());
        char cmd[96];
        snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
        if (system(cmd) != 0)
            abort();
    }
    return dir;
}

/* Parses `json` with relative paths resolved against the scratch folder; aborts on failure
 * (the fixed configs are valid, so failure is a bug). */
static inline fs_config *fuzz_config(const char *json)
{
    fs_config *cfg = NULL;
    fs_error err;
    if (fs_config_parse(json, strlen(json), "fuzz.json", fuzz_dir(), false, &cfg, &err) != FS_OK) {
        fprintf(stderr, "fuzz config: %s: %s\n", err.where, err.msg);
        abort();
    }
    return cfg;
}

#endif
