#include "textsearch.h"

#include <string.h>

/* How often a byte occurs in mail, in units of 1e-5 (letters counting
 * both cases): byte frequencies measured over a real mailbox of 10,000
 * messages (headers, text, HTML, base64 and quoted-printable bodies), CR
 * put with LF for CRLF messages. Punctuation is not rare in mail ('.',
 * '/', '=', '-', '<', '"' are as common as many letters), which is why
 * it is not assumed to be. */
static const unsigned short mail_freq[128] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 429, 2152, 1, 1, 2152, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 1, 1, 1, 1,
    11507, 80, 1454, 175, 43, 83, 119, 113, 266, 265, 98, 113, 463, 1425, 2083, 1981,
    1976, 1211, 1132, 837, 455, 449, 430, 342, 412, 455, 1008, 275, 1395, 1464, 1499, 92,
    294, 4288, 1543, 2762, 2613, 6151, 1781, 1635, 2279, 4647, 347, 607, 2854, 2307, 3718, 4467,
    1822, 276, 3935, 3794, 5425, 1618, 740, 1275, 478, 946, 395, 88, 8, 91, 2, 419,
    2, 4288, 1543, 2762, 2613, 6151, 1781, 1635, 2279, 4647, 347, 607, 2854, 2307, 3718, 4467,
    1822, 276, 3935, 3794, 5425, 1618, 740, 1275, 478, 946, 395, 10, 12, 10, 11, 1,
};

/* The expected cost of anchoring on c: its hits (each one a memchr return
 * and a compare), plus a second memchr pass for a letter, which is
 * searched in both cases (a pass costs about as much as 0.1% hits).
 * 8-bit bytes: UTF-8 lead bytes of Latin scripts are common in non-English
 * text, continuation bytes less so. */
static unsigned commonness(unsigned char c)
{
    if (c >= 0x80)
        return c >= 0xc2 && c <= 0xdf ? 300u : c <= 0xbf ? 200u : 100u;
    unsigned f = mail_freq[c];
    unsigned char l = rt_fold_ascii(c);
    return l >= 'a' && l <= 'z' ? f + 120u : f;
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
    return m == 0 || rt_textsearch_icase_find(hay, n, needle, m, anchor) != NULL;
}

const char *rt_textsearch_icase_find(const char *hay, size_t n, const char *needle, size_t m,
                                     size_t anchor)
{
    if (m == 0)
        return hay;
    if (m > n || anchor >= m)
        return NULL;
    unsigned char lo = rt_fold_ascii((unsigned char)needle[anchor]);
    unsigned char up = lo >= 'a' && lo <= 'z' ? (unsigned char)(lo - ('a' - 'A')) : lo;
    /* The anchor byte can sit at hay[anchor .. n - m + anchor]. */
    const char *p = hay + anchor, *end = hay + (n - m + anchor) + 1;
    const char *next_lo = memchr(p, lo, (size_t)(end - p));
    const char *next_up = up == lo ? NULL : memchr(p, up, (size_t)(end - p));
    while (next_lo || next_up) {
        const char *hit = !next_up || (next_lo && next_lo < next_up) ? next_lo : next_up;
        if (equal_folded(hit - anchor, needle, m))
            return hit - anchor;
        if (hit == next_lo)
            next_lo = memchr(hit + 1, lo, (size_t)(end - hit - 1));
        else
            next_up = memchr(hit + 1, up, (size_t)(end - hit - 1));
    }
    return NULL;
}
