/* config_walk.c: cJSON tree -> typed fs_config, walking along the key tables of config_keys.c. Every error names the key path of the offending value (`sources[1].inputs[0]`);
 * syntax errors (config_syntax.c) name FILE:LINE:COL.
 *
 * Partial results are always reachable from the fs_config (arrays are allocated zeroed, with
 * their count set, before they are filled), so any failure simply frees the whole config.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "config_internal.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framescope/fileio.h"

typedef struct walk {
    fs_config *cfg;
    fs_error *err;
    uint32_t regex_flags;       /* extra PCRE2 options for the patterns being read */
    bool stopword_files_given;  /* an explicit (maybe empty) list replaces the default */
    char path[256];             /* key path of the value being read */
    size_t plen;
} walk;

static fs_status walk_object(walk *w, const cJSON *obj, const cfg_table *t, void *base);

/* ---- key paths and errors ---- */

static size_t push_text(walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static size_t push_text(walk *w, const char *fmt, ...)
{
    size_t old = w->plen, room = sizeof w->path - w->plen;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(w->path + w->plen, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        w->plen += (size_t)n < room ? (size_t)n : room - 1;
    return old;
}

static size_t push_key(walk *w, const char *key)
{
    /* Keys that are not identifiers (frame names, alias forms) are quoted in brackets. */
    bool plain = isalpha((unsigned char)key[0]) || key[0] == '_' || key[0] == '$';
    for (const char *p = key; *p && plain; p++)
        plain = isalnum((unsigned char)*p) || *p == '_' || *p == '$';
    if (plain)
        return push_text(w, "%s%s", w->plen ? "." : "", key);
    return push_text(w, "[\"%s\"]", key);
}

static size_t push_index(walk *w, size_t i)
{
    return push_text(w, "[%zu]", i);
}

static void pop(walk *w, size_t old)
{
    w->plen = old;
    w->path[old] = '\0';
}

static fs_status fail(walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static fs_status fail(walk *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fs_error_vset(w->err, FS_ERR_CONFIG, w->path[0] ? w->path : w->cfg->path, fmt, ap);
    va_end(ap);
    return FS_ERR_CONFIG;
}

static fs_status nomem(walk *w)
{
    return fs_error_set(w->err, FS_ERR_NOMEM, w->path, "out of memory");
}

static const char *describe(const cJSON *v, char *buf, size_t n)
{
    if (cJSON_IsString(v)) {
        size_t len = strlen(v->valuestring);
        snprintf(buf, n, "\"%.40s%s\"", v->valuestring, len > 40 ? "..." : "");
    } else if (cJSON_IsNumber(v)) {
        snprintf(buf, n, "%.15g", v->valuedouble);
    } else {
        snprintf(buf, n, "%s", cJSON_IsBool(v) ? (cJSON_IsTrue(v) ? "true" : "false")
                               : cJSON_IsNull(v) ? "null"
                               : cJSON_IsArray(v) ? "an array" : "an object");
    }
    return buf;
}

static fs_status wrong(walk *w, const char *expected, const cJSON *got)
{
    char buf[64];
    return fail(w, "expected %s, got %s", expected, describe(got, buf, sizeof buf));
}

static fs_status check_duplicates(walk *w, const cJSON *obj)
{
    for (const cJSON *m = obj->child; m; m = m->next)
        for (const cJSON *p = obj->child; p != m; p = p->next)
            if (strcmp(p->string, m->string) == 0) {
                push_key(w, m->string);
                return fail(w, "duplicate key '%s' (each key may appear once)", m->string);
            }
    return FS_OK;
}

/* ---- scalar values ---- */

static fs_status set_str(walk *w, char **field, const char *s)
{
    char *copy = strdup(s);
    if (!copy)
        return nomem(w);
    free(*field);
    *field = copy;
    return FS_OK;
}

static fs_status read_number(walk *w, const cfg_key *k, const cJSON *v, double *out)
{
    bool integer = k->kind != K_DOUBLE;
    double hi = k->max;
    if (k->kind == K_INT && hi > INT_MAX)
        hi = INT_MAX;
    if (k->kind == K_SIZE && hi > 1e12)
        hi = 1e12;
    double x = cJSON_IsNumber(v) ? v->valuedouble : NAN;
    if (cJSON_IsNumber(v) && (!integer || x == floor(x)) && x >= k->min && x <= hi) {
        *out = x;
        return FS_OK;
    }
    char range[96];
    const char *what = integer ? "an integer" : "a number";
    if (isinf(k->max) && !(x > hi))
        snprintf(range, sizeof range, "%s of at least %.15g", what, k->min);
    else
        snprintf(range, sizeof range, "%s from %.15g to %.15g", what, k->min, hi);
    return wrong(w, range, v);
}

static fs_status read_string(walk *w, const cJSON *v, const char **out)
{
    if (!cJSON_IsString(v) || !v->valuestring[0])
        return wrong(w, "a non-empty string", v);
    *out = v->valuestring;
    return FS_OK;
}

static fs_status check_string(walk *w, const cfg_key *k, const char *s)
{
    if ((k->flags & F_ID) && !cfg_check_id(s))
        return fail(w, "expected an id of lower-case ASCII letters, digits, '-' and '_', got \"%s\"",
                    s);
    if ((k->flags & F_EMAIL) && !cfg_check_email(s))
        return fail(w, "expected an e-mail address such as name@example.org, got \"%s\"", s);
    if (!k->choices)
        return FS_OK;
    char list[512] = "";
    for (size_t i = 0; k->choices[i]; i++) {
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, (k->flags & F_PLACEHOLDERS) ? "%s{%s}" : "%s\"%s\"",
                 i ? ", " : "", k->choices[i]);
    }
    if (k->flags & F_PLACEHOLDERS) {
        char bad[64];
        if (!cfg_check_placeholders(s, k->choices, bad, sizeof bad))
            return fail(w, "unknown placeholder '%s' (allowed: %s)", bad, list);
        return FS_OK;
    }
    for (size_t i = 0; k->choices[i]; i++)
        if (strcmp(s, k->choices[i]) == 0)
            return FS_OK;
    return fail(w, "expected one of %s, got \"%s\"", list, s);
}

static fs_status read_regex(walk *w, const cJSON *v, bool need_group, char **field)
{
    const char *s = NULL;
    char msg[sizeof w->err->msg];
    fs_status st = read_string(w, v, &s);
    if (st != FS_OK)
        return st;
    if (!cfg_check_regex(s, w->regex_flags, need_group, msg, sizeof msg))
        return fs_error_set(w->err, FS_ERR_REGEX, w->path, "%s", msg);
    return set_str(w, field, s);
}

static fs_status read_date(walk *w, const cJSON *v, fs_date *d)
{
    const char *s = NULL;
    fs_status st = read_string(w, v, &s);
    if (st != FS_OK)
        return st;
    switch (cfg_parse_date(s, d)) {
    case 0: return FS_OK;
    case 1: return fail(w, "expected a date \"YYYY-MM-DD\", got \"%s\"", s);
    default: return fail(w, "expected a real calendar date \"YYYY-MM-DD\", got \"%s\" (no such day)",
                         s);
    }
}

/* ---- lists ---- */

static fs_status start_array(walk *w, const cfg_key *k, const cJSON *v, const char *what,
                             size_t size, void **items, size_t *n)
{
    if (!cJSON_IsArray(v)) {
        char expected[96];
        snprintf(expected, sizeof expected, "an array of %s", what);
        return wrong(w, expected, v);
    }
    size_t count = (size_t)cJSON_GetArraySize(v);
    if (count == 0 && (k->flags & F_NONEMPTY))
        return fail(w, "expected at least one element, got an empty array");
    *items = calloc(count ? count : 1, size);
    if (!*items)
        return nomem(w);
    *n = count;
    return FS_OK;
}

static fs_status read_strlist(walk *w, const cfg_key *k, const cJSON *v, char ***items, size_t *n,
                              bool resolve)
{
    void *mem = NULL;
    fs_status st = start_array(w, k, v, "strings", sizeof **items, &mem, n);
    *items = mem;
    size_t i = 0;
    for (const cJSON *e = v->child; st == FS_OK && e; e = e->next, i++) {
        size_t old = push_index(w, i);
        const char *s = NULL;
        if ((st = read_string(w, e, &s)) != FS_OK || (st = check_string(w, k, s)) != FS_OK)
            return st;
        for (const cJSON *p = v->child; p != e; p = p->next)
            if ((k->flags & F_UNIQUE) && strcmp(p->valuestring, s) == 0)
                return fail(w, "\"%s\" is listed twice", s);
        (*items)[i] = resolve ? fs_path_join(w->cfg->base_dir, s) : strdup(s);
        if (!(*items)[i])
            return nomem(w);
        pop(w, old);
    }
    return st;
}

static fs_status read_patterns(walk *w, const cfg_key *k, const cJSON *v, fs_pattern_list *list)
{
    void *mem = NULL;
    fs_status st = start_array(w, k, v, "patterns", sizeof *list->items, &mem, &list->n);
    list->items = mem;
    size_t i = 0;
    for (const cJSON *e = v->child; st == FS_OK && e; e = e->next, i++) {
        size_t old = push_index(w, i);
        fs_pattern *p = &list->items[i];
        if (cJSON_IsString(e))
            st = read_regex(w, e, false, &p->pattern);
        else if (cJSON_IsObject(e))
            st = walk_object(w, e, k->sub, p);
        else
            return wrong(w, "a pattern string or an object {\"name\", \"pattern\"}", e);
        if (st == FS_OK && !p->name)
            st = set_str(w, &p->name, w->path);
        if (st != FS_OK)
            return st;
        pop(w, old);
    }
    return st;
}

static fs_status read_blocks(walk *w, const cfg_key *k, const cJSON *v, fs_block_rule **items,
                             size_t *n)
{
    void *mem = NULL;
    fs_status st = start_array(w, k, v, "objects {\"name\", \"start\", \"end\"}", sizeof **items,
                               &mem, n);
    *items = mem;
    size_t i = 0;
    for (const cJSON *e = v->child; st == FS_OK && e; e = e->next, i++) {
        size_t old = push_index(w, i);
        if ((st = walk_object(w, e, k->sub, &(*items)[i])) != FS_OK)
            return st;
        if (!(*items)[i].name && (st = set_str(w, &(*items)[i].name, w->path)) != FS_OK)
            return st;
        pop(w, old);
    }
    return st;
}

/* ---- objects with free-form keys ---- */

static fs_status read_aliases(walk *w, const cJSON *v, fs_analysis_cfg *a)
{
    if (!cJSON_IsObject(v))
        return wrong(w, "an object {\"surface form\": \"term\", ...}", v);
    fs_status st = check_duplicates(w, v);
    size_t count = (size_t)cJSON_GetArraySize(v), i = 0;
    if (st != FS_OK)
        return st;
    if (!(a->aliases = calloc(count ? count : 1, sizeof *a->aliases)))
        return nomem(w);
    a->n_aliases = count;
    for (const cJSON *m = v->child; m; m = m->next, i++) {
        size_t old = push_key(w, m->string);
        const char *to = NULL;
        if (!m->string[0])
            return fail(w, "an alias needs a non-empty surface form");
        if ((st = read_string(w, m, &to)) != FS_OK ||
            (st = set_str(w, &a->aliases[i].from, m->string)) != FS_OK ||
            (st = set_str(w, &a->aliases[i].to, to)) != FS_OK)
            return st;
        pop(w, old);
    }
    return FS_OK;
}

static fs_status read_frames(walk *w, const cfg_key *k, const cJSON *v, fs_analysis_cfg *a)
{
    if (!cJSON_IsObject(v))
        return wrong(w, "an object {\"frame name\": [patterns], ...}", v);
    fs_status st = check_duplicates(w, v);
    size_t count = (size_t)cJSON_GetArraySize(v), i = 0;
    if (st != FS_OK)
        return st;
    if (!(a->frames = calloc(count ? count : 1, sizeof *a->frames)))
        return nomem(w);
    a->n_frames = count;
    /* Frames are counted case-insensitively; compile them the way they will be used. */
    w->regex_flags = PCRE2_CASELESS;
    for (const cJSON *m = v->child; m; m = m->next, i++) {
        size_t old = push_key(w, m->string);
        if (!m->string[0])
            return fail(w, "a frame needs a non-empty name");
        if (cJSON_IsArray(m) && !m->child)
            return fail(w, "frame '%s' needs at least one pattern, got an empty array", m->string);
        if ((st = set_str(w, &a->frames[i].name, m->string)) != FS_OK ||
            (st = read_patterns(w, k, m, &a->frames[i].patterns)) != FS_OK)
            return st;
        pop(w, old);
    }
    w->regex_flags = 0;
    return FS_OK;
}

/* ---- one key ---- */

static fs_status walk_value(walk *w, const cfg_key *k, const cJSON *v, void *base)
{
    void *field = (char *)base + k->off;
    size_t *count = (size_t *)((char *)base + k->count_off);
    fs_source_cfg *src = base;
    fs_analysis_cfg *an = base;
    const char *s = NULL;
    double x = 0;
    fs_status st;
    switch (k->kind) {
    case K_IGNORE:
        return FS_OK;
    case K_OBJECT:
        return walk_object(w, v, k->sub, field);
    case K_INT:
    case K_SIZE:
    case K_DOUBLE:
        if ((st = read_number(w, k, v, &x)) != FS_OK)
            return st;
        if (k->kind == K_INT)
            *(int *)field = (int)x;
        else if (k->kind == K_SIZE)
            *(size_t *)field = (size_t)x;
        else
            *(double *)field = x;
        return FS_OK;
    case K_BOOL:
        if (!cJSON_IsBool(v))
            return wrong(w, "true or false", v);
        *(bool *)field = cJSON_IsTrue(v);
        return FS_OK;
    case K_STR:
        if ((st = read_string(w, v, &s)) != FS_OK || (st = check_string(w, k, s)) != FS_OK)
            return st;
        return set_str(w, field, s);
    case K_PATH:
        if ((st = read_string(w, v, &s)) != FS_OK)
            return st;
        free(*(char **)field);
        *(char **)field = fs_path_join(w->cfg->base_dir, s);
        return *(char **)field ? FS_OK : nomem(w);
    case K_DATE:
        return read_date(w, v, field);
    case K_DATEFMT: {
        if ((st = read_string(w, v, &s)) != FS_OK)
            return st;
        const char *why = cfg_check_datefmt(s);
        if (why)
            return fail(w, "date format \"%s\" %s", s, why);
        return set_str(w, field, s);
    }
    case K_REGEX:
        return read_regex(w, v, (k->flags & F_GROUP) != 0, field);
    case K_STRLIST:
    case K_PATHLIST:
        return read_strlist(w, k, v, field, count, k->kind == K_PATHLIST);
    case K_PATTERNS:
        return read_patterns(w, k, v, field);
    case K_BLOCKS:
        return read_blocks(w, k, v, field, count);
    case K_SOURCES:
        return FS_ERR_INTERNAL; /* handled by read_sources, which needs the whole config */
    case K_COLOR:
        if ((st = read_string(w, v, &s)) != FS_OK)
            return st;
        if (!cfg_parse_color(s, src->rgb))
            return fail(w, "expected a colour \"#RRGGBB\" (six hex digits), got \"%s\"", s);
        return set_str(w, &src->color, s);
    case K_INPUTS:
        if ((st = read_strlist(w, k, v, &src->inputs_raw, &src->n_inputs, false)) != FS_OK)
            return st;
        if (!(src->inputs = calloc(src->n_inputs, sizeof *src->inputs)))
            return nomem(w);
        for (size_t i = 0; i < src->n_inputs; i++)
            if (!(src->inputs[i] = fs_path_join(w->cfg->base_dir, src->inputs_raw[i])))
                return nomem(w);
        return FS_OK;
    case K_OUTLET:
        if (cJSON_IsObject(v))
            return walk_object(w, v, k->sub, src);
        if (!cJSON_IsString(v))
            return wrong(w, "a string or an object {\"pattern\", \"default\"}", v);
        if ((st = read_string(w, v, &s)) != FS_OK)
            return st;
        return set_str(w, &src->outlet, s);
    case K_SRCDATE:
        if (cJSON_IsObject(v))
            return walk_object(w, v, k->sub, src);
        if (!cJSON_IsString(v))
            return wrong(w, "a date \"YYYY-MM-DD\" or an object {\"pattern\", \"format\", "
                            "\"default\"}", v);
        return read_date(w, v, &src->date);
    case K_ALIASES:
        return read_aliases(w, v, an);
    case K_FRAMES:
        return read_frames(w, k, v, an);
    case K_STOPWORDS:
        if (cJSON_IsObject(v)) {
            w->stopword_files_given = cJSON_GetObjectItemCaseSensitive(v, "files") != NULL;
            return walk_object(w, v, k->sub, an);
        }
        if (!cJSON_IsArray(v))
            return wrong(w, "an array of files or an object {\"files\", \"add\", \"remove\"}", v);
        w->stopword_files_given = true;
        return read_strlist(w, k, v, &an->stopword_files, &an->n_stopword_files, true);
    }
    return FS_ERR_INTERNAL;
}

/* ---- objects ---- */

static fs_status apply_defaults(walk *w, const cfg_table *t, void *base)
{
    for (size_t i = 0; i < t->n; i++) {
        const cfg_key *k = &t->keys[i];
        void *field = (char *)base + k->off;
        fs_status st = FS_OK;
        switch (k->kind) {
        case K_INT: *(int *)field = (int)k->def; break;
        case K_SIZE: *(size_t *)field = (size_t)k->def; break;
        case K_DOUBLE: *(double *)field = k->def; break;
        case K_BOOL: *(bool *)field = k->def != 0; break;
        case K_STR:
            if (k->def_str)
                st = set_str(w, field, k->def_str);
            break;
        case K_OBJECT: st = apply_defaults(w, k->sub, field); break;
        default: break;
        }
        if (st != FS_OK)
            return st;
    }
    return FS_OK;
}

static fs_status unknown_key(walk *w, const cfg_table *t, const char *key)
{
    const char *guess = cfg_key_suggest(t, key);
    if (guess)
        return fail(w, "unknown key '%s' in %s; did you mean '%s'?", key, t->what, guess);
    char list[512] = "";
    for (size_t i = 0; i < t->n; i++) {
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", t->keys[i].name);
    }
    return fail(w, "unknown key '%s' in %s (known keys: %s)", key, t->what, list);
}

static fs_status read_sources(walk *w, const cfg_key *k, const cJSON *v)
{
    fs_config *cfg = w->cfg;
    void *mem = NULL;
    fs_status st = start_array(w, k, v, "source objects", sizeof *cfg->sources, &mem,
                               &cfg->n_sources);
    cfg->sources = mem;
    size_t i = 0;
    for (const cJSON *e = v->child; st == FS_OK && e; e = e->next, i++) {
        size_t old = push_index(w, i);
        if ((st = apply_defaults(w, k->sub, &cfg->sources[i])) != FS_OK ||
            (st = walk_object(w, e, k->sub, &cfg->sources[i])) != FS_OK)
            return st;
        pop(w, old);
    }
    return st;
}

static fs_status walk_object(walk *w, const cJSON *obj, const cfg_table *t, void *base)
{
    if (!cJSON_IsObject(obj))
        return wrong(w, "an object", obj);
    fs_status st = check_duplicates(w, obj);
    uint64_t seen = 0;
    for (const cJSON *m = obj->child; st == FS_OK && m; m = m->next) {
        const cfg_key *k = cfg_key_find(t, m->string);
        size_t old = push_key(w, m->string);
        if (!k)
            return unknown_key(w, t, m->string);
        seen |= (uint64_t)1 << (size_t)(k - t->keys);
        st = k->kind == K_SOURCES ? read_sources(w, k, m) : walk_value(w, k, m, base);
        if (st == FS_OK)
            pop(w, old);
    }
    for (size_t i = 0; st == FS_OK && i < t->n; i++)
        if ((t->keys[i].flags & F_REQUIRED) && !(seen & ((uint64_t)1 << i))) {
            push_key(w, t->keys[i].name);
            return fail(w, "missing required key '%s' in %s", t->keys[i].name, t->what);
        }
    return st;
}

fs_status cfg_walk(fs_config *cfg, const cJSON *root, bool *stopword_files_given, fs_error *err)
{
    walk w = {.cfg = cfg, .err = err};
    fs_status st = apply_defaults(&w, &cfg_top_table, cfg);
    if (st == FS_OK)
        st = walk_object(&w, root, &cfg_top_table, cfg);
    *stopword_files_given = w.stopword_files_given;
    return st;
}
