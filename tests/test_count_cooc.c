/* test_count_cooc.c: co-occurrence: hand-counted pairs, the memory cap (spilling exactly,
 * pruning the same way for any thread count), dense slots, and the final sort in global ids
 * (cooc_collect) on every kind of worker data. */
#include "count_fixture.h"

#include "count_internal.h"

/* ---------------------------------------------------------------- tests */

static void test_cooccurrence_hand_counted(void **state)
{
    (void)state;
    fixture *f = fixture_new(1, 2);
    /* Content positions: alpha0 beta1 gamma2 alpha3 beta4 ("the" is a stopword). With window 2,
     * pairs (i<j, j-i<=2): 01 ab, 02 ag, 12 bg, 13 ba, 23 ga, 24 gb, 34 ab
     * → alpha-beta 3, alpha-gamma 2, beta-gamma 2. */
    fixture_add(f, 0, "alpha beta the gamma alpha beta");
    fs_counts *c = run(f, 1, NULL);
    assert_int_equal(fs_counts_n_terms(c), 3);
    assert_string_equal(fs_counts_term(c, 0), "alpha");
    assert_string_equal(fs_counts_term(c, 2), "gamma");
    assert_int_equal(fs_counts_tokens(c, 0), 6);
    assert_int_equal(fs_counts_content_tokens(c, 0), 5);
    assert_int_equal(fs_counts_tf(c, 0, 0), 2);
    assert_int_equal(fs_counts_df(c, 0, 0), 1);
    assert_int_equal(fs_counts_n_pairs(c, 0), 3);
    assert_int_equal(pair_count(c, 0, "alpha", "beta"), 3);
    assert_int_equal(pair_count(c, 0, "alpha", "gamma"), 2);
    assert_int_equal(pair_count(c, 0, "beta", "gamma"), 2);
    fs_counts_free(c);

    /* Sentence-bounded: [alpha beta] [gamma alpha beta] → alpha-beta 1 + 1, and in the second
     * sentence gamma-alpha 1, gamma-beta 1, alpha-beta 1 → alpha-beta 2, alpha-gamma 1,
     * beta-gamma 1. Without the bound the window also pairs beta0..gamma2 etc. */
    f->texts[0][0] = '\0';
    free(f->texts[0]);
    f->corpus.n_docs = 0;
    fixture_add(f, 0, "alpha beta. Gamma alpha beta");
    f->cfg.analysis.sentence_cooccurrence = true;
    c = run(f, 1, NULL);
    assert_int_equal(pair_count(c, 0, "alpha", "beta"), 2);
    assert_int_equal(pair_count(c, 0, "alpha", "gamma"), 1);
    assert_int_equal(pair_count(c, 0, "beta", "gamma"), 1);
    fs_counts_free(c);
    fixture_free(f);
}

static void test_memory_cap_prunes(void **state)
{
    (void)state;
    /* ~60,000 distinct random words in one document: the pair table outgrows a 1 MB cap. */
    fixture *f = fixture_new(1, 10);
    size_t cap = 600000, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    uint64_t seed = 7;
    for (int w = 0; w < 60000; w++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        n += (size_t)snprintf(buf + n, cap - n, "w%llx ", (unsigned long long)(seed >> 44));
    }
    fixture_add(f, 0, buf);
    free(buf);
    f->cfg.analysis.cooc_memory_mb = 1;
    fs_counts *c = run(f, 1, NULL);
    assert_true(fs_counts_cooc_pruned(c));
    assert_true(fs_counts_n_pairs(c, 0) > 0);
    assert_true(fs_counts_n_pairs(c, 0) < 600000);
    assert_int_equal(fs_counts_content_tokens(c, 0), 60000); /* term counts are never pruned */
    fs_counts_free(c);
    f->cfg.analysis.cooc_memory_mb = 512;
    c = run(f, 1, NULL);
    assert_false(fs_counts_cooc_pruned(c));
    fs_counts_free(c);
    fixture_free(f);
}

static void note_spill(void *user, fs_log_level level, const char *msg)
{
    (void)level;
    if (strstr(msg, "spilled"))
        *(int *)user = 1;
}

