/* ext_extlists: the run-time half of RFC 6134 (extlists). Membership and
 * existence are asked of the caller's sieve_settings.lists; without it
 * every answer is false. List names reach the callbacks in full (the
 * short form ":x" as "urn:ietf:params:sieve:x", RFC 6134 2.1). Copies
 * are made on the run's arena; nothing else is allocated.
 */
#ifndef SIEVE_RT_EXT_EXTLISTS_H
#define SIEVE_RT_EXT_EXTLISTS_H

#include "exec.h"

/* :list (SIEVE_TF_LIST): 1 when value is a member of one of the lists
 * named by the keys (arg1) of test record rec, 0 when not, -1 when out of
 * memory. */
int rt_list_member(rt_run *r, const uint32_t *rec, rt_str value);

/* valid_ext_list (RFC 6134 2.5): true when every named list exists. */
int32_t rt_test_valid_ext_list(rt_run *r, const rt_ptest *t);

/* redirect :list (RFC 6134 2.4): act->address becomes the full list name
 * of value off and act->list is set; SIEVE_ERROR after recording an error. */
int32_t rt_list_redirect(rt_run *r, uint32_t off, uint32_t line, sieve_action *act);

#endif
