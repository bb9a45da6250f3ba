/* rpolicy: see rpolicy.h. */
#define _GNU_SOURCE
#include "rpolicy.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WINDOW 3600
#define USER_MAX 320

typedef struct slot {
    char user[USER_MAX];
    int64_t start;
    unsigned count;
} slot;

struct rpolicy {
    pthread_mutex_t mu;
    size_t n, max;
    slot *slots;
};

rpolicy *rpolicy_new(size_t max_users)
{
    rpolicy *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->max = max_users ? max_users : 1;
    p->slots = calloc(p->max, sizeof *p->slots);
    if (!p->slots) {
        free(p);
        return NULL;
    }
    pthread_mutex_init(&p->mu, NULL);
    return p;
}

void rpolicy_free(rpolicy **p_r)
{
    rpolicy *p = *p_r;
    if (!p)
        return;
    pthread_mutex_destroy(&p->mu);
    free(p->slots);
    free(p);
    *p_r = NULL;
}

bool rpolicy_domain_allowed(const char *target, char *const *domains, size_t n)
{
    const char *at = strrchr(target, '@');
    if (!at || !at[1])
        return false;
    const char *dom = at + 1;
    size_t dl = strlen(dom);
    if (dl && dom[dl - 1] == '>')
        dl--;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(domains[i], "*"))
            return true;
        if (strlen(domains[i]) == dl && !strncasecmp(domains[i], dom, dl))
            return true;
    }
    return false;
}

/* A linear scan: the table holds the users who redirected within the hour,
 * a small set; the mutex is held for microseconds. */
bool rpolicy_take(rpolicy *p, const char *user, unsigned rate, int64_t now)
{
    if (rate == 0)
        return true;
    if (strlen(user) >= USER_MAX)
        return false;
    pthread_mutex_lock(&p->mu);
    slot *s = NULL;
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->slots[i].user, user)) {
            s = &p->slots[i];
            break;
        }
    if (!s) {
        if (p->n == p->max) {
            size_t k = 0;
            for (size_t i = 0; i < p->n; i++)
                if (now - p->slots[i].start < WINDOW)
                    p->slots[k++] = p->slots[i];
            p->n = k;
        }
        if (p->n < p->max) {
            s = &p->slots[p->n++];
            strcpy(s->user, user);
            s->start = now;
            s->count = 0;
        }
    }
    bool ok = false;
    if (s) {
        if (now - s->start >= WINDOW) {
            s->start = now;
            s->count = 0;
        }
        if (s->count < rate) {
            s->count++;
            ok = true;
        }
    }
    pthread_mutex_unlock(&p->mu);
    return ok;
}