/* Random words (w0..w<vocab-1 in hex) in `docs` documents of `words` words each; with `walk`,
 * each word is 1-3 after the previous one (mod vocab), so few distinct pairs recur often. */
static fixture *random_words(size_t docs, size_t words, unsigned vocab, int window, bool walk)
{
    fixture *f = fixture_new(2, window);
    size_t cap = words * 8 + 1;
    char *buf = malloc(cap);
    assert_non_null(buf);
    uint64_t seed = 99;
    unsigned at = 0;
    for (size_t d = 0; d < docs; d++) {
        size_t n = 0;
        for (size_t w = 0; w < words; w++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            at = walk ? (at + 1 + (unsigned)(seed >> 33) % 3) % vocab
                      : (unsigned)(seed >> 33) % vocab;
            n += (size_t)snprintf(buf + n, cap - n, "w%x ", at);
        }
        fixture_add(f, d % 2, buf);
    }
    free(buf);
    return f;
}

static void test_memory_cap_spills_exactly(void **state)
{
    (void)state;
    /* ~36,000 distinct pairs (a result that fits 1 MB) from 800,000 occurrences: the workers'
     * sorted runs outgrow their share of 1 MB and go to a temporary file; nothing is lost. */
    fixture *f = random_words(400, 1000, 3000, 2, true);
    fs_counts *ref = run(f, 1, NULL);
    assert_false(fs_counts_cooc_pruned(ref));
    f->cfg.analysis.cooc_memory_mb = 1;
    int threads[] = {1, 2, 4};
    for (size_t k = 0; k < 3; k++) {
        int spilled = 0;
        fs_ctx ctx = {note_spill, &spilled, FS_LOG_DEBUG, threads[k], NULL, NULL, NULL};
        fs_counts *c = NULL;
        fs_error err;
        assert_int_equal(fs_count_run(&f->cfg, &ctx, &f->corpus, &f->clean, NULL, &c, &err), FS_OK);
        assert_true(spilled);
        assert_counts_equal(ref, c);
        fs_counts_free(c);
    }
    fs_counts_free(ref);
    fixture_free(f);
}

static void test_memory_cap_prunes_deterministically(void **state)
{
    (void)state;
    /* Far more distinct pairs than 1 MB holds, spread over many documents: what is dropped
     * depends on the corpus only, not on which worker saw which document. */
    fixture *f = random_words(60, 1500, 40000, 10, false);
    f->cfg.analysis.cooc_memory_mb = 1;
    fs_counts *one = run(f, 1, NULL), *two = run(f, 2, NULL), *four = run(f, 4, NULL);
    assert_true(fs_counts_cooc_pruned(one));
    assert_counts_equal(one, two);
    assert_counts_equal(one, four);
    size_t total = 0;
    for (size_t s = 0; s < 2; s++) {
        total += fs_counts_n_pairs(one, s);
        for (size_t i = 0; i < fs_counts_n_pairs(one, s); i++) {
            uint32_t a, b;
            uint64_t n;
            fs_counts_pair(one, s, i, &a, &b, &n);
            /* kept pairs: both terms seen at least twice in the whole corpus */
            assert_true(fs_counts_tf(one, 0, a) + fs_counts_tf(one, 1, a) >= 2);
            assert_true(fs_counts_tf(one, 0, b) + fs_counts_tf(one, 1, b) >= 2);
        }
    }
    assert_true(total > 0);
    assert_true(total * 16 <= 1024 * 1024);
    fs_counts_free(one);
    fs_counts_free(two);
    fs_counts_free(four);
    fixture_free(f);
}

/* Dense slots given to chosen ids midway (cooc_set_dense, as count.c does with its top terms)
 * count exactly what identity slots count. Random documents over 3,000 ids, two sources. */
