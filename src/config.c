/* config.c: the config module's public API: load and parse (syntax, then the key walk, then
 * the checks that need the whole config), freeing, and source lookup.
 *
 * The checks here are the ones no single key can make: unique source ids, palette colours by
 * position, inputs that must match files on disk, and defaults that are paths relative to the
 * config folder.
 */
#include "config_internal.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "framescope/fileio.h"

/* Shipped data of the build tree (set by the Makefile), for configs kept outside it. */
#ifndef FS_DATADIR
#define FS_DATADIR "config"
#endif
#ifndef FS_FONTDIR
#define FS_FONTDIR "fonts"
#endif

/* ---- freeing ---- */

static void free_strs(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static void free_patterns(fs_pattern_list *l)
{
    for (size_t i = 0; l->items && i < l->n; i++) {
        free(l->items[i].name);
        free(l->items[i].pattern);
    }
    free(l->items);
}

static void free_rules(fs_clean_rules *r)
{
    free_patterns(&r->drop_lines);
    free_patterns(&r->cut_from);
    free_patterns(&r->cut_before);
    free_patterns(&r->cut_through);
    for (size_t i = 0; r->drop_blocks && i < r->n_drop_blocks; i++) {
        free(r->drop_blocks[i].name);
        free(r->drop_blocks[i].start);
        free(r->drop_blocks[i].end);
    }
    free(r->drop_blocks);
}

static void free_meta(fs_meta_rule *m)
{
    free(m->pattern);
    free(m->format);
}

static void free_source(fs_source_cfg *s)
{
    free(s->id);
    free(s->label);
    free(s->color);
    free_strs(s->inputs, s->n_inputs);
    free_strs(s->inputs_raw, s->n_inputs);
    free(s->outlet);
    free_meta(&s->title_rule);
    free_meta(&s->date_rule);
    free_meta(&s->author_rule);
    free_meta(&s->url_rule);
    free_meta(&s->outlet_rule);
    fs_jsonl_fields *j = &s->jsonl;
    char *fields[] = {j->text, j->title, j->date, j->url, j->author, j->outlet, j->date_format};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        free(fields[i]);
    free_rules(&s->clean);
}

void fs_config_free(fs_config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; cfg->sources && i < cfg->n_sources; i++)
        free_source(&cfg->sources[i]);
    free(cfg->sources);

    fs_report_cfg *r = &cfg->report;
    free(r->title);
    free(r->subtitle);
    free(r->organization);
    free(r->output);
    free(r->paper);
    free_strs(r->sections, r->n_sections);
    free(r->fonts_dir);

    fs_analysis_cfg *a = &cfg->analysis;
    free_strs(a->stopword_files, a->n_stopword_files);
    free_strs(a->stopwords_extra, a->n_stopwords_extra);
    free_strs(a->stopwords_keep, a->n_stopwords_keep);
    for (size_t i = 0; a->aliases && i < a->n_aliases; i++) {
        free(a->aliases[i].from);
        free(a->aliases[i].to);
    }
    free(a->aliases);
    free_strs(a->phrases, a->n_phrases);
    free_strs(a->focus, a->n_focus);
    for (size_t i = 0; a->frames && i < a->n_frames; i++) {
        free(a->frames[i].name);
        free_patterns(&a->frames[i].patterns);
    }
    free(a->frames);

    free_rules(&cfg->clean.global);
    free(cfg->run.history_dir);
    free(cfg->run.lock_file);
    free(cfg->email.from);
    free_strs(cfg->email.to, cfg->email.n_to);
    free_strs(cfg->email.cc, cfg->email.n_cc);
    free(cfg->email.subject);
    free(cfg->path);
    free(cfg->base_dir);
    free(cfg);
}

int fs_config_source_index(const fs_config *cfg, const char *id)
{
    for (size_t i = 0; cfg && id && i < cfg->n_sources; i++)
        if (strcmp(cfg->sources[i].id, id) == 0)
            return (int)i;
    return -1;
}

