/* sema: the generic checker. Walks the tree, resolves each node against the
 * registry tables, checks arguments and tags the same way for every
 * command and test, builds the normalised annotations, and leaves
 * extension-specific rules to the hooks in ext_*.c. */
#define _GNU_SOURCE 1  /* asprintf, memmem, memrchr */
#include "sema.h"
#include "rt_str.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "regex.h"
#include "sema_ext.h"
#include "ext_tables.h"

#define BIT REG_EXT_BIT
#define MAX_STACK 256

struct sema_ctx {
    ast_script *script;
    const source *src;
    sieve_limits lim;
    diag_sink *diag;
    arena *a;
    sema_result *res;
    reg_ext_mask avail;            /* required (closure), plus ihave scopes */
    size_t errors;
    /* Keys seen so far: names already reported (Pigeonhole reports unknown
     * commands and missing requires once, at the first use), variable
     * names, header names. A hash set, since hostile scripts can hold
     * 100,000 distinct names. */
    char **once;
    size_t nonce, caponce;         /* entries, slots (a power of two) */
    const ast_node *parents[MAX_STACK];
    size_t nparents;
    const ast_node *loops[MAX_STACK];
    size_t nloops;
    ast_node *cur;
    size_t header_cap;
    bool seen_other;               /* a command other than require was seen */
    /* Extensions an ihave test found supported. Pigeonhole makes them
     * available from there on, not only in the guarded block; so do we,
     * so that the same scripts pass. */
    reg_ext_mask ihave_avail;
    size_t nvars;                  /* distinct local variable names */
};

/* ---- Reporting ---------------------------------------------------------- */

void sema_error(sema_ctx *ctx, src_span span, const char *id, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(ctx->diag, ctx->src, span, id, fmt, ap);
    va_end(ap);
    ctx->errors++;
}

void sema_warning(sema_ctx *ctx, src_span span, const char *id, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vwarning(ctx->diag, ctx->src, span, id, fmt, ap);
    va_end(ap);
}

void sema_note(sema_ctx *ctx, src_span span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vnote(ctx->diag, ctx->src, span, fmt, ap);
    va_end(ap);
}

