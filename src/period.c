/* period.c: period options → an inclusive date range and a label. */
#include "framescope/period.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int fs_days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        return 29;
    return days[month - 1];
}

/* Reads exactly `n` digits. */
static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool fs_date_parse_iso(const char *s, fs_date *out)
{
    int y, m, d;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) ||
        !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
        return false;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > fs_days_in_month(y, m))
        return false;
    *out = (fs_date){y, m, d};
    return true;
}

int fs_date_cmp(fs_date a, fs_date b)
{
    long ka = a.year * 10000L + a.month * 100L + a.day;
    long kb = b.year * 10000L + b.month * 100L + b.day;
    return (ka > kb) - (ka < kb);
}

static bool date_set(fs_date d)
{
    return d.year != 0;
}

bool fs_period_contains(const fs_period *p, fs_date d)
{
    if (p->all)
        return true;
    if (!date_set(d))
        return false;
    if (date_set(p->from) && fs_date_cmp(d, p->from) < 0)
        return false;
    if (date_set(p->to) && fs_date_cmp(d, p->to) > 0)
        return false;
    return true;
}

static void month_range(fs_period *out, int y, int m)
{
    out->from = (fs_date){y, m, 1};
    out->to = (fs_date){y, m, fs_days_in_month(y, m)};
    snprintf(out->label, sizeof out->label, "%04d-%02d", y, m);
}

fs_status fs_period_parse(const char *spec, const char *from, const char *to, time_t now,
                          fs_period *out, fs_error *err)
{
    memset(out, 0, sizeof *out);
    if (spec && (from || to))
        return fs_error_set(err, FS_ERR_USAGE, "--period",
                            "use either --period or --from/--to, not both");
    if (spec) {
        int y, m;
        if (strcmp(spec, "last-month") == 0 || strcmp(spec, "this-month") == 0) {
            struct tm tm;
            gmtime_r(&now, &tm);
            y = tm.tm_year + 1900;
            m = tm.tm_mon + 1;
            if (spec[0] == 'l' && --m == 0) {
                m = 12;
                y--;
            }
            month_range(out, y, m);
            return FS_OK;
        }
        if (strlen(spec) == 7 && spec[4] == '-' && digits(spec, 4, &y) && digits(spec + 5, 2, &m) &&
            y >= 1 && m >= 1 && m <= 12) {
            month_range(out, y, m);
            return FS_OK;
        }
        if (strlen(spec) == 4 && digits(spec, 4, &y) && y >= 1) {
            out->from = (fs_date){y, 1, 1};
            out->to = (fs_date){y, 12, 31};
            snprintf(out->label, sizeof out->label, "%04d", y);
            return FS_OK;
        }
        return fs_error_set(err, FS_ERR_USAGE, "--period",
                            "'%s' is not a period: use YYYY-MM, YYYY, last-month or this-month",
                            spec);
    }
    if (!from && !to) {
        out->all = true;
        snprintf(out->label, sizeof out->label, "all");
        return FS_OK;
    }
    if (from && !fs_date_parse_iso(from, &out->from))
        return fs_error_set(err, FS_ERR_USAGE, "--from", "'%s' is not a date (YYYY-MM-DD)", from);
    if (to && !fs_date_parse_iso(to, &out->to))
        return fs_error_set(err, FS_ERR_USAGE, "--to", "'%s' is not a date (YYYY-MM-DD)", to);
    if (from && to && fs_date_cmp(out->from, out->to) > 0)
        return fs_error_set(err, FS_ERR_USAGE, "--from", "--from %s is after --to %s", from, to);
    snprintf(out->label, sizeof out->label, "%s_%s", from ? from : "start", to ? to : "end");
    return FS_OK;
}
