/* Unit tests: datetime (RFC 5322 date-time parsing, the civil calendar,
 * RFC 5260 date parts), including hostile inputs. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datetime.h"

/* ---- Calendar ----------------------------------------------------------- */

START_TEST(civil_known_days)
{
    ck_assert_int_eq(rt_days_from_civil(1970, 1, 1), 0);
    ck_assert_int_eq(rt_days_from_civil(1969, 12, 31), -1);
    ck_assert_int_eq(rt_days_from_civil(2000, 3, 1), 11017);
    /* RFC 5260 4.2: the Modified Julian Day 0 is 1858-11-17. */
    ck_assert_int_eq(rt_days_from_civil(1858, 11, 17) + 40587, 0);
    ck_assert_int_eq(rt_days_from_civil(0, 1, 1), -719528);
    /* 1970-01-01 Thursday, 2000-01-01 Saturday, 2024-02-29 Thursday */
    ck_assert_int_eq(rt_weekday(0), 4);
    ck_assert_int_eq(rt_weekday(rt_days_from_civil(2000, 1, 1)), 6);
    ck_assert_int_eq(rt_weekday(rt_days_from_civil(2024, 2, 29)), 4);
    ck_assert_int_eq(rt_weekday(rt_days_from_civil(1858, 11, 17)), 3);
    ck_assert_int_eq(rt_weekday(-1), 3);
}
END_TEST

/* Every day of years 0..9999 round-trips and follows the previous one. */
START_TEST(civil_round_trip_all_days)
{
    int64_t first = rt_days_from_civil(0, 1, 1), last = rt_days_from_civil(9999, 12, 31);
    int64_t py = -1;
    int pm = 12, pd = 31;
    for (int64_t d = first; d <= last; d++) {
        int64_t y;
        int m, dd;
        rt_civil_from_days(d, &y, &m, &dd);
        ck_assert_int_eq(rt_days_from_civil(y, m, dd), d);
        bool next_day = y == py && m == pm && dd == pd + 1;
        bool next_month = y == py && m == pm + 1 && dd == 1;
        bool next_year = y == py + 1 && m == 1 && dd == 1 && pm == 12 && pd == 31;
        ck_assert_msg(next_day || next_month || next_year, "day %lld", (long long)d);
        py = y, pm = m, pd = dd;
    }
}
END_TEST

/* gmtime_r never reads TZ: an independent oracle for from_unix. */
START_TEST(from_unix_matches_gmtime)
{
    srand(5260);
    for (int i = 0; i < 100000; i++) {
        int64_t t = ((int64_t)rand() << 16 ^ rand()) % 253402300799LL;
        if (i & 1)
            t = -t % 62167219200LL;
        time_t tt = (time_t)t;
        struct tm tm;
        ck_assert(gmtime_r(&tt, &tm));
        rt_datetime dt;
        ck_assert(rt_datetime_from_unix(t, 0, &dt));
        ck_assert_int_eq(dt.year, tm.tm_year + 1900);
        ck_assert_int_eq(dt.month, tm.tm_mon + 1);
        ck_assert_int_eq(dt.day, tm.tm_mday);
        ck_assert_int_eq(dt.hour, tm.tm_hour);
        ck_assert_int_eq(dt.minute, tm.tm_min);
        ck_assert_int_eq(dt.second, tm.tm_sec);
        ck_assert_int_eq(rt_weekday(rt_days_from_civil(dt.year, dt.month, dt.day)), tm.tm_wday);
        ck_assert_int_eq(rt_datetime_to_unix(&dt), t);
    }
}
END_TEST

START_TEST(from_unix_range)
{
    rt_datetime dt;
    ck_assert(!rt_datetime_from_unix(-62167219201LL, 0, &dt));   /* -0001-12-31 */
    ck_assert(rt_datetime_from_unix(-62167219200LL, 0, &dt));
    ck_assert_int_eq(dt.year, 0);
    ck_assert(!rt_datetime_from_unix(253402300800LL, 0, &dt));   /* 10000-01-01 */
    ck_assert(!rt_datetime_from_unix(INT64_MAX, 0, &dt));
    ck_assert(!rt_datetime_from_unix(INT64_MIN, 0, &dt));
    /* the zone moves the day */
    ck_assert(rt_datetime_from_unix(0, -60, &dt));
    ck_assert_int_eq(dt.year, 1969);
    ck_assert_int_eq(dt.day, 31);
    ck_assert_int_eq(dt.hour, 23);
    ck_assert_int_eq(dt.zone, -60);
}
END_TEST