/* A note about no particular place (a list of choices, a reason). */
static void note_nowhere(sema_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note_nowhere(sema_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vnote(ctx->diag, NULL, src_span_make(0, 0), fmt, ap);
    va_end(ap);
}

static uint64_t hash_key(const char *k)
{
    uint64_t h = 1469598103934665603ull;   /* FNV-1a */
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 1099511628211ull;
    return h;
}

static char *make_key(const char *kind, const char *a, size_t alen, const char *b)
{
    char *key = NULL;
    if (asprintf(&key, "%s\x1f%.*s\x1f%s", kind, (int)alen, a ? a : "", b ? b : "") < 0)
        return NULL;
    for (char *p = key; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return key;
}

/* The slot holding key, or the empty slot where it would go. */
static size_t find_slot(const sema_ctx *ctx, const char *key)
{
    size_t mask = ctx->caponce - 1, i = (size_t)hash_key(key) & mask;
    while (ctx->once[i] && strcmp(ctx->once[i], key) != 0)
        i = (i + 1) & mask;
    return i;
}

/* Adds key (taking ownership); true when it was not there yet. */
static bool set_add(sema_ctx *ctx, char *key)
{
    if (!key)
        return true;
    if ((ctx->nonce + 1) * 2 > ctx->caponce) {
        size_t ncap = ctx->caponce ? ctx->caponce * 2 : 64;
        char **old = ctx->once;
        size_t oldcap = ctx->caponce;
        ctx->once = calloc(ncap, sizeof *ctx->once);
        if (!ctx->once) {
            fputs("sievec: out of memory\n", stderr);
            abort();
        }
        ctx->caponce = ncap;
        for (size_t i = 0; i < oldcap; i++)
            if (old[i])
                ctx->once[find_slot(ctx, old[i])] = old[i];
        free(old);
    }
    size_t slot = find_slot(ctx, key);
    if (ctx->once[slot]) {
        free(key);
        return false;
    }
    ctx->once[slot] = key;
    ctx->nonce++;
    return true;
}

/* True the first time a key is seen. */
static bool first_time(sema_ctx *ctx, const char *kind, const char *a, const char *b)
{
    return set_add(ctx, make_key(kind, a, a ? strlen(a) : 0, b));
}

static bool key_present(sema_ctx *ctx, const char *kind, const char *a, size_t alen)
{
    if (!ctx->caponce)
        return false;
    char *key = make_key(kind, a, alen, NULL);
    bool found = key && ctx->once[find_slot(ctx, key)] != NULL;
    free(key);
    return found;
}

/* RFC 6609 global, as Pigeonhole applies it: a name used as a local variable
 * cannot later be declared global. */
void sema_var_use(sema_ctx *ctx, const char *name, size_t len)
{
    if (memchr(name, '.', len) || key_present(ctx, "gv", name, len))
        return;
    char *n = strndup(name, len);
    if (n && first_time(ctx, "lv", n, NULL) && ++ctx->nvars == SEMA_MAX_VARIABLES + 1)
        sema_error(ctx, ctx->cur ? ctx->cur->name_span : src_span_make(0, 0), "limit-exceeded",
                   "more than %d distinct variables (at '%s')", SEMA_MAX_VARIABLES, n);
    free(n);
}

bool sema_var_declare_global(sema_ctx *ctx, const char *name, size_t len)
{
    if (key_present(ctx, "gv", name, len))
        return true;
    char *n = strndup(name, len);
    if (!n)
        return true;
    bool conflict = key_present(ctx, "lv", name, len);
    first_time(ctx, "gv", n, NULL);
    free(n);
    return !conflict;
}

/* ---- Small accessors for hooks ------------------------------------------ */

arena *sema_arena(sema_ctx *ctx) { return ctx->a; }
bool sema_first_time(sema_ctx *ctx, const char *kind, const char *name)
{
    return first_time(ctx, kind, name, NULL);
}
bool sema_has_ext(const sema_ctx *ctx, reg_ext_id ext) { return (ctx->avail & BIT(ext)) != 0; }
void sema_use_ext(sema_ctx *ctx, reg_ext_id ext) { ctx->res->used |= BIT(ext); }
sema_result *sema_res(sema_ctx *ctx) { return ctx->res; }
const sieve_limits *sema_limits(const sema_ctx *ctx) { return &ctx->lim; }

const ast_node *sema_find_loop(sema_ctx *ctx, const char *name)
{
    for (size_t i = ctx->nloops; i-- > 0;) {
        const ast_node *l = ctx->loops[i];
        if (!name)
            return l;
        const sema_tagval *tv = l->sema ? sema_node_tag(l->sema, REG_TAG_NAME) : NULL;
        if (tv && tv->param && tv->param->kind == AST_ARG_STRING &&
            strcasecmp(tv->param->u.string.text, name) == 0)
            return l;
    }
    return NULL;
}

size_t sema_loop_depth(const sema_ctx *ctx) { return ctx->nloops; }

const ast_node *sema_parent_command(sema_ctx *ctx)
{
    return ctx->nparents && ctx->nparents <= MAX_STACK ? ctx->parents[ctx->nparents - 1] : NULL;
}

const ast_arg *sema_node_keys(const sema_node *sn)
{
    if (!sn || !sn->has_match || !sn->npos)
        return NULL;
    return sn->pos[sn->npos - 1];
}

const sema_tagval *sema_node_tag(const sema_node *sn, reg_tag_id id)
{
    if (!sn)
        return NULL;
    for (size_t i = 0; i < sn->ntags; i++)
        if (sn->tags[i].tag->id == id)
            return &sn->tags[i];
    return NULL;
}

const sema_str *sema_node_string(const sema_node *sn, const ast_string *str)
{
    if (!sn)
        return NULL;
    for (size_t i = 0; i < sn->nstrs; i++)
        if (sn->strs[i].str == str)
            return &sn->strs[i];
    return NULL;
}

/* ---- Variables (RFC 5229 3) --------------------------------------------- */

static bool is_alpha_(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* identifier = (ALPHA / "_") *(ALPHA / DIGIT / "_") */
static size_t scan_identifier(const char *s, size_t len)
{
    if (!len || !is_alpha_(s[0]))
        return 0;
    size_t i = 1;
    while (i < len && (is_alpha_(s[i]) || is_digit(s[i])))
        i++;
    return i;
}

bool sema_valid_variable_name(const char *name, size_t len)
{
    /* variable-name for set: identifier, or namespace "." identifier. */
    size_t i = 0;
    for (;;) {
        size_t n = scan_identifier(name + i, len - i);
        if (!n)
            return false;
        i += n;
        if (i == len)
            return true;
        if (name[i] != '.')
            return false;
        i++;
    }
}

typedef struct var_ref {
    size_t end;                /* offset after '}' */
    bool match;
    unsigned index;
    size_t ncomp;              /* components (1 = no namespace) */
    const char *name;          /* start of the name inside ${ } */
    size_t name_len;
} var_ref;

/* variable-ref = "${" [namespace] variable-name "}"
 * namespace = identifier "." *sub-namespace; sub-namespace = variable-name "."
 * variable-name = num-variable / identifier. Anything else is literal. */
static bool parse_var_ref(const char *s, size_t len, size_t pos, var_ref *r)
{
    size_t i = pos + 2;
    memset(r, 0, sizeof *r);
    r->name = s + i;
    bool last_digits = false;
    for (;;) {
        size_t n = scan_identifier(s + i, len - i);
        last_digits = false;
        if (!n) {
            /* Digits: alone, or after a namespace. */
            while (i + n < len && is_digit(s[i + n]))
                n++;
            if (!n)
                return false;
            last_digits = true;
            if (r->ncomp == 0 && (i + n >= len || s[i + n] != '}'))
                return false;   /* a namespace must start with an identifier */
        }
        r->ncomp++;
        i += n;
        if (i >= len)
            return false;
        if (s[i] == '}')
            break;
        if (s[i] != '.')
            return false;
        i++;
    }
    r->name_len = (size_t)(s + i - r->name);
    r->end = i + 1;
    if (r->ncomp == 1 && last_digits) {
        r->match = true;
        unsigned long v = 0;
        for (size_t k = 0; k < r->name_len; k++) {
            v = v * 10 + (unsigned long)(r->name[k] - '0');
            if (v > 1000000)
                v = 1000000;   /* beyond any match: expands to "" */
        }
        r->index = (unsigned)v;
    }
    return true;
}

static char *lower_dup(arena *a, const char *s, size_t len)
{
    char *d = arena_strndup(a, s, len);
    for (size_t i = 0; i < len; i++)
        if (d[i] >= 'A' && d[i] <= 'Z')
            d[i] = (char)(d[i] - 'A' + 'a');
    return d;
}

/* Splits text into parts; returns the count (0 when no reference). When
 * ctx is given, references into unknown namespaces are reported. */
static size_t split_vars(sema_ctx *ctx, src_span span, arena *a, const char *text, size_t len,
                         sema_part **parts_r)
{
    size_t n = 0, cap = 0, lit = 0, nrefs = 0;
    sema_part *parts = NULL;
    *parts_r = NULL;
    for (size_t i = 0; i + 1 < len; i++) {
        if (text[i] != '$' || text[i + 1] != '{')
            continue;
        var_ref r;
        if (!parse_var_ref(text, len, i, &r))
            continue;
        if (!a) {
            nrefs++;
            i = r.end - 1;
            continue;
        }
        if (n + 2 > cap) {
            size_t ncap = cap ? cap * 2 : 4;
            parts = arena_grow(a, parts, cap * sizeof *parts, ncap * sizeof *parts);
            cap = ncap;
        }
        if (i > lit)
            parts[n++] = (sema_part){ SEMA_PART_TEXT, text + lit, i - lit, 0 };
        if (r.match) {
            parts[n++] = (sema_part){ SEMA_PART_MATCH, NULL, 0, r.index };
            /* RFC 5229 6: indices beyond what is supported are a syntax
             * error, to be found at compile time. */
            if (ctx && r.index > SEMA_MAX_MATCH_INDEX)
                sema_error(ctx, span, "limit-exceeded",
                           "match variable '${%.*s}' is beyond the last supported one, ${%d}",
                           (int)r.name_len, r.name, SEMA_MAX_MATCH_INDEX);
        } else {
            if (ctx && r.name_len > SEMA_MAX_VARIABLE_NAME)
                sema_error(ctx, span, "limit-exceeded",
                           "variable name of %zu bytes is longer than the limit of %d",
                           r.name_len, SEMA_MAX_VARIABLE_NAME);
            const char *nm = lower_dup(a, r.name, r.name_len);
            parts[n++] = (sema_part){ SEMA_PART_VAR, nm, r.name_len, 0 };
            if (ctx && r.ncomp == 1)
                sema_var_use(ctx, nm, r.name_len);
            if (ctx && r.ncomp > 1) {
                /* RFC 5229 3: references to namespaces nobody required are
                 * errors. RFC 6609 defines "global". */
                size_t nslen = (size_t)(strchr(nm, '.') - nm);
                bool ok = nslen == 6 && strncmp(nm, "global", 6) == 0 && r.ncomp == 2 &&
                          sema_has_ext(ctx, REG_EXT_INCLUDE);
                /* vnd.dovecot.environment: ${env.NAME} reads item NAME. */
                if (nslen == 3 && strncmp(nm, "env", 3) == 0 &&
                    sema_has_ext(ctx, REG_EXT_VND_ENVIRONMENT)) {
                    ok = true;
                    sema_use_ext(ctx, REG_EXT_VND_ENVIRONMENT);
                }
                if (!ok && nslen == 6 && strncmp(nm, "global", 6) == 0 && r.ncomp > 2) {
                    sema_error(ctx, span, "invalid-namespace",
                               "variable '${%s}': global variables have no sub-namespaces", nm);
                } else if (!ok) {
                    sema_error(ctx, span, "invalid-namespace",
                               "variable '${%s}' refers to an unknown namespace '%.*s'",
                               nm, (int)nslen, nm);
                    if (nslen == 6 && strncmp(nm, "global", 6) == 0 && !sema_has_ext(ctx, REG_EXT_INCLUDE))
                        note_nowhere(ctx, "the \"global\" namespace needs require \"include\"");
                    if (nslen == 3 && strncmp(nm, "env", 3) == 0)
                        note_nowhere(ctx, "the \"env\" namespace needs require "
                                          "\"vnd.dovecot.environment\"");
                }
            }
        }
        nrefs++;
        lit = r.end;
        i = r.end - 1;
    }
    if (!a)
        return nrefs;
    if (n == 0)
        return 0;
    if (lit < len) {
        if (n + 1 > cap)
            parts = arena_grow(a, parts, cap * sizeof *parts, (cap + 1) * sizeof *parts);
        parts[n++] = (sema_part){ SEMA_PART_TEXT, text + lit, len - lit, 0 };
    }
    *parts_r = parts;
    return n;
}

size_t sema_split_variables(arena *a, const char *text, size_t len, sema_part **parts_r)
{
    sema_part *dummy;
    if (!a) {
        *(parts_r ? parts_r : &dummy) = NULL;
        return split_vars(NULL, src_span_make(0, 0), NULL, text, len, parts_r ? parts_r : &dummy);
    }
    return split_vars(NULL, src_span_make(0, 0), a, text, len, parts_r ? parts_r : &dummy);
}

bool sema_string_is_constant(sema_ctx *ctx, const ast_string *s)
{
    if (!sema_has_ext(ctx, REG_EXT_VARIABLES))
        return true;
    sema_part *p;
    return split_vars(NULL, s->span, NULL, s->text, s->len, &p) == 0;
}

/* ---- Encoded characters (RFC 5228 2.4.2.4) ------------------------------ */

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static size_t put_utf8(char *out, unsigned long cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes one "${hex:...}" or "${unicode:...}" at s[pos]. Returns the
 * offset after '}' and appends the bytes to out (which has room: encoded
 * forms are never shorter than what they decode to), or 0 when the
 * sequence does not match the grammar (then it stays literal). *bad_r
 * gets an out-of-range code point. */
static size_t decode_encoded(const char *s, size_t len, size_t pos, char *out, size_t *outlen,
                             unsigned long *bad_r, bool *bad)
{
    size_t i = pos + 2;
    bool unicode;
    if (len - i >= 4 && strncasecmp(s + i, "hex:", 4) == 0) {
        unicode = false;
        i += 4;
    } else if (len - i >= 8 && strncasecmp(s + i, "unicode:", 8) == 0) {
        unicode = true;
        i += 8;
    } else {
        return 0;
    }
    size_t o = *outlen, groups = 0;
    while (i < len && is_blank(s[i]))
        i++;
    for (;;) {
        if (i >= len)
            return 0;
        if (s[i] == '}')
            break;
        if (groups && !is_blank(s[i - 1]))
            return 0;   /* groups are separated by at least one blank */
        size_t nd = 0;
        unsigned long v = 0;
        while (i < len && rt_hexval(s[i]) >= 0) {
            if (v < 0x1000000)
                v = v * 16 + (unsigned long)rt_hexval(s[i]);
            nd++;
            i++;
        }
        if (nd == 0 || (!unicode && nd > 2))
            return 0;
        if (unicode) {
            if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
                if (!*bad) {
                    *bad = true;
                    *bad_r = v;
                }
            } else {
                o += put_utf8(out + o, v);
            }
        } else {
            out[o++] = (char)v;
        }
        groups++;
        while (i < len && is_blank(s[i]))
            i++;
    }
    if (!groups)
        return 0;
    *outlen = o;
    return i + 1;
}

static void resolve_encoded(sema_ctx *ctx, ast_string *str)
{
    if (!str->text || !memmem(str->text, str->len, "${", 2))
        return;
    char *out = arena_alloc(ctx->a, str->len + 1);
    size_t o = 0;
    bool changed = false;
    for (size_t i = 0; i < str->len;) {
        if (str->text[i] == '$' && i + 1 < str->len && str->text[i + 1] == '{') {
            unsigned long badv = 0;
            bool bad = false;
            size_t save = o;
            size_t end = decode_encoded(str->text, str->len, i, out, &o, &badv, &bad);
            if (end) {
                if (bad) {
                    /* RFC 5228 2.4.2.4: "It is an error for a script to use
                     * a hexadecimal value that isn't in either the range 0
                     * to D7FF or the range E000 to 10FFFF." */
                    sema_error(ctx, str->span, "invalid-encoded-character",
                               "'${unicode:...}' names U+%lX, which is not a Unicode scalar value",
                               badv);
                    note_nowhere(ctx, "allowed are 0 to D7FF and E000 to 10FFFF");
                }
                changed = true;
                i = end;
                continue;
            }
            o = save;
        }
        out[o++] = str->text[i++];
    }
    if (changed) {
        out[o] = '\0';
        str->text = out;
        str->len = o;
        sema_use_ext(ctx, REG_EXT_ENCODED_CHARACTER);
    }
}

/* ---- Addresses and header names ---------------------------------------- */

static bool is_atext(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

/* CFWS (RFC 5322 3.2.2): white space and nested comments. */
static size_t skip_cfws(const char *s, size_t len, size_t i)
{
    for (;;) {
        while (i < len && is_blank(s[i]))
            i++;
        if (i >= len || s[i] != '(')
            return i;
        int depth = 0;
        for (; i < len; i++) {
            if (s[i] == '\\') {
                i++;
                continue;
            }
            if (s[i] == '(')
                depth++;
            else if (s[i] == ')' && --depth == 0) {
                i++;
                break;
            }
        }
        if (depth)
            return len + 1;   /* unclosed comment: fail */
    }
}

/* addr-spec = local-part "@" domain (RFC 5322 3.4.1). The local part may
 * be obsolete (obs-local-part, 4.4: words and dots with CFWS between), as
 * Pigeonhole accepts "japanese.@example.com"; the domain is a dot-atom or
 * a domain literal. ASCII only, as in Pigeonhole. */
static bool addr_spec(const char *s, size_t len)
{
    size_t i = skip_cfws(s, len, 0), words = 0;
    bool after_word = false;   /* two words need a dot between them */
    while (i < len && s[i] != '@') {
        if (s[i] == '.') {
            i++;
            after_word = false;
            i = skip_cfws(s, len, i);
            if (i > len)
                return false;
            continue;
        }
        if (after_word)
            return false;
        after_word = true;
        if (s[i] == '"') {
            for (i++; i < len && s[i] != '"'; i++)
                if (s[i] == '\\')
                    i++;
            if (i >= len)
                return false;
            i++;
            words++;
        } else if (is_atext((unsigned char)s[i])) {
            while (i < len && is_atext((unsigned char)s[i]))
                i++;
            words++;
        } else {
            return false;
        }
        i = skip_cfws(s, len, i);
        if (i > len)
            return false;
    }
    if (!words || i >= len)
        return false;
    i = skip_cfws(s, len, i + 1);
    if (i >= len)
        return false;
    if (s[i] == '[') {
        for (i++; i < len && s[i] != ']'; i++)
            if (s[i] == '[' || s[i] == '\\')
                return false;
        if (i >= len)
            return false;
        i++;
    } else {
        for (;;) {
            size_t st = i;
            while (i < len && is_atext((unsigned char)s[i]))
                i++;
            if (i == st)
                return false;
            size_t j = skip_cfws(s, len, i);
            if (j < len && s[j] == '.') {
                i = skip_cfws(s, len, j + 1);
                if (i > len)
                    return false;
                continue;
            }
            break;
        }
    }
    i = skip_cfws(s, len, i);
    return i == len;
}

bool sema_is_addr_spec(const char *s, size_t len)
{
    while (len && is_blank(*s)) {
        s++;
        len--;
    }
    while (len && is_blank(s[len - 1]))
        len--;
    if (!len || memchr(s, '\0', len))
        return false;
    /* name-addr: [display-name] "<" addr-spec ">" (RFC 5322 3.4), which
     * Pigeonhole accepts as well. */
    if (s[len - 1] == '>') {
        const char *lt = memrchr(s, '<', len);
        if (!lt)
            return false;
        return addr_spec(lt + 1, (size_t)(s + len - 1 - (lt + 1)));
    }
    return addr_spec(s, len);
}

/* field-name = 1*ftext; ftext = %d33-57 / %d59-126 (RFC 5322 3.6.8). */
bool sema_is_header_name(const char *s, size_t len)
{
    if (!len)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 33 || c > 126 || c == ':')
            return false;
    }
    return true;
}

void sema_add_header_name(sema_ctx *ctx, const char *name, size_t len)
{
    sema_result *r = ctx->res;
    if (memchr(name, '\0', len) || !set_add(ctx, make_key("hdr", name, len, NULL)))
        return;
    if (r->nheader_names == ctx->header_cap) {
        size_t ncap = ctx->header_cap ? ctx->header_cap * 2 : 8;
        const char **n = realloc(r->header_names, ncap * sizeof *n);
        if (!n)
            return;
        r->header_names = n;
        ctx->header_cap = ncap;
    }
    r->header_names[r->nheader_names++] = lower_dup(ctx->a, name, len);
}

/* ---- Generic node checks ------------------------------------------------ */

/* Edit distance, capped: only small distances matter for "did you mean". */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    size_t prev[41], cur[41];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            char ca = (char)(a[i - 1] | 0x20), cb = (char)(b[j - 1] | 0x20);
            size_t sub = prev[j - 1] + (ca != cb);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb];
}

