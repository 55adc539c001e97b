/* export_num.c: the export buffer and the number formatting every export shares.
 *
 * Numbers are the bulk of the exports (tens of millions on a large corpus), and printf's exact
 * "%.17g" goes through multi-precision arithmetic for each. export_fmt_double gets the same 17
 * digits from one 128-bit product instead: x = m·2^e is scaled by a 128-bit approximation of
 * 10^q (q = 16 − floor(log10 x)), which puts the 17 digits in the integer part and leaves an
 * error far below one unit of the fraction's top 64 bits. The only case that product cannot
 * settle is a fraction within a few units of one half (a possible rounding tie); it goes to
 * snprintf, which is the reference. tests/test_export.c compares the two on random doubles.
 */
#include "export_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ========================================= buffer ========================================= */

bool export_buf_grow(export_buf *b, size_t n)
{
    if (b->failed)
        return false;
    if (b->cap - b->len >= n)
        return true;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->len < n) {
        if (cap > SIZE_MAX / 2) {
            b->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *p = realloc(b->p, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void export_buf_free(export_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* ======================================== integers ======================================== */

static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

size_t export_fmt_u64(uint64_t v, char *out)
{
    char tmp[EXPORT_U64_MAX];
    size_t i = sizeof tmp;
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100);
        v /= 100;
        tmp[--i] = digit_pairs[2 * r + 1];
        tmp[--i] = digit_pairs[2 * r];
    }
    if (v >= 10) {
        tmp[--i] = digit_pairs[2 * v + 1];
        tmp[--i] = digit_pairs[2 * v];
    } else {
        tmp[--i] = (char)('0' + v);
    }
    size_t n = sizeof tmp - i;
    memcpy(out, tmp + i, n);
    return n;
}

/* ========================================= doubles ========================================= */

__extension__ typedef unsigned __int128 u128;

/* 10^(20i) ≈ (hi·2^64 + lo)·2^exp, the 128-bit mantissa rounded down with its top bit set, for
 * i = -15..17 (from 1e-300 to 1e340: every q a double needs). Computed with exact integers. */
typedef struct pow10_entry {
    uint64_t hi, lo;
    int exp;
} pow10_entry;

static const pow10_entry pow10_20[] = {
    {0xab70fe17c79ac6cau, 0x6dbd630a48aaf406u, -1124}, /* 1e-300 */
    {0xe858ad248f5c22c9u, 0xd1b3400f8f9cff68u, -1058}, /* 1e-280 */
    {0x9d71ac8fada6c9b5u, 0x6f773fc3603db4a9u, -991},  /* 1e-260 */
    {0xd5605fcdcf32e1d6u, 0xfb1e4a9a90880a64u, -925},  /* 1e-240 */
    {0x9096ea6f3848984fu, 0x3ff0d2c85def7621u, -858},  /* 1e-220 */
    {0xc3f490aa77bd60fcu, 0xbedbfc4411068a9cu, -792},  /* 1e-200 */
    {0x84c8d4dfd2c63f3bu, 0x29ecd9f40041e073u, -725},  /* 1e-180 */
    {0xb3f4e093db73a093u, 0x59ed216765690f56u, -659},  /* 1e-160 */
    {0xf3e2f893dec3f126u, 0x5a89dba3c3efccfau, -593},  /* 1e-140 */
    {0xa54394fe1eedb8feu, 0xc2974eb4ee658828u, -526},  /* 1e-120 */
    {0xdff9772470297ebdu, 0x59787e2b93bc56f7u, -460},  /* 1e-100 */
    {0x97c560ba6b0919a5u, 0xdccd879fc967d41au, -393},  /* 1e-80 */
    {0xcdb02555653131b6u, 0x3792f412cb06794du, -327},  /* 1e-60 */
    {0x8b61313bbabce2c6u, 0x2323ac4b3b3da015u, -260},  /* 1e-40 */
    {0xbce5086492111aeau, 0x88f4bb1ca6bcf584u, -194},  /* 1e-20 */
    {0x8000000000000000u, 0x0000000000000000u, -127},  /* 1e0 */
    {0xad78ebc5ac620000u, 0x0000000000000000u, -61},   /* 1e20 */
    {0xeb194f8e1ae525fdu, 0x5dcfab0800000000u, 5},     /* 1e40 */
    {0x9f4f2726179a2245u, 0x01d762422c946590u, 72},    /* 1e60 */
    {0xd7e77a8f87daf7fbu, 0xdc33745ec97be906u, 138},   /* 1e80 */
    {0x924d692ca61be758u, 0x593c2626705f9c56u, 205},   /* 1e100 */
    {0xc646d63501a1511du, 0xb281e1fd541501b8u, 271},   /* 1e120 */
    {0x865b86925b9bc5c2u, 0x0b8a2392ba45a9b2u, 338},   /* 1e140 */
    {0xb616a12b7fe617aau, 0x577b986b314d6009u, 404},   /* 1e160 */
    {0xf6c69a72a3989f5bu, 0x8aad549e57273d45u, 470},   /* 1e180 */
    {0xa738c6bebb12d16cu, 0xb428f8ac016561dbu, 537},   /* 1e200 */
    {0xe2a0b5dc971f303au, 0x2e44ae64840fd61du, 603},   /* 1e220 */
    {0x9991a6f3d6bf1765u, 0xacca6da1e0a8ef29u, 670},   /* 1e240 */
    {0xd01fef10a657842cu, 0x2d2b7569b0432d85u, 736},   /* 1e260 */
    {0x8d07e33455637eb2u, 0xdb0b487b6423e1e8u, 803},   /* 1e280 */
    {0xbf21e44003acdd2cu, 0xe0470a63e6bd56c3u, 869},   /* 1e300 */
    {0x81842f29f2cce375u, 0xe6a1158300d46640u, 936},   /* 1e320 */
    {0xaf87023b9bf0ee6au, 0xeb8fad7c7f8680b4u, 1002},  /* 1e340 */
};
enum { POW10_FIRST = -15, POW10_N = sizeof pow10_20 / sizeof pow10_20[0] };

static const uint64_t pow10_u64[20] = {
    1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u, 100000000u, 1000000000u,
    10000000000u, 100000000000u, 1000000000000u, 10000000000000u, 100000000000000u,
    1000000000000000u, 10000000000000000u, 100000000000000000u, 1000000000000000000u,
    10000000000000000000u,
};

/* 64 bits of the 256-bit z (little-endian limbs) starting at bit pos (0 <= pos < 256). */
static uint64_t bits_at(const uint64_t z[4], unsigned pos)
{
    unsigned w = pos / 64, o = pos % 64;
    uint64_t v = z[w] >> o;
    if (o && w < 3)
        v |= z[w + 1] << (64 - o);
    return v;
}

/* floor(m·2^e2·10^q) into *ip and the next 64 bits of the fraction into *fp (both rounded
 * down, and together below the true value by less than 2^-62 of a unit); false when q is out of
 * the table's range or the integer part does not fit in 64 bits. */
static bool scale(uint64_t m, int e2, int q, uint64_t *ip, uint64_t *fp)
{
    int i = q >= 0 ? q / 20 : -((-q + 19) / 20), j = q - 20 * i;
    if (i < POW10_FIRST || i - POW10_FIRST >= (int)POW10_N)
        return false;
    u128 M = (u128)m * pow10_u64[j]; /* < 2^117, exact */
    uint64_t mh = (uint64_t)(M >> 64), ml = (uint64_t)M;
    uint64_t ph = pow10_20[i - POW10_FIRST].hi, pl = pow10_20[i - POW10_FIRST].lo;
    /* z = M·P, 128 × 128 → 256 bits. */
    u128 ll = (u128)ml * pl, lh = (u128)ml * ph, hl = (u128)mh * pl, hh = (u128)mh * ph;
    uint64_t z[4];
    z[0] = (uint64_t)ll;
    u128 mid = (ll >> 64) + (uint64_t)lh + (uint64_t)hl;
    z[1] = (uint64_t)mid;
    u128 top = (mid >> 64) + (lh >> 64) + (hl >> 64) + (uint64_t)hh;
    z[2] = (uint64_t)top;
    z[3] = (uint64_t)((top >> 64) + (hh >> 64));
    int sh = -(e2 + pow10_20[i - POW10_FIRST].exp); /* y = z / 2^sh */
    if (sh < 64 || sh > 192 || (sh < 192 && bits_at(z, (unsigned)sh + 64) != 0))
        return false;
    *ip = bits_at(z, (unsigned)sh);
    *fp = bits_at(z, (unsigned)sh - 64);
    return true;
}

/* 17 significant digits of positive finite x: *d in [10^16, 10^17) and x ≈ d·10^(k−16).
 * False when the result could be a rounding tie (the caller asks snprintf). */
static bool digits17(double x, uint64_t *d, int *k)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    int be = (int)((bits >> 52) & 0x7ff);
    uint64_t m = bits & ((UINT64_C(1) << 52) - 1);
    int e2;
    if (be) {
        m |= UINT64_C(1) << 52;
        e2 = be - 1075;
    } else {
        e2 = -1074;
    }
    /* x < 2^(top+1), so k10 = floor((top+1)·log10 2) is floor(log10 x) or one more; in the
     * second case the scaled value is below 10^16 and one exact multiplication by 10 fixes it
     * (the error bound grows to 20 units of fp, still well inside the margin). */
    int top = 63 - __builtin_clzll(m) + e2;
    int k10 = (int)floor((top + 1) * 0.30102999566398120);
    uint64_t ip, fp;
    if (!scale(m, e2, 16 - k10, &ip, &fp))
        return false;
    if (ip < UINT64_C(10000000000000000)) {
        u128 f10 = (u128)fp * 10;
        ip = ip * 10 + (uint64_t)(f10 >> 64);
        fp = (uint64_t)f10;
        k10--;
    }
    if (ip < UINT64_C(10000000000000000) || ip >= UINT64_C(100000000000000000))
        return false; /* cannot happen; snprintf decides */
    const uint64_t half = UINT64_C(1) << 63, margin = 64;
    if (fp > half - margin && fp < half + margin)
        return false;
    if (fp >= half + margin)
        ip++;
    if (ip == UINT64_C(100000000000000000)) {
        ip = UINT64_C(10000000000000000);
        k10++;
    }
    *d = ip;
    *k = k10;
    return true;
}

/* The 17 digits of d (< 10^17) into dig[0..17). */
static void digits_out(uint64_t d, char dig[17])
{
    uint32_t hi = (uint32_t)(d / 100000000u), lo = (uint32_t)(d % 100000000u);
    for (int i = 16; i > 8; i -= 2) {
        uint32_t r = lo % 100;
        lo /= 100;
        dig[i - 1] = digit_pairs[2 * r];
        dig[i] = digit_pairs[2 * r + 1];
    }
    for (int i = 8; i > 0; i -= 2) {
        uint32_t r = hi % 100;
        hi /= 100;
        dig[i - 1] = digit_pairs[2 * r];
        dig[i] = digit_pairs[2 * r + 1];
    }
    dig[0] = (char)('0' + hi);
}

size_t export_fmt_double(double v, char *out)
{
    if (!isfinite(v))
        return 0;
    char *o = out;
    if (signbit(v)) {
        *o++ = '-';
        v = -v;
    }
    if (v == 0) {
        *o++ = '0';
        return (size_t)(o - out);
    }
    uint64_t d;
    int k;
    if (!digits17(v, &d, &k)) {
        char tmp[EXPORT_NUM_MAX];
        int n = snprintf(tmp, sizeof tmp, "%.17g", v);
        memcpy(o, tmp, (size_t)n);
        return (size_t)(o - out) + (size_t)n;
    }
    char dig[17];
    digits_out(d, dig);
    int nd = 17;
    while (nd > 1 && dig[nd - 1] == '0')
        nd--;
    if (k < -4 || k >= 17) { /* %e style: d.ddde±XX */
        *o++ = dig[0];
        if (nd > 1) {
            *o++ = '.';
            memcpy(o, dig + 1, (size_t)nd - 1);
            o += nd - 1;
        }
        *o++ = 'e';
        *o++ = k < 0 ? '-' : '+';
        unsigned e = (unsigned)(k < 0 ? -k : k);
        if (e >= 100)
            *o++ = (char)('0' + e / 100);
        *o++ = digit_pairs[2 * (e % 100)];
        *o++ = digit_pairs[2 * (e % 100) + 1];
    } else if (k >= 0) { /* %f style, point after digit k */
        int ip = k + 1;
        if (nd <= ip) {
            memcpy(o, dig, (size_t)nd);
            o += nd;
            memset(o, '0', (size_t)(ip - nd));
            o += ip - nd;
        } else {
            memcpy(o, dig, (size_t)ip);
            o += ip;
            *o++ = '.';
            memcpy(o, dig + ip, (size_t)(nd - ip));
            o += nd - ip;
        }
    } else { /* 0.000ddd */
        *o++ = '0';
        *o++ = '.';
        memset(o, '0', (size_t)(-k - 1));
        o += -k - 1;
        memcpy(o, dig, (size_t)nd);
        o += nd;
    }
    return (size_t)(o - out);
}
