/* cooccur_cap.c: the co-occurrence memory cap (analysis.cooc_memory_mb), decided while the
 * pairs are collected (cooccur_collect.c): once all distinct pairs of all sources exceed it,
 * only pairs whose two terms both have a total frequency >= 2^k are kept, the smallest k >= 1
 * that fits. The histogram of distinct pairs by the rarer term's log2 class gives k; it only
 * grows as more pairs come, and the stored pairs below it are dropped as soon as it rises. */
#include "cooccur_sort.h"

#include <stdlib.h>

/* The rule on the histogram: the smallest k >= 1 such that the pairs whose rarer term is in a
 * class >= k fit. */
static int threshold(const capper *p)
{
    /* The threshold only grows: the classes below the current one need no counting (the
     * gathering drops their pairs), and the rule would pass them anyway. */
    int keep = p->keep > 1 ? p->keep : 1;
    size_t kept = 0;
    for (int c = keep; c < CLASSES; c++)
        kept += p->hist[c];
    while (keep < 64 && kept > p->cap_pairs)
        kept -= p->hist[keep++];
    return keep;
}

static int class_of(const uint8_t *lg, const fs_pair *q)
{
    return lg[q->a] < lg[q->b] ? lg[q->a] : lg[q->b];
}

/* Drops the stored pairs below the threshold and gives the memory back. */
static void compact(capper *p)
{
    p->stored = 0;
    for (size_t s = 0; s < p->n_sources; s++) {
        fs_pair *q = p->pairs[s];
        size_t m = 0;
        for (size_t i = 0; i < p->n_pairs[s]; i++)
            if (class_of(p->lg, &q[i]) >= p->keep)
                q[m++] = q[i];
        if (q && m < p->n_pairs[s] && s != p->cur) { /* cur keeps its room for later ranges */
            fs_pair *shrunk = realloc(q, (m ? m : 1) * sizeof *q);
            p->pairs[s] = shrunk ? shrunk : q;
        }
        p->n_pairs[s] = m;
        p->stored += m;
    }
}

void cooc_cap_update(capper *p, size_t added, const size_t *hist_add)
{
    p->total += added;
    if (!p->lg)
        return;
    if (p->counting) {
        for (int c = 0; c < CLASSES; c++)
            p->hist[c] += hist_add[c];
    } else if (p->total > p->cap_pairs) { /* first time over: everything so far is stored */
        p->counting = true;
        for (size_t s = 0; s < p->n_sources; s++)
            for (size_t i = 0; i < p->n_pairs[s]; i++)
                p->hist[class_of(p->lg, &p->pairs[s][i])]++;
    }
    if (!p->counting)
        return;
    int keep = threshold(p);
    if (keep > p->keep) {
        p->keep = keep;
        compact(p);
    }
}
