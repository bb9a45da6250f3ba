/* mdtable: metadata entries from the command line. Contract in mdtable.h. */
#include "mdtable.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Where the entry starts: the first "/private" or "/shared" that is
 * followed by '/' or '='. */
static const char *entry_start(const char *arg)
{
    for (const char *p = strchr(arg, '/'); p; p = strchr(p + 1, '/')) {
        size_t n = strncasecmp(p, "/private", 8) == 0 ? 8 : strncasecmp(p, "/shared", 7) == 0 ? 7 : 0;
        if (n && (p[n] == '/' || p[n] == '='))
            return p;
    }
    return NULL;
}

static bool same_mailbox(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcasecmp(a, "INBOX") == 0 ? strcasecmp(b, "INBOX") == 0 : strcmp(a, b) == 0;
}

bool md_add(md_table *t, const char *arg)
{
    const char *e = entry_start(arg), *eq = e ? strchr(e, '=') : NULL;
    if (!eq)
        return false;
    char *mailbox = e > arg ? strndup(arg, (size_t)(e - arg)) : NULL;
    char *entry = strndup(e, (size_t)(eq - e)), *value = strdup(eq + 1);
    md_entry *nv = realloc(t->v, (t->n + 1) * sizeof *nv);
    if ((e > arg && !mailbox) || !entry || !value || !nv) {
        free(mailbox);
        free(entry);
        free(value);
        if (nv)
            t->v = nv;
        return false;
    }
    t->v = nv;
    t->v[t->n++] = (md_entry){ mailbox, entry, value };
    return true;
}

const char *md_lookup(void *data, const char *mailbox, const char *entry)
{
    const md_table *t = data;
    /* The last definition wins. */
    for (size_t i = t->n; i-- > 0;)
        if (same_mailbox(t->v[i].mailbox, mailbox) && strcasecmp(t->v[i].entry, entry) == 0)
            return t->v[i].value;
    return NULL;
}

void md_free(md_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].mailbox);
        free(t->v[i].entry);
        free(t->v[i].value);
    }
    free(t->v);
    t->v = NULL;
    t->n = 0;
}