/* ---- Parsing ---------------------------------------------------------- */

static const struct {
    const char *in;
    int y, mo, d, h, mi, s, zone;
    bool unknown;
} good[] = {
    { "Mon, 2 Feb 2009 17:40:12 +0200", 2009, 2, 2, 17, 40, 12, 120, false },
    { "2 Feb 2009 17:40:12 -0130", 2009, 2, 2, 17, 40, 12, -90, false },
    { "Mon, 02 Feb 2009 17:40 +0000", 2009, 2, 2, 17, 40, 0, 0, false },
    { "Mon, 2 Feb 2009 17:40:12 -0000", 2009, 2, 2, 17, 40, 12, 0, true },
    /* RFC 5322 4.3: obsolete years and zones */
    { "Mon, 02 Feb 09 17:40:12 EST", 2009, 2, 2, 17, 40, 12, -300, false },
    { "Fri, 02 Feb 79 17:40:12 GMT", 1979, 2, 2, 17, 40, 12, 0, false },
    { "Fri, 02 Feb 49 17:40:12 UT", 2049, 2, 2, 17, 40, 12, 0, false },
    { "Fri, 02 Feb 50 17:40:12 PDT", 1950, 2, 2, 17, 40, 12, -420, false },
    { "02 Feb 109 17:40:12 CDT", 2009, 2, 2, 17, 40, 12, -300, false },
    { "02 Feb 2009 17:40:12 MST", 2009, 2, 2, 17, 40, 12, -420, false },
    { "02 Feb 2009 17:40:12 A", 2009, 2, 2, 17, 40, 12, 0, true },
    { "02 Feb 2009 17:40:12 z", 2009, 2, 2, 17, 40, 12, 0, true },
    { "02 Feb 2009 17:40:12 CEST", 2009, 2, 2, 17, 40, 12, 0, true },
    /* comments and folding everywhere (RFC 5322 3.2.2, 4.3 obs-hour...) */
    { "(c) Mon (x (nested) \\) y), 02 (d)\r\n Feb 2009 17 : 40 : 12 (c) +0200 (CEST)",
      2009, 2, 2, 17, 40, 12, 120, false },
    { "\t mon, 02 FEB 2009 17:40:12 +0200 \r\n", 2009, 2, 2, 17, 40, 12, 120, false },
    { "Mon, 2 february 2009 17:40:12 +0200", 2009, 2, 2, 17, 40, 12, 120, false },
    /* text after a numeric zone is ignored once white space ends it */
    { "Mon, 02 Feb 2009 17:40:12 +0200 CEST", 2009, 2, 2, 17, 40, 12, 120, false },
    /* the day of week is informational (not checked) */
    { "Sun, 02 Feb 2009 17:40:12 +0200", 2009, 2, 2, 17, 40, 12, 120, false },
    { "29 Feb 2000 23:59:60 +9959", 2000, 2, 29, 23, 59, 60, 5999, false },
    { "1 Jan 1900 00:00:00 -2359", 1900, 1, 1, 0, 0, 0, -1439, false },
    { "31 Dec 9999 23:59:59 +0000", 9999, 12, 31, 23, 59, 59, 0, false },
    /* a one-digit hour, leniently (Dovecot reads it too; bench.mbox#15) */
    { "Mon, 02 Feb 2009 7:40:12 +0200", 2009, 2, 2, 7, 40, 12, 120, false },
    { "27 Jun 01 3:36:25 AM", 2001, 6, 27, 3, 36, 25, 0, true },
    /* no zone: UTC of unknown local offset */
    { "Mon, 02 Feb 2009 17:40:12", 2009, 2, 2, 17, 40, 12, 0, true },
};

