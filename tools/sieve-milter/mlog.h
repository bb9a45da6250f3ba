/* mlog: sieve-milter's log lines, to syslog (facility mail), to stderr or
 * nowhere; tests may also install a hook that sees every line.
 * Each decision line carries the MTA's queue id, the recipient and the
 * decision (mcore formats them). Thread-safe (syslog and stdio lock; the
 * mode and hook are set before threads start).
 */
#ifndef SIEVE_MILTER_MLOG_H
#define SIEVE_MILTER_MLOG_H

#include <syslog.h>

#include "mconf.h"

void mlog_open(mconf_log mode);
void mlog_set_hook(void (*hook)(int prio, const char *line, void *arg), void *arg);
void mlog(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
