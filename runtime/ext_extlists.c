/* ext_extlists: RFC 6134 at run time. Contract in ext_extlists.h. */
#include "ext_extlists.h"

#include <string.h>

#define OOM "out of memory for this message"
#define URN "urn:ietf:params:sieve"

/* The full, NUL-terminated name of list `name` on the arena; NULL when out
 * of memory. *bad_r: the name holds a NUL byte (no list has it). */
static const char *full_name(rt_run *r, rt_str name, bool *bad_r)
{
    *bad_r = memchr(name.p, '\0', name.len) != NULL;
    size_t pre = name.len && name.p[0] == ':' ? sizeof URN - 1 : 0;
    char *p = rt_arena_alloc(r->a, pre + name.len + 1);
    if (!p)
        return NULL;
    memcpy(p, URN, pre);
    memcpy(p + pre, name.p, name.len);
    p[pre + name.len] = '\0';
    return p;
}

int rt_list_member(rt_run *r, const uint32_t *rec, rt_str value)
{
    const sieve_lists *l = r->settings->lists;
    if (!l || !l->contains || memchr(value.p, '\0', value.len))
        return 0;
    char *v = rt_arena_alloc(r->a, value.len + 1);
    if (!v)
        return -1;
    memcpy(v, value.p, value.len);
    v[value.len] = '\0';
    uint32_t keys = rec[SIEVE_TR_ARG1], n = rt_list_count(r->p, keys);
    for (uint32_t i = 0; i < n; i++) {
        rt_str name;
        bool bad;
        const char *full;
        if (!rt_vars_expand(r->p, &r->vars, r->a, rt_list_item(r->p, keys, i), &name) ||
            !(full = full_name(r, name, &bad)))
            return -1;
        if (!bad && l->contains(l->data, full, v))
            return 1;
    }
    return 0;
}

int32_t rt_test_valid_ext_list(rt_run *r, const rt_ptest *t)
{
    const sieve_lists *l = r->settings->lists;
    uint32_t names = t->rec[SIEVE_TR_ARG0], n = rt_list_count(r->p, names);
    for (uint32_t i = 0; i < n; i++) {
        rt_str name;
        bool bad;
        const char *full;
        if (!rt_vars_expand(r->p, &r->vars, r->a, rt_list_item(r->p, names, i), &name) ||
            !(full = full_name(r, name, &bad)))
            return rt_run_error(r, t->rec[SIEVE_TR_LINE], OOM);
        if (bad || !l || !l->exists || !l->exists(l->data, full))
            return SIEVE_OK;
    }
    return SIEVE_TRUE;
}

int32_t rt_list_redirect(rt_run *r, uint32_t off, uint32_t line, sieve_action *act)
{
    rt_str name;
    bool bad;
    const char *full;
    if (!rt_vars_expand(r->p, &r->vars, r->a, off, &name) || !(full = full_name(r, name, &bad)))
        return rt_run_error(r, line, OOM);
    if (bad || name.len == 0)
        return rt_run_error(r, line, "invalid list name for redirect :list");
    act->address = full;
    act->list = true;
    return SIEVE_OK;
}
