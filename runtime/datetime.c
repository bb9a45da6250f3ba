/* datetime: RFC 5322 date-time parsing and RFC 5260 date parts, with no
 * libc time or locale function. Contract in datetime.h. */
#include "datetime.h"

#include <stdio.h>
#include <string.h>

/* ---- Civil calendar ------------------------------------------------------
 * Proleptic Gregorian, counted in 400-year eras of 146097 days so that
 * every year, negative ones included, takes the same integer path. March
 * is the first month of the computational year, which puts the leap day
 * last. */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int64_t rt_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                                 /* 0..399 */
    int64_t mp = (m + 9) % 12;                                   /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + d - 1;                    /* 0..365 */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;         /* 0..146096 */
    return era * 146097 + doe - 719468;                          /* 1970-03-01 - 0000-03-01 */
}

void rt_civil_from_days(int64_t days, int64_t *y_r, int *m_r, int *d_r)
{
    days += 719468;
    int64_t era = floor_div(days, 146097);
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y_r = yoe + era * 400 + (m <= 2);
    *m_r = m;
    *d_r = d;
}

int rt_weekday(int64_t days)
{
    /* 1970-01-01 was a Thursday. */
    int64_t w = (days + 4) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static bool leap_year(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
    static const int n[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && leap_year(y) ? 29 : n[m - 1];
}

int64_t rt_datetime_to_unix(const rt_datetime *dt)
{
    int64_t days = rt_days_from_civil(dt->year, dt->month, dt->day);
    return days * 86400 + dt->hour * 3600 + dt->minute * 60 + dt->second - (int64_t)dt->zone * 60;
}

bool rt_datetime_from_unix(int64_t t, int zone, rt_datetime *dt_r)
{
    /* Far outside 0..9999 either way: refuse before any overflow. */
    if (t < -70000000000000LL || t > 70000000000000LL)
        return false;
    int64_t local = t + (int64_t)zone * 60;
    int64_t days = floor_div(local, 86400);
    int64_t sod = local - days * 86400;
    int64_t y;
    rt_civil_from_days(days, &y, &dt_r->month, &dt_r->day);
    if (y < 0 || y > 9999)
        return false;
    dt_r->year = (int)y;
    dt_r->hour = (int)(sod / 3600);
    dt_r->minute = (int)(sod / 60 % 60);
    dt_r->second = (int)(sod % 60);
    dt_r->zone = zone;
    dt_r->zone_unknown = false;
    return true;
}

bool rt_datetime_to_zone(const rt_datetime *dt, int zone, rt_datetime *out_r)
{
    /* A leap second is carried over as :59 and put back, so 23:59:60
     * stays in its minute in every zone. */
    rt_datetime tmp = *dt;
    bool leap = tmp.second == 60;
    if (leap)
        tmp.second = 59;
    if (!rt_datetime_from_unix(rt_datetime_to_unix(&tmp), zone, out_r))
        return false;
    if (leap)
        out_r->second = 60;
    return true;
}

/* ---- RFC 5322 3.3 / 4.3 parsing -------------------------------------------- */

typedef struct scan {
    const char *p, *end;
} scan;

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* CFWS (RFC 5322 3.2.2): white space, folds, and comments, which nest and
 * may hold quoted pairs. False on an unclosed comment. Nesting is bounded
 * by the input length; the depth counter cannot overflow a size_t. */
static bool skip_cfws(scan *s)
{
    while (s->p < s->end) {
        char c = *s->p;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            s->p++;
            continue;
        }
        if (c != '(')
            break;
        size_t depth = 0;
        while (s->p < s->end) {
            c = *s->p++;
            if (c == '\\') {
                if (s->p == s->end)
                    return false;
                s->p++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                if (--depth == 0)
                    break;
            }
        }
        if (depth != 0)
            return false;
    }
    return true;
}

/* A run of digits after CFWS: its value (up to max_digits, more is a
 * failure) and its length. */
static bool number(scan *s, int min_digits, int max_digits, int *v_r, int *ndigits_r)
{
    if (!skip_cfws(s))
        return false;
    int n = 0, v = 0;
    while (s->p < s->end && is_digit(*s->p)) {
        if (n == max_digits)
            return false;
        v = v * 10 + (*s->p++ - '0');
        n++;
    }
    if (n < min_digits)
        return false;
    *v_r = v;
    if (ndigits_r)
        *ndigits_r = n;
    return true;
}

/* A run of letters after CFWS, lower-cased into buf (cap bytes); a longer
 * word is refused. */
static size_t word(scan *s, char *buf, size_t cap)
{
    if (!skip_cfws(s))
        return 0;
    size_t n = 0;
    while (s->p < s->end && is_alpha(*s->p)) {
        if (n == cap)
            return 0;
        buf[n++] = lower(*s->p++);
    }
    return n;
}

static bool punct(scan *s, char c)
{
    if (!skip_cfws(s) || s->p == s->end || *s->p != c)
        return false;
    s->p++;
    return true;
}

static const char month_names[12][4] = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
};
static const char *const month_full[12] = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
};
static const char day_names[7][4] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };
static const char month_caps[12][4] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};
static const char day_caps[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };

