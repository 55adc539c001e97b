/* gen.c: deterministic synthetic news corpus for `make bench`.
 *
 * Usage: gen OUT_DIR SIZE_MB [SEED]
 * Writes OUT_DIR/s0..s3/part-NNN.jsonl (one article per line, {"title","text"}), about SIZE_MB
 * megabytes of article text in total, split evenly over four sources. Words come from a Zipf
 * distribution (s = 1.05) over 120,000 invented word types, mixed with English function words
 * (about 45% of tokens, as in news text). Some types are acronyms (2-5 capitals), proper nouns
 * or hyphenated; the text has sentence capitals, possessives (’s), curly quotes, em and en
 * dashes, "U.S.", numbers and paragraph breaks. Each source shifts part of the vocabulary so the
 * sources differ. Same arguments, same bytes. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TYPES 120000
#define SOURCES 4
#define PART_BYTES (32u << 20)

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* splitmix64 */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double unif(void)
{
    return (double)(rnd() >> 11) / 9007199254740992.0;
}

static const char *const function_words[] = {
    "the", "of", "and", "to", "a", "in", "that", "is", "for", "on", "it", "with", "as", "was",
    "be", "by", "at", "this", "from", "have", "are", "or", "an", "but", "not", "its", "which",
    "they", "has", "their", "would", "will", "were", "been", "more", "than", "there", "about",
    "also", "into", "such", "over", "after", "could", "between", "while", "under", "us", "we",
    "he", "she", "his", "her", "should", "can", "may", "these", "those", "both", "any"};
#define NFUNC (sizeof function_words / sizeof *function_words)

static char *words[TYPES];
static double cdf[TYPES];
static double fcdf[NFUNC];

static void make_vocab(void)
{
    static const char *const syl[] = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa",
                                      "dor", "gen", "hal", "ist", "jun", "ber", "cor", "fin",
                                      "gra", "lek", "mon", "nor", "pre", "str", "tion", "ment",
                                      "al", "er", "ic", "ous", "ive", "ance"};
    const size_t ns = sizeof syl / sizeof *syl;
    char buf[64];
    for (size_t r = 0; r < TYPES; r++) {
        size_t x = r + 7, n = 0;
        int parts = 0;
        do { /* a mixed-radix spelling of the rank: distinct ranks give distinct words */
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", syl[x % ns]);
            x /= ns;
            parts++;
        } while (x > 0 && parts < 6);
        if (r % 97 == 3) { /* acronym, sometimes with a digit */
            size_t k = 2 + r % 4;
            for (size_t i = 0; i < k; i++)
                buf[i] = (char)('A' + (r * (i + 3) + i * 7) % 26);
            buf[k] = '\0';
            if (r % 3 == 0)
                snprintf(buf + k, sizeof buf - k, "%zu", r % 10);
        } else if (r % 13 == 5) { /* proper noun */
            buf[0] = (char)(buf[0] - 32);
        } else if (r % 41 == 7) { /* hyphenated compound */
            n += (size_t)snprintf(buf + n, sizeof buf - n, "-%s", syl[(r / 3) % ns]);
        }
        words[r] = strdup(buf);
        if (!words[r])
            exit(1);
    }
    double sum = 0;
    for (size_t r = 0; r < TYPES; r++)
        cdf[r] = (sum += 1.0 / pow((double)(r + 1), 1.05));
    for (size_t r = 0; r < TYPES; r++)
        cdf[r] /= sum;
    sum = 0;
    for (size_t r = 0; r < NFUNC; r++)
        fcdf[r] = (sum += 1.0 / (double)(r + 1));
    for (size_t r = 0; r < NFUNC; r++)
        fcdf[r] /= sum;
}

static size_t draw(const double *c, size_t n)
{
    double u = unif();
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static void put(buf *b, const char *s)
{
    size_t k = strlen(s);
    if (b->n + k + 1 > b->cap) {
        b->cap = (b->n + k + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            exit(1);
    }
    memcpy(b->p + b->n, s, k);
    b->n += k;
    b->p[b->n] = '\0';
}

/* One article of about `target` bytes for source `src`. Newlines are written as JSON "\n". */
static void article(buf *b, int src, size_t target)
{
    size_t start = b->n;
    int in_sentence = 0, sentences = 0;
    char tmp[96];
    while (b->n - start < target) {
        const char *w;
        char word[80];
        int cap_next = in_sentence == 0;
        double u = unif();
        if (u < 0.45) {
            w = function_words[draw(fcdf, NFUNC)];
        } else if (u < 0.46) {
            w = "U.S.";
        } else if (u < 0.48) {
            snprintf(tmp, sizeof tmp, rnd() % 2 ? "%u" : "%u,%03u", (unsigned)(rnd() % 3000),
                     (unsigned)(rnd() % 1000));
            w = tmp;
        } else {
            size_t r = draw(cdf, TYPES);
            if (r % 50 == (size_t)src && r + 1 < TYPES) /* source-specific vocabulary */
                r += 1;
            w = words[r];
        }
        snprintf(word, sizeof word, "%s", w);
        if (cap_next && word[0] >= 'a' && word[0] <= 'z')
            word[0] = (char)(word[0] - 32);
        if (b->n > start)
            put(b, " ");
        uint64_t deco = rnd() % 200;
        if (deco < 2)
            put(b, "“");
        put(b, word);
        if (deco < 2)
            put(b, "”");
        else if (deco < 6)
            put(b, "’s");
        else if (deco < 8)
            put(b, " —");
        else if (deco < 9)
            put(b, " –");
        else if (deco < 14)
            put(b, ",");
        in_sentence++;
        if (in_sentence > 8 && rnd() % 12 == 0) {
            put(b, rnd() % 20 ? "." : "?");
            in_sentence = 0;
            if (++sentences % 5 == 0)
                put(b, "\\n");
        }
    }
    put(b, ".");
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: gen OUT_DIR SIZE_MB [SEED]\n");
        return 2;
    }
    const char *dir = argv[1];
    double mb = atof(argv[2]);
    rng_state = argc > 3 ? strtoull(argv[3], NULL, 10) : 20260101u;
    make_vocab();
    size_t per_source = (size_t)(mb * 1024 * 1024 / SOURCES);
    mkdir(dir, 0755);
    buf b = {0};
    char path[4096];
    for (int s = 0; s < SOURCES; s++) {
        snprintf(path, sizeof path, "%s/s%d", dir, s);
        mkdir(path, 0755);
        size_t written = 0, part_bytes = 0, doc = 0;
        int part = 0;
        FILE *fp = NULL;
        while (written < per_source) {
            if (!fp || part_bytes >= PART_BYTES) {
                if (fp)
                    fclose(fp);
                snprintf(path, sizeof path, "%s/s%d/part-%03d.jsonl", dir, s, part++);
                fp = fopen(path, "wb");
                if (!fp) {
                    perror(path);
                    return 1;
                }
                part_bytes = 0;
            }
            b.n = 0;
            put(&b, "");
            article(&b, s, 1500 + rnd() % 6000);
            fprintf(fp, "{\"title\":\"Article %d-%zu\",\"text\":\"%s\"}\n", s, doc++, b.p);
            written += b.n;
            part_bytes += b.n + 40;
        }
        fclose(fp);
    }
    free(b.p);
    for (size_t r = 0; r < TYPES; r++)
        free(words[r]);
    return 0;
}
