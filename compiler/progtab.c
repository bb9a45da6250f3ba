/* The program table builder; layout in progtab.h, word format in
 * sieve/abi.h. */
#include "progtab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Like the arena: the compiler has nothing sensible to do without memory. */
static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("sievec: out of memory\n", stderr);
        abort();
    }
    return q;
}

/* A byte-string -> u32 map (open addressing) for pool and slot dedupe. */
typedef struct pt_map {
    struct pt_entry { const char *key; size_t len; uint32_t val; bool used; } *e;
    size_t cap, n;
} pt_map;

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* Finds key; when absent and insert, adds it with val. Returns the entry. */
static struct pt_entry *map_find(pt_map *m, const char *key, size_t len, bool *found_r)
{
    if (2 * (m->n + 1) > m->cap) {
        size_t ncap = m->cap ? 2 * m->cap : 64;
        struct pt_entry *ne = xrealloc(NULL, ncap * sizeof *ne);
        memset(ne, 0, ncap * sizeof *ne);
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->e[i].used)
                continue;
            size_t j = hash_bytes(m->e[i].key, m->e[i].len) & (ncap - 1);
            while (ne[j].used)
                j = (j + 1) & (ncap - 1);
            ne[j] = m->e[i];
        }
        free(m->e);
        m->e = ne;
        m->cap = ncap;
    }
    size_t j = hash_bytes(key, len) & (m->cap - 1);
    while (m->e[j].used) {
        if (m->e[j].len == len && memcmp(m->e[j].key, key, len) == 0) {
            *found_r = true;
            return &m->e[j];
        }
        j = (j + 1) & (m->cap - 1);
    }
    *found_r = false;
    return &m->e[j];
}

struct pt_builder {
    uint32_t *data;            /* header + values and lists */
    size_t ndata, capdata;
    char *pool;
    size_t npool, cappool;
    pt_map strings;            /* keys point into copies kept in keys[] */
    char **keys;
    size_t nkeys, capkeys;
    uint32_t *tests, *actions; /* records, SIEVE_*_WORDS each */
    size_t ntests, nactions, captests, capactions;
    uint32_t *loops;           /* SIEVE_LOOP_WORDS each */
    size_t nloops, caploops;
    pt_map vars;
    char **varnames;           /* by slot */
    size_t nvars, capvars;
    /* include (RFC 6609): the variable scope of the script being compiled */
    const char *var_prefix;    /* prepended to local names; NULL: none */
    const char *const *globals;/* names the script declared `global` */
    size_t nglobals_decl;
    size_t nglobals;           /* slots [0, nglobals) are global */
    uint32_t *includes;        /* include records, SIEVE_INCLUDE_WORDS each */
    size_t nincludes, capincludes;
};

pt_builder *pt_new(void)
{
    pt_builder *pt = xrealloc(NULL, sizeof *pt);
    memset(pt, 0, sizeof *pt);
    /* Offset 0 is the header, so 0 stays free to mean "absent". */
    pt->capdata = 256;
    pt->data = xrealloc(NULL, pt->capdata * sizeof *pt->data);
    memset(pt->data, 0, SIEVE_META_HEADER_WORDS * sizeof *pt->data);
    pt->ndata = SIEVE_META_HEADER_WORDS;
    return pt;
}

void pt_free(pt_builder **pt_r)
{
    pt_builder *pt = *pt_r;
    if (!pt)
        return;
    for (size_t i = 0; i < pt->nkeys; i++)
        free(pt->keys[i]);
    free(pt->keys);
    for (size_t i = 0; i < pt->nvars; i++)
        free(pt->varnames[i]);
    free(pt->varnames);
    free(pt->strings.e);
    free(pt->vars.e);
    free(pt->data);
    free(pt->pool);
    free(pt->tests);
    free(pt->actions);
    free(pt->loops);
    free(pt->includes);
    free(pt);
    *pt_r = NULL;
}

static char *dup_bytes(const char *s, size_t len)
{
    char *c = xrealloc(NULL, len + 1);
    if (len)
        memcpy(c, s, len);
    c[len] = '\0';
    return c;
}