/* RFC 5322 4.3 obs-zone; military and unknown names are "-0000". */
static bool zone_name(const char *w, size_t n, rt_datetime *dt)
{
    static const struct { const char *name; int hours; } names[] = {
        { "ut", 0 }, { "gmt", 0 }, { "est", -5 }, { "edt", -4 }, { "cst", -6 }, { "cdt", -5 },
        { "mst", -7 }, { "mdt", -6 }, { "pst", -8 }, { "pdt", -7 },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i].name) == n && memcmp(names[i].name, w, n) == 0) {
            dt->zone = names[i].hours * 60;
            dt->zone_unknown = false;
            return true;
        }
    /* RFC 5322 4.3: the military zones were defined wrongly in RFC 822,
     * so they "SHOULD all be considered equivalent to -0000"; other
     * alphabetic zones too. */
    dt->zone = 0;
    dt->zone_unknown = true;
    return true;
}

bool rt_datetime_parse(const char *str, size_t len, rt_datetime *dt_r)
{
    scan s = { str, str + len };
    rt_datetime dt = { 0 };
    char w[16];
    size_t n;
    int v, nd;

    /* [ day-of-week "," ]: a name is a day name, then the comma. */
    const char *save = s.p;
    n = word(&s, w, sizeof w);
    if (n) {
        bool known = false;
        for (int i = 0; i < 7; i++)
            if (n == 3 && memcmp(w, day_names[i], 3) == 0)
                known = true;
        if (!known || !punct(&s, ','))
            return false;
    } else {
        s.p = save;
    }
    /* day month year */
    if (!number(&s, 1, 2, &dt.day, NULL))
        return false;
    /* The month: its three-letter name, or (leniently, as Dovecot) the
     * whole English name. */
    n = word(&s, w, sizeof w);
    for (int i = 0; n >= 3 && i < 12; i++)
        if (memcmp(w, month_names[i], 3) == 0 &&
            (n == 3 || (strlen(month_full[i]) == n && memcmp(w, month_full[i], n) == 0)))
            dt.month = i + 1;
    if (!dt.month)
        return false;
    if (!number(&s, 2, 4, &v, &nd))
        return false;
    /* RFC 5322 4.3 obs-year. A four-digit year before 1900 is no date
     * (3.3: "any numeric year 1900 or later"): "0102" from mailers that
     * printed tm_year with "%04d" would otherwise read as the year 102;
     * Dovecot refuses it as well. */
    if (nd == 2)
        v += v < 50 ? 2000 : 1900;
    else if (nd == 3)
        v += 1900;
    else if (v < 1900)
        return false;
    dt.year = v;
    if (dt.day < 1 || dt.day > month_days(dt.year, dt.month))
        return false;
    /* time-of-day: hour ":" minute [ ":" second ]. A one-digit hour
     * ("27 Jun 01 3:36:25 AM", common in 2001 mail) is read leniently,
     * as Dovecot does: it names one time only. */
    if (!number(&s, 1, 2, &dt.hour, NULL) || !punct(&s, ':') ||
        !number(&s, 2, 2, &dt.minute, NULL))
        return false;
    save = s.p;
    if (punct(&s, ':')) {
        if (!number(&s, 2, 2, &dt.second, NULL))
            return false;
    } else {
        s.p = save;
    }
    if (dt.hour > 23 || dt.minute > 59 || dt.second > 60)
        return false;
    /* zone. A missing one (not RFC 5322, but common in old mail) is
     * read as "-0000": UTC, local offset unknown; Pigeonhole reads it
     * as +0000. */
    if (!skip_cfws(&s))
        return false;
    if (s.p == s.end) {
        dt.zone_unknown = true;
        *dt_r = dt;
        return true;
    }
    if (*s.p == '+' || *s.p == '-') {
        bool neg = *s.p == '-';
        s.p++;
        if (s.end - s.p < 4)
            return false;
        for (int i = 0; i < 4; i++)
            if (!is_digit(s.p[i]))
                return false;
        int hh = (s.p[0] - '0') * 10 + (s.p[1] - '0');
        int mm = (s.p[2] - '0') * 10 + (s.p[3] - '0');
        s.p += 4;
        if (mm > 59)
            return false;
        dt.zone = (neg ? -1 : 1) * (hh * 60 + mm);
        dt.zone_unknown = neg && dt.zone == 0;
        /* Text after a numeric zone ("+0200 CEST" without the comment's
         * parentheses) is common in real mail and names nothing the zone
         * does not: ignored, as Dovecot does, once white space ends the
         * zone. */
        if (s.p < s.end && (*s.p == ' ' || *s.p == '\t' || *s.p == '\r' || *s.p == '\n')) {
            *dt_r = dt;
            return true;
        }
    } else {
        n = word(&s, w, sizeof w);
        if (!n || !zone_name(w, n, &dt))
            return false;
    }
    if (!skip_cfws(&s) || s.p != s.end)
        return false;
    *dt_r = dt;
    return true;
}