START_TEST(parse_good)
{
    const char *in = good[_i].in;
    rt_datetime dt;
    ck_assert_msg(rt_datetime_parse(in, strlen(in), &dt), "refused: %s", in);
    ck_assert_int_eq(dt.year, good[_i].y);
    ck_assert_int_eq(dt.month, good[_i].mo);
    ck_assert_int_eq(dt.day, good[_i].d);
    ck_assert_int_eq(dt.hour, good[_i].h);
    ck_assert_int_eq(dt.minute, good[_i].mi);
    ck_assert_int_eq(dt.second, good[_i].s);
    ck_assert_int_eq(dt.zone, good[_i].zone);
    ck_assert_int_eq(dt.zone_unknown, good[_i].unknown);
}
END_TEST

static const char *const bad[] = {
    "", " ", "()", "garbage", "Mon,", "Mon, 2 Feb", "Mon, 2 Feb 2009", "Mon, 2 Feb 2009 17",
    "Mon, 2 Feb 2009 17:", "Mon 02 Feb 2009 17:40:12 +0200",       /* no comma */
    "Monday, 02 Feb 2009 17:40:12 +0200", "Xyz, 02 Feb 2009 17:40:12 +0200",
    "Mon, 30 Feb 2009 17:40:12 +0200", "Mon, 29 Feb 1900 17:40:12 +0200",
    "Mon, 00 Feb 2009 17:40:12 +0200", "Mon, 32 Jan 2009 17:40:12 +0200",
    "Mon, 02 Fbr 2009 17:40:12 +0200", "Mon, 02 Febr 2009 17:40:12 +0200",
    "Mon, 02 Feb 2009 24:00:00 +0200", "Mon, 02 Feb 2009 23:60:00 +0200",
    "Mon, 02 Feb 2009 23:59:61 +0200", "Mon, 02 Feb 2009 117:40:12 +0200",
    "Mon, 02 Feb 2009 17:4:12 +0200", "Mon, 02 Feb 2009 17:40:1 +0200",
    "Mon, 02 Feb 12009 17:40:12 +0200", "Mon, 02 Feb 2 17:40:12 +0200",
    "Mon, 102 Feb 2009 17:40:12 +0200", "Mon, 02 Feb 2009 17:40:12 +020",
    "Mon, 02 Feb 2009 17:40:12 +02000", "Mon, 02 Feb 2009 17:40:12 +0260",
    "Mon, 02 Feb 2009 17:40:12 +02:00", "Mon, 02 Feb 2009 17:40:12 ++0200",
    "Mon, 02 Feb 2009 17:40:12 GMT+1", "Mon, 02 Feb 2009 17:40:12 +0200(",
    "Mon, 02 Feb 2009 17:40:12 (unclosed +0200", "(((((", "\\", "(\\",
    "Mon, 02 Feb 2009 17:40:12 EST trailing", "Mon, 02 Feb 2009 17:40:12 averyveryverylongzonename",
    "Mon, -2 Feb 2009 17:40:12 +0200", "Mon, 02 Feb -2009 17:40:12 +0200",
    "2009-02-02T17:40:12Z",
    /* RFC 5322 3.3: four-digit years start at 1900 (bench.mbox, Y2K-broken
     * mailers: "Sun, 28 Jul 0102 07:06:07 -0400") */
    "Sun, 28 Jul 0102 07:06:07 -0400", "1 Jan 0000 00:00:00 -2359", "31 Dec 1899 23:59:59 +0000",
};

START_TEST(parse_bad)
{
    rt_datetime dt;
    ck_assert_msg(!rt_datetime_parse(bad[_i], strlen(bad[_i]), &dt), "accepted: %s", bad[_i]);
}
END_TEST

/* Every prefix of valid dates is parsed from an exact-size heap copy, so
 * a read past len shows under the sanitizer build; NUL bytes inside end
 * nothing early; long and nested inputs stay bounded. */