static uint32_t push_word(pt_builder *pt, uint32_t w)
{
    if (pt->ndata == pt->capdata) {
        pt->capdata *= 2;
        pt->data = xrealloc(pt->data, pt->capdata * sizeof *pt->data);
    }
    pt->data[pt->ndata] = w;
    return (uint32_t)pt->ndata++;
}

uint32_t pt_string(pt_builder *pt, const char *s, size_t len)
{
    bool found;
    struct pt_entry *e = map_find(&pt->strings, s, len, &found);
    if (found)
        return e->val;
    /* The pool keeps a NUL after each string (sieve/abi.h). */
    while (pt->npool + len + 1 > pt->cappool) {
        pt->cappool = pt->cappool ? 2 * pt->cappool : 1024;
        pt->pool = xrealloc(pt->pool, pt->cappool);
    }
    uint32_t off = (uint32_t)pt->npool;
    if (len)
        memcpy(pt->pool + off, s, len);
    pt->pool[off + len] = '\0';
    pt->npool += len + 1;
    if (pt->nkeys == pt->capkeys) {
        pt->capkeys = pt->capkeys ? 2 * pt->capkeys : 64;
        pt->keys = xrealloc(pt->keys, pt->capkeys * sizeof *pt->keys);
    }
    char *key = dup_bytes(s, len);
    pt->keys[pt->nkeys++] = key;
    e->key = key;
    e->len = len;
    e->val = off;
    e->used = true;
    pt->strings.n++;
    return off;
}

static uint32_t var_slot(pt_builder *pt, const char *name, size_t len);

/* RFC 6609 3.4: "global.x", and x after `global "x"`, are the one global
 * x; any other name is local to the script being compiled. */
uint32_t pt_var_slot(pt_builder *pt, const char *name, size_t len)
{
    if (!pt->var_prefix && !pt->nglobals_decl)
        return var_slot(pt, name, len);
    if (len > 7 && memcmp(name, "global.", 7) == 0)
        return var_slot(pt, name, len);
    bool global = false;
    for (size_t i = 0; i < pt->nglobals_decl && !global; i++)
        global = strlen(pt->globals[i]) == len && memcmp(pt->globals[i], name, len) == 0;
    const char *pre = global ? "global." : pt->var_prefix ? pt->var_prefix : "";
    size_t plen = strlen(pre);
    char small[160];
    char *key = plen + len < sizeof small ? small : xrealloc(NULL, plen + len);
    memcpy(key, pre, plen);
    memcpy(key + plen, name, len);
    uint32_t slot = var_slot(pt, key, plen + len);
    if (key != small)
        free(key);
    return slot;
}

void pt_set_var_scope(pt_builder *pt, const char *prefix, const char *const *globals, size_t n)
{
    pt->var_prefix = prefix;
    pt->globals = globals;
    pt->nglobals_decl = n;
}

uint32_t pt_nvars(const pt_builder *pt) { return (uint32_t)pt->nvars; }

void pt_set_nglobals(pt_builder *pt, uint32_t n) { pt->nglobals = n; }

uint32_t pt_add_include(pt_builder *pt, const uint32_t rec[SIEVE_INCLUDE_WORDS])
{
    if (pt->nincludes == pt->capincludes) {
        pt->capincludes = pt->capincludes ? 2 * pt->capincludes : 16;
        pt->includes = xrealloc(pt->includes,
                                pt->capincludes * SIEVE_INCLUDE_WORDS * sizeof *pt->includes);
    }
    memcpy(pt->includes + pt->nincludes * SIEVE_INCLUDE_WORDS, rec,
           SIEVE_INCLUDE_WORDS * sizeof *rec);
    return (uint32_t)pt->nincludes++;
}

uint32_t *pt_include_record(pt_builder *pt, uint32_t i)
{
    return i < pt->nincludes ? pt->includes + (size_t)i * SIEVE_INCLUDE_WORDS : NULL;
}