static void cooc_run_docs(bool rerank, fs_pair **pairs, size_t *n_pairs)
{
    cooc_state c, *cs = &c;
    assert_int_equal(cooc_init(&c, 2, 64u << 20), FS_OK);
    uint32_t ids[200], sent[200], map[3000], top[64];
    for (uint32_t i = 0; i < 3000; i++)
        map[i] = i;
    for (uint32_t i = 0; i < 64; i++)
        top[i] = 2999 - 7 * i; /* slots for late, sparse ids */
    uint64_t x = 12345;
    for (int d = 0; d < 400; d++) {
        for (int k = 0; k < 200; k++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            ids[k] = (uint32_t)((x >> 33) % (x >> 62 ? 3000 : 40));
            sent[k] = (uint32_t)k / 17;
        }
        if (rerank && d == 150)
            assert_int_equal(cooc_set_dense(&c, top, 64, 3000), FS_OK);
        assert_int_equal(cooc_add_doc(&c, (size_t)d % 2, ids, sent, 200, 5, d % 3 == 0, 3000),
                         FS_OK);
    }
    assert_int_equal(cooc_finish(&c, 3000), FS_OK);
    const uint32_t *maps[] = {map};
    for (size_t s = 0; s < 2; s++)
        assert_int_equal(cooc_collect(&cs, 1, maps, 3000, s, NULL, 0, &pairs[s], &n_pairs[s]),
                         FS_OK);
    cooc_free(&c);
}

