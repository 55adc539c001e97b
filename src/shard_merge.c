/* shard_merge.c: fs_counts_merge. Counts of the same corpus (same documents in the same order,
 * e.g. `--shard k/n` runs that each saw the whole corpus but counted a slice) are combined
 * document by document; counts of different corpora are appended. Vocabulary maps are monotonic,
 * so sorted pair lists stay sorted after remapping and merge linearly. */
#include "count_internal.h"
#include "docvec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VEC_BATCH 4096 /* documents whose term vectors leave the resident set at once */

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_corpus(const fs_counts *a, const fs_counts *b)
{
    if (a->n_docs != b->n_docs)
        return false;
    for (size_t d = 0; d < a->n_docs; d++)
        if (!same_str(a->docs[d].id, b->docs[d].id) ||
            memcmp(a->docs[d].sha256, b->docs[d].sha256, 64) != 0)
            return false;
    return true;
}

static const char *copy_str(fs_arena *a, const char *s, bool *nomem)
{
    if (!s)
        return NULL;
    const char *p = fs_arena_strdup(a, s);
    if (!p)
        *nomem = true;
    return p;
}

static fs_status check_compatible(const fs_counts *a, const fs_counts *b, fs_error *err)
{
    const char *why = NULL;
    if (a->n_sources != b->n_sources || a->n_frames != b->n_frames || a->n_focus != b->n_focus)
        why = "different numbers of sources, frames or focus terms";
    for (size_t s = 0; !why && s < a->n_sources; s++)
        if (!same_str(a->source_ids[s], b->source_ids[s]))
            why = "different sources";
    for (size_t f = 0; !why && f < a->n_frames; f++)
        if (!same_str(a->frame_names[f], b->frame_names[f]))
            why = "different frames";
    for (size_t f = 0; !why && f < a->n_focus; f++)
        if (!same_str(a->focus[f], b->focus[f]))
            why = "different focus terms";
    if (!why && (a->window != b->window || a->sentence_cooc != b->sentence_cooc ||
                 a->kwic_limit != b->kwic_limit))
        why = "different window, sentence_cooccurrence or kwic_per_term";
    if (!why && (a->fingerprint != b->fingerprint || !same_str(a->stop_version, b->stop_version)))
        why = "different tokenizer settings (aliases, phrases, stopwords or case options)";
    if (why)
        return fs_error_set(err, FS_ERR_INPUT, "merge",
                            "counts come from different configurations: %s", why);
    return FS_OK;
}