START_TEST(parse_hostile)
{
    const char *src[] = { "(c) Mon (x (y) \\) z), 02 (d) Feb 2009 17 : 40 : 12 (c) +0200 (CEST)",
                          "Tue, 3 Jun 2008 11:05:30 +0200 trailing", "02 Feb 09 17:40 EST" };
    rt_datetime dt;
    for (size_t k = 0; k < sizeof src / sizeof src[0]; k++) {
        size_t n = strlen(src[k]);
        for (size_t len = 0; len <= n; len++) {
            char *p = malloc(len ? len : 1);
            memcpy(p, src[k], len);
            (void)rt_datetime_parse(p, len, &dt);
            free(p);
        }
    }
    const char nul[] = "Mon, 02 Feb 2009\0 17:40:12 +0200";
    ck_assert(!rt_datetime_parse(nul, sizeof nul - 1, &dt));
    const char nulz[] = "Mon, 02 Feb 2009 17:40:12 +0200\0";
    ck_assert(!rt_datetime_parse(nulz, sizeof nulz - 1, &dt));
    /* 1 MB of nested comments, then a date: parsed, no recursion */
    size_t depth = 500000;
    const char *tail = " 02 Feb 2009 17:40:12 +0200";
    char *deep = malloc(2 * depth + strlen(tail));
    memset(deep, '(', depth);
    memset(deep + depth, ')', depth);
    memcpy(deep + 2 * depth, tail, strlen(tail));
    ck_assert(rt_datetime_parse(deep, 2 * depth + strlen(tail), &dt));
    ck_assert_int_eq(dt.zone, 120);
    /* unbalanced: one ')' short */
    ck_assert(!rt_datetime_parse(deep + 1, 2 * depth - 1, &dt));
    free(deep);
    /* digits that would overflow an int */
    const char *big = "99999999999999999999 Feb 2009 17:40:12 +0200";
    ck_assert(!rt_datetime_parse(big, strlen(big), &dt));
    /* every byte value in place of each character */
    const char *base = "Mon, 02 Feb 2009 17:40:12 +0200";
    size_t bl = strlen(base);
    char buf[64];
    for (size_t i = 0; i < bl; i++)
        for (int c = 0; c < 256; c++) {
            memcpy(buf, base, bl);
            buf[i] = (char)c;
            (void)rt_datetime_parse(buf, bl, &dt);
        }
}
END_TEST

/* Random strings over the alphabet of dates, each in an exact-size heap
 * block: whatever is accepted has its fields in range. */
START_TEST(parse_random)
{
    static const char alpha[] = "MonTueFebJanDecESTGMTUTAZz0123456789 ,:+-()\\\t\r\n;";
    srand(5322);
    for (int i = 0; i < 200000; i++) {
        size_t len = (size_t)(rand() % 48);
        char *p = malloc(len ? len : 1);
        for (size_t k = 0; k < len; k++)
            p[k] = alpha[rand() % (int)(sizeof alpha - 1)];
        rt_datetime dt;
        if (rt_datetime_parse(p, len, &dt)) {
            ck_assert(dt.year >= 1900 && dt.year <= 9999);
            ck_assert(dt.month >= 1 && dt.month <= 12);
            ck_assert(dt.day >= 1 && dt.day <= 31);
            ck_assert(dt.hour <= 23 && dt.minute <= 59 && dt.second <= 60);
            ck_assert(dt.zone >= -5999 && dt.zone <= 5999);
            char buf[RT_DATEPART_MAX];
            for (int dp = RT_DP_MIN; dp <= RT_DP_MAX; dp++)
                ck_assert_uint_gt(rt_datetime_part(&dt, dp, buf), 0);
        }
        free(p);
    }
}
END_TEST

START_TEST(zone_arg)
{
    int z;
    ck_assert(rt_datetime_zone_parse("+0100", 5, &z) && z == 60);
    ck_assert(rt_datetime_zone_parse("-0530", 5, &z) && z == -330);
    ck_assert(rt_datetime_zone_parse("+9959", 5, &z) && z == 5999);
    ck_assert(!rt_datetime_zone_parse("+0160", 5, &z));
    ck_assert(!rt_datetime_zone_parse("0100", 4, &z));
    ck_assert(!rt_datetime_zone_parse("+01:00", 6, &z));
    ck_assert(!rt_datetime_zone_parse("+01a0", 5, &z));
    ck_assert(!rt_datetime_zone_parse("", 0, &z));
    ck_assert(!rt_datetime_zone_parse("UTC", 3, &z));
}
END_TEST

/* ---- Date parts (RFC 5260 4.2) ------------------------------------------- */

static void expect_part(const rt_datetime *dt, const char *name, const char *want)
{
    char buf[RT_DATEPART_MAX];
    int dp = rt_datepart_lookup(name, strlen(name));
    ck_assert_msg(dp, "no part %s", name);
    size_t n = rt_datetime_part(dt, dp, buf);
    ck_assert_msg(n == strlen(want) && strcmp(buf, want) == 0, "%s = [%s], want [%s]", name, buf,
                  want);
}