static void test_cooc_dense_slots(void **state)
{
    (void)state;
    fs_pair *a[2], *b[2];
    size_t na[2], nb[2];
    cooc_run_docs(false, a, na);
    cooc_run_docs(true, b, nb);
    for (size_t s = 0; s < 2; s++) {
        assert_true(na[s] > 1000);
        assert_int_equal(na[s], nb[s]);
        assert_memory_equal(a[s], b[s], na[s] * sizeof *a[s]);
        free(a[s]);
        free(b[s]);
    }
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* cooc_collect against brute force, on every kind of worker data: unsorted keys, sorted runs
 * (flushed), runs in the spill file (a 256 KB budget), drained dense counts (unsorted), from two
 * workers. Global ids go up to 2^31, so an element keeps only about 13 bits for its count: the
 * dense pair (0, 1) occurs far more often in each worker, and its count is split and added
 * back. Buckets are sorted on 1 thread in one range, and on 2 threads in ranges of 65,536
 * elements (each scanning all the workers' data). */
static void test_cooc_collect_large_ids(void **state)
{
    (void)state;
    enum { IDS = 3000, DOCS = 300, LEN = 200, WIN = 5 };
    const size_t n_terms = (size_t)1 << 31;
    static uint32_t map[2][IDS];
    for (uint32_t i = 0; i < IDS; i++) { /* distinct, spread over [0, 2^31) */
        map[0][i] = (uint32_t)(((uint64_t)i * 715827883u) % n_terms);
        map[1][i] = (uint32_t)(((uint64_t)(IDS - 1 - i) * 715827883u) % n_terms);
    }
    uint64_t *want = malloc((size_t)DOCS * LEN * WIN * sizeof *want);
    assert_non_null(want);
    size_t n_want;
    for (size_t budget_kb = 256; budget_kb <= 65536; budget_kb *= 256)
        for (int threads = 1; threads <= 2; threads++) {
            size_t range_max = threads == 2 ? 1 : 0; /* 1: ranges of 65,536 elements */
            cooc_state st[2], *sp[2] = {&st[0], &st[1]};
            for (int w = 0; w < 2; w++)
                assert_int_equal(cooc_init(&st[w], 1, budget_kb << 10), FS_OK);
            uint32_t ids[LEN], sent[LEN];
            uint64_t x = 777;
            n_want = 0;
            for (int d = 0; d < DOCS; d++) {
                int w = d % 2;
                for (int k = 0; k < LEN; k++) {
                    x = x * 6364136223846793005ull + 1442695040888963407ull;
                    ids[k] = k % 3 == 2 ? (uint32_t)((x >> 33) % IDS) : (uint32_t)(k % 3);
                    sent[k] = 0;
                }
                for (int j = 1; j < LEN; j++)
                    for (int i = j > WIN ? j - WIN : 0; i < j; i++) {
                        if (ids[i] == ids[j])
                            continue;
                        uint64_t a = map[w][ids[i]], b = map[w][ids[j]];
                        want[n_want++] = a < b ? a << 32 | b : b << 32 | a;
                    }
                assert_int_equal(cooc_add_doc(&st[w], 0, ids, sent, LEN, WIN, false, IDS), FS_OK);
            }
            for (int w = 0; w < 2; w++)
                assert_int_equal(cooc_finish(&st[w], IDS), FS_OK);
            if (budget_kb == 256)
                assert_true(st[0].spilled && st[1].spilled);
            fs_ctx ctx = {NULL, NULL, FS_LOG_ERROR, threads, NULL, NULL, NULL};
            const uint32_t *maps[] = {map[0], map[1]};
            fs_pair *p = NULL;
            size_t np = 0;
            assert_int_equal(cooc_collect(sp, 2, maps, n_terms, 0, &ctx, range_max, &p, &np),
                             FS_OK);
            qsort(want, n_want, sizeof *want, cmp_u64);
            size_t i = 0, k = 0;
            uint64_t most = 0;
            for (; i < n_want; k++) {
                uint64_t key = want[i], cnt = 0;
                for (; i < n_want && want[i] == key; i++)
                    cnt++;
                assert_true(k < np);
                assert_int_equal(p[k].a, key >> 32);
                assert_int_equal(p[k].b, key & 0xFFFFFFFFu);
                assert_int_equal(p[k].count, cnt);
                most = cnt > most ? cnt : most;
            }
            assert_int_equal(k, np);
            assert_true(most > 32768); /* about 20,000 a worker: split */
            free(p);
            for (int w = 0; w < 2; w++)
                cooc_free(&st[w]);
        }
    free(want);
}

/* Buckets of thousands of elements (radix passes of 12 bits), a digit the same for every
 * element (global ids all multiples of 2^12: the lowest pass, of 8 or 10 bits, has nothing
 * to do and is skipped), and several ranges over data that stays in memory (each range reads what the
 * earlier ones left): against a brute-force count. */
static void test_cooc_collect_big_buckets(void **state)
{
    (void)state;
    enum { IDS = 4096, DOCS = 1200, LEN = 200, WIN = 5 };
    const size_t n_terms = (size_t)IDS << 12;
    static uint32_t map[2][IDS];
    for (uint32_t i = 0; i < IDS; i++) { /* a permutation of multiples of 2^12, id 0 fixed */
        map[0][i] = (uint32_t)((i * 37u % IDS) << 12);
        map[1][i] = (uint32_t)((i * 101u % IDS) << 12);
    }
    size_t cap_want = (size_t)DOCS * LEN * WIN;
    uint64_t *want = malloc(cap_want * sizeof *want);
    assert_non_null(want);
    for (int threads = 1; threads <= 2; threads++) {
        cooc_state st[2], *sp[2] = {&st[0], &st[1]};
        for (int w = 0; w < 2; w++)
            assert_int_equal(cooc_init(&st[w], 1, (size_t)8 << 20), FS_OK);
        uint32_t ids[LEN], sent[LEN];
        uint64_t x = 4242;
        size_t n_want = 0;
        for (int d = 0; d < DOCS; d++) {
            int w = d % 2;
            for (int k = 0; k < LEN; k++) { /* every other token is id 0: one huge bucket */
                x = x * 6364136223846793005ull + 1442695040888963407ull;
                ids[k] = k % 2 ? (uint32_t)((x >> 33) % IDS) : 0;
                sent[k] = 0;
            }
            for (int j = 1; j < LEN; j++)
                for (int i = j > WIN ? j - WIN : 0; i < j; i++) {
                    if (ids[i] == ids[j])
                        continue;
                    uint64_t a = map[w][ids[i]], b = map[w][ids[j]];
                    want[n_want++] = a < b ? a << 32 | b : b << 32 | a;
                }
            assert_int_equal(cooc_add_doc(&st[w], 0, ids, sent, LEN, WIN, false, IDS), FS_OK);
        }
        for (int w = 0; w < 2; w++) {
            assert_int_equal(cooc_finish(&st[w], IDS), FS_OK);
            assert_false(st[w].spilled);
            assert_true(st[w].src[0].n_runs > 1); /* flushed keys and drained dense counts */
        }
        fs_ctx ctx = {NULL, NULL, FS_LOG_ERROR, threads, NULL, NULL, NULL};
        const uint32_t *maps[] = {map[0], map[1]};
        fs_pair *p = NULL;
        size_t np = 0;
        /* range_max 1: ranges of 65,536 elements, about 18 of them */
        assert_int_equal(cooc_collect(sp, 2, maps, n_terms, 0, &ctx, 1, &p, &np), FS_OK);
        qsort(want, n_want, sizeof *want, cmp_u64);
        size_t i = 0, k = 0, zero = 0;
        for (; i < n_want; k++) {
            uint64_t key = want[i], cnt = 0;
            for (; i < n_want && want[i] == key; i++)
                cnt++;
            assert_true(k < np);
            assert_int_equal(p[k].a, key >> 32);
            assert_int_equal(p[k].b, key & 0xFFFFFFFFu);
            assert_int_equal(p[k].count, cnt);
            zero += p[k].a == 0 ? cnt : 0;
        }
        assert_int_equal(k, np);
        assert_true(zero > 100000); /* the bucket of id 0 holds far more than 2,048 */
        free(p);
        for (int w = 0; w < 2; w++)
            cooc_free(&st[w]);
    }
    free(want);
}

/* ---------------------------------------------------------------- the cap, against brute force */

enum { CAP_IDS = 16384, CAP_DOCS = 480, CAP_LEN = 300, CAP_WIN = 5 };

/* A skewed corpus for the cap: an id is uniform below 2^e, e uniform in 0..14, so term
 * frequencies span every log2 class from 1 to thousands. */
static void cap_doc(uint64_t *x, uint32_t *ids)
{
    for (int k = 0; k < CAP_LEN; k++) {
        *x = *x * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t e = (uint32_t)(*x >> 59) % 15;
        ids[k] = (uint32_t)((*x >> 20) & ((1u << e) - 1));
    }
}

/* Worker w sees local id i as global id perm(w, i) (bijections of [0, CAP_IDS)), so the
 * collection must remap before it can add up. */
static uint32_t perm(int w, uint32_t i)
{
    return w ? (i * 7u + 3u) % CAP_IDS : (i * 7919u) % CAP_IDS;
}

/* Brute force: every pair occurrence as a global key a << 32 | b, sorted; *tf per global term
 * (sources added). Returns the keys of source s in want[s], their number in n_want[s]. */
static void cap_brute(uint64_t *want[2], size_t n_want[2], uint64_t *tf)
{
    uint32_t ids[CAP_LEN];
    uint64_t x = 4242;
    memset(tf, 0, 2 * CAP_IDS * sizeof *tf);
    for (int s = 0; s < 2; s++) {
        want[s] = malloc((size_t)CAP_DOCS * CAP_LEN * CAP_WIN * sizeof *want[s]);
        assert_non_null(want[s]);
        n_want[s] = 0;
    }
    for (int d = 0; d < CAP_DOCS; d++) {
        int w = d % 2, s = (d / 2) % 2;
        cap_doc(&x, ids);
        for (int j = 0; j < CAP_LEN; j++) {
            tf[(size_t)s * CAP_IDS + perm(w, ids[j])]++;
            for (int i = j > CAP_WIN ? j - CAP_WIN : 0; i < j; i++) {
                if (ids[i] == ids[j])
                    continue;
                uint64_t a = perm(w, ids[i]), b = perm(w, ids[j]);
                want[s][n_want[s]++] = a < b ? a << 32 | b : b << 32 | a;
            }
        }
    }
    for (int s = 0; s < 2; s++)
        qsort(want[s], n_want[s], sizeof *want[s], cmp_u64);
}

/* The same documents through two workers' cooc_states, collected under cap_bytes. */
static void cap_collect(size_t cap_bytes, int threads, fs_pair *pairs[2], size_t n_pairs[2],
                        uint64_t *min_tf, cooc_stats *stats, const uint64_t *tf)
{
    static uint32_t map[2][CAP_IDS];
    for (int w = 0; w < 2; w++)
        for (uint32_t i = 0; i < CAP_IDS; i++)
            map[w][i] = perm(w, i);
    cooc_state st[2], *sp[2] = {&st[0], &st[1]};
    for (int w = 0; w < 2; w++) /* 256 KB: flushed runs, spilled runs and unsorted keys */
        assert_int_equal(cooc_init(&st[w], 2, 256u << 10), FS_OK);
    uint32_t ids[CAP_LEN], sent[CAP_LEN] = {0};
    uint64_t x = 4242;
    for (int d = 0; d < CAP_DOCS; d++) {
        cap_doc(&x, ids);
        assert_int_equal(cooc_add_doc(&st[d % 2], (size_t)(d / 2) % 2, ids, sent, CAP_LEN,
                                      CAP_WIN, false, CAP_IDS), FS_OK);
    }
    int kinds[4] = {0, 0, 0, 0}; /* raw flushes, sorted flushes, dense counts, spilled */
    for (int w = 0; w < 2; w++) {
        assert_int_equal(cooc_finish(&st[w], CAP_IDS), FS_OK);
        for (int s = 0; s < 2; s++)
            for (size_t r = 0; r < st[w].src[s].n_runs; r++) {
                const cooc_run *rn = &st[w].src[s].runs[r];
                kinds[rn->raw ? 0 : rn->sorted ? 1 : 2]++;
                kinds[3] += rn->off >= 0;
            }
    }
    /* few repeats: after the first sort, the keys are flushed unsorted, every kind spilled */
    assert_true(kinds[0] > 0 && kinds[1] > 0 && kinds[2] > 0 && kinds[3] > 0);
    fs_ctx ctx = {NULL, NULL, FS_LOG_ERROR, threads, NULL, NULL, NULL};
    const uint32_t *maps[] = {map[0], map[1]};
    pairs[0] = pairs[1] = NULL;
    n_pairs[0] = n_pairs[1] = 0;
    assert_int_equal(cooc_collect_all(sp, 2, maps, tf, 2, CAP_IDS, cap_bytes, &ctx, pairs,
                                      n_pairs, min_tf, stats), FS_OK);
    for (int w = 0; w < 2; w++)
        cooc_free(&st[w]);
}

/* The cap's threshold found directly: the smallest k >= 1 such that the distinct pairs (all
 * sources) whose two terms both occur at least 2^k times take at most cap_bytes; 0 when all
 * pairs fit. */
static int cap_brute_k(uint64_t *const want[2], const size_t n_want[2], const uint64_t *tf,
                       size_t cap_bytes)
{
    for (int k = 0; k < 64; k++) {
        uint64_t min = k ? (uint64_t)1 << k : 0;
        size_t n = 0;
        for (int s = 0; s < 2; s++)
            for (size_t i = 0; i < n_want[s]; i++) {
                if (i && want[s][i] == want[s][i - 1])
                    continue;
                uint64_t a = want[s][i] >> 32, b = want[s][i] & 0xFFFFFFFFu;
                n += tf[a] + tf[CAP_IDS + a] >= min && tf[b] + tf[CAP_IDS + b] >= min;
            }
        if (n * sizeof(fs_pair) <= cap_bytes)
            return k;
    }
    return 64;
}

static void test_cooc_cap_matches_brute_force(void **state)
{
    (void)state;
    static uint64_t tf[2 * CAP_IDS];
    uint64_t *want[2];
    size_t n_want[2], distinct = 0;
    cap_brute(want, n_want, tf);
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; i < n_want[s]; i++)
            distinct += !i || want[s][i] != want[s][i - 1];
    /* a cap far below the pairs (several thresholds tried on the way up), one just below, one
     * that holds them all */
    size_t caps[] = {distinct * sizeof(fs_pair) / 8, distinct * sizeof(fs_pair) - 1,
                     distinct * sizeof(fs_pair)};
    for (size_t ci = 0; ci < 3; ci++) {
        int k = cap_brute_k(want, n_want, tf, caps[ci]);
        if (ci == 0)
            assert_true(k >= 3);
        if (ci == 2)
            assert_int_equal(k, 0); /* all fit: nothing dropped */
        else
            assert_true(k >= 1);
        uint64_t min = k ? (uint64_t)1 << k : 0;
        for (int threads = 1; threads <= 2; threads++) {
            fs_pair *p[2];
            size_t np[2];
            uint64_t min_tf;
            cooc_stats stats;
            cap_collect(caps[ci], threads, p, np, &min_tf, &stats, tf);
            assert_int_equal(min_tf, min);
            size_t range = cooc_range_max(caps[ci]);
            /* the sort went in ranges, through the partition files (the data is mostly
             * spilled: reading it back once per range would cost more), one a worker, cut
             * while counting into groups of buckets that ranges can split (about 8 groups a
             * range here): with two threads both workers are cut and read back at once */
            assert_true(stats.ranges > 4);
            assert_true(stats.parted > 0);
            assert_true(stats.most_elems <= range);
            /* never more pairs stored than the cap holds plus one range's new pairs */
            assert_true(stats.most_pairs <= caps[ci] / sizeof(fs_pair) + range);
            for (int s = 0; s < 2; s++) {
                size_t k_out = 0;
                for (size_t i = 0; i < n_want[s];) {
                    uint64_t key = want[s][i], cnt = 0;
                    for (; i < n_want[s] && want[s][i] == key; i++)
                        cnt++;
                    uint64_t a = key >> 32, b = key & 0xFFFFFFFFu;
                    if (tf[a] + tf[CAP_IDS + a] < min || tf[b] + tf[CAP_IDS + b] < min)
                        continue;
                    assert_true(k_out < np[s]);
                    assert_int_equal(p[s][k_out].a, a);
                    assert_int_equal(p[s][k_out].b, b);
                    assert_int_equal(p[s][k_out].count, cnt);
                    k_out++;
                }
                assert_int_equal(k_out, np[s]);
                assert_true(np[s] > 0);
                free(p[s]);
            }
        }
    }
    for (int s = 0; s < 2; s++)
        free(want[s]);
}

/* The spill decision counts what the next flush needs: raw flushes (keys handed over unsorted)
 * need no sort scratch, so a worker holds two raw runs within its budget and spills only when a
 * third would not fit (it spilled at the second while the scratch was counted). The source's
 * key buffer is reserved once for a whole flush and keeps that size across flushes. */
static void test_cooc_raw_flushes_spill_late(void **state)
{
    (void)state;
    enum { LEN = 100, WIN = 5, IDS = 1 << 20 };
    cooc_state c;
    assert_int_equal(cooc_init(&c, 1, (size_t)1 << 20), FS_OK); /* flushes of 32,768 keys */
    uint32_t ids[LEN], sent[LEN] = {0};
    uint64_t x = 99;
    size_t cap = 0;
    for (unsigned want = 1; want <= 3; want++)
        while (c.flushes < want) {
            for (int k = 0; k < LEN; k++) { /* above the dense slots, few repeats: raw */
                x = x * 6364136223846793005ull + 1442695040888963407ull;
                ids[k] = 4096 + (uint32_t)((x >> 33) % (IDS - 4096));
            }
            assert_int_equal(cooc_add_doc(&c, 0, ids, sent, LEN, WIN, false, IDS), FS_OK);
            if (!cap)
                cap = c.src[0].cap;
            assert_int_equal(c.src[0].cap, cap);
            assert_int_equal(c.spilled, want == 3 && c.flushes == 3);
        }
    assert_true(cap >= c.flush_keys);
    assert_true(c.spilled);
    assert_int_equal(c.mem_runs, 0);
    cooc_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cooccurrence_hand_counted),
        cmocka_unit_test(test_memory_cap_prunes),
        cmocka_unit_test(test_memory_cap_spills_exactly),
        cmocka_unit_test(test_memory_cap_prunes_deterministically),
        cmocka_unit_test(test_cooc_dense_slots),
        cmocka_unit_test(test_cooc_collect_large_ids),
        cmocka_unit_test(test_cooc_collect_big_buckets),
        cmocka_unit_test(test_cooc_cap_matches_brute_force),
        cmocka_unit_test(test_cooc_raw_flushes_spill_late),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