bool rt_datetime_zone_parse(const char *s, size_t len, int *minutes_r)
{
    if (len != 5 || (s[0] != '+' && s[0] != '-'))
        return false;
    for (size_t i = 1; i < 5; i++)
        if (!is_digit(s[i]))
            return false;
    int h = (s[1] - '0') * 10 + (s[2] - '0');
    int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59)
        return false;
    *minutes_r = (s[0] == '-' ? -1 : 1) * (h * 60 + m);
    return true;
}

/* ---- RFC 5260 4.2 date parts ------------------------------------------------ */

static const char *const part_names[RT_DP_MAX + 1] = {
    NULL, "year", "month", "day", "date", "julian", "hour", "minute", "second", "time",
    "iso8601", "std11", "zone", "weekday",
};

int rt_datepart_lookup(const char *name, size_t len)
{
    for (int i = RT_DP_MIN; i <= RT_DP_MAX; i++) {
        const char *p = part_names[i];
        if (strlen(p) != len)
            continue;
        size_t k = 0;
        while (k < len && lower(name[k]) == p[k])
            k++;
        if (k == len)
            return i;
    }
    return 0;
}

/* "+hhmm", or with a colon for ISO 8601; "-0000" when unknown. */
static void zone_text(const rt_datetime *dt, bool colon, char *buf, size_t cap)
{
    int z = dt->zone < 0 ? -dt->zone : dt->zone;
    char sign = dt->zone < 0 || dt->zone_unknown ? '-' : '+';
    snprintf(buf, cap, colon ? "%c%02d:%02d" : "%c%02d%02d", sign, z / 60 % 100, z % 60);
}

size_t rt_datetime_part(const rt_datetime *dt, int dp, char *buf)
{
    char z[12];
    int64_t days = rt_days_from_civil(dt->year, dt->month, dt->day);
    int n = 0;
    switch (dp) {
    case 1: /* year */
        n = snprintf(buf, RT_DATEPART_MAX, "%04d", dt->year);
        break;
    case 2: /* month */
        n = snprintf(buf, RT_DATEPART_MAX, "%02d", dt->month);
        break;
    case 3: /* day */
        n = snprintf(buf, RT_DATEPART_MAX, "%02d", dt->day);
        break;
    case 4: /* date: yyyy-mm-dd */
        n = snprintf(buf, RT_DATEPART_MAX, "%04d-%02d-%02d", dt->year, dt->month, dt->day);
        break;
    case 5: /* julian: the Modified Julian Day, days since 1858-11-17 */
        n = snprintf(buf, RT_DATEPART_MAX, "%lld", (long long)(days + 40587));
        break;
    case 6: /* hour */
        n = snprintf(buf, RT_DATEPART_MAX, "%02d", dt->hour);
        break;
    case 7: /* minute */
        n = snprintf(buf, RT_DATEPART_MAX, "%02d", dt->minute);
        break;
    case 8: /* second */
        n = snprintf(buf, RT_DATEPART_MAX, "%02d", dt->second);
        break;
    case 9: /* time: hh:mm:ss */
        n = snprintf(buf, RT_DATEPART_MAX, "%02d:%02d:%02d", dt->hour, dt->minute, dt->second);
        break;
    case 10: /* iso8601: the RFC 3339 date-time; "Z" for UTC, as
              * Pigeonhole; an unknown offset is RFC 3339 4.3's "-00:00" */
        if (dt->zone == 0 && !dt->zone_unknown)
            snprintf(z, sizeof z, "Z");
        else
            zone_text(dt, true, z, sizeof z);
        n = snprintf(buf, RT_DATEPART_MAX, "%04d-%02d-%02dT%02d:%02d:%02d%s", dt->year,
                     dt->month, dt->day, dt->hour, dt->minute, dt->second, z);
        break;
    case 11: /* std11: the RFC 5322 date-time */
        zone_text(dt, false, z, sizeof z);
        n = snprintf(buf, RT_DATEPART_MAX, "%s, %02d %s %04d %02d:%02d:%02d %s",
                     day_caps[rt_weekday(days)], dt->day, month_caps[dt->month - 1], dt->year,
                     dt->hour, dt->minute, dt->second, z);
        break;
    case 12: /* zone: +hhmm */
        zone_text(dt, false, z, sizeof z);
        n = snprintf(buf, RT_DATEPART_MAX, "%s", z);
        break;
    case 13: /* weekday: 0 = Sunday */
        n = snprintf(buf, RT_DATEPART_MAX, "%d", rt_weekday(days));
        break;
    default:
        buf[0] = '\0';
        return 0;
    }
    return n < 0 ? 0 : (size_t)n >= RT_DATEPART_MAX ? RT_DATEPART_MAX - 1 : (size_t)n;
}