START_TEST(parts)
{
    rt_datetime dt;
    const char *in = "Mon, 2 Feb 2009 07:04:03 -0130";
    ck_assert(rt_datetime_parse(in, strlen(in), &dt));
    expect_part(&dt, "year", "2009");
    expect_part(&dt, "MONTH", "02");
    expect_part(&dt, "day", "02");
    expect_part(&dt, "date", "2009-02-02");
    expect_part(&dt, "julian", "54864");
    expect_part(&dt, "hour", "07");
    expect_part(&dt, "minute", "04");
    expect_part(&dt, "second", "03");
    expect_part(&dt, "time", "07:04:03");
    expect_part(&dt, "iso8601", "2009-02-02T07:04:03-01:30");
    expect_part(&dt, "std11", "Mon, 02 Feb 2009 07:04:03 -0130");
    expect_part(&dt, "zone", "-0130");
    expect_part(&dt, "weekday", "1");
    /* the same instant in UTC: the day before? no, the same day, later */
    rt_datetime u;
    ck_assert(rt_datetime_to_zone(&dt, 0, &u));
    expect_part(&u, "time", "08:34:03");
    expect_part(&u, "iso8601", "2009-02-02T08:34:03Z");
    expect_part(&u, "zone", "+0000");
    ck_assert(rt_datetime_to_zone(&dt, -600, &u));
    expect_part(&u, "std11", "Sun, 01 Feb 2009 22:34:03 -1000");
    expect_part(&u, "weekday", "0");
    expect_part(&u, "julian", "54863");
    /* an unknown offset keeps its sign */
    in = "02 Feb 2009 07:04:03 -0000";
    ck_assert(rt_datetime_parse(in, strlen(in), &dt));
    expect_part(&dt, "zone", "-0000");
    expect_part(&dt, "iso8601", "2009-02-02T07:04:03-00:00");
    char buf[RT_DATEPART_MAX];
    ck_assert_int_eq(rt_datepart_lookup("weekdays", 8), 0);
    ck_assert_int_eq(rt_datepart_lookup("", 0), 0);
    ck_assert_int_eq(rt_datetime_part(&dt, 0, buf), 0);
    ck_assert_int_eq(rt_datetime_part(&dt, 14, buf), 0);
}
END_TEST

START_TEST(zone_moves_and_leap_second)
{
    rt_datetime dt, u;
    const char *in = "31 Dec 2016 23:59:60 +0000";
    ck_assert(rt_datetime_parse(in, strlen(in), &dt));
    ck_assert(rt_datetime_to_zone(&dt, 60, &u));
    ck_assert_int_eq(u.year, 2017);
    ck_assert_int_eq(u.hour, 0);
    ck_assert_int_eq(u.minute, 59);
    ck_assert_int_eq(u.second, 60);
    /* out of 0..9999 by the zone: refused (a parsed date starts at
     * 1900, so the year 0 is built by hand) */
    dt = (rt_datetime){ .year = 0, .month = 1, .day = 1, .hour = 0, .minute = 30, .zone = 60 };
    ck_assert(!rt_datetime_to_zone(&dt, 0, &u));
    in = "31 Dec 9999 23:30:00 -0100";
    ck_assert(rt_datetime_parse(in, strlen(in), &dt));
    ck_assert(!rt_datetime_to_zone(&dt, 0, &u));
    ck_assert(rt_datetime_to_zone(&dt, -60, &u));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("datetime");
    TCase *tc = tcase_create("calendar");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, civil_known_days);
    tcase_add_test(tc, civil_round_trip_all_days);
    tcase_add_test(tc, from_unix_matches_gmtime);
    tcase_add_test(tc, from_unix_range);
    suite_add_tcase(s, tc);
    tc = tcase_create("parse");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, parse_good, 0, (int)(sizeof good / sizeof good[0]));
    tcase_add_loop_test(tc, parse_bad, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(tc, parse_hostile);
    tcase_add_test(tc, parse_random);
    tcase_add_test(tc, zone_arg);
    suite_add_tcase(s, tc);
    tc = tcase_create("parts");
    tcase_add_test(tc, parts);
    tcase_add_test(tc, zone_moves_and_leap_second);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
