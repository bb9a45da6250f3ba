/* store_util.c: see store_util.h. */
#include "store_util.h"

#include <stdarg.h>
#include <stdio.h>

#include "sieve/store.h"

void store_errf(char *err, size_t errlen, const char *fmt, ...)
{
    if (err == NULL || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

int store_check_key(const void *key, size_t keylen, char *err, size_t errlen)
{
    if (key == NULL || keylen == 0 || keylen > SIEVE_STORE_KEY_MAX) {
        store_errf(err, errlen, "store key of %zu bytes (1 to %d allowed)", keylen,
                   SIEVE_STORE_KEY_MAX);
        return -1;
    }
    return 0;
}
