/* test_config_schema.c: config/schema.json (for editors) documents exactly the keys of the
 * config key tables (config_keys.c), with the same defaults and ranges. */
#include "testutil.h"

#include <cJSON.h>

#include "config_internal.h"
#include "framescope/fileio.h"

static const cJSON *resolve_ref(const cJSON *root, const cJSON *node)
{
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(node, "$ref");
    if (!cJSON_IsString(ref) || strncmp(ref->valuestring, "#/$defs/", 8) != 0)
        return node;
    const cJSON *defs = cJSON_GetObjectItemCaseSensitive(root, "$defs");
    return cJSON_GetObjectItemCaseSensitive(defs, ref->valuestring + 8);
}

/* The "properties" object describing a nested level, through $ref, items, oneOf alternatives
 * and additionalProperties (maps such as frames). */
static const cJSON *find_props(const cJSON *root, const cJSON *node, int depth)
{
    node = resolve_ref(root, node);
    if (!node || depth > 8)
        return NULL;
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(node, "properties");
    if (p)
        return p;
    static const char *const via[] = {"items", "additionalProperties"};
    for (size_t i = 0; i < 2; i++) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(node, via[i]);
        if (cJSON_IsObject(n) && (p = find_props(root, n, depth + 1)))
            return p;
    }
    const cJSON *alt;
    cJSON_ArrayForEach(alt, cJSON_GetObjectItemCaseSensitive(node, "oneOf"))
        if ((p = find_props(root, alt, depth + 1)))
            return p;
    return NULL;
}

static void check_level(const cJSON *root, const cJSON *props, const cfg_table *t,
                        const char *where)
{
    if (!props)
        fail_msg("schema has no properties for %s", where);
    const cJSON *prop;
    cJSON_ArrayForEach(prop, props)
        if (!cfg_key_find(t, prop->string))
            fail_msg("schema documents %s.%s, which the tables do not know", where, prop->string);
    for (size_t i = 0; i < t->n; i++) {
        const cfg_key *k = &t->keys[i];
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(props, k->name);
        if (!s)
            fail_msg("schema lacks %s.%s", where, k->name);
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(s, "default");
        const cJSON *lo = cJSON_GetObjectItemCaseSensitive(s, "minimum");
        const cJSON *hi = cJSON_GetObjectItemCaseSensitive(s, "maximum");
        if (k->kind == K_INT || k->kind == K_SIZE || k->kind == K_DOUBLE) {
            if (!d || d->valuedouble != k->def || !lo || lo->valuedouble != k->min ||
                (isinf(k->max) ? hi != NULL : (!hi || hi->valuedouble != k->max)))
                fail_msg("schema range or default of %s.%s differs from the table", where,
                         k->name);
        } else if (k->kind == K_BOOL) {
            if (!cJSON_IsBool(d) || cJSON_IsTrue(d) != (k->def != 0))
                fail_msg("schema default of %s.%s differs from the table", where, k->name);
        } else if (k->kind == K_STR && k->def_str) {
            if (!cJSON_IsString(d) || strcmp(d->valuestring, k->def_str) != 0)
                fail_msg("schema default of %s.%s differs from the table", where, k->name);
        }
        if (k->sub) {
            char sub[256];
            snprintf(sub, sizeof sub, "%s%s%s", where, where[0] ? "." : "", k->name);
            check_level(root, find_props(root, s, 0), k->sub, sub);
        }
    }
}

static void test_schema_matches_tables(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    fs_error err = {0};
    assert_int_equal(fs_read_file("config/schema.json", 0, &text, &len, &err), FS_OK);
    cJSON *root = cJSON_ParseWithLength(text, len);
    assert_non_null(root);
    check_level(root, cJSON_GetObjectItemCaseSensitive(root, "properties"), &cfg_top_table, "");
    cJSON_Delete(root);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_matches_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