/* The known command/test name closest to a misspelt one, or NULL. */
static const char *closest_def(const char *name, reg_kind kind)
{
    const char *best = NULL;
    size_t bestd = 3;
    for (size_t i = 0, n = reg_def_count(); i < n; i++) {
        const reg_def *d = reg_def_at(i);
        size_t dist = d->kind == kind ? edit_distance(name, d->name) : 99;
        if (dist < bestd && dist < strlen(d->name) / 2 + 1) {
            bestd = dist;
            best = d->name;
        }
    }
    return best;
}

/* The tag of def closest to a misspelt one, or NULL. */
static const char *closest_tag(const reg_def *def, const char *name)
{
    const char *best = NULL;
    size_t bestd = 3;
    for (size_t s = 0; s < REG_MAX_TAGSETS && def->tagsets[s]; s++)
        for (const reg_tag *t = def->tagsets[s]; t->name; t++) {
            size_t dist = edit_distance(name, t->name);
            if (dist < bestd && dist < strlen(t->name) / 2 + 1) {
                bestd = dist;
                best = t->name;
            }
        }
    return best;
}

static const char *kind_word(reg_kind k) { return k == REG_COMMAND ? "command" : "test"; }

static const char *arg_kind_word(const ast_arg *a)
{
    switch (a->kind) {
    case AST_ARG_NUMBER: return "a number";
    case AST_ARG_STRING: return "a string";
    case AST_ARG_STRING_LIST: return "a string list";
    case AST_ARG_TAG: return "a tag";
    }
    return "?";
}