/* ---- inputs ---- */

/* True when `dir` holds a regular file, here or in a subfolder. Hidden entries are skipped,
 * as the corpus stage skips them. Depth is capped so a symlink loop cannot recurse forever. */
static bool folder_has_file(const char *dir, int depth, bool *oom)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool found = false;
    struct dirent *e;
    while (!found && !*oom && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *child = fs_path_join(dir, e->d_name);
        struct stat st;
        if (!child)
            *oom = true;
        else if (stat(child, &st) == 0)
            found = S_ISREG(st.st_mode) ||
                    (S_ISDIR(st.st_mode) && depth < 32 && folder_has_file(child, depth + 1, oom));
        free(child);
    }
    closedir(d);
    return found;
}

static fs_status check_input(const fs_source_cfg *src, size_t si, size_t j, fs_error *err)
{
    const char *path = src->inputs[j], *raw = src->inputs_raw[j];
    char where[64];
    snprintf(where, sizeof where, "sources[%zu].inputs[%zu]", si, j);
    bool oom = false;
    struct stat st;
    /* Decide on the pattern as written, so that a '[' in the config folder's own name does
     * not turn a plain file name into a glob. */
    if (strpbrk(raw, "*?[")) {
        glob_t g;
        int r = glob(path, 0, NULL, &g);
        size_t found = r == 0 ? g.gl_pathc : 0;
        globfree(&g);
        if (r == GLOB_NOSPACE)
            return fs_error_set(err, FS_ERR_NOMEM, where, "out of memory expanding '%s'", raw);
        if (found == 0)
            return fs_error_set(err, FS_ERR_CONFIG, where,
                                "source '%s': input '%s' matches no file (looked for %s)",
                                src->id, raw, path);
        return FS_OK;
    }
    if (stat(path, &st) != 0)
        return fs_error_set(err, FS_ERR_CONFIG, where,
                            "source '%s': input '%s' matches no file (%s: %s)", src->id, raw,
                            path, strerror(errno));
    if (S_ISDIR(st.st_mode) && !folder_has_file(path, 0, &oom))
        return oom ? fs_error_set(err, FS_ERR_NOMEM, where, "out of memory")
                   : fs_error_set(err, FS_ERR_CONFIG, where,
                                  "source '%s': input '%s' matches no file (the folder %s holds "
                                  "no files)", src->id, raw, path);
    return FS_OK;
}

/* ---- whole-config checks and path defaults ---- */

