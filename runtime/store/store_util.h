/* store_util.h: helpers the store back ends share (private to
 * libsieve-store): error formatting and the key checks every back end
 * applies before touching its database. Thread-safe, no state. */
#ifndef SIEVE_STORE_UTIL_H
#define SIEVE_STORE_UTIL_H

#include <stddef.h>

/* snprintf into err when err is not NULL; a message longer than errlen is
 * cut. */
void store_errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* 0 when 1 <= keylen <= SIEVE_STORE_KEY_MAX and key is not NULL; else -1
 * with a message. */
int store_check_key(const void *key, size_t keylen, char *err, size_t errlen);

#endif