static bool arg_fits(const ast_arg *a, reg_type t)
{
    switch (t) {
    case REG_T_STRING: return a->kind == AST_ARG_STRING;
    case REG_T_STRING_LIST: return a->kind == AST_ARG_STRING || a->kind == AST_ARG_STRING_LIST;
    case REG_T_NUMBER: return a->kind == AST_ARG_NUMBER;
    case REG_T_NONE: return false;
    }
    return false;
}

/* Calls fn for every string of an argument. */
static void for_strings(ast_arg *a, void (*fn)(sema_ctx *, ast_string *), sema_ctx *ctx)
{
    if (a->kind == AST_ARG_STRING)
        fn(ctx, &a->u.string);
    else if (a->kind == AST_ARG_STRING_LIST)
        for (size_t i = 0; i < a->u.list.count; i++)
            fn(ctx, &a->u.list.items[i]);
}

static void missing_require(sema_ctx *ctx, src_span span, const char *what, const char *name,
                            reg_ext_id ext)
{
    const reg_ext *e = reg_ext_get(ext);
    if (!first_time(ctx, "req", what, name))
        return;
    sema_error(ctx, span, "missing-require", "unknown %s '%s'", what, name);
    sema_note(ctx, span, "'%s' needs require \"%s\"", name, e->name);
}

static void add_node_string(sema_ctx *ctx, sema_node *sn, ast_string *s)
{
    sema_part *parts;
    size_t n = split_vars(ctx, s->span, ctx->a, s->text, s->len, &parts);
    if (!n)
        return;
    /* sn->strs was sized for every string of the node (check_node). */
    sn->strs[sn->nstrs++] = (sema_str){ s, parts, n };
    ctx->res->uses_variables = true;
    sema_use_ext(ctx, REG_EXT_VARIABLES);
}

static void split_arg_strings(sema_ctx *ctx, sema_node *sn, const ast_arg *a)
{
    if (!a)
        return;
    if (a->kind == AST_ARG_STRING)
        add_node_string(ctx, sn, (ast_string *)&a->u.string);
    else if (a->kind == AST_ARG_STRING_LIST)
        for (size_t i = 0; i < a->u.list.count; i++)
            add_node_string(ctx, sn, &a->u.list.items[i]);
}

/* :regex keys: compile-check now, so a bad pattern is a compile error, and
 * refuse back-references, which the run-time engine (bounded, no
 * backtracking) does not have. */
static void check_regex(sema_ctx *ctx, const ast_string *s, bool icase)
{
    if (s->len > ctx->lim.max_regex_len) {
        sema_error(ctx, s->span, "limit-exceeded",
                   "regular expression of %zu bytes is longer than the limit of %zu (limit regex_len=%zu)",
                   s->len, ctx->lim.max_regex_len, ctx->lim.max_regex_len);
        return;
    }
    if (memchr(s->text, '\0', s->len)) {
        sema_error(ctx, s->span, "invalid-regex", "regular expression contains a NUL byte");
        return;
    }
    /* The engine that will run the pattern decides: a script that compiles
     * is a script whose patterns load. */
    char why[256];
    rt_regex *re = rt_regex_compile(s->text, s->len, icase ? RT_REGEX_ICASE : 0, why, sizeof why);
    if (!re) {
        sema_error(ctx, s->span, "invalid-regex", "%s", why);
        if (strstr(why, "back-reference"))
            note_nowhere(ctx, "the run-time regex engine has bounded cost and no back-references");
        return;
    }
    rt_regex_free(&re);
}

/* Fills sn->match from the tags and checks comparator/match-type rules
 * (RFC 5228 2.7, RFC 5231, regex draft). */
