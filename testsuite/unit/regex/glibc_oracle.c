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
