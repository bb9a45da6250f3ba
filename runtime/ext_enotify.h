/* ext_enotify: notify (RFC 5435) with the mailto method (RFC 5436, URIs
 * of RFC 6068), valid_notify_method, notify_method_capability, and the
 * duplicate test (RFC 7352) that shares the store with vacation.
 * Everything lives in the run's arena.
 */
#ifndef SIEVE_RT_EXT_ENOTIFY_H
#define SIEVE_RT_EXT_ENOTIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "exec.h"

/* Recipients one mailto URI may name (to-part and to/cc/bcc fields). */
#define RT_MAILTO_MAX_RCPTS 32

enum { RT_MAILTO_TO, RT_MAILTO_CC, RT_MAILTO_BCC };

typedef struct rt_mailto {
    rt_str rcpt[RT_MAILTO_MAX_RCPTS];  /* percent-decoded addr-specs */
    unsigned char field[RT_MAILTO_MAX_RCPTS]; /* RT_MAILTO_TO, _CC, _BCC */
    size_t nrcpt;
    rt_str subject, body;              /* hfields; empty when absent */
    bool has_subject, has_body;
} rt_mailto;

/* RFC 6068 2, RFC 5436 2.1: true when uri is a mailto URI with at least one
 * recipient, every recipient an addr-spec, every hfield name=value with
 * qchars and a valid field name. out_r may be NULL; a may be NULL when
 * out_r is. */
bool rt_mailto_parse(rt_arena *a, rt_str uri, rt_mailto *out_r);

int32_t rt_notify_action(rt_run *r, const uint32_t *rec, sieve_action *act);
int32_t rt_test_valid_notify_method(rt_run *r, const rt_ptest *t);
int32_t rt_test_notify_method_capability(rt_run *r, const rt_ptest *t);
int32_t rt_test_duplicate(rt_run *r, const rt_ptest *t);

#endif
