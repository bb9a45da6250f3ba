/* include (RFC 6609) resolution at compile time; contract in incl.h. */
#include "incl.h"

#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "registry.h"
#include "sha256.h"

typedef struct frame {
    size_t script;              /* index in set->scripts */
    const ast_node *node;       /* the include that entered the next frame */
} frame;

typedef struct rctx {
    incl_set *set;
    const incl_options *opt;
    const sieve_limits *lim;
    diag_sink *diag;
    char *personal_dir;
    char **keys;                /* identity (real path) per script */
    size_t *checked_depth;      /* deepest depth whose subtree was checked */
    frame *stack;               /* the chain from the main script */
    size_t depth;
    size_t errors;
} rctx;

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("sievec: out of memory\n", stderr);
        abort();
    }
    return q;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xrealloc(NULL, n), s, n);
}

bool incl_valid_name(const char *s, size_t len)
{
    if (len == 0 || len > 200 || (len == 1 && s[0] == '.') ||
        (len == 2 && s[0] == '.' && s[1] == '.'))
        return false;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        unsigned c = p[i], n;
        uint32_t cp;
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f || c == '/')
                return false;
            i++;
            continue;
        }
        if ((c & 0xE0) == 0xC0)
            n = 1, cp = c & 0x1F;
        else if ((c & 0xF0) == 0xE0)
            n = 2, cp = c & 0x0F;
        else if ((c & 0xF8) == 0xF0)
            n = 3, cp = c & 0x07;
        else
            return false;
        for (unsigned k = 1; k <= n; k++) {
            if (i + k >= len || (p[i + k] & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (p[i + k] & 0x3F);
        }
        static const uint32_t min[] = { 0, 0x80, 0x800, 0x10000 };
        if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
            (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029)
            return false;
        i += n + 1;
    }
    return true;
}

/* The chain of includes that led to the script on top of the stack, as
 * notes under the last diagnostic. */
static void chain_notes(rctx *c)
{
    for (size_t i = c->depth; i-- > 0;) {
        const incl_script *s = &c->set->scripts[c->stack[i].script];
        const ast_node *n = c->stack[i].node;
        if (n)
            diag_note(c->diag, s->src, n->span, "included from here");
    }
}

