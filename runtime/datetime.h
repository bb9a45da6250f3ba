/* datetime: RFC 5322 date-time parsing, civil-calendar arithmetic and the
 * date parts of RFC 5260 4.2, for the date and currentdate tests.
 *
 * Everything is computed here from integers: no libc locale, no TZ, no
 * mktime/localtime/strftime, so a filter gives the same answer on every
 * host and thread. The proleptic Gregorian calendar is used for all years
 * (RFC 5260 4.2 asks for it for "julian" and says nothing else).
 *
 * Pure functions on caller-owned values: thread-safe, no allocation.
 * Untrusted input: rt_datetime_parse reads exactly len bytes, never past,
 * and refuses (returns false) anything it cannot read completely.
 */
#ifndef SIEVE_RT_DATETIME_H
#define SIEVE_RT_DATETIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rt_datetime {
    int year;              /* 0..9999 */
    int month;             /* 1..12 */
    int day;               /* 1..31, valid for the month */
    int hour, minute;      /* 0..23, 0..59 */
    int second;            /* 0..60 (60: a leap second, RFC 5322 3.3) */
    int zone;              /* offset east of UTC in minutes, -5999..5999 */
    /* RFC 5322 3.3: "-0000" (and, 4.3, military and unknown zone names)
     * says the local offset is unknown; the time is UTC then. */
    bool zone_unknown;
} rt_datetime;

/* Parses an RFC 5322 3.3 date-time with the obsolete forms of 4.3: an
 * optional day of week, comments and folding white space between tokens,
 * 2- and 3-digit years (4.3: 00-49 -> 2000-2049, 50-99 and 3 digits
 * + 1900), missing seconds, the zone names UT, GMT, EST/EDT, CST/CDT,
 * MST/MDT, PST/PDT, and military or unknown alphabetic zones (taken as
 * "-0000"), a missing zone (also "-0000") and, after a numeric zone and
 * white space, any text ("+0200 CEST"). Day of week, if given, is not checked against the date
 * (RFC 5322 3.3 makes it informational). False when anything else is
 * found or a field is out of range. */
bool rt_datetime_parse(const char *s, size_t len, rt_datetime *dt_r);

/* A zone argument of RFC 5260 4.1.1: exactly "+hhmm" or "-hhmm" with
 * mm < 60. */
bool rt_datetime_zone_parse(const char *s, size_t len, int *minutes_r);

/* Days since 1970-01-01 of a civil date (any year, month 1..12). */
int64_t rt_days_from_civil(int64_t y, int m, int d);
/* The civil date of a day number (inverse of rt_days_from_civil). */
void rt_civil_from_days(int64_t days, int64_t *y_r, int *m_r, int *d_r);
/* 0 Sunday .. 6 Saturday. */
int rt_weekday(int64_t days);

/* Seconds since the epoch of dt (a leap second counts as :59 + 1). */
int64_t rt_datetime_to_unix(const rt_datetime *dt);
/* The civil time of epoch second t at offset zone (minutes). False when
 * the year falls outside 0..9999. */
bool rt_datetime_from_unix(int64_t t, int zone, rt_datetime *dt_r);
/* dt moved to offset zone (the same instant); a leap second stays :60.
 * False when the year falls outside 0..9999. */
bool rt_datetime_to_zone(const rt_datetime *dt, int zone, rt_datetime *out_r);

/* RFC 5260 4.2 date parts; the numbering is sieve_datepart's (abi.h):
 * 1 year .. 13 weekday. */
enum { RT_DP_MIN = 1, RT_DP_MAX = 13 };
/* The part named name (case-insensitive), or 0 when there is none. */
int rt_datepart_lookup(const char *name, size_t len);
/* Writes part dp of dt into buf (NUL-terminated) and returns its length,
 * 0 for an unknown part. buf must hold RT_DATEPART_MAX bytes. */
#define RT_DATEPART_MAX 48
size_t rt_datetime_part(const rt_datetime *dt, int dp, char *buf);

#endif
