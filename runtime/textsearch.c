#include "textsearch.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

#if defined(__SSE2__)
/* Needles of two bytes or more: sixteen candidate starts at a time, each
 * checked for the anchor byte and for a second rare byte at their offsets
 * (letters in either case: a letter is compared with the text byte ORed
 * with 0x20, which maps exactly 'A'..'Z' onto 'a'..'z'). Two bytes let
 * through far fewer false starts than one, and a false start costs more
 * than the block. */
static const char *find_pair(const char *hay, size_t n, const char *needle, size_t m,
                             size_t a, size_t b)
{
    unsigned char ca = rt_fold_ascii((unsigned char)needle[a]);
    unsigned char cb = rt_fold_ascii((unsigned char)needle[b]);
    const __m128i va = _mm_set1_epi8((char)ca), vb = _mm_set1_epi8((char)cb);
    const __m128i oa = _mm_set1_epi8(ca >= 'a' && ca <= 'z' ? 0x20 : 0);
    const __m128i ob = _mm_set1_epi8(cb >= 'a' && cb <= 'z' ? 0x20 : 0);
    size_t last = n - m;   /* the last possible start */
    size_t s = 0;
    /* Block loads read hay[s + a .. s + a + 15] and the same from b: at
     * most hay[last + m - 1], the last byte. */
    for (; last - s >= 15 && s <= last; s += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(hay + s + a));
        __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(hay + s + b));
        unsigned mask = (unsigned)_mm_movemask_epi8(
            _mm_and_si128(_mm_cmpeq_epi8(_mm_or_si128(x, oa), va),
                          _mm_cmpeq_epi8(_mm_or_si128(y, ob), vb)));
        while (mask) {
            size_t j = s + (size_t)__builtin_ctz(mask);
            mask &= mask - 1;
            if (equal_folded(hay + j, needle, m))
                return hay + j;
        }
    }
    for (; s <= last; s++)
        if (rt_fold_ascii((unsigned char)hay[s + a]) == ca &&
            rt_fold_ascii((unsigned char)hay[s + b]) == cb && equal_folded(hay + s, needle, m))
            return hay + s;
    return NULL;
}
#endif

const char *rt_textsearch_icase_find(const char *hay, size_t n, const char *needle, size_t m,
                                     size_t anchor)
{
    if (m == 0)
        return hay;
    if (m > n || anchor >= m)
        return NULL;
#if defined(__SSE2__)
    if (m >= 2) {
        /* The second rarest byte, at another offset. */
        size_t b = anchor == 0 ? 1 : 0;
        for (size_t k = 0; k < m; k++)
            if (k != anchor &&
                commonness((unsigned char)needle[k]) < commonness((unsigned char)needle[b]))
                b = k;
        return find_pair(hay, n, needle, m, anchor, b);
    }
#endif
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
