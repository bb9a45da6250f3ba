/* annotation: RFC 5464 3.2 entry names. Contract in annotation.h. */
#include "annotation.h"

#include <strings.h>

const char *rt_annotation_problem(const char *s, size_t len)
{
    if (len == 0 || s[0] != '/')
        return "entry name must begin with '/'";
    if (!((len >= 8 && strncasecmp(s, "/private", 8) == 0 && (len == 8 || s[8] == '/')) ||
          (len >= 7 && strncasecmp(s, "/shared", 7) == 0 && (len == 7 || s[7] == '/'))))
        return "entry name must begin with /private or /shared";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c >= 0x7f)
            return "entry name can't contain control chars";
        if (c == '*')
            return "entry name can't contain '*'";
        if (c == '%')
            return "entry name can't contain '%'";
        if (c == '/' && i + 1 < len && s[i + 1] == '/')
            return "entry name can't contain consecutive '/'";
    }
    if (s[len - 1] == '/')
        return "entry name can't end with '/'";
    return NULL;
}
