/* toolopt: see toolopt.h. */
#include "toolopt.h"

#include <string.h>

bool topt_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *v_r)
{
    if (!s || !*s)
        return false;
    uint64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    if (v < min || v > max)
        return false;
    *v_r = v;
    return true;
}

/* The civil-from-days inverse by era (400-year cycles). */
int64_t topt_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static bool digits(const char **p, unsigned n, unsigned *v_r)
{
    unsigned v = 0;
    for (unsigned i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (unsigned)(c - '0');
    }
    *p += n;
    *v_r = v;
    return true;
}

static bool leap(unsigned y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool topt_parse_time(const char *s, int64_t *t_r)
{
    if (!s || !*s)
        return false;
    const char *num = s[0] == '@' ? s + 1 : s;
    bool all_digits = *num != '\0';
    for (const char *p = num; *p; p++)
        if ((*p < '0' || *p > '9') && !(p == num && *p == '-' && p[1]))
            all_digits = false;
    if (all_digits) {
        bool neg = *num == '-';
        uint64_t v;
        if (!topt_parse_uint(num + neg, 0, INT64_MAX, &v))
            return false;
        *t_r = neg ? -(int64_t)v : (int64_t)v;
        return true;
    }
    /* RFC 3339 section 5.6 (date-time), with the date-only and no-offset
     * forms ISO 8601 allows. */
    const char *p = s;
    unsigned y, mo, d, h = 0, mi = 0, sec = 0;
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
        !digits(&p, 2, &d))
        return false;
    static const unsigned mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] + (mo == 2 && leap(y)))
        return false;
    int64_t off = 0;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
            return false;
        if (*p == ':') {
            p++;
            if (!digits(&p, 2, &sec))
                return false;
            if (*p == '.' || *p == ',') {
                p++;
                if (*p < '0' || *p > '9')
                    return false;
                while (*p >= '0' && *p <= '9')
                    p++;
            }
        }
        if (h > 23 || mi > 59 || sec > 60)
            return false;
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1;
            unsigned oh, om;
            if (!digits(&p, 2, &oh))
                return false;
            if (*p == ':')
                p++;
            if (!digits(&p, 2, &om) || oh > 23 || om > 59)
                return false;
            off = sign * (int64_t)(oh * 3600 + om * 60);
        }
    }
    if (*p)
        return false;
    *t_r = topt_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
    return true;
}