static void error_at(rctx *c, const source *src, src_span span, const char *id,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void error_at(rctx *c, const source *src, src_span span, const char *id,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(c->diag, src, span, id, fmt, ap);
    va_end(ap);
    c->errors++;
}

static int find_key(const rctx *c, const char *key)
{
    for (size_t i = 0; i < c->set->nscripts; i++)
        if (strcmp(c->keys[i], key) == 0)
            return (int)i;
    return -1;
}

static char *identity(const char *path)
{
    char *real = realpath(path, NULL);
    return real ? real : xstrdup(path);
}

static bool on_stack(const rctx *c, size_t script)
{
    for (size_t i = 0; i <= c->depth; i++)
        if (c->stack[i].script == script)
            return true;
    return false;
}

static size_t add_script(rctx *c, char *name, char *path, unsigned location, source *src,
                         ast_script *ast, sema_result *res, char *key)
{
    incl_set *set = c->set;
    size_t i = set->nscripts++;
    set->scripts = xrealloc(set->scripts, set->nscripts * sizeof *set->scripts);
    c->keys = xrealloc(c->keys, set->nscripts * sizeof *c->keys);
    c->checked_depth = xrealloc(c->checked_depth, set->nscripts * sizeof *c->checked_depth);
    incl_script *s = &set->scripts[i];
    memset(s, 0, sizeof *s);
    s->name = name;
    s->path = path;
    s->location = location;
    s->src = src;
    s->ast = ast;
    s->res = res;
    if (src)
        rt_sha256(src->text, src->len, s->sha256);
    c->keys[i] = key;
    c->checked_depth[i] = SIZE_MAX;
    return i;
}

static incl_ref *ref_for(rctx *c, const ast_node *node, bool *fresh_r)
{
    incl_set *set = c->set;
    for (size_t i = 0; i < set->nrefs; i++)
        if (set->refs[i].node == node) {
            *fresh_r = false;
            return &set->refs[i];
        }
    set->refs = xrealloc(set->refs, (set->nrefs + 1) * sizeof *set->refs);
    incl_ref *r = &set->refs[set->nrefs++];
    memset(r, 0, sizeof *r);
    r->node = node;
    r->target = -1;
    *fresh_r = true;
    return r;
}

static void visit_script(rctx *c, size_t script);

/* Reads, parses and checks a script file; returns its index, -1 when it
 * does not exist, -2 after an error. */
static int load(rctx *c, const incl_script *from, const ast_node *node, const char *name,
                unsigned location, const char *path, char *key)
{
    source *src = NULL;
    switch (source_read_file(path, c->lim->max_script_size, &src)) {
    case SOURCE_OK:
        break;
    case SOURCE_IO_ERROR:
        if (errno == ENOENT)
            return -1;
        error_at(c, from->src, node->span, "io-error", "cannot read included script '%s' (%s): %s",
                 name, path, strerror(errno));
        chain_notes(c);
        return -2;
    case SOURCE_TOO_LARGE:
        error_at(c, from->src, node->span, "limit-exceeded",
                 "included script '%s' is larger than the limit of %zu bytes", name,
                 c->lim->max_script_size);
        chain_notes(c);
        return -2;
    }
    diag_adopt_source(c->diag, src);
    ast_script *ast = NULL;
    sema_result *res = NULL;
    size_t before = diag_error_count(c->diag);
    if (parse_script(src, c->lim, c->diag, &ast) == 0)
        sema_check(ast, c->lim, c->diag, &res);
    if (diag_error_count(c->diag) != before) {
        /* The script's own errors are above; say where it came from. */
        error_at(c, from->src, node->span, "include-failed", "included script '%s' has errors", name);
        chain_notes(c);
        sema_result_free(&res);
        ast_script_free(&ast);
        return -2;
    }
    return (int)add_script(c, xstrdup(name), xstrdup(path), location, src, ast, res, key);
}

/* One include command of script `script` (on top of the stack). */
static void visit_include(rctx *c, size_t script, const ast_node *node)
{
    const incl_script *from = &c->set->scripts[script];
    const sema_node *sn = node->sema;
    const ast_string *s = &sn->pos[0]->u.string;
    bool fresh;
    incl_ref *ref = ref_for(c, node, &fresh);
    ref->location = sema_node_tag(sn, REG_TAG_GLOBAL) ? 1 : 0;
    ref->once = sema_node_tag(sn, REG_TAG_ONCE) != NULL;
    ref->optional = sema_node_tag(sn, REG_TAG_OPTIONAL) != NULL;
    if (!fresh && ref->target < 0)
        return;   /* reported, or missing and optional, the first time */
    if (fresh) {
        if (sema_node_string(sn, s)) {
            error_at(c, from->src, s->span, "include-name-not-constant",
                     "the script name of 'include' must be a constant string");
            diag_note(c->diag, from->src, s->span,
                      "included scripts are compiled into the filter, so their names must be "
                      "known when compiling");
            return;
        }
        if (!incl_valid_name(s->text, s->len)) {
            error_at(c, from->src, s->span, "invalid-include-name",
                     "'%s' is not a valid script name", s->text);
            diag_note(c->diag, from->src, s->span,
                      "a script name has no '/' or control characters and is not '.' or '..' "
                      "(RFC 6609 3.2)");
            return;
        }
    }
    const char *dir = ref->location ? c->opt->global_dir : c->personal_dir;
    if (!dir) {
        if (fresh) {
            error_at(c, from->src, node->name_span, "include-not-found",
                     "cannot include :global script '%s': no global script directory is set",
                     s->text);
            diag_note(c->diag, NULL, node->name_span, "give one with --include-dir-global DIR");
        }
        return;
    }
    char *path = xrealloc(NULL, strlen(dir) + s->len + 8);
    sprintf(path, "%s/%s.sieve", dir, s->text);
    char *key = identity(path);
    int target = find_key(c, key);
    if (target >= 0 && on_stack(c, (size_t)target)) {
        free(key);
        free(path);
        if (!fresh)
            return;
        if (ref->once) {
            /* RFC 6609 3.2: the script already ran, so :once skips it at run
             * time; not a recursion. */
            ref->target = target;
            return;
        }
        /* RFC 6609 3.2: recursion is an error. Name the chain. */
        size_t len = 0;
        for (size_t i = 0; i <= c->depth; i++)
            len += strlen(c->set->scripts[c->stack[i].script].name) + 4;
        char *chain = xrealloc(NULL, len + s->len + 1);
        chain[0] = '\0';
        bool started = false;
        for (size_t i = 0; i <= c->depth; i++) {
            if (c->stack[i].script == (size_t)target)
                started = true;
            if (started) {
                strcat(chain, c->set->scripts[c->stack[i].script].name);
                strcat(chain, " -> ");
            }
        }
        strncat(chain, s->text, s->len);
        error_at(c, from->src, node->name_span, "include-cycle",
                 "circular include of script '%s': %s", s->text, chain);
        diag_note(c->diag, NULL, node->name_span,
                  "a script cannot include itself, directly or through others, unless with :once");
        chain_notes(c);
        free(chain);
        return;
    }
    if (c->depth + 1 > c->lim->max_include_depth) {
        free(key);
        free(path);
        if (ref->target != -2) {
            error_at(c, from->src, node->name_span, "limit-exceeded",
                     "including '%s' nests includes deeper than the limit of %zu", s->text,
                     c->lim->max_include_depth);
            chain_notes(c);
        }
        ref->target = -2;
        return;
    }
    if (target < 0) {
        if (c->set->nscripts - 1 >= c->lim->max_includes) {
            error_at(c, from->src, node->name_span, "limit-exceeded",
                     "including '%s' makes more than the limit of %zu included scripts", s->text,
                     c->lim->max_includes);
            chain_notes(c);
            free(key);
            free(path);
            ref->target = -2;
            return;
        }
        target = load(c, from, node, s->text, ref->location, path, key);
        if (target == -1) {
            free(key);
            if (!ref->optional) {
                error_at(c, from->src, node->name_span, "include-not-found",
                         "included %s script '%s' not found (%s)",
                         ref->location ? "global" : "personal", s->text, path);
                diag_note(c->diag, NULL, node->name_span,
                          "use :optional to ignore a missing script (RFC 6609 3.2)");
                chain_notes(c);
                ref->target = -2;
            }
            free(path);
            return;
        }
        if (target < 0) {
            free(key);
            free(path);
            ref->target = -2;
            return;
        }
    } else {
        free(key);
    }
    free(path);
    ref->target = target;
    /* A script reached again deeper than before: check what it includes
     * at this depth too, so the nesting limit holds on every path. */
    if (c->checked_depth[target] != SIZE_MAX && c->checked_depth[target] >= c->depth + 1)
        return;
    c->checked_depth[target] = c->depth + 1;
    c->stack[c->depth].node = node;
    c->depth++;
    c->stack[c->depth].script = (size_t)target;
    c->stack[c->depth].node = NULL;
    visit_script(c, (size_t)target);
    c->depth--;
    c->stack[c->depth].node = NULL;
}

static void visit_block(rctx *c, size_t script, const ast_block *b);

static void visit_node(rctx *c, size_t script, const ast_node *n)
{
    if (!n || !n->def || !n->sema)
        return;
    if (n->def->id == REG_DEF_INCLUDE) {
        visit_include(c, script, n);
        return;
    }
    if (n->block && !n->sema->dead_block)
        visit_block(c, script, n->block);
}

static void visit_block(rctx *c, size_t script, const ast_block *b)
{
    for (size_t i = 0; b && i < b->count; i++)
        visit_node(c, script, b->cmds[i]);
}

static void visit_script(rctx *c, size_t script)
{
    visit_block(c, script, &c->set->scripts[script].ast->top);
}

size_t incl_resolve(const source *main_src, ast_script *main_ast, sema_result *main_res,
                    const incl_options *opt, const sieve_limits *lim, diag_sink *diag,
                    incl_set **set_r)
{
    incl_set *set = xrealloc(NULL, sizeof *set);
    memset(set, 0, sizeof *set);
    *set_r = set;
    rctx c = { .set = set, .opt = opt, .lim = lim, .diag = diag };
    if (opt->personal_dir) {
        c.personal_dir = xstrdup(opt->personal_dir);
    } else {
        /* The main script's directory ("." for a bare name or stdin). */
        const char *slash = strcmp(main_src->name, "<stdin>") ? strrchr(main_src->name, '/') : NULL;
        if (slash) {
            size_t n = slash == main_src->name ? 1 : (size_t)(slash - main_src->name);
            c.personal_dir = xrealloc(NULL, n + 1);
            memcpy(c.personal_dir, main_src->name, n);
            c.personal_dir[n] = '\0';
        } else {
            c.personal_dir = xstrdup(".");
        }
    }
    c.stack = xrealloc(NULL, (lim->max_include_depth + 2) * sizeof *c.stack);
    add_script(&c, xstrdup(main_src->name), xstrdup(main_src->name), 0, NULL, main_ast, main_res,
               identity(main_src->name));
    set->scripts[0].src = main_src;
    rt_sha256(main_src->text, main_src->len, set->scripts[0].sha256);
    c.checked_depth[0] = 0;
    c.stack[0].script = 0;
    c.stack[0].node = NULL;
    if (main_res->required & REG_EXT_BIT(REG_EXT_INCLUDE))
        visit_script(&c, 0);
    for (size_t i = 0; i < set->nscripts; i++)
        free(c.keys[i]);
    free(c.keys);
    free(c.checked_depth);
    free(c.stack);
    free(c.personal_dir);
    return c.errors;
}

const incl_ref *incl_ref_of(const incl_set *set, const ast_node *node)
{
    for (size_t i = 0; set && i < set->nrefs; i++)
        if (set->refs[i].node == node)
            return &set->refs[i];
    return NULL;
}

void incl_set_free(incl_set **set_r)
{
    incl_set *set = *set_r;
    if (!set)
        return;
    for (size_t i = 0; i < set->nscripts; i++) {
        incl_script *s = &set->scripts[i];
        free(s->name);
        free(s->path);
        if (i > 0) {
            sema_result_free(&s->res);
            ast_script_free(&s->ast);
        }
    }
    free(set->scripts);
    free(set->refs);
    free(set);
    *set_r = NULL;
}