static uint32_t var_slot(pt_builder *pt, const char *name, size_t len)
{
    bool found;
    struct pt_entry *e = map_find(&pt->vars, name, len, &found);
    if (found)
        return e->val;
    if (pt->nvars == pt->capvars) {
        pt->capvars = pt->capvars ? 2 * pt->capvars : 16;
        pt->varnames = xrealloc(pt->varnames, pt->capvars * sizeof *pt->varnames);
    }
    char *key = dup_bytes(name, len);
    pt->varnames[pt->nvars] = key;
    e->key = key;
    e->len = len;
    e->val = (uint32_t)pt->nvars++;
    e->used = true;
    pt->vars.n++;
    return e->val;
}

uint32_t pt_value(pt_builder *pt, const char *text, size_t len, const sema_str *split)
{
    if (!split) {
        /* A constant: one TEXT part, or none for "". */
        if (len == 0)
            return push_word(pt, 0);
        uint32_t soff = pt_string(pt, text, len);
        uint32_t at = push_word(pt, 1);
        push_word(pt, SIEVE_PART_TEXT);
        push_word(pt, soff);
        push_word(pt, (uint32_t)len);
        return at;
    }
    /* Slots and strings first: they may not append to data, but keep the
     * value's words contiguous whatever they do. */
    uint32_t *tmp = xrealloc(NULL, (split->nparts ? split->nparts : 1) * 3 * sizeof *tmp);
    for (size_t i = 0; i < split->nparts; i++) {
        const sema_part *p = &split->parts[i];
        switch (p->kind) {
        case SEMA_PART_TEXT:
            tmp[3 * i] = SIEVE_PART_TEXT;
            tmp[3 * i + 1] = pt_string(pt, p->text, p->len);
            tmp[3 * i + 2] = (uint32_t)p->len;
            break;
        case SEMA_PART_VAR:
            tmp[3 * i] = SIEVE_PART_VAR;
            tmp[3 * i + 1] = pt_var_slot(pt, p->text, strlen(p->text));
            tmp[3 * i + 2] = 0;
            break;
        case SEMA_PART_MATCH:
            tmp[3 * i] = SIEVE_PART_MATCH;
            tmp[3 * i + 1] = p->index;
            tmp[3 * i + 2] = 0;
            break;
        }
    }
    uint32_t at = push_word(pt, (uint32_t)split->nparts);
    for (size_t i = 0; i < 3 * split->nparts; i++)
        push_word(pt, tmp[i]);
    free(tmp);
    return at;
}

uint32_t pt_list(pt_builder *pt, const uint32_t *values, size_t n)
{
    uint32_t at = push_word(pt, (uint32_t)n);
    for (size_t i = 0; i < n; i++)
        push_word(pt, values[i]);
    return at;
}