static void build_match(sema_ctx *ctx, ast_node *node, sema_node *sn)
{
    sema_match *m = &sn->match;
    const reg_def *def = sn->def;
    m->comparator = reg_comparator_get(REG_CMP_ASCII_CASEMAP);
    m->match_type = REG_MATCH_IS;
    m->addrpart = REG_AP_ALL;
    m->transform = REG_BT_TEXT;
    const sema_tagval *mt_tag = NULL, *cmp_tag = NULL;
    for (size_t i = 0; i < sn->ntags; i++) {
        const sema_tagval *tv = &sn->tags[i];
        switch (tv->tag->id) {
        case REG_TAG_COMPARATOR: {
            cmp_tag = tv;
            const ast_string *cs = &tv->param->u.string;
            const reg_comparator *c = reg_comparator_lookup(cs->text);
            if (!c) {
                sema_error(ctx, tv->param->span, "invalid-comparator", "unknown comparator '%s'",
                           cs->text);
                note_nowhere(ctx, "known comparators: i;octet, i;ascii-casemap, i;ascii-numeric, "
                                  "i;unicode-casemap");
                break;
            }
            if (c->ext != REG_EXT_CORE && !sema_has_ext(ctx, c->ext))
                missing_require(ctx, tv->param->span, "comparator", c->name, c->ext);
            sema_use_ext(ctx, c->ext);
            m->comparator = c;
            break;
        }
        case REG_TAG_IS: m->match_type = REG_MATCH_IS; mt_tag = tv; break;
        case REG_TAG_CONTAINS: m->match_type = REG_MATCH_CONTAINS; mt_tag = tv; break;
        case REG_TAG_MATCHES: m->match_type = REG_MATCH_MATCHES; mt_tag = tv; break;
        case REG_TAG_REGEX: m->match_type = REG_MATCH_REGEX; mt_tag = tv; break;
        case REG_TAG_LIST: m->match_type = REG_MATCH_LIST; mt_tag = tv; break;
        case REG_TAG_COUNT:
        case REG_TAG_VALUE: {
            m->match_type = tv->tag->id == REG_TAG_COUNT ? REG_MATCH_COUNT : REG_MATCH_VALUE;
            mt_tag = tv;
            m->relop_arg = tv->param;
            const ast_string *op = &tv->param->u.string;
            if (!sema_string_is_constant(ctx, op)) {
                sema_error(ctx, tv->param->span, "constant-required",
                           "the relational operator of ':%s' must be a constant string",
                           tv->tag->name);
                break;
            }
            /* An unknown operator was reported with the tags. */
            m->relop = reg_relop_parse(op->text, op->len);
            break;
        }
        case REG_TAG_ALL: m->addrpart = REG_AP_ALL; break;
        case REG_TAG_LOCALPART: m->addrpart = REG_AP_LOCALPART; break;
        case REG_TAG_DOMAIN: m->addrpart = REG_AP_DOMAIN; break;
        case REG_TAG_USER: m->addrpart = REG_AP_USER; break;
        case REG_TAG_DETAIL: m->addrpart = REG_AP_DETAIL; break;
        case REG_TAG_RAW: m->transform = REG_BT_RAW; break;
        case REG_TAG_TEXT: m->transform = REG_BT_TEXT; break;
        case REG_TAG_CONTENT: m->transform = REG_BT_CONTENT; m->content_types = tv->param; break;
        case REG_TAG_MIME: m->mime = true; break;
        case REG_TAG_ANYCHILD: m->anychild = true; break;
        case REG_TAG_TYPE: m->mime_opt = SEMA_MIME_TYPE; break;
        case REG_TAG_SUBTYPE: m->mime_opt = SEMA_MIME_SUBTYPE; break;
        case REG_TAG_CONTENTTYPE: m->mime_opt = SEMA_MIME_CONTENTTYPE; break;
        case REG_TAG_PARAM: m->mime_opt = SEMA_MIME_PARAM; m->mime_params = tv->param; break;
        case REG_TAG_INDEX:
            m->index = tv->param->u.number.value;
            if (m->index == 0) {
                /* RFC 5260 6: fields are counted from 1. Pigeonhole lets
                 * deleteheader :index 0 pass (it deletes nothing), so that
                 * is only a warning. */
                if (tv->tag->ext == REG_EXT_INDEX)
                    sema_error(ctx, tv->param->span, "invalid-value",
                               "':index' counts from 1; 0 names no header field");
                else
                    sema_warning(ctx, tv->param->span, "invalid-value",
                                 "':index' counts from 1; 0 names no header field");
            }
            break;
        case REG_TAG_LAST: m->last = true; break;
        default: break;
        }
    }
    if (!(def->flags & REG_F_MATCH))
        return;
    sn->has_match = true;
    /* A require of "comparator-i;octet" / "comparator-i;ascii-casemap"
     * (always available) counts as used when the comparator is used, the
     * default one included, so lint does not call the require unused. */
    if (m->comparator && m->comparator->id == REG_CMP_OCTET)
        sema_use_ext(ctx, REG_EXT_COMPARATOR_OCTET);
    if (m->comparator && m->comparator->id == REG_CMP_ASCII_CASEMAP)
        sema_use_ext(ctx, REG_EXT_COMPARATOR_ASCII_CASEMAP);
    /* RFC 5228 2.7.3: a comparator that lacks what the match type needs is
     * an error. */
    unsigned need = reg_match_needs(m->match_type);
    /* draft-ietf-sieve-regex 3: :regex works with i;octet and
     * i;ascii-casemap only. */
    bool regex_cmp_ok = m->match_type != REG_MATCH_REGEX || !m->comparator ||
                        m->comparator->id == REG_CMP_OCTET ||
                        m->comparator->id == REG_CMP_ASCII_CASEMAP;
    if (m->comparator && ((need && !(m->comparator->caps & need)) || !regex_cmp_ok)) {
        src_span sp = mt_tag ? mt_tag->arg->span : cmp_tag ? cmp_tag->param->span : node->name_span;
        sema_error(ctx, sp, "comparator-match-type",
                   "comparator '%s' cannot be used with ':%s'", m->comparator->name,
                   mt_tag ? mt_tag->tag->name : "is");
        if (!regex_cmp_ok && (m->comparator->caps & need))
            note_nowhere(ctx, "':regex' works with \"i;octet\" and \"i;ascii-casemap\" only");
        else
            note_nowhere(ctx, "'%s' has no %s operation (RFC 4790)", m->comparator->name,
                         need == REG_CMP_SUBSTRING ? "substring" : need == REG_CMP_ORDERING ? "ordering" : "equality");
    }
    /* Keys are the last positional argument. */
    const ast_arg *keys = sn->npos ? sn->pos[sn->npos - 1] : NULL;
    /* RFC 6134 2.3: with :list the keys name lists. */
    if (keys && m->match_type == REG_MATCH_LIST)
        ext_extlists_check_names(ctx, keys);
    if (keys && m->match_type == REG_MATCH_REGEX) {
        bool icase = m->comparator && m->comparator->id != REG_CMP_OCTET;
        const ast_string *items = keys->kind == AST_ARG_STRING ? &keys->u.string : keys->u.list.items;
        size_t n = keys->kind == AST_ARG_STRING ? 1 : keys->u.list.count;
        for (size_t i = 0; i < n; i++)
            if (sema_string_is_constant(ctx, &items[i]))
                check_regex(ctx, &items[i], icase);
    }
}

static bool is_if_like(const ast_node *n)
{
    return n && n->name && (ast_name_eq(n->name, "if") || ast_name_eq(n->name, "elsif"));
}

static void check_block(sema_ctx *ctx, ast_block *blk, size_t depth);
static void check_node(sema_ctx *ctx, ast_node *node, reg_kind kind, const ast_node *prev,
                       size_t depth);
static void check_node_block(sema_ctx *ctx, ast_node *node, size_t depth);

static void push_parent(sema_ctx *ctx, const ast_node *n)
{
    if (ctx->nparents < MAX_STACK)
        ctx->parents[ctx->nparents] = n;
    ctx->nparents++;
}

static void pop_parent(sema_ctx *ctx)
{
    ctx->nparents--;
}

static void check_children(sema_ctx *ctx, ast_node *node, size_t depth, bool skip_tests)
{
    push_parent(ctx, node);
    for (size_t i = 0; i < (skip_tests ? 0 : node->ntests); i++)
        if (node->tests[i])
            check_node(ctx, node->tests[i], REG_TEST, NULL, depth + 1);
    if (node->block)
        check_node_block(ctx, node, depth);
    pop_parent(ctx);
}

