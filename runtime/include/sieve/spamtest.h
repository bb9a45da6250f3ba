/* sieve/spamtest.h: how spamtest, spamtestplus and virustest (RFC 5235)
 * read a message's score, configured with Pigeonhole's setting names so
 * that a Dovecot configuration and unmodified .svtest files carry over.
 *
 * A sieve_spamtest_conf holds the settings of both tests. Give it to the
 * runtime in sieve_settings.spamtest; a session without one (or a test
 * whose status header is not set) answers "0", "not tested" (RFC 5235 3.1).
 *
 * Settings (X is "spamtest" or "virustest"):
 *   sieve_X_status_type    "score" (default): the header holds a number;
 *                          "strlen": its length is the score ("*****");
 *                          "text": it is compared with the text values.
 *   sieve_X_status_header  "Name" or "Name: regex": the field whose value
 *                          is read (the first such field); with a regex
 *                          (POSIX extended, searched anywhere) the first
 *                          group, or the whole match when it has none, is
 *                          the value; no match means "not tested".
 *   sieve_X_max_header     the same for the score that means "certainly
 *                          spam/infected" (score and strlen types), or
 *   sieve_X_max_value      a fixed one (a decimal number > 0).
 *   sieve_X_text_valueN    text type: the value meaning result N (N 0..10
 *                          for spamtest, 0..5 for virustest; compared
 *                          exactly, case included).
 * Newer Pigeonhole names are accepted too: sieve_X_score_max_value,
 * sieve_X_score_max_header, sieve_X_text_value/N.
 * A score is [+-]digits[.digits] (".5" and a decimal comma too); anything
 * else means "not tested". With ratio = score / max clamped to 0..1, in
 * single precision as Pigeonhole 0.5.19 computes it, the result is:
 * spamtest floor(ratio * 9 + 1), 1..10; spamtest :percent
 * floor(ratio * 100), 0..100; virustest floor(ratio * 4 + 1), 1..5. A text value N gives N (spamtest :percent: N * 10). A message
 * without the status field, or with an unreadable one, gives "0".
 *
 * Thread-safety: read-only while runs use it; change it (set, clear) only
 * when no run of a session holding it is in progress on another thread.
 * Regexes are compiled when set, so runs allocate nothing for it.
 */
#ifndef SIEVE_SPAMTEST_H
#define SIEVE_SPAMTEST_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sieve_spamtest_conf sieve_spamtest_conf;

sieve_spamtest_conf *sieve_spamtest_conf_new(void);
void sieve_spamtest_conf_free(sieve_spamtest_conf **c_r);
/* Back to nothing configured. */
void sieve_spamtest_conf_clear(sieve_spamtest_conf *c);
/* True when name is one of the settings above. */
bool sieve_spamtest_conf_known(const char *name);
/* Sets (value NULL: unsets) one setting by name; the value is copied.
 * 0, or -1 with a message (unknown name, bad type or number, bad regex). */
int sieve_spamtest_conf_set(sieve_spamtest_conf *c, const char *name, const char *value,
                            char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
