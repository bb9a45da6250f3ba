#include "limits.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct limit_field {
    const char *name;
    size_t offset;
    size_t deflt;
    const char *what;
} limit_field;

#define FIELD(n, d, w) { #n, offsetof(sieve_limits, max_##n), d, w }
static const limit_field fields[] = {
    FIELD(script_size, SIEVE_DEFAULT_MAX_SCRIPT_SIZE, "bytes of script text"),
    FIELD(string_len, SIEVE_DEFAULT_MAX_STRING_LEN, "bytes of one string"),
    FIELD(nesting, SIEVE_DEFAULT_MAX_NESTING, "depth of nested blocks and tests"),
    FIELD(commands, SIEVE_DEFAULT_MAX_COMMANDS, "commands in a script"),
    FIELD(tests, SIEVE_DEFAULT_MAX_TESTS, "tests in a script"),
    FIELD(list_items, SIEVE_DEFAULT_MAX_LIST_ITEMS, "entries of one string list"),
    FIELD(errors, SIEVE_DEFAULT_MAX_ERRORS, "errors shown (0: all)"),
    FIELD(include_depth, SIEVE_DEFAULT_MAX_INCLUDE_DEPTH, "nested includes"),
    FIELD(includes, SIEVE_DEFAULT_MAX_INCLUDES, "included scripts"),
    FIELD(regex_len, SIEVE_DEFAULT_MAX_REGEX_LEN, "bytes of one :regex pattern"),
    FIELD(loop_nesting, SIEVE_DEFAULT_MAX_LOOP_NESTING, "foreverypart loops nested"),
};
#undef FIELD

void sieve_limits_default(sieve_limits *lim)
{
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        *(size_t *)((char *)lim + fields[i].offset) = fields[i].deflt;
}

bool sieve_limits_set(sieve_limits *lim, const char *assignment)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment || !eq[1])
        return false;
    size_t nlen = (size_t)(eq - assignment);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (strlen(fields[i].name) != nlen || strncmp(fields[i].name, assignment, nlen) != 0)
            continue;
        const char *v = eq + 1;
        if (*v < '0' || *v > '9')
            return false;
        errno = 0;
        char *end;
        unsigned long long n = strtoull(v, &end, 10);
        unsigned long long mult = 1;
        switch (*end) {
        case 'k': case 'K': mult = 1024ull; end++; break;
        case 'm': case 'M': mult = 1024ull * 1024; end++; break;
        case 'g': case 'G': mult = 1024ull * 1024 * 1024; end++; break;
        default: break;
        }
        if (errno || *end || n > SIZE_MAX / mult)
            return false;
        *(size_t *)((char *)lim + fields[i].offset) = (size_t)(n * mult);
        return true;
    }
    return false;
}

void sieve_limits_print_help(FILE *out)
{
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        fprintf(out, "  %-14s %-38s (default %zu)\n", fields[i].name, fields[i].what, fields[i].deflt);
}
