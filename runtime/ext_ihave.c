/* ihave (RFC 5463 4) when the capability names are only known at run time
 * (variables): true when this runtime executes every named extension.
 * Constant names are folded by sievec instead (codegen.c ext_compiled);
 * the two lists must name the same extensions: add a name here when the
 * runtime comes to execute its records. RFC 5463 4: "variables" and
 * "encoded-character" change how a script is read, so ihave of them MUST
 * fail; they are not listed. */
#include <string.h>

#include "exec.h"

static const char *const rt_extensions[] = {
    "fileinto", "reject", "ereject", "envelope",
    "comparator-i;octet", "comparator-i;ascii-casemap", "comparator-i;ascii-numeric",
    "comparator-i;unicode-casemap", "copy", "body", "relational",
    "subaddress", "regex", "ihave", "include",
    "date", "index", "environment",
    "vacation", "vacation-seconds", "enotify", "duplicate", "fcc",
    "imap4flags", "editheader", "mailbox", "special-use", "mailboxid",
};

static bool executes(rt_str name)
{
    for (size_t i = 0; i < sizeof rt_extensions / sizeof rt_extensions[0]; i++)
        if (strlen(rt_extensions[i]) == name.len && memcmp(rt_extensions[i], name.p, name.len) == 0)
            return true;
    return false;
}

int32_t rt_ihave_test(rt_run *r, const rt_ptest *t)
{
    const rt_program *p = r->p;
    uint32_t list = t->rec[SIEVE_TR_ARG0];
    uint32_t n = rt_list_count(p, list);
    for (uint32_t i = 0; i < n; i++) {
        rt_str v;
        if (!rt_vars_expand(p, &r->vars, r->a, rt_list_item(p, list, i), &v))
            return rt_run_error(r, t->rec[SIEVE_TR_LINE], "out of memory for this message");
        if (!executes(v))
            return SIEVE_OK;
    }
    return SIEVE_TRUE;
}
