/* clean_rules.c: the explicit boilerplate rules of the config (drop_lines, cut_from,
 * cut_before, cut_through, drop_blocks), compiled once for the global set and each source, and
 * applied to one document's lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clean_internal.h"
#include "framescope/vec.h"

void clean_ruleset_free(clean_ruleset *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        corpus_rx_free(&rs->rules[i].rx);
        corpus_rx_free(&rs->rules[i].end);
        free(rs->rules[i].name);
    }
    free(rs->rules);
    free(rs->start);
    memset(rs, 0, sizeof *rs);
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static fs_status add_rule(clean_ruleset *rs, enum rule_kind kind, const char *name,
                          const char *pattern, const char *end_pattern, fs_error *err)
{
    clean_rule *nr = fs_vec_grow(rs->rules, rs->n, &rs->cap, sizeof *nr, 16);
    if (!nr)
        return fs_error_set(err, FS_ERR_NOMEM, name, "out of memory");
    rs->rules = nr;
    clean_rule *r = &rs->rules[rs->n];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->name = dup_str(name ? name : pattern);
    if (!r->name)
        return fs_error_set(err, FS_ERR_NOMEM, name, "out of memory");
    rs->n++; /* counted now so that ruleset_free releases whatever compiled */
    fs_status st = corpus_rx_compile(&r->rx, r->name, pattern, 0, err);
    if (st == FS_OK && end_pattern) {
        char ename[200];
        snprintf(ename, sizeof ename, "%s.end", r->name);
        st = corpus_rx_compile(&r->end, ename, end_pattern, 0, err);
    }
    return st;
}

static fs_status add_rules(clean_ruleset *rs, const fs_clean_rules *cr, fs_error *err)
{
    static const enum rule_kind kinds[4] = {RK_DROP_LINES, RK_CUT_FROM, RK_CUT_BEFORE,
                                            RK_CUT_THROUGH};
    const fs_pattern_list *lists[4] = {&cr->drop_lines, &cr->cut_from, &cr->cut_before,
                                       &cr->cut_through};
    fs_status st = FS_OK;
    for (int k = 0; k < 4; k++)
        for (size_t i = 0; i < lists[k]->n && st == FS_OK; i++)
            st = add_rule(rs, kinds[k], lists[k]->items[i].name, lists[k]->items[i].pattern,
                          NULL, err);
    for (size_t i = 0; i < cr->n_drop_blocks && st == FS_OK; i++) {
        const fs_block_rule *b = &cr->drop_blocks[i];
        char fallback[64];
        snprintf(fallback, sizeof fallback, "drop_blocks[%zu]", i);
        st = add_rule(rs, RK_BLOCK, b->name ? b->name : fallback, b->start, b->end, err);
    }
    return st;
}

fs_status clean_ruleset_build(const fs_config *cfg, clean_ruleset *rs, fs_error *err)
{
    memset(rs, 0, sizeof *rs);
    rs->start = calloc(cfg->n_sources + 2, sizeof *rs->start);
    if (!rs->start)
        return fs_error_set(err, FS_ERR_NOMEM, "clean", "out of memory");
    fs_status st = add_rules(rs, &cfg->clean.global, err);
    for (size_t s = 0; s < cfg->n_sources && st == FS_OK; s++) {
        rs->start[s + 1] = rs->n;
        st = add_rules(rs, &cfg->sources[s].clean, err);
    }
    rs->start[cfg->n_sources + 1] = rs->n;
    if (cfg->n_sources == 0)
        rs->start[1] = rs->n;
    return st;
}

/* ---- applying explicit rules -------------------------------------------------------------- */

static int line_match(corpus_rx *rx, const clean_lines *d, size_t i, fs_error *err)
{
    const clean_line *l = &d->lines[i];
    return corpus_rx_match(rx, d->text + l->off, l->len, 0, err);
}

/* Tags kept lines [from, to) with `slot`. */
static void tag_range(clean_lines *d, size_t from, size_t to, int slot)
{
    for (size_t i = from; i < to; i++)
        if (d->lines[i].tag == CLEAN_KEPT)
            d->lines[i].tag = slot;
}

/* `rx` and `end`: the rule's patterns with the calling thread's match data. */
fs_status clean_apply_rule(const clean_rule *r, corpus_rx *rx, corpus_rx *end, int slot,
                          clean_lines *d, fs_error *err)
{
    size_t n = d->n;
    for (size_t i = 0; i < n; i++) {
        if (d->lines[i].tag != CLEAN_KEPT)
            continue;
        int m = line_match(rx, d, i, err);
        if (m < 0)
            return FS_ERR_REGEX;
        if (!m)
            continue;
        switch (r->kind) {
        case RK_DROP_LINES:
            d->lines[i].tag = slot;
            break;
        case RK_CUT_FROM:
            tag_range(d, i, n, slot);
            return FS_OK;
        case RK_CUT_BEFORE:
            tag_range(d, 0, i, slot);
            return FS_OK;
        case RK_CUT_THROUGH:
            tag_range(d, 0, i + 1, slot);
            return FS_OK;
        case RK_BLOCK: {
            /* The end marker is searched from the next line; an unterminated block is left
             * alone, since dropping to the end of the document could take the story with it. */
            size_t j = i + 1;
            int e = 0;
            for (; j < n; j++) {
                if (d->lines[j].tag != CLEAN_KEPT)
                    continue;
                if ((e = line_match(end, d, j, err)) < 0)
                    return FS_ERR_REGEX;
                if (e)
                    break;
            }
            if (!e)
                return FS_OK;
            tag_range(d, i, j + 1, slot);
            i = j;
            break;
        }
        }
    }
    return FS_OK;
}