fs_status fs_counts_merge(fs_counts *dst, const fs_counts *src, fs_error *err)
{
    fs_status st = check_compatible(dst, src, err);
    if (st != FS_OK)
        return st;
    size_t ns = dst->n_sources, nf = dst->n_frames;
    bool nomem = false, same = same_corpus(dst, src);
    size_t na = dst->n_terms, nb = src->n_terms, nd = same ? dst->n_docs : dst->n_docs + src->n_docs;
    const char **terms = malloc((na + nb + 1) * sizeof *terms);
    uint32_t *mapa = malloc((na + 1) * sizeof *mapa), *mapb = malloc((nb + 1) * sizeof *mapb);
    uint64_t *tf = NULL, *doc_frames = NULL;
    uint32_t *df = NULL, *vec_n = NULL, *tbuf = NULL, *cbuf = NULL, vmax = 0;
    const uint8_t **vec_at = NULL;
    fs_spool *vsp = NULL;
    dv_store vs = {0};
    size_t nt = 0, *n_pairs = NULL, vlen = 0;
    fs_doc_info *docs = NULL;
    fs_pair **pairs = NULL;
    kwic_cand *kw = NULL;
    fs_kwic *kwic = NULL;
    uint32_t *kwic_pos = NULL;
    if (!terms || !mapa || !mapb)
        goto nomem;

    /* Vocabulary union in byte order; both maps are monotonic. */
    size_t i = 0, j = 0;
    while (i < na || j < nb) {
        int c = i == na ? 1 : j == nb ? -1 : strcmp(dst->terms[i], src->terms[j]);
        if (c <= 0)
            mapa[i] = (uint32_t)nt;
        if (c >= 0)
            mapb[j] = (uint32_t)nt;
        terms[nt++] = c <= 0 ? dst->terms[i] : copy_str(dst->arena, src->terms[j], &nomem);
        if (c <= 0)
            i++;
        if (c >= 0)
            j++;
    }
    if (nomem)
        goto nomem;
    tf = calloc(ns * nt + 1, sizeof *tf);
    df = calloc(ns * nt + 1, sizeof *df);
    if (!tf || !df)
        goto nomem;
    for (size_t s = 0; s < ns; s++) {
        for (size_t t = 0; t < na; t++) {
            tf[s * nt + mapa[t]] += dst->tf[s * na + t];
            df[s * nt + mapa[t]] += dst->df[s * na + t];
        }
        for (size_t t = 0; t < nb; t++) {
            tf[s * nt + mapb[t]] += src->tf[s * nb + t];
            df[s * nt + mapb[t]] += src->df[s * nb + t];
        }
    }

    /* Documents. */
    docs = calloc(nd + 1, sizeof *docs);
    vec_at = calloc(nd + 1, sizeof *vec_at);
    vec_n = calloc(nd + 1, sizeof *vec_n);
    doc_frames = calloc(nd * nf + 1, sizeof *doc_frames);
    size_t room = (dst->vec_max > src->vec_max ? dst->vec_max : src->vec_max) + (size_t)1;
    tbuf = malloc(room * sizeof *tbuf);
    cbuf = malloc(room * sizeof *cbuf);
    if (!docs || !vec_at || !vec_n || !doc_frames || !tbuf || !cbuf ||
        fs_spool_create(false, &vsp) != FS_OK)
        goto nomem;
    vs.sp = vsp;
    size_t batch = 0; /* first document whose vectors are still resident */
    for (size_t d = 0; d < nd; d++) {
        const fs_counts *from = dst;
        const uint32_t *map = mapa;
        size_t sd = d;
        if (same) {
            if (src->docs[d].counted) {
                if (dst->docs[d].counted) {
                    st = fs_error_set(err, FS_ERR_INPUT, "merge",
                                      "document %s is counted in both count sets (overlapping "
                                      "shards)", dst->docs[d].id ? dst->docs[d].id : "?");
                    goto done;
                }
                from = src;
                map = mapb;
            }
        } else if (d >= dst->n_docs) {
            from = src;
            map = mapb;
            sd = d - dst->n_docs;
        }
        docs[d] = from->docs[sd];
        if (from == src) {
            fs_doc_info *di = &docs[d];
            di->id = copy_str(dst->arena, di->id, &nomem);
            di->path = copy_str(dst->arena, di->path, &nomem);
            di->title = copy_str(dst->arena, di->title, &nomem);
            di->author = copy_str(dst->arena, di->author, &nomem);
            di->outlet = copy_str(dst->arena, di->outlet, &nomem);
            di->url = copy_str(dst->arena, di->url, &nomem);
            di->duplicate_of = copy_str(dst->arena, di->duplicate_of, &nomem);
            di->removals = copy_str(dst->arena, di->removals, &nomem);
            if (nomem)
                goto nomem;
        }
        /* The map is monotonic: remapped ids stay ascending. */
        size_t n = fs_counts_doc_terms(from, sd, tbuf, cbuf);
        if (n) {
            for (size_t k = 0; k < n; k++)
                tbuf[k] = map[tbuf[k]];
            uint8_t *q = dv_room(&vs, DV_MAX_BYTES(n));
            if (!q)
                goto nomem;
            vec_at[d] = q;
            dv_commit(&vs, dv_encode_sorted(q, tbuf, cbuf, n));
        }
        vec_n[d] = (uint32_t)n;
        vlen += n;
        vmax = vec_n[d] > vmax ? vec_n[d] : vmax;
        if (d + 1 - batch == VEC_BATCH || d + 1 == nd) {
            fs_counts_doc_terms_evict(dst, batch, d + 1);
            if (same)
                fs_counts_doc_terms_evict(src, batch, d + 1);
            else if (d + 1 > dst->n_docs)
                fs_counts_doc_terms_evict(src, batch > dst->n_docs ? batch - dst->n_docs : 0,
                                          d + 1 - dst->n_docs);
            batch = d + 1;
        }
        memcpy(doc_frames + d * nf, from->doc_frames + sd * nf, nf * sizeof *doc_frames);
    }

    /* Pairs: remapped lists stay sorted; merge them. */
    pairs = calloc(ns + 1, sizeof *pairs);
    n_pairs = calloc(ns + 1, sizeof *n_pairs);
    if (!pairs || !n_pairs)
        goto nomem;
    for (size_t s = 0; s < ns; s++) {
        fs_pair *a = malloc((dst->n_pairs[s] + 1) * sizeof *a);
        fs_pair *b = malloc((src->n_pairs[s] + 1) * sizeof *b);
        if (a && b) {
            for (size_t k = 0; k < dst->n_pairs[s]; k++)
                a[k] = (fs_pair){mapa[dst->pairs[s][k].a], mapa[dst->pairs[s][k].b],
                                 dst->pairs[s][k].count};
            for (size_t k = 0; k < src->n_pairs[s]; k++)
                b[k] = (fs_pair){mapb[src->pairs[s][k].a], mapb[src->pairs[s][k].b],
                                 src->pairs[s][k].count};
            st = cooc_merge_sorted(a, dst->n_pairs[s], b, src->n_pairs[s], &pairs[s],
                                   &n_pairs[s]);
        }
        bool ok = a && b && st == FS_OK;
        free(a);
        free(b);
        if (!ok)
            goto nomem;
    }

    /* Concordance: first kwic_limit lines per (focus, source) in document order. */
    size_t nk = dst->n_kwic + src->n_kwic;
    kw = malloc((nk + 1) * sizeof *kw);
    if (!kw)
        goto nomem;
    for (size_t k = 0; k < dst->n_kwic; k++) {
        const fs_kwic *x = &dst->kwic[k];
        kw[k] = (kwic_cand){(uint32_t)x->focus, (uint32_t)x->source, (uint32_t)x->doc,
                            dst->kwic_pos[k], x->left, x->keyword, x->right};
    }
    for (size_t k = 0; k < src->n_kwic; k++) {
        const fs_kwic *x = &src->kwic[k];
        size_t doc = same ? x->doc : x->doc + dst->n_docs;
        kw[dst->n_kwic + k] = (kwic_cand){(uint32_t)x->focus, (uint32_t)x->source,
                                          (uint32_t)doc, src->kwic_pos[k],
                                          copy_str(dst->arena, x->left, &nomem),
                                          copy_str(dst->arena, x->keyword, &nomem),
                                          copy_str(dst->arena, x->right, &nomem)};
    }
    if (nomem)
        goto nomem;
    nk = kwic_select(kw, nk, dst->kwic_limit);
    kwic = calloc(nk + 1, sizeof *kwic);
    kwic_pos = calloc(nk + 1, sizeof *kwic_pos);
    if (!kwic || !kwic_pos)
        goto nomem;
    for (size_t k = 0; k < nk; k++) {
        kwic[k] = (fs_kwic){kw[k].source, kw[k].focus, kw[k].doc, kw[k].left, kw[k].keyword,
                            kw[k].right};
        kwic_pos[k] = kw[k].pos;
    }

    /* Commit: nothing below can fail. */
    for (size_t s = 0; s < ns; s++) {
        dst->tokens[s] += src->tokens[s];
        dst->content_tokens[s] += src->content_tokens[s];
        dst->docs_counted[s] += src->docs_counted[s];
        free(dst->pairs[s]);
        dst->pairs[s] = pairs[s];
        dst->n_pairs[s] = n_pairs[s];
    }
    free(dst->terms);
    dst->terms = terms;
    dst->n_terms = nt;
    free(dst->tf);
    dst->tf = tf;
    free(dst->df);
    dst->df = df;
    free(dst->docs);
    dst->docs = docs;
    dst->n_docs = nd;
    dv_store_evict(&vs);
    free(dst->vec_at);
    dst->vec_at = vec_at;
    free(dst->vec_n);
    dst->vec_n = vec_n;
    fs_spool_free(dst->vec_spool);
    dst->vec_spool = vsp;
    dst->vec_len = vlen;
    dst->vec_max = vmax;
    free(dst->doc_frames);
    dst->doc_frames = doc_frames;
    free(dst->kwic);
    dst->kwic = kwic;
    free(dst->kwic_pos);
    dst->kwic_pos = kwic_pos;
    dst->n_kwic = nk;
    dst->pruned |= src->pruned;
    terms = NULL;
    tf = doc_frames = NULL;
    df = vec_n = NULL;
    vec_at = NULL;
    vsp = NULL;
    docs = NULL;
    kwic = NULL;
    kwic_pos = NULL;
    free(pairs);
    pairs = NULL;
    st = FS_OK;
    goto done;
nomem:
    st = fs_error_set(err, FS_ERR_NOMEM, "merge", "out of memory merging counts");
done:
    if (pairs)
        for (size_t s = 0; s < ns; s++)
            free(pairs[s]);
    free(pairs);
    free(n_pairs);
    free(terms);
    free(mapa);
    free(mapb);
    free(tf);
    free(df);
    free(docs);
    free(vec_at);
    free(vec_n);
    fs_spool_free(vsp);
    free(tbuf);
    free(cbuf);
    free(doc_frames);
    free(kw);
    free(kwic);
    free(kwic_pos);
    return st;
}
