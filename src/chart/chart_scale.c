/* chart_scale.c: linear and band scales, 1-2-5 "nice" ticks and number formatting. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart/chart_internal.h"

/* ---------------------------------------------------------------- scales */

double chart_linear_map(const chart_linear *s, double v)
{
    double span = s->d1 - s->d0;
    if (span == 0)
        return (s->r0 + s->r1) / 2;
    return s->r0 + (v - s->d0) / span * (s->r1 - s->r0);
}

double chart_band_step(const chart_band *b)
{
    return b->n ? (b->r1 - b->r0) / (double)b->n : 0;
}

double chart_band_center(const chart_band *b, size_t i)
{
    double step = chart_band_step(b);
    return b->r0 + step * ((double)i + 0.5);
}

double chart_band_width(const chart_band *b)
{
    return fabs(chart_band_step(b)) * b->fill;
}

/* ---------------------------------------------------------------- ticks */

/* The i-th value of the 1-2-5 series around 10^e: i = 0,1,2 -> 1,2,5 x 10^e. */
static double step_125(int e, int i)
{
    static const double mant[] = {1, 2, 5};
    return mant[i] * pow(10, e);
}

void chart_nice_ticks(double lo, double hi, int max_intervals, bool extend, chart_ticks *t)
{
    memset(t, 0, sizeof *t);
    if (!isfinite(lo) || !isfinite(hi)) {
        lo = 0;
        hi = 1;
    }
    if (lo > hi) {
        double tmp = lo;
        lo = hi;
        hi = tmp;
    }
    if (lo == hi) {
        lo -= 1;
        hi += 1;
    }
    if (max_intervals < 1)
        max_intervals = 1;
    if (max_intervals > CHART_TICKS_CAP - 1)
        max_intervals = CHART_TICKS_CAP - 1;
    /* Start one decade below the raw step and walk up the series until the count fits. */
    double raw = (hi - lo) / max_intervals;
    int e = (int)floor(log10(raw)) - 1;
    double step = 0, first = 0, last = 0;
    for (int k = 0; k < 12; k++) {
        step = step_125(e + k / 3, k % 3);
        /* The tolerance keeps a bound that is a multiple of the step (0, 8) from moving out. */
        first = extend ? floor(lo / step + 1e-9) : ceil(lo / step - 1e-9);
        last = extend ? ceil(hi / step - 1e-9) : floor(hi / step + 1e-9);
        double intervals = last - first;
        if (intervals <= max_intervals)
            break;
    }
    t->step = step;
    t->lo = extend ? first * step : lo;
    t->hi = extend ? last * step : hi;
    for (double k = first; k <= last && t->n < CHART_TICKS_CAP; k++) {
        double v = k * step;
        t->v[t->n++] = fabs(v) < step * 1e-9 ? 0 : v;
    }
    t->decimals = chart_step_decimals(step);
}

int chart_step_decimals(double step)
{
    int d = 0;
    double s = fabs(step);
    if (!(s > 0) || !isfinite(s))
        return 0;
    while (d < 9 && fabs(s * pow(10, d) - round(s * pow(10, d))) > 1e-6 * s * pow(10, d))
        d++;
    return d;
}

int chart_auto_decimals(const double *v, size_t n)
{
    double smallest = INFINITY;
    bool integers = true;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(v[i]))
            continue;
        if (v[i] != floor(v[i]))
            integers = false;
        if (v[i] != 0 && fabs(v[i]) < smallest)
            smallest = fabs(v[i]);
    }
    if (integers || !isfinite(smallest))
        return 0;
    /* Two significant digits of the smallest magnitude: 0.034 -> 3, 2.5 -> 1, 12.3 -> 0. */
    int d = 1 - (int)floor(log10(smallest));
    return d < 0 ? 0 : d > 3 ? 3 : d;
}

void chart_format_number(double v, int decimals, char *buf, size_t n)
{
    char digits[64];
    if (!n)
        return;
    if (!isfinite(v)) {
        snprintf(buf, n, "%s", isnan(v) ? "n/a" : v > 0 ? "inf" : "-inf");
        return;
    }
    if (decimals < 0)
        decimals = 0;
    snprintf(digits, sizeof digits, "%.*f", decimals, fabs(v));
    bool zero = strspn(digits, "0.") == strlen(digits);
    const char *dot = strchr(digits, '.');
    size_t int_len = dot ? (size_t)(dot - digits) : strlen(digits);
    size_t o = 0;
    if (v < 0 && !zero && o + 1 < n)
        buf[o++] = '-';
    for (size_t i = 0; i < int_len && o + 1 < n; i++) {
        if (i > 0 && (int_len - i) % 3 == 0 && o + 1 < n)
            buf[o++] = ',';
        if (o + 1 < n)
            buf[o++] = digits[i];
    }
    for (const char *p = dot; p && *p && o + 1 < n; p++)
        buf[o++] = *p;
    buf[o] = '\0';
}