static void check_node_block(sema_ctx *ctx, ast_node *node, size_t depth)
{
    /* RFC 5463 4: inside `if ihave "x"`, x may be used even though it was
     * not required; when x is unknown the block is not checked at all. */
    reg_ext_mask saved = ctx->avail;
    bool dead = false;
    if (node->def && (node->def->flags & (REG_F_IF | REG_F_ELSIF)) && node->ntests == 1 &&
        !node->test_list && node->tests[0] && node->tests[0]->def &&
        node->tests[0]->def->id == REG_DEF_IHAVE && node->tests[0]->sema &&
        node->tests[0]->sema->pos && node->tests[0]->sema->npos > 0 &&
        node->tests[0]->sema->pos[0]) {
        /* (pos[0] is NULL when the ihave test itself had bad arguments,
         * which were reported already) */
        const ast_arg *caps = node->tests[0]->sema->pos[0];
        const ast_string *items = caps->kind == AST_ARG_STRING ? &caps->u.string : caps->u.list.items;
        size_t n = caps->kind == AST_ARG_STRING ? 1 : caps->u.list.count;
        for (size_t i = 0; i < n; i++) {
            const reg_ext *e = reg_ext_lookup(items[i].text);
            if (!e || e->deprecated)
                dead = true;
            else
                ctx->avail = reg_ext_closure(ctx->avail | BIT(e->id));
        }
    }
    if (dead) {
        if (node->sema)
            node->sema->dead_block = true;
    } else {
        bool loop = node->def && node->def->id == REG_DEF_FOREVERYPART && ctx->nloops < MAX_STACK;
        if (loop)
            ctx->loops[ctx->nloops++] = node;
        if (depth + 1 > ctx->lim.max_nesting && ctx->lim.max_nesting) {
            sema_error(ctx, node->block->span, "limit-exceeded",
                       "blocks nested deeper than the limit of %zu", ctx->lim.max_nesting);
        } else {
            check_block(ctx, node->block, depth + 1);
        }
        if (loop)
            ctx->nloops--;
    }
    ctx->avail = saved | ctx->ihave_avail;
}

