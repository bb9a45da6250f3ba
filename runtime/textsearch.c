#include "textsearch.h"

#include <string.h>

/* How common a byte is in mail text, roughly: letters by their English
 * frequency (space most common), digits in between, punctuation rare. */
static unsigned commonness(unsigned char c)
{
    static const char by_frequency[] = " etaoinsrhldcumfpgwybvkxjqz";
    c = rt_fold_ascii(c);
    const char *hit = c ? strchr(by_frequency, c) : NULL;
    if (hit)
        return 100u - (unsigned)(hit - by_frequency);
    return c >= '0' && c <= '9' ? 60u : 10u;
}

size_t rt_textsearch_anchor(const char *needle, size_t len)
{
    size_t best = 0;
    for (size_t k = 1; k < len; k++)
        if (commonness((unsigned char)needle[k]) < commonness((unsigned char)needle[best]))
            best = k;
    return best;
}

static bool equal_folded(const char *a, const char *b, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (rt_fold_ascii((unsigned char)a[k]) != rt_fold_ascii((unsigned char)b[k]))
            return false;
    return true;
}

bool rt_textsearch_icase(const char *hay, size_t n, const char *needle, size_t m, size_t anchor)
{
    if (m == 0)
        return true;
    if (m > n || anchor >= m)
        return false;
    unsigned char lo = rt_fold_ascii((unsigned char)needle[anchor]);
    unsigned char up = lo >= 'a' && lo <= 'z' ? (unsigned char)(lo - ('a' - 'A')) : lo;
    /* The anchor byte can sit at hay[anchor .. n - m + anchor]. */
    const char *p = hay + anchor, *end = hay + (n - m + anchor) + 1;
    const char *next_lo = memchr(p, lo, (size_t)(end - p));
    const char *next_up = up == lo ? NULL : memchr(p, up, (size_t)(end - p));
    while (next_lo || next_up) {
        const char *hit = !next_up || (next_lo && next_lo < next_up) ? next_lo : next_up;
        if (equal_folded(hit - anchor, needle, m))
            return true;
        if (hit == next_lo)
            next_lo = memchr(hit + 1, lo, (size_t)(end - hit - 1));
        else
            next_up = memchr(hit + 1, up, (size_t)(end - hit - 1));
    }
    return false;
}
