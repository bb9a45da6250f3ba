/* ext_metadata: RFC 5490 metadata tests at run time. Contract in
 * ext_metadata.h. */
#include "ext_metadata.h"

#include <string.h>

#include "annotation.h"

#define OOM "out of memory for this message"

/* The NUL-terminated expansion of value off on the arena; NULL when out
 * of memory. *bad_r: it holds a NUL byte (no mailbox or entry has it). */
static const char *expand(rt_run *r, uint32_t off, bool *bad_r)
{
    rt_str v;
    if (!rt_vars_expand(r->p, &r->vars, r->a, off, &v))
        return NULL;
    char *p = rt_arena_alloc(r->a, v.len + 1);
    if (!p)
        return NULL;
    memcpy(p, v.p, v.len);
    p[v.len] = '\0';
    *bad_r = *bad_r || memchr(v.p, '\0', v.len) != NULL;
    return p;
}

/* The entry's value (NULL: none) for mailbox (NULL: the server); an
 * invalid name has none (RFC 5464 3.2). */
static const char *lookup(rt_run *r, const char *mailbox, const char *entry)
{
    const sieve_mailboxes *mb = r->settings->mailboxes;
    if (!mb || !mb->metadata || rt_annotation_problem(entry, strlen(entry)))
        return NULL;
    return mb->metadata(mb->data, mailbox, entry);
}

/* RFC 5490 3.3, 4.1: the entry's value matched against the keys; an
 * entry that does not exist gives no value (false; :count sees 0). */
int32_t rt_test_metadata(rt_run *r, const rt_ptest *t)
{
    const uint32_t *rec = t->rec;
    bool bad = false;
    const char *mailbox = NULL, *entry;
    if ((rec[SIEVE_TR_ARG0] && !(mailbox = expand(r, rec[SIEVE_TR_ARG0], &bad))) ||
        !(entry = expand(r, rec[SIEVE_TR_ARG2], &bad)))
        return rt_run_error(r, rec[SIEVE_TR_LINE], OOM);
    const char *val = bad ? NULL : lookup(r, mailbox, entry);
    rt_str v = { 0 };
    if (val) {
        /* Copied: the caller's string need not outlive the call. */
        size_t n = strlen(val);
        char *c = rt_arena_alloc(r->a, n + 1);
        if (!c)
            return rt_run_error(r, rec[SIEVE_TR_LINE], OOM);
        memcpy(c, val, n + 1);
        v = rt_str_make(c, n);
    }
    return rt_test_match_values(r, t, &v, val ? 1 : 0);
}

/* RFC 5490 3.4, 4.2: true when every named entry exists. */
int32_t rt_test_metadataexists(rt_run *r, const rt_ptest *t)
{
    const uint32_t *rec = t->rec;
    bool bad = false;
    const char *mailbox = NULL;
    if (rec[SIEVE_TR_ARG0] && !(mailbox = expand(r, rec[SIEVE_TR_ARG0], &bad)))
        return rt_run_error(r, rec[SIEVE_TR_LINE], OOM);
    uint32_t names = rec[SIEVE_TR_ARG2], n = rt_list_count(r->p, names);
    for (uint32_t i = 0; i < n; i++) {
        bool b = bad;
        const char *entry = expand(r, rt_list_item(r->p, names, i), &b);
        if (!entry)
            return rt_run_error(r, rec[SIEVE_TR_LINE], OOM);
        if (b || !lookup(r, mailbox, entry))
            return SIEVE_OK;
    }
    return SIEVE_TRUE;
}
