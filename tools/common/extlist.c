/* extlist: RFC 6134 lists from files. Contract in extlist.h. */
#include "extlist.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define URN "urn:ietf:params:sieve"

static xl_list *find(const xl_table *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i].name, name) == 0)
            return &t->v[i];
    return NULL;
}

static void list_clear(xl_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->members[i]);
    free(l->members);
    l->members = NULL;
    l->n = 0;
}

static bool read_members(FILE *f, xl_list *l)
{
    char *line = NULL;
    size_t cap = 0, mcap = 0;
    ssize_t len;
    bool ok = true;
    while (ok && (len = getline(&line, &cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        if (l->n == mcap) {
            size_t nc = mcap ? mcap * 2 : 16;
            char **nv = realloc(l->members, nc * sizeof *nv);
            if (!nv) {
                ok = false;
                break;
            }
            l->members = nv;
            mcap = nc;
        }
        if (!(l->members[l->n] = strdup(line)))
            ok = false;
        else
            l->n++;
    }
    free(line);
    return ok && !ferror(f);
}

bool xl_add(xl_table *t, const char *arg, char *err, size_t errlen)
{
    /* The URI may hold '=' (tag: URIs rarely do); the file is after the
     * last one. */
    const char *eq = strrchr(arg, '=');
    if (!eq || eq == arg || !eq[1]) {
        snprintf(err, errlen, "'%s' is not URI=FILE", arg);
        return false;
    }
    size_t nlen = (size_t)(eq - arg), pre = arg[0] == ':' ? sizeof URN - 1 : 0;
    char *name = malloc(pre + nlen + 1);
    if (!name) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    memcpy(name, URN, pre);
    memcpy(name + pre, arg, nlen);
    name[pre + nlen] = '\0';
    FILE *f = fopen(eq + 1, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", eq + 1, strerror(errno));
        free(name);
        return false;
    }
    xl_list *l = find(t, name);
    if (l) {
        free(name);
        list_clear(l);
    } else {
        xl_list *nv = realloc(t->v, (t->n + 1) * sizeof *nv);
        if (!nv) {
            fclose(f);
            free(name);
            snprintf(err, errlen, "out of memory");
            return false;
        }
        t->v = nv;
        l = &t->v[t->n++];
        *l = (xl_list){ .name = name };
    }
    bool ok = read_members(f, l);
    fclose(f);
    if (!ok)
        snprintf(err, errlen, "%s: cannot read the list", eq + 1);
    return ok;
}

bool xl_exists(void *data, const char *list)
{
    return find(data, list) != NULL;
}

bool xl_contains(void *data, const char *list, const char *value)
{
    const xl_list *l = find(data, list);
    for (size_t i = 0; l && i < l->n; i++)
        if (strcasecmp(l->members[i], value) == 0)
            return true;
    return false;
}

void xl_free(xl_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        list_clear(&t->v[i]);
        free(t->v[i].name);
    }
    free(t->v);
    t->v = NULL;
    t->n = 0;
}