static fs_status finish(fs_config *cfg, const cJSON *root, bool stopword_files_given,
                        bool check_inputs, fs_error *err)
{
    char where[64];
    for (size_t i = 0; i < cfg->n_sources; i++) {
        fs_source_cfg *s = &cfg->sources[i];
        if (!s->color)
            cfg_palette(i, s->rgb);
        for (size_t j = 0; j < i; j++)
            if (strcmp(cfg->sources[j].id, s->id) == 0) {
                snprintf(where, sizeof where, "sources[%zu].id", i);
                return fs_error_set(err, FS_ERR_CONFIG, where,
                                    "duplicate source id '%s' (already used by sources[%zu])",
                                    s->id, j);
            }
        for (size_t j = 0; check_inputs && j < s->n_inputs; j++) {
            fs_status st = check_input(s, i, j, err);
            if (st != FS_OK)
                return st;
        }
    }
    fs_report_cfg *r = &cfg->report;
    if (!r->sections) {
        if (!(r->sections = calloc(fs_report_section_count, sizeof *r->sections)))
            goto nomem;
        r->n_sections = fs_report_section_count;
        for (size_t i = 0; i < fs_report_section_count; i++)
            if (!(r->sections[i] = strdup(fs_report_section_names[i])))
                goto nomem;
    }
    /* fonts/ sits beside config/ in the project: "../fonts" from the config folder, written
     * without the ".." when the config folder has a simple parent. */
    if (!r->fonts_dir) {
        const char *base = cfg->base_dir;
        const char *last = fs_path_basename(base);
        bool simple = strcmp(last, ".") != 0 && strcmp(last, "..") != 0 && last[0];
        char *parent = simple ? fs_path_dirname(base) : fs_path_join(base, "..");
        r->fonts_dir = parent ? fs_path_join(parent, "fonts") : NULL;
        free(parent);
        if (!r->fonts_dir)
            goto nomem;
        /* A config kept elsewhere (a cron job's own folder) uses the build tree's fonts. */
        if (access(r->fonts_dir, F_OK) != 0) {
            free(r->fonts_dir);
            if (!(r->fonts_dir = strdup(FS_FONTDIR)))
                goto nomem;
        }
    }
    fs_analysis_cfg *a = &cfg->analysis;
    if (!stopword_files_given) {
        if (!(a->stopword_files = calloc(1, sizeof *a->stopword_files)))
            goto nomem;
        a->n_stopword_files = 1;
        if (!(a->stopword_files[0] = fs_path_join(cfg->base_dir, "stopwords-en.txt")))
            goto nomem;
        /* The shipped list, when the config's folder has none of its own. */
        if (access(a->stopword_files[0], F_OK) != 0) {
            free(a->stopword_files[0]);
            if (!(a->stopword_files[0] = strdup(FS_DATADIR "/stopwords-en.txt")))
                goto nomem;
        }
    }
    cfg->email.enabled = cJSON_GetObjectItemCaseSensitive(root, "email") != NULL;
    return FS_OK;
nomem:
    return fs_error_set(err, FS_ERR_NOMEM, cfg->path, "out of memory");
}

/* ---- entry points ---- */

fs_status fs_config_parse(const char *json, size_t len, const char *name, const char *base_dir,
                          bool check_inputs, fs_config **out, fs_error *err)
{
    cJSON *root = NULL;
    bool stopword_files_given = false;
    fs_status st;
    *out = NULL;
    fs_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg)
        return fs_error_set(err, FS_ERR_NOMEM, name, "out of memory");
    cfg->path = strdup(name ? name : "<config>");
    cfg->base_dir = strdup(base_dir && base_dir[0] ? base_dir : ".");
    if (!cfg->path || !cfg->base_dir) {
        st = fs_error_set(err, FS_ERR_NOMEM, name, "out of memory");
        goto done;
    }
    if ((st = cfg_json_parse(json, len, cfg->path, &root, err)) != FS_OK)
        goto done;
    if ((st = cfg_walk(cfg, root, &stopword_files_given, err)) != FS_OK)
        goto done;
    st = finish(cfg, root, stopword_files_given, check_inputs, err);
done:
    cJSON_Delete(root);
    if (st != FS_OK) {
        fs_config_free(cfg);
        cfg = NULL;
    }
    *out = cfg;
    return st;
}

fs_status fs_config_load(const char *path, fs_config **out, fs_error *err)
{
    char *text = NULL, *dir = NULL;
    size_t len = 0;
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && (uintmax_t)sb.st_size > CFG_MAX_BYTES)
        return fs_error_set(err, FS_ERR_CONFIG, path, "config is %ju bytes; the limit is %zu (16 MiB)",
                            (uintmax_t)sb.st_size, CFG_MAX_BYTES);
    /* A config that cannot be read is a config problem (exit 2), not a corpus input problem. */
    fs_status st = fs_read_file(path, CFG_MAX_BYTES, &text, &len, err);
    if (st == FS_ERR_INPUT && err)
        err->status = FS_ERR_CONFIG;
    if (st != FS_OK) {
        st = st == FS_ERR_INPUT ? FS_ERR_CONFIG : st;
        goto done;
    }
    if (!(dir = fs_path_dirname(path))) {
        st = fs_error_set(err, FS_ERR_NOMEM, path, "out of memory");
        goto done;
    }
    st = fs_config_parse(text, len, path, dir, true, out, err);
done:
    free(text);
    free(dir);
    return st;
}