static void check_node(sema_ctx *ctx, ast_node *node, reg_kind kind, const ast_node *prev,
                       size_t depth)
{
    if (!node->name)
        return;   /* a partial tree after syntax errors (lint checks those too) */
    if (kind == REG_COMMAND)
        ctx->res->ncommands++;
    else
        ctx->res->ntests++;
    if (ctx->lim.max_nesting && depth > ctx->lim.max_nesting) {
        sema_error(ctx, node->name_span, "limit-exceeded",
                   "tests and blocks nested deeper than the limit of %zu", ctx->lim.max_nesting);
        return;
    }

    const reg_def *def = reg_def_lookup(kind, node->name);
    if (!def) {
        const reg_def *other = reg_def_lookup(kind == REG_COMMAND ? REG_TEST : REG_COMMAND, node->name);
        if (other) {
            sema_error(ctx, node->name_span, kind == REG_COMMAND ? "not-a-command" : "not-a-test",
                       "'%s' is a %s, not a %s", node->name, kind_word(other->kind), kind_word(kind));
            if (kind == REG_COMMAND)
                sema_note(ctx, node->name_span, "tests go after 'if', 'elsif', 'not', 'allof' or 'anyof'");
        } else if (first_time(ctx, kind_word(kind), node->name, NULL)) {
            sema_error(ctx, node->name_span, kind == REG_COMMAND ? "unknown-command" : "unknown-test",
                       "unknown %s '%s'", kind_word(kind), node->name);
            const char *near = closest_def(node->name, kind);
            if (near)
                sema_note(ctx, node->name_span, "did you mean '%s'?", near);
            note_nowhere(ctx, "reported once, at its first use");
        }
        check_children(ctx, node, depth, false);
        return;
    }
    size_t errors_before = ctx->errors;
    bool skip_tests = false;
    ctx->cur = node;

    /* RFC 5228 3.2: require only at the start of the script. */
    if (def->flags & REG_F_REQUIRE) {
        if (ctx->nparents || ctx->seen_other)
            sema_error(ctx, node->name_span, "require-not-first",
                       "'require' must come before all other commands, at the top level");
    }
    if (def->flags & (REG_F_ELSIF | REG_F_ELSE)) {
        if (!is_if_like(prev)) {
            sema_error(ctx, node->name_span, "else-without-if",
                       "'%s' without a preceding 'if' or 'elsif'", def->name);
        }
    }
    if (def->ext != REG_EXT_CORE && !sema_has_ext(ctx, def->ext))
        missing_require(ctx, node->name_span, kind_word(kind), def->name, def->ext);
    sema_use_ext(ctx, def->ext);

    sema_node *sn = arena_calloc(ctx->a, 1, sizeof *sn);
    sn->def = def;
    sn->loop = sema_find_loop(ctx, NULL);
    node->def = def;
    node->sema = sn;

    if (sema_has_ext(ctx, REG_EXT_ENCODED_CHARACTER) && def->id != REG_DEF_REQUIRE) {
        for (size_t i = 0; i < node->nargs; i++)
            for_strings(&node->args[i], resolve_encoded, ctx);
    }

    /* Tags first, then positional arguments (RFC 5228 2.6.2 / 8.2). */
    const ast_arg **pos = arena_calloc(ctx->a, node->nargs + 1, sizeof *pos);
    size_t npos = 0;
    sn->tags = arena_calloc(ctx->a, node->nargs + 1, sizeof *sn->tags);
    bool args_ok = true;
    for (size_t i = 0; i < node->nargs; i++) {
        const ast_arg *a = &node->args[i];
        if (a->kind != AST_ARG_TAG) {
            pos[npos++] = a;
            continue;
        }
        const char *tname = a->u.tag.name;
        const reg_tag *t = reg_def_find_tag(def, tname);
        if (npos && t) {
            sema_error(ctx, a->span, "tag-order",
                       "tag ':%s' comes after a positional argument of '%s'", tname, def->name);
            sema_note(ctx, pos[0]->span, "tags must come before this argument");
            args_ok = false;
        }
        if (!t) {
            args_ok = false;
            if (first_time(ctx, "tag", def->name, tname)) {
                if (reg_tag_known(tname))
                    sema_error(ctx, a->span, "unknown-tag", "':%s' is not a valid tag for '%s'",
                               tname, def->name);
                else
                    sema_error(ctx, a->span, "unknown-tag", "unknown tag ':%s' for '%s'", tname,
                               def->name);
                const char *near = closest_tag(def, tname);
                if (near)
                    sema_note(ctx, a->span, "did you mean ':%s'?", near);
            }
            continue;
        }
        if (t->ext != REG_EXT_CORE && !sema_has_ext(ctx, t->ext)) {
            char buf[64];
            snprintf(buf, sizeof buf, ":%s", t->name);
            missing_require(ctx, a->span, "tag", buf, t->ext);
        }
        sema_use_ext(ctx, t->ext);
        for (size_t k = 0; k < sn->ntags; k++) {
            const sema_tagval *o = &sn->tags[k];
            if (o->tag->id == t->id) {
                sema_error(ctx, a->span, "duplicate-tag", "':%s' given twice", t->name);
                sema_note(ctx, o->arg->span, "first given here");
                args_ok = false;
                break;
            }
            if (t->group != REG_G_NONE && o->tag->group == t->group) {
                if (t->group >= REG_G_MOD_40)
                    sema_error(ctx, a->span, "conflicting-tags",
                               "modifiers ':%s' and ':%s' have the same precedence", o->tag->name,
                               t->name);
                else
                    sema_error(ctx, a->span, "conflicting-tags",
                               "':%s' and ':%s' exclude each other (both set the %s)",
                               o->tag->name, t->name, reg_tag_group_name(t->group));
                sema_note(ctx, o->arg->span, "':%s' given here", o->tag->name);
                args_ok = false;
                break;
            }
        }
        sema_tagval tv = { t, a, NULL };
        if (t->param != REG_T_NONE) {
            if (i + 1 >= node->nargs || node->args[i + 1].kind == AST_ARG_TAG) {
                sema_error(ctx, a->span, "missing-argument", "':%s' needs a %s argument", t->name,
                           reg_type_name(t->param));
                args_ok = false;
                continue;
            }
            const ast_arg *p = &node->args[++i];
            if (!arg_fits(p, t->param)) {
                sema_error(ctx, p->span, "argument-type", "':%s' needs a %s, not %s", t->name,
                           reg_type_name(t->param), arg_kind_word(p));
                args_ok = false;
                continue;
            }
            tv.param = p;
            /* Checked here, before the positional arguments, because a
             * forgotten operator makes ':value' swallow the next string:
             * naming that string as the bad operator is the useful error. */
            if ((t->id == REG_TAG_COUNT || t->id == REG_TAG_VALUE) &&
                sema_string_is_constant(ctx, &p->u.string) &&
                reg_relop_parse(p->u.string.text, p->u.string.len) == REG_REL_NONE) {
                sema_error(ctx, p->span, "invalid-relational-operator",
                           "invalid relational operator \"%s\" for ':%s'", p->u.string.text, t->name);
                note_nowhere(ctx, "use one of \"gt\", \"ge\", \"lt\", \"le\", \"eq\", \"ne\" (RFC 5231 5)");
            }
        }
        sn->tags[sn->ntags++] = tv;
    }

    /* Positional arguments against the signature. */
    size_t nreq = 0;
    for (size_t k = 0; k < def->nparams; k++)
        nreq += !def->params[k].optional;
    sn->pos = arena_calloc(ctx->a, def->nparams + 1, sizeof *sn->pos);
    sn->npos = def->nparams;
    if (npos > def->nparams) {
        if (args_ok)
            sema_error(ctx, pos[def->nparams]->span, "too-many-arguments",
                       def->nparams ? "too many arguments for '%s' (it takes %zu)"
                                    : "'%s' takes no positional arguments",
                       def->name, def->nparams);
        args_ok = false;
    } else if (npos < nreq) {
        if (args_ok) {
            const reg_param *missing = NULL;
            size_t absent = def->nparams - npos, k2 = 0;
            for (size_t k = 0; k < def->nparams; k++) {
                if (def->params[k].optional && absent) {
                    absent--;
                    continue;
                }
                if (k2++ == npos) {
                    missing = &def->params[k];
                    break;
                }
            }
            src_span sp = npos ? pos[npos - 1]->span : node->name_span;
            sema_error(ctx, sp, "missing-argument", "'%s' is missing its %s argument (a %s)",
                       def->name, missing ? missing->name : "last",
                       missing ? reg_type_name(missing->type) : "value");
        }
        args_ok = false;
    } else {
        size_t absent = def->nparams - npos, j = 0;
        for (size_t k = 0; k < def->nparams; k++) {
            if (def->params[k].optional && absent) {
                absent--;
                continue;
            }
            const ast_arg *a = pos[j++];
            if (!arg_fits(a, def->params[k].type)) {
                sema_error(ctx, a->span, "argument-type",
                           "the %s argument of '%s' must be a %s, not %s", def->params[k].name,
                           def->name, reg_type_name(def->params[k].type), arg_kind_word(a));
                args_ok = false;
            }
            sn->pos[k] = a;
        }
    }

    /* Tags that only make sense with another one (":last" with ":index"). */
    for (size_t k = 0; k < sn->ntags; k++) {
        const reg_tag *t = sn->tags[k].tag;
        if (t->needs != REG_TAG_NONE && !sema_node_tag(sn, t->needs)) {
            const char *need = "?";
            for (size_t s = 0; s < REG_MAX_TAGSETS && def->tagsets[s]; s++)
                for (const reg_tag *x = def->tagsets[s]; x->name; x++)
                    if (x->id == t->needs)
                        need = x->name;
            sema_error(ctx, sn->tags[k].arg->span, "tag-needs-tag", "':%s' needs ':%s' as well",
                       t->name, need);
            args_ok = false;
        }
    }

    /* Tests and test lists (RFC 5228 3.1, 5.2, 5.3, 5.8). */
    switch (def->sub) {
    case REG_SUB_NONE:
        if (node->ntests && !node->test_list && node->tests[0] &&
            !reg_def_lookup(REG_TEST, node->tests[0]->name) &&
            reg_def_lookup(REG_COMMAND, node->tests[0]->name)) {
            /* `reject "x" stop;` parses as reject with the test `stop`:
             * what is missing is a ';'. Report that, and do not check the
             * "test" (it would only add "not a test"). */
            if (def->id == REG_DEF_ELSE && ast_name_eq(node->tests[0]->name, "if"))
                sema_error(ctx, node->tests[0]->name_span, "test-not-allowed",
                           "'else' takes no test; write 'elsif' instead of 'else if'");
            else
                sema_error(ctx, node->tests[0]->name_span, "test-not-allowed",
                           "'%s' takes no test; is a ';' missing before '%s'?", def->name,
                           node->tests[0]->name);
            skip_tests = true;
        } else if (node->ntests || node->test_list) {
            sema_error(ctx, node->test_list ? node->test_list_span : node->tests[0]->span,
                       "test-not-allowed", "'%s' takes no test", def->name);
        }
        break;
    case REG_SUB_TEST:
        if (node->test_list) {
            sema_error(ctx, node->test_list_span, "test-list-not-allowed",
                       "'%s' takes one test, not a test list", def->name);
            if (node->ntests == 1)
                sema_note(ctx, node->test_list_span,
                          "parentheses make a test list (for allof/anyof); drop them: "
                          "write '%s %s ...'", def->name,
                          node->tests[0] ? node->tests[0]->name : "test");
            else
                sema_note(ctx, node->test_list_span,
                          "to combine tests use 'allof (...)' or 'anyof (...)'");
        } else if (node->ntests == 0) {
            sema_error(ctx, node->name_span, "test-required", "'%s' needs a test", def->name);
        }
        break;
    case REG_SUB_TEST_LIST:
        if (!node->test_list) {
            sema_error(ctx, node->ntests ? node->tests[0]->span : node->name_span,
                       "test-list-required", "'%s' needs a parenthesised list of tests",
                       def->name);
            sema_note(ctx, node->name_span, "write '%s (test1, test2)'", def->name);
        }
        break;
    }
    if (kind == REG_COMMAND) {
        if ((def->flags & REG_F_BLOCK) && !node->block)
            sema_error(ctx, node->span, "block-required", "'%s' needs a block '{ ... }'",
                       def->name);
        else if (!(def->flags & REG_F_BLOCK) && node->block)
            sema_error(ctx, node->block->span, "block-not-allowed", "'%s' takes no block",
                       def->name);
    }

    if (args_ok) {
        build_match(ctx, node, sn);
        if (sema_has_ext(ctx, REG_EXT_VARIABLES) && def->id != REG_DEF_REQUIRE) {
            size_t nstrings = 0;
            for (size_t k = 0; k < node->nargs; k++)
                nstrings += node->args[k].kind == AST_ARG_STRING ? 1
                            : node->args[k].kind == AST_ARG_STRING_LIST ? node->args[k].u.list.count
                            : 0;
            sn->strs = arena_calloc(ctx->a, nstrings + 1, sizeof *sn->strs);
            for (size_t k = 0; k < sn->npos; k++) {
                /* set's name and global's names are names, not values. */
                if (k == 0 && (def->id == REG_DEF_SET || def->id == REG_DEF_GLOBAL ||
                               def->id == REG_DEF_EXTRACTTEXT))
                    continue;
                split_arg_strings(ctx, sn, sn->pos[k]);
            }
            for (size_t k = 0; k < sn->ntags; k++)
                if (sn->tags[k].tag->id != REG_TAG_COMPARATOR)
                    split_arg_strings(ctx, sn, sn->tags[k].param);
        }
        if (def->flags & REG_F_READS_HEADERS)
            ctx->res->reads_headers = true;
        if (def->flags & REG_F_READS_ENVELOPE)
            ctx->res->reads_envelope = true;
        if (def->flags & REG_F_READS_BODY)
            ctx->res->reads_body = true;
        /* RFC 5703 4.1: :anychild reads the headers of the body's parts. */
        if (sema_node_tag(sn, REG_TAG_ANYCHILD))
            ctx->res->reads_body = true;
        if ((def->flags & REG_F_HEADER_LIST) && sn->pos[0]) {
            const ast_arg *h = sn->pos[0];
            const ast_string *items = h->kind == AST_ARG_STRING ? &h->u.string : h->u.list.items;
            size_t n = h->kind == AST_ARG_STRING ? 1 : h->u.list.count;
            for (size_t k = 0; k < n; k++) {
                if (!sema_string_is_constant(ctx, &items[k])) {
                    ctx->res->headers_dynamic = true;
                    continue;
                }
                if (!sema_is_header_name(items[k].text, items[k].len)) {
                    /* Pigeonhole warns and the test never matches. */
                    sema_warning(ctx, items[k].span, "invalid-header-name",
                                 "'%s' is not a valid header field name", items[k].text);
                    continue;
                }
                sema_add_header_name(ctx, items[k].text, items[k].len);
            }
        }
        if (def->check && ctx->errors == errors_before)
            def->check(ctx, node);
        if (def->id == REG_DEF_IHAVE && sn->pos[0]) {
            const ast_arg *caps = sn->pos[0];
            const ast_string *items = caps->kind == AST_ARG_STRING ? &caps->u.string : caps->u.list.items;
            size_t n = caps->kind == AST_ARG_STRING ? 1 : caps->u.list.count;
            for (size_t k = 0; k < n; k++) {
                const reg_ext *e = reg_ext_lookup(items[k].text);
                if (e && !e->deprecated)
                    ctx->ihave_avail |= reg_ext_closure(BIT(e->id));
            }
            ctx->avail |= ctx->ihave_avail;
        }
    }
    check_children(ctx, node, depth, skip_tests);
}