uint32_t pt_list_cstrings(pt_builder *pt, const char *const *s, size_t n)
{
    uint32_t *v = xrealloc(NULL, (n ? n : 1) * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = pt_value(pt, s[i], strlen(s[i]), NULL);
    uint32_t at = pt_list(pt, v, n);
    free(v);
    return at;
}

uint32_t pt_add_test(pt_builder *pt, const uint32_t rec[SIEVE_TEST_WORDS])
{
    if (pt->ntests == pt->captests) {
        pt->captests = pt->captests ? 2 * pt->captests : 64;
        pt->tests = xrealloc(pt->tests, pt->captests * SIEVE_TEST_WORDS * sizeof *pt->tests);
    }
    memcpy(pt->tests + pt->ntests * SIEVE_TEST_WORDS, rec, SIEVE_TEST_WORDS * sizeof *rec);
    return (uint32_t)pt->ntests++;
}

uint32_t pt_add_action(pt_builder *pt, const uint32_t rec[SIEVE_ACTION_WORDS])
{
    if (pt->nactions == pt->capactions) {
        pt->capactions = pt->capactions ? 2 * pt->capactions : 64;
        pt->actions = xrealloc(pt->actions, pt->capactions * SIEVE_ACTION_WORDS * sizeof *pt->actions);
    }
    memcpy(pt->actions + pt->nactions * SIEVE_ACTION_WORDS, rec, SIEVE_ACTION_WORDS * sizeof *rec);
    return (uint32_t)pt->nactions++;
}

uint32_t pt_add_loop(pt_builder *pt, const uint32_t rec[SIEVE_LOOP_WORDS])
{
    if (pt->nloops == pt->caploops) {
        pt->caploops = pt->caploops ? 2 * pt->caploops : 8;
        pt->loops = xrealloc(pt->loops, pt->caploops * SIEVE_LOOP_WORDS * sizeof *pt->loops);
    }
    memcpy(pt->loops + pt->nloops * SIEVE_LOOP_WORDS, rec, SIEVE_LOOP_WORDS * sizeof *rec);
    return (uint32_t)pt->nloops++;
}

uint32_t pt_ntests(const pt_builder *pt) { return (uint32_t)pt->ntests; }
uint32_t pt_nactions(const pt_builder *pt) { return (uint32_t)pt->nactions; }

bool pt_finish(pt_builder *pt, uint32_t headers, uint32_t extensions,
               uint32_t **words_r, size_t *nwords_r)
{
    *words_r = NULL;
    *nwords_r = 0;
    uint32_t varnames = pt_list_cstrings(pt, (const char *const *)pt->varnames, pt->nvars);

    size_t poolwords = (pt->npool + 3) / 4;
    uint64_t total = (uint64_t)pt->ndata + poolwords + (uint64_t)pt->ntests * SIEVE_TEST_WORDS +
                     (uint64_t)pt->nactions * SIEVE_ACTION_WORDS +
                     (uint64_t)pt->nloops * SIEVE_LOOP_WORDS +
                     (uint64_t)pt->nincludes * SIEVE_INCLUDE_WORDS;
    if (total > UINT32_MAX / 4)
        return false;
    uint32_t *w = xrealloc(NULL, (size_t)total * sizeof *w);
    memset(w, 0, (size_t)total * sizeof *w);
    memcpy(w, pt->data, pt->ndata * sizeof *w);
    size_t at = pt->ndata;
    uint32_t strpool = (uint32_t)at;
    /* Bytes in host order: the .so only runs on the machine it targets. */
    if (pt->npool)
        memcpy(w + at, pt->pool, pt->npool);
    at += poolwords;
    uint32_t tests = (uint32_t)at;
    if (pt->ntests)
        memcpy(w + at, pt->tests, pt->ntests * SIEVE_TEST_WORDS * sizeof *w);
    at += pt->ntests * SIEVE_TEST_WORDS;
    uint32_t actions = (uint32_t)at;
    if (pt->nactions)
        memcpy(w + at, pt->actions, pt->nactions * SIEVE_ACTION_WORDS * sizeof *w);
    at += pt->nactions * SIEVE_ACTION_WORDS;
    uint32_t loops = (uint32_t)at;
    if (pt->nloops)
        memcpy(w + at, pt->loops, pt->nloops * SIEVE_LOOP_WORDS * sizeof *w);
    at += pt->nloops * SIEVE_LOOP_WORDS;
    uint32_t includes = (uint32_t)at;
    if (pt->nincludes)
        memcpy(w + at, pt->includes, pt->nincludes * SIEVE_INCLUDE_WORDS * sizeof *w);
    at += pt->nincludes * SIEVE_INCLUDE_WORDS;

    w[SIEVE_META_MAGIC] = SIEVE_ABI_MAGIC;
    w[SIEVE_META_STRPOOL] = strpool;
    w[SIEVE_META_STRPOOL_BYTES] = (uint32_t)pt->npool;
    w[SIEVE_META_TESTS] = tests;
    w[SIEVE_META_NTESTS] = (uint32_t)pt->ntests;
    w[SIEVE_META_ACTIONS] = actions;
    w[SIEVE_META_NACTIONS] = (uint32_t)pt->nactions;
    w[SIEVE_META_LOOPS] = loops;
    w[SIEVE_META_NLOOPS] = (uint32_t)pt->nloops;
    w[SIEVE_META_INCLUDES] = includes;
    w[SIEVE_META_NINCLUDES] = (uint32_t)pt->nincludes;
    w[SIEVE_META_HEADERS] = headers;
    w[SIEVE_META_EXTENSIONS] = extensions;
    w[SIEVE_META_NVARS] = (uint32_t)pt->nvars;
    w[SIEVE_META_VARNAMES] = varnames;
    w[SIEVE_META_NGLOBALS] = (uint32_t)pt->nglobals;
    *words_r = w;
    *nwords_r = at;
    return true;
}
