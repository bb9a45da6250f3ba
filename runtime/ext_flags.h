/* ext_flags: run-time half of imap4flags (RFC 5232), editheader (RFC 5293)
 * and the mailbox tests of mailbox (RFC 5490), special-use (RFC 8579) and
 * mailboxid (RFC 9042). exec.c and tests.c dispatch the records here; the
 * text work is in flags.c and hedit.c.
 *
 * State lives in the run (rt_run.flags, the internal flags variable, and
 * rt_run.msg, which editheader replaces by a view of the edited header);
 * everything is allocated in the run's arena. One run, one thread.
 */
#ifndef SIEVE_RT_EXT_FLAGS_H
#define SIEVE_RT_EXT_FLAGS_H

#include <stdint.h>

#include "exec.h"

/* setflag, addflag, removeflag (RFC 5232 3). */
int32_t rt_flags_action(rt_run *r, const uint32_t *rec);
/* hasflag (RFC 5232 4). */
int32_t rt_flags_hasflag(rt_run *r, const rt_ptest *t);
/* The flags keep/fileinto store with (RFC 5232 5): list (the :flags
 * operand) when non-zero, else the internal variable; only storable flags
 * (flags.h) are kept. SIEVE_OK or SIEVE_ERROR. */
int32_t rt_flags_for_store(rt_run *r, uint32_t list, uint32_t line, sieve_action *act);
/* After the script ended: the implicit keep gets the internal flags. */
int32_t rt_flags_finish(rt_run *r);

/* addheader, deleteheader (RFC 5293 4, 5). */
int32_t rt_editheader_action(rt_run *r, const uint32_t *rec);

/* mailboxexists (RFC 5490 3.1; extra 0), specialuse_exists (RFC 8579 3;
 * extra 1), mailboxidexists (RFC 9042 3), answered by
 * sieve_settings.mailboxes. */
int32_t rt_mailbox_test(rt_run *r, const rt_ptest *t);

#endif