static void check_block(sema_ctx *ctx, ast_block *blk, size_t depth)
{
    const ast_node *prev = NULL;
    for (size_t i = 0; i < blk->count; i++) {
        ast_node *n = blk->cmds[i];
        if (!n)
            continue;
        check_node(ctx, n, REG_COMMAND, prev, depth);
        if (n->name && !ast_name_eq(n->name, "require"))
            ctx->seen_other = true;
        prev = n;
    }
}

/* ---- Entry points -------------------------------------------------------- */

static void collect_requires(sema_ctx *ctx)
{
    /* All top-level requires make their extensions available, even a
     * misplaced one (which is an error of its own), so one error does not
     * cascade into "unknown command" everywhere. */
    for (size_t i = 0; i < ctx->script->top.count; i++) {
        ast_node *n = ctx->script->top.cmds[i];
        if (!n || !n->name || !ast_name_eq(n->name, "require") || n->nargs != 1)
            continue;
        const ast_arg *a = &n->args[0];
        if (a->kind != AST_ARG_STRING && a->kind != AST_ARG_STRING_LIST)
            continue;
        const ast_string *items = a->kind == AST_ARG_STRING ? &a->u.string : a->u.list.items;
        size_t cnt = a->kind == AST_ARG_STRING ? 1 : a->u.list.count;
        for (size_t k = 0; k < cnt; k++) {
            const reg_ext *e = reg_ext_lookup(items[k].text);
            if (!e || e->deprecated || memchr(items[k].text, '\0', items[k].len))
                continue;
            if (!ctx->res->require_explicit[e->id]) {
                ctx->res->require_explicit[e->id] = true;
                ctx->res->require_span[e->id] = items[k].span;
            }
            ctx->res->required |= BIT(e->id);
        }
    }
    ctx->res->required = reg_ext_closure(ctx->res->required);
    ctx->avail = ctx->res->required | BIT(REG_EXT_CORE) |
                 BIT(REG_EXT_COMPARATOR_OCTET) | BIT(REG_EXT_COMPARATOR_ASCII_CASEMAP);
}

size_t sema_check(ast_script *script, const sieve_limits *lim, diag_sink *diag,
                  sema_result **result_r)
{
    sema_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.script = script;
    ctx.src = script->src;
    ctx.diag = diag;
    ctx.a = script->arena;
    if (lim)
        ctx.lim = *lim;
    else
        sieve_limits_default(&ctx.lim);
    ctx.res = calloc(1, sizeof *ctx.res);
    if (!ctx.res) {
        fputs("sievec: out of memory\n", stderr);
        abort();
    }
    collect_requires(&ctx);
    check_block(&ctx, &script->top, 0);
    ctx.res->used &= ~BIT(REG_EXT_CORE);
    for (size_t i = 0; i < ctx.caponce; i++)
        free(ctx.once[i]);
    free(ctx.once);
    if (result_r)
        *result_r = ctx.res;
    else
        sema_result_free(&ctx.res);
    return ctx.errors;
}

void sema_result_free(sema_result **result_r)
{
    if (!result_r || !*result_r)
        return;
    free((*result_r)->header_names);
    free(*result_r);
    *result_r = NULL;
}

/* ---- Lint API ------------------------------------------------------------ */

static bool walk_node(const ast_node *n, const ast_node *parent, unsigned depth,
                      sema_visit_fn *visit, void *vctx);

static bool walk_block(const ast_block *b, const ast_node *parent, unsigned depth,
                       sema_visit_fn *visit, void *vctx)
{
    for (size_t i = 0; i < b->count; i++)
        if (b->cmds[i] && !walk_node(b->cmds[i], parent, depth, visit, vctx))
            return false;
    return true;
}

static bool walk_node(const ast_node *n, const ast_node *parent, unsigned depth,
                      sema_visit_fn *visit, void *vctx)
{
    if (!visit(n, parent, depth, vctx))
        return false;
    for (size_t i = 0; i < n->ntests; i++)
        if (n->tests[i] && !walk_node(n->tests[i], n, depth + 1, visit, vctx))
            return false;
    if (n->block && !walk_block(n->block, n, depth + 1, visit, vctx))
        return false;
    return true;
}

bool sema_walk(const ast_script *script, sema_visit_fn *visit, void *vctx)
{
    return walk_block(&script->top, NULL, 0, visit, vctx);
}

bool sema_ext_required(const sema_result *res, reg_ext_id ext, src_span *span_r)
{
    if (!res || (unsigned)ext >= REG_EXT__COUNT || !res->require_explicit[ext])
        return false;
    if (span_r)
        *span_r = res->require_span[ext];
    return true;
}

bool sema_ext_used(const sema_result *res, reg_ext_id ext)
{
    return res && (unsigned)ext < REG_EXT__COUNT && (res->used & BIT(ext));
}
