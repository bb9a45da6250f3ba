/* glibc's POSIX matcher as a second opinion for test_regex's agreement
 * test, in a file of its own: TRE's <tre/tre.h> defines its own regex_t. */
#include <regex.h>
#include <stdbool.h>
#include <string.h>

bool glibc_says_no(const char *pat, int fold, const char *subj, size_t len);

bool glibc_says_no(const char *pat, int fold, const char *subj, size_t len)
{
    regex_t g;
    if (regcomp(&g, pat, REG_EXTENDED | REG_NOSUB | (fold ? REG_ICASE : 0)) != 0)
        return false;
    char buf[64];
    if (len >= sizeof buf)
        return false;
    memcpy(buf, subj, len);
    buf[len] = '\0';
    bool no = regexec(&g, buf, 0, NULL, 0) == REG_NOMATCH;
    regfree(&g);
    return no;
}

/* glibc's leftmost-longest match of pat in subj[0..len) (no NUL inside):
 * 1 with its bounds, 0 for none, -1 when glibc cannot tell. */
int glibc_match0(const char *pat, int fold, const char *subj, size_t len, size_t *so_r,
                 size_t *eo_r);

int glibc_match0(const char *pat, int fold, const char *subj, size_t len, size_t *so_r,
                 size_t *eo_r)
{
    regex_t g;
    if (regcomp(&g, pat, REG_EXTENDED | (fold ? REG_ICASE : 0)) != 0)
        return -1;
    char buf[256];
    if (len >= sizeof buf || memchr(subj, 0, len)) {
        regfree(&g);
        return -1;
    }
    memcpy(buf, subj, len);
    buf[len] = '\0';
    regmatch_t m[1];
    int rc = regexec(&g, buf, 1, m, 0);
    regfree(&g);
    if (rc == REG_NOMATCH)
        return 0;
    if (rc != 0)
        return -1;
    *so_r = (size_t)m[0].rm_so;
    *eo_r = (size_t)m[0].rm_eo;
    return 1;
}
