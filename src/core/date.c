/*
** date.c: civil dates in the proleptic Gregorian calendar.
**
** A date is the number of days since 1970-01-01 (negative before). The
** conversions are Howard Hinnant's days_from_civil / civil_from_days, exact
** for every year; entente accepts years 1..9999 so that "YYYY-MM-DD" always
** has four digits.
*/
#include "core.h"

int ent__date_is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int ent__date_days_in_month(int y, int m)
{
    static const unsigned char dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12) return 0;
    return m == 2 && ent__date_is_leap(y) ? 29 : dim[m - 1];
}

int ent__date_make(int y, int m, int d, ent_date *out)
{
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > ent__date_days_in_month(y, m))
        return -1;
    y -= m <= 2;
    int era = y / 400; /* y >= 0 here */
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *out = era * 146097 + doe - 719468;
    return 0;
}

void ent__date_split(ent_date z, int *y, int *m, int *d)
{
    int64_t zz = (int64_t)z + 719468;
    int64_t era = (zz >= 0 ? zz : zz - 146096) / 146097;
    int64_t doe = zz - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t dd = doy - (153 * mp + 2) / 5 + 1;
    int64_t mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (mm <= 2));
    *m = (int)mm;
    *d = (int)dd;
}

static int digits(const char *s, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 0;
}

int ent__date_parse(const char *s, size_t n, ent_date *out)
{
    int y, m, d;
    if (n != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) || digits(s + 5, 2, &m) ||
        digits(s + 8, 2, &d))
        return -1;
    return ent__date_make(y, m, d, out) ? -2 : 0;
}

char *ent__date_format(ent_date z, char buf[11])
{
    int y, m, d;
    if (z == ENT_DATE_NONE) {
        buf[0] = '-';
        buf[1] = 0;
        return buf;
    }
    ent__date_split(z, &y, &m, &d);
    buf[0] = (char)('0' + y / 1000 % 10);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d / 10);
    buf[9] = (char)('0' + d % 10);
    buf[10] = 0;
    return buf;
}


int ent__range_overlap(ent_range a, ent_range b)
{
    int a_before_b = a.to != ENT_DATE_NONE && b.from != ENT_DATE_NONE && a.to < b.from;
    int b_before_a = b.to != ENT_DATE_NONE && a.from != ENT_DATE_NONE && b.to < a.from;
    return !a_before_b && !b_before_a;
}

int32_t ent__range_days(ent_range r)
{
    if (r.from == ENT_DATE_NONE || r.to == ENT_DATE_NONE || r.to < r.from) return -1;
    return r.to - r.from + 1;
}
