/* lint: the warning checks. Three passes over the checked tree: the
 * require list against what the script uses, a per-node pass for checks
 * that look at one test or command, and a flow pass over blocks for
 * reachability, size ranges and the actions each path performs. Findings
 * are collected, sorted by position and reported at the end, so the output
 * follows the source whatever pass found them. */
#define _GNU_SOURCE 1  /* asprintf, strncasecmp */
#include "lint.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse.h"

/* ---- The published list --------------------------------------------- */

enum lint_kind {
    W_UNUSED_REQUIRE,
    W_CODE_AFTER_STOP,
    W_UNREACHABLE_BRANCH,
    W_MATCHES_WITHOUT_WILDCARDS,
    W_CONTAINS_EMPTY,
    W_ASCII_NUMERIC_NON_DIGIT,
    W_INVALID_HEADER_NAME,
    W_IMPOSSIBLE_SIZE,
    W_DUPLICATE_ACTION,
    W_CONFLICTING_ACTIONS,
    W_DEPRECATED_EXTENSION,
    W_VACATION_WITHOUT_DAYS,
};

static const lint_warning_info warnings[] = {
    { "unused-require", "an extension in require that nothing uses", false },
    { "code-after-stop", "commands after stop/return/error/break (never run)", false },
    { "unreachable-branch", "a branch that never runs (repeated or constant test)", false },
    { "matches-without-wildcards", ":matches key without * or ? (:is says the same)", false },
    { "contains-empty", ":contains \"\" (true for every value)", false },
    { "ascii-numeric-non-digit", "i;ascii-numeric on values that may not be numbers", false },
    { "invalid-header-name", "a name that cannot be a header field (RFC 5322)", false },
    { "impossible-size", "a size test that is always false or always true", false },
    { "duplicate-action", "the same action twice on one path", false },
    { "conflicting-actions", "reject with keep/fileinto/redirect/vacation", false },
    { "deprecated-extension", "require of an obsolete draft (imapflags, notify)", false },
    { "vacation-without-days", "vacation without :days or :seconds", false },
    /* Reported by the checker; listed so -W/-Wno- can name them. */
    { "protected-header", "editheader on a header scripts may not change", true },
    { "invalid-date-part", "an unknown date part name", true },
    { "invalid-zone", "a :zone that is not a time zone offset", true },
    { "invalid-value", "a value that does nothing (deleteheader :index 0)", true },
};
#define NWARNINGS (sizeof warnings / sizeof warnings[0])
_Static_assert(NWARNINGS <= 64, "lint_config has 64 bits");

size_t lint_warning_count(void) { return NWARNINGS; }

const lint_warning_info *lint_warning_at(size_t i)
{
    return i < NWARNINGS ? &warnings[i] : NULL;
}

static int warning_index(const char *id)
{
    if (!id)
        return -1;
    for (size_t i = 0; i < NWARNINGS; i++)
        if (strcmp(warnings[i].id, id) == 0)
            return (int)i;
    return -1;
}

const lint_warning_info *lint_warning_find(const char *id)
{
    int i = warning_index(id);
    return i < 0 ? NULL : &warnings[i];
}

void lint_config_default(lint_config *cfg) { cfg->disabled = 0; }

bool lint_config_set(lint_config *cfg, const char *id, bool on)
{
    int i = warning_index(id);
    if (i < 0)
        return false;
    if (on)
        cfg->disabled &= ~((uint64_t)1 << i);
    else
        cfg->disabled |= (uint64_t)1 << i;
    return true;
}

void lint_config_set_all(lint_config *cfg, bool on)
{
    cfg->disabled = on ? 0 : ~(uint64_t)0;
}

bool lint_config_enabled(const lint_config *cfg, const char *id)
{
    int i = warning_index(id);
    return i < 0 || !(cfg->disabled & ((uint64_t)1 << i));
}

bool lint_warning_filter(const char *id, void *cfg)
{
    return lint_config_enabled(cfg, id);
}

/* ---- Findings -------------------------------------------------------- */

#define MAX_NOTES 3

typedef struct finding {
    enum lint_kind kind;
    src_span span;
    char *message;
    struct {
        bool located;
        src_span span;
        char *message;
    } notes[MAX_NOTES];
    size_t nnotes;
    size_t seq;                /* keeps equal positions in report order */
} finding;

typedef struct lint_ctx {
    const ast_script *script;
    const source *src;
    const sema_result *res;
    diag_sink *diag;
    finding *f;
    size_t nf, capf;
    reg_ext_mask used;         /* extensions in use, lint's own view */
    bool encoded_seen;         /* some string spells ${hex:...} or ${unicode:...} */
    /* Rejects already named in a conflicting-actions warning: one warning
     * per reject is enough to make the point. */
    const ast_node **rejects;
    size_t nrejects, caprejects;
} lint_ctx;

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("sieve-lint: out of memory\n", stderr);
        abort();
    }
    return q;
}


static finding *warn(lint_ctx *c, enum lint_kind kind, src_span span, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static finding *warn(lint_ctx *c, enum lint_kind kind, src_span span, const char *fmt, ...)
{
    if (c->nf == c->capf) {
        c->capf = c->capf ? 2 * c->capf : 16;
        c->f = xrealloc(c->f, c->capf * sizeof *c->f);
    }
    finding *f = &c->f[c->nf];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->span = span;
    f->seq = c->nf++;
    va_list ap;
    va_start(ap, fmt);
    f->message = diag_vformat(fmt, ap);
    va_end(ap);
    return f;
}

/* A note on the last finding; located == false for a hint without place. */
static void note(lint_ctx *c, bool located, src_span span, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void note(lint_ctx *c, bool located, src_span span, const char *fmt, ...)
{
    finding *f = &c->f[c->nf - 1];
    if (f->nnotes == MAX_NOTES)
        return;
    va_list ap;
    va_start(ap, fmt);
    f->notes[f->nnotes].message = diag_vformat(fmt, ap);
    va_end(ap);
    f->notes[f->nnotes].located = located;
    f->notes[f->nnotes].span = span;
    f->nnotes++;
}

static int finding_cmp(const void *a, const void *b)
{
    const finding *x = a, *y = b;
    if (x->span.start != y->span.start)
        return x->span.start < y->span.start ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Whether the sink already holds this ID at this place (the checker said it). */
static bool already_reported(const diag_sink *d, const char *id, src_span span)
{
    for (size_t i = 0; i < diag_count(d); i++) {
        const diag_record *r = diag_get(d, i);
        if (r->id && strcmp(r->id, id) == 0 && r->span.start == span.start)
            return true;
    }
    return false;
}

static size_t flush(lint_ctx *c)
{
    size_t n = 0;
    if (c->nf)
        qsort(c->f, c->nf, sizeof *c->f, finding_cmp);
    for (size_t i = 0; i < c->nf; i++) {
        finding *f = &c->f[i];
        const char *id = warnings[f->kind].id;
        if (!already_reported(c->diag, id, f->span)) {
            diag_warning(c->diag, c->src, f->span, id, "%s", f->message);
            for (size_t k = 0; k < f->nnotes; k++)
                diag_note(c->diag, f->notes[k].located ? c->src : NULL, f->notes[k].span, "%s",
                          f->notes[k].message);
            n++;
        }
        free(f->message);
        for (size_t k = 0; k < f->nnotes; k++)
            free(f->notes[k].message);
    }
    free(c->f);
    c->f = NULL;
    c->nf = c->capf = 0;
    return n;
}

/* ---- Small helpers over the tree ------------------------------------- */

static const ast_string *items_of(const ast_arg *a, size_t *n_r)
{
    *n_r = 0;
    if (!a)
        return NULL;
    if (a->kind == AST_ARG_STRING) {
        *n_r = 1;
        return &a->u.string;
    }
    if (a->kind == AST_ARG_STRING_LIST) {
        *n_r = a->u.list.count;
        return a->u.list.items;
    }
    return NULL;
}

/* Partial trees (after syntax errors) may hold nameless nodes. */
static const char *name_of(const ast_node *n)
{
    return n->name ? n->name : "command";
}

static bool is_def(const ast_node *n, reg_def_id id)
{
    return n && n->def && n->def->id == id;
}

/* A string whose value is known now (no variable reference in it). */
static bool is_constant(const ast_node *n, const ast_string *s)
{
    return !n->sema || !sema_node_string(n->sema, s);
}

static unsigned line_of(const lint_ctx *c, src_span span)
{
    unsigned line, col;
    source_position(c->src, span.start, &line, &col);
    return line;
}

/* Printable form of a decoded string for a message: at most 60 bytes, with
 * control bytes and quotes escaped so a message stays one line. */
static char *shown(const ast_string *s)
{
    size_t cap = 64 * 4 + 8, o = 0;
    char *out = xrealloc(NULL, cap);
    for (size_t i = 0; i < s->len && i < 60; i++) {
        unsigned char ch = (unsigned char)s->text[i];
        if (ch < 0x20 || ch == 0x7f)
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", ch);
        else if (ch == '"' || ch == '\\') {
            out[o++] = '\\';
            out[o++] = (char)ch;
        } else
            out[o++] = (char)ch;
    }
    if (s->len > 60)
        o += (size_t)snprintf(out + o, cap - o, "...");
    out[o] = '\0';
    return out;
}

/* RFC 5322 2.2: field-name = 1*ftext; ftext = %d33-57 / %d59-126. */
static bool ftext(unsigned char ch) { return ch >= 33 && ch <= 126 && ch != ':'; }

static bool header_name_ok(const char *s, size_t len)
{
    if (!len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!ftext((unsigned char)s[i]))
            return false;
    return true;
}

/* ---- Structural equality of tests and actions ------------------------ */

static bool string_eq(const ast_string *a, const ast_string *b)
{
    return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

static bool arg_eq(const ast_arg *a, const ast_arg *b)
{
    if (!a || !b)
        return a == b;
    /* A one-string list and a plain string are the same value
     * (RFC 5228 2.4.2.1). */
    size_t na, nb;
    const ast_string *ia = items_of(a, &na), *ib = items_of(b, &nb);
    if (ia || ib) {
        if (!ia || !ib || na != nb)
            return false;
        for (size_t i = 0; i < na; i++)
            if (!string_eq(&ia[i], &ib[i]))
                return false;
        return true;
    }
    if (a->kind != b->kind)
        return false;
    if (a->kind == AST_ARG_NUMBER)
        return a->u.number.value == b->u.number.value;
    return ast_name_eq(a->u.tag.name, b->u.tag.name);
}

/* Tags compare as a set (their order does not matter), positional
 * arguments in order. Falls back to the raw arguments when the checker did
 * not annotate the node. */
static bool args_eq(const ast_node *a, const ast_node *b)
{
    if (a->sema && b->sema) {
        const sema_node *x = a->sema, *y = b->sema;
        if (x->ntags != y->ntags || x->npos != y->npos)
            return false;
        for (size_t i = 0; i < x->ntags; i++) {
            const sema_tagval *t = sema_node_tag(y, x->tags[i].tag->id);
            if (!t || !arg_eq(x->tags[i].param, t->param))
                return false;
        }
        for (size_t i = 0; i < x->npos; i++)
            if (!arg_eq(x->pos[i], y->pos[i]))
                return false;
        return true;
    }
    if (a->nargs != b->nargs)
        return false;
    for (size_t i = 0; i < a->nargs; i++)
        if (!arg_eq(&a->args[i], &b->args[i]))
            return false;
    return true;
}

static bool test_eq(const ast_node *a, const ast_node *b, unsigned depth)
{
    if (!a || !b || depth > 256)
        return false;
    if (a->def != b->def || !a->def || !a->name || !b->name || !ast_name_eq(a->name, b->name))
        return false;
    if (a->ntests != b->ntests || !args_eq(a, b))
        return false;
    for (size_t i = 0; i < a->ntests; i++)
        if (!test_eq(a->tests[i], b->tests[i], depth + 1))
            return false;
    return true;
}

/* Tests that change state when evaluated (RFC 7352: duplicate records the
 * message), so evaluating the same test twice can give different answers. */
static bool has_side_effect(const ast_node *t, unsigned depth)
{
    if (!t || depth > 256)
        return true;
    if (is_def(t, REG_DEF_DUPLICATE))
        return true;
    for (size_t i = 0; i < t->ntests; i++)
        if (has_side_effect(t->tests[i], depth + 1))
            return true;
    return false;
}

/* Whether u being true means t is true too (so a branch testing u after
 * one testing t never runs): equal tests, t an anyof with a member u
 * implies, u an allof with a member that implies t, and the duals. The
 * budget bounds the work on pathological nestings. */
static bool implies(const ast_node *u, const ast_node *t, unsigned depth, size_t *budget)
{
    if (!u || !t || depth > 64 || *budget == 0)
        return false;
    (*budget)--;
    if (test_eq(u, t, 0))
        return true;
    if (is_def(t, REG_DEF_ANYOF))
        for (size_t i = 0; i < t->ntests; i++)
            if (implies(u, t->tests[i], depth + 1, budget))
                return true;
    if (is_def(u, REG_DEF_ALLOF))
        for (size_t i = 0; i < u->ntests; i++)
            if (implies(u->tests[i], t, depth + 1, budget))
                return true;
    if (is_def(t, REG_DEF_ALLOF) && t->ntests) {
        bool all = true;
        for (size_t i = 0; i < t->ntests && all; i++)
            all = implies(u, t->tests[i], depth + 1, budget);
        if (all)
            return true;
    }
    if (is_def(u, REG_DEF_ANYOF) && u->ntests) {
        bool all = true;
        for (size_t i = 0; i < u->ntests && all; i++)
            all = implies(u->tests[i], t, depth + 1, budget);
        if (all)
            return true;
    }
    return false;
}

/* The earlier test of the chain (branches[0..n)) that makes u
 * unreachable, or NULL: one that u implies, or, when u is an anyof, every
 * member covered by some earlier test (then the first of those is named),
 * or, when u is an allof, one member covered. */
static const ast_node *covered(const ast_node *u, const ast_node *const *branches, size_t n,
                               unsigned depth, size_t *budget)
{
    if (!u || depth > 64 || *budget == 0)
        return NULL;
    for (size_t j = 0; j < n; j++) {
        const ast_node *pt = branches[j]->ntests == 1 ? branches[j]->tests[0] : NULL;
        if (pt && implies(u, pt, 0, budget))
            return pt;
    }
    if (is_def(u, REG_DEF_ANYOF) && u->ntests) {
        const ast_node *first = NULL;
        for (size_t i = 0; i < u->ntests; i++) {
            const ast_node *p = covered(u->tests[i], branches, n, depth + 1, budget);
            if (!p)
                return NULL;
            if (!first || p->span.start < first->span.start)
                first = p;
        }
        return first;
    }
    if (is_def(u, REG_DEF_ALLOF))
        for (size_t i = 0; i < u->ntests; i++) {
            const ast_node *p = covered(u->tests[i], branches, n, depth + 1, budget);
            if (p)
                return p;
        }
    return NULL;
}

static bool has_variables(const ast_node *n)
{
    return n->sema && n->sema->nstrs > 0;
}

/* ---- Pass 1: per-node checks ----------------------------------------- */

/* RFC 5228 2.7.1: '*' and '?' are the :matches wildcards, '\' quotes the
 * next character. */
static bool has_wildcard(const char *s, size_t len, bool *escapes_r)
{
    *escapes_r = false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\\') {
            *escapes_r = true;
            i++;
            continue;
        }
        if (s[i] == '*' || s[i] == '?')
            return true;
    }
    return false;
}

static void check_matches(lint_ctx *c, const ast_node *n, const ast_arg *keys)
{
    size_t nk;
    const ast_string *k = items_of(keys, &nk);
    const sema_tagval *tv = sema_node_tag(n->sema, REG_TAG_MATCHES);
    for (size_t i = 0; i < nk; i++) {
        bool esc;
        if (!is_constant(n, &k[i]) || has_wildcard(k[i].text, k[i].len, &esc))
            continue;
        warn(c, W_MATCHES_WITHOUT_WILDCARDS, k[i].span,
             ":matches key has no wildcard; :is does the same");
        if (tv)
            note(c, true, tv->arg->span, esc ? "use ':is' here, and drop the backslashes from the key"
                                             : "use ':is' here; ':matches' needs '*' or '?' to match part of a value");
    }
}

static void check_contains(lint_ctx *c, const ast_node *n, const ast_arg *keys)
{
    size_t nk;
    const ast_string *k = items_of(keys, &nk);
    for (size_t i = 0; i < nk; i++) {
        if (k[i].len != 0 || !is_constant(n, &k[i]))
            continue;
        warn(c, W_CONTAINS_EMPTY, k[i].span, ":contains \"\" is true for every value");
        switch (n->def->id) {
        case REG_DEF_HEADER:
        case REG_DEF_ADDRESS:
            note(c, false, k[i].span,
                 "the test is true whenever the header field exists; write 'exists' if that is meant");
            break;
        case REG_DEF_ENVELOPE:
            note(c, false, k[i].span, "the test is true whenever the envelope part is present");
            break;
        default:
            note(c, false, k[i].span, "the test is always true");
            break;
        }
        return;   /* once per test: one empty key already makes it true */
    }
}

static bool starts_with_digit(const ast_string *s)
{
    return s->len && s->text[0] >= '0' && s->text[0] <= '9';
}

/* Header fields whose values always start with a digit, so i;ascii-numeric
 * reads them as intended. */
static bool numeric_header(const char *name)
{
    static const char *const known[] = { "content-length", "lines", "x-priority" };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcasecmp(name, known[i]) == 0)
            return true;
    return false;
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

/* RFC 4790 9.1: i;ascii-numeric reads the leading digits of a value; a
 * value that does not start with a digit is "positive infinity", greater
 * than every number and equal to every other such value. Two traps follow:
 *  - a constant key that does not start with a digit ("-1", "abc", "") is
 *    infinity, which is almost never meant;
 *  - header :value compares header values, which for most fields are free
 *    text: a negative spam score "-0.9", "n/a" or " 5" is infinity, so it
 *    is "gt" every number and never "lt" one, and "5.9" reads as 5.
 * We warn on the first always, and on the second for header :value unless
 * the field is one whose values are digits by definition. :count counts
 * fields, which is always a number, so only its keys matter. */
static void check_ascii_numeric(lint_ctx *c, const ast_node *n, const ast_arg *keys)
{
    const sema_match *m = &n->sema->match;
    if (!m->comparator || m->comparator->id != REG_CMP_ASCII_NUMERIC)
        return;
    if (m->match_type != REG_MATCH_IS && m->match_type != REG_MATCH_VALUE &&
        m->match_type != REG_MATCH_COUNT)
        return;
    size_t nk;
    const ast_string *k = items_of(keys, &nk);
    for (size_t i = 0; i < nk; i++) {
        if (!is_constant(n, &k[i]) || starts_with_digit(&k[i]))
            continue;
        char *s = shown(&k[i]);
        warn(c, W_ASCII_NUMERIC_NON_DIGIT, k[i].span,
             "key \"%s\" does not start with a digit; i;ascii-numeric treats it as positive infinity", s);
        if (k[i].len && k[i].text[0] == '-')
            note(c, false, k[i].span,
                 "i;ascii-numeric has no negative numbers (RFC 4790 9.1): \"%s\" equals every non-numeric value", s);
        else if (k[i].len && k[i].text[0] == ' ')
            note(c, false, k[i].span, "remove the leading space");
        free(s);
    }

    if (!is_def(n, REG_DEF_HEADER) || m->match_type != REG_MATCH_VALUE || n->sema->npos < 1)
        return;
    size_t nh;
    const ast_string *h = items_of(n->sema->pos[0], &nh);
    for (size_t i = 0; i < nh; i++) {
        if (!is_constant(n, &h[i]) || !header_name_ok(h[i].text, h[i].len) || numeric_header(h[i].text))
            continue;
        char *s = shown(&h[i]);
        bool spam = contains_ci(h[i].text, "score") || contains_ci(h[i].text, "spam");
        if (spam)
            warn(c, W_ASCII_NUMERIC_NON_DIGIT, h[i].span,
                 "'%s' values can be negative (\"-0.9\"), and i;ascii-numeric counts a value "
                 "that does not start with a digit as positive infinity", s);
        else
            warn(c, W_ASCII_NUMERIC_NON_DIGIT, h[i].span,
                 "values of '%s' may not start with a digit, and i;ascii-numeric counts such a "
                 "value as positive infinity", s);
        switch (m->relop) {
        case REG_REL_GT: case REG_REL_GE: case REG_REL_NE:
            note(c, false, h[i].span, "so a negative, empty or text value satisfies \"%s\" for any key",
                 reg_relop_name(m->relop));
            break;
        case REG_REL_LT: case REG_REL_LE: case REG_REL_EQ:
            note(c, false, h[i].span, "so a negative, empty or text value never satisfies \"%s\"",
                 reg_relop_name(m->relop));
            break;
        default:
            break;
        }
        if (spam)
            note(c, false, h[i].span,
                 "only leading digits count (\"5.9\" is 5); prefer the spamtest extension (RFC 5235), "
                 "or rule out negative scores first with: not header :matches \"%s\" \"-*\"", s);
        free(s);
    }
}

/* Which character makes a header name impossible, for the note. */
static void explain_header_name(lint_ctx *c, const char *s, size_t len, src_span span)
{
    if (!len) {
        note(c, false, span, "a header field name has at least one character");
        return;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ftext(ch))
            continue;
        if (ch == ':' && i + 1 == len)
            note(c, false, span, "drop the trailing ':'; it separates the name from the value in a message");
        else if (ch == ':')
            note(c, false, span, "':' cannot occur in a header field name (RFC 5322 2.2)");
        else if (ch == ' ' || ch == '\t')
            note(c, false, span, "header field names contain no spaces (RFC 5322 2.2); did you mean '-'?");
        else if (ch >= 0x80)
            note(c, false, span, "header field names are ASCII only (RFC 5322 2.2)");
        else
            note(c, false, span, "header field names are printable ASCII without ':' (RFC 5322 2.2)");
        return;
    }
}

static void check_header_name(lint_ctx *c, const ast_node *n, const ast_string *s)
{
    if (is_constant(n, s)) {
        if (header_name_ok(s->text, s->len))
            return;
        char *t = shown(s);
        warn(c, W_INVALID_HEADER_NAME, s->span, "\"%s\" can never be a header field name, so the test never matches", t);
        free(t);
        explain_header_name(c, s->text, s->len, s->span);
        return;
    }
    /* With variables, the fixed text alone can already rule the name out. */
    const sema_str *vs = sema_node_string(n->sema, s);
    for (size_t i = 0; i < vs->nparts; i++) {
        const sema_part *p = &vs->parts[i];
        if (p->kind != SEMA_PART_TEXT)
            continue;
        for (size_t k = 0; k < p->len; k++) {
            if (ftext((unsigned char)p->text[k]))
                continue;
            char *t = shown(s);
            warn(c, W_INVALID_HEADER_NAME, s->span,
                 "\"%s\" can never be a header field name, whatever the variables hold", t);
            free(t);
            explain_header_name(c, p->text + k, p->len - k, s->span);
            return;
        }
    }
}

static void check_header_names(lint_ctx *c, const ast_node *n)
{
    const sema_node *sn = n->sema;
    if ((n->def->flags & REG_F_HEADER_LIST) && sn->npos >= 1) {
        size_t nh;
        const ast_string *h = items_of(sn->pos[0], &nh);
        for (size_t i = 0; i < nh; i++)
            check_header_name(c, n, &h[i]);
    }
    if (is_def(n, REG_DEF_DUPLICATE)) {
        const sema_tagval *tv = sema_node_tag(sn, REG_TAG_HEADER);
        if (tv && tv->param && tv->param->kind == AST_ARG_STRING)
            check_header_name(c, n, &tv->param->u.string);
    }
}

/* RFC 5228 2.4.2.4: "${hex:" and "${unicode:" (case-insensitive) are what
 * the encoded-character extension gives meaning to. The checker resolves
 * them in place, so look at the text as written. */
static void scan_encoded(lint_ctx *c, const ast_string *s)
{
    if (c->encoded_seen || s->span.end > c->src->len || s->span.start >= s->span.end)
        return;
    const char *p = c->src->text + s->span.start;
    size_t len = s->span.end - s->span.start;
    for (size_t i = 0; i + 2 < len; i++) {
        if (p[i] != '$' || p[i + 1] != '{')
            continue;
        if ((len - i - 2 >= 4 && strncasecmp(p + i + 2, "hex:", 4) == 0) ||
            (len - i - 2 >= 8 && strncasecmp(p + i + 2, "unicode:", 8) == 0)) {
            c->encoded_seen = true;
            return;
        }
    }
}

static void scan_arg_encoded(lint_ctx *c, const ast_arg *a)
{
    size_t n;
    const ast_string *s = items_of(a, &n);
    for (size_t i = 0; i < n; i++)
        scan_encoded(c, &s[i]);
}

/* RFC 5230 4.1: without :days the site's default applies (Pigeonhole: 7). */
static void check_vacation(lint_ctx *c, const ast_node *n)
{
    if (sema_node_tag(n->sema, REG_TAG_DAYS) || sema_node_tag(n->sema, REG_TAG_SECONDS))
        return;
    warn(c, W_VACATION_WITHOUT_DAYS, n->name_span,
         "'vacation' without ':days' replies at the server's default interval");
    note(c, false, n->name_span,
         "say how often a sender may get the reply, e.g. 'vacation :days 7 ...' (RFC 5230 4.1)");
}

static bool visit_node(const ast_node *n, const ast_node *parent, unsigned depth, void *vctx)
{
    (void)parent;
    (void)depth;
    lint_ctx *c = vctx;
    if (!is_def(n, REG_DEF_REQUIRE))
        for (size_t i = 0; i < n->nargs; i++)
            scan_arg_encoded(c, &n->args[i]);
    if (!n->def || !n->sema)
        return true;
    const sema_node *sn = n->sema;
    if (sn->has_match) {
        const sema_match *m = &sn->match;
        if (m->comparator)
            c->used |= REG_EXT_BIT(m->comparator->ext == REG_EXT_CORE
                                       ? (m->comparator->id == REG_CMP_OCTET ? REG_EXT_COMPARATOR_OCTET
                                                                              : REG_EXT_COMPARATOR_ASCII_CASEMAP)
                                       : m->comparator->ext);
        const ast_arg *keys = sema_node_keys(sn);
        if (m->match_type == REG_MATCH_MATCHES)
            check_matches(c, n, keys);
        if (m->match_type == REG_MATCH_CONTAINS)
            check_contains(c, n, keys);
        check_ascii_numeric(c, n, keys);
    }
    check_header_names(c, n);
    if (is_def(n, REG_DEF_VACATION))
        check_vacation(c, n);
    return true;
}

/* ---- Pass 2: require against use ------------------------------------- */

static void check_requires(lint_ctx *c)
{
    const sema_result *res = c->res;
    /* Deprecated drafts: the checker refuses them as errors; should it ever
     * accept them, lint still says so (already_reported() avoids saying it
     * twice). */
    for (size_t i = 0; i < c->script->top.count; i++) {
        const ast_node *n = c->script->top.cmds[i];
        if (!n || !n->name || !ast_name_eq(n->name, "require") || n->nargs != 1)
            continue;
        size_t ni;
        const ast_string *it = items_of(&n->args[0], &ni);
        for (size_t k = 0; k < ni; k++) {
            const reg_ext *e = reg_ext_lookup(it[k].text);
            if (!e || !e->deprecated || memchr(it[k].text, '\0', it[k].len))
                continue;
            warn(c, W_DEPRECATED_EXTENSION, it[k].span, "\"%s\" is an obsolete draft extension (%s)",
                 e->name, e->rfc);
            note(c, false, it[k].span, "require \"%s\" instead", e->replacement);
        }
    }
    if (!res)
        return;

    reg_ext_mask used = (res->used | c->used) & ~REG_EXT_BIT(REG_EXT_ENCODED_CHARACTER);
    if (c->encoded_seen)
        used |= REG_EXT_BIT(REG_EXT_ENCODED_CHARACTER);
    /* RFC 5229 3: "${1}" and "${name}" are uses even without a set. */
    if (res->uses_variables)
        used |= REG_EXT_BIT(REG_EXT_VARIABLES);

    for (size_t id = 1; id < REG_EXT__COUNT; id++) {
        src_span span;
        if (!sema_ext_required(res, (reg_ext_id)id, &span))
            continue;
        if (used & REG_EXT_BIT(id))
            continue;
        /* "vacation-seconds" alone provides vacation (RFC 6131 2): a use of
         * what it implies counts, unless that is required on its own. */
        reg_ext_mask implied = reg_ext_closure(REG_EXT_BIT(id)) & ~REG_EXT_BIT(id);
        bool through = false;
        for (size_t j = 1; j < REG_EXT__COUNT; j++)
            if ((implied & REG_EXT_BIT(j)) && (used & REG_EXT_BIT(j)) &&
                !sema_ext_required(res, (reg_ext_id)j, NULL))
                through = true;
        if (through)
            continue;
        const reg_ext *e = reg_ext_get((reg_ext_id)id);
        warn(c, W_UNUSED_REQUIRE, span, "extension \"%s\" is required but never used", e->name);
        if (id == REG_EXT_ENCODED_CHARACTER)
            note(c, false, span, "no string contains \"${hex:...}\" or \"${unicode:...}\"");
        note(c, false, span, "remove \"%s\" from the require list", e->name);
    }
}

/* ---- Pass 3: flow ---------------------------------------------------- */

/* Size range known on a path: lo <= size <= hi (empty when lo > hi). */
typedef struct range {
    uint64_t lo, hi;
} range;

/* Actions that RFC 5429 2.1 makes incompatible with reject/ereject. */
enum act_class { A_REJECT, A_KEEP, A_FILEINTO, A_REDIRECT, A_VACATION, A__COUNT };

typedef struct flow {
    bool dead;                         /* no path gets here */
    const ast_node **must;             /* actions done on every path here */
    size_t nmust, capmust;
    const ast_node *may[A__COUNT];     /* first action of each class some path did */
} flow;

static void flow_copy(flow *dst, const flow *src)
{
    *dst = *src;
    dst->must = NULL;
    dst->capmust = src->nmust;
    if (src->nmust) {
        dst->must = xrealloc(NULL, src->nmust * sizeof *dst->must);
        memcpy(dst->must, src->must, src->nmust * sizeof *dst->must);
    }
}

static void flow_free(flow *f)
{
    free(f->must);
    f->must = NULL;
    f->nmust = f->capmust = 0;
}

static bool action_eq(const ast_node *a, const ast_node *b)
{
    return a->def == b->def && args_eq(a, b);
}

static bool flow_has(const flow *f, const ast_node *a, const ast_node **found_r)
{
    for (size_t i = 0; i < f->nmust; i++)
        if (action_eq(f->must[i], a)) {
            *found_r = f->must[i];
            return true;
        }
    return false;
}

static void flow_add(flow *f, const ast_node *a)
{
    if (f->nmust == f->capmust) {
        f->capmust = f->capmust ? 2 * f->capmust : 8;
        f->must = xrealloc(f->must, f->capmust * sizeof *f->must);
    }
    f->must[f->nmust++] = a;
}

/* Joins two paths: must becomes the intersection, may the union. A dead
 * path is the identity. into takes the result; other is freed. */
static void flow_join(flow *into, flow *other)
{
    if (other->dead) {
        flow_free(other);
        return;
    }
    if (into->dead) {
        flow_free(into);
        *into = *other;
        return;
    }
    size_t o = 0;
    for (size_t i = 0; i < into->nmust; i++) {
        const ast_node *dummy;
        if (flow_has(other, into->must[i], &dummy))
            into->must[o++] = into->must[i];
    }
    into->nmust = o;
    for (int k = 0; k < A__COUNT; k++)
        if (!into->may[k] || (other->may[k] && other->may[k]->span.start < into->may[k]->span.start))
            into->may[k] = other->may[k];
    flow_free(other);
}

static int act_class(const ast_node *n)
{
    switch (n->def->id) {
    case REG_DEF_REJECT: case REG_DEF_EREJECT: return A_REJECT;
    case REG_DEF_KEEP: return A_KEEP;
    case REG_DEF_FILEINTO: return A_FILEINTO;
    case REG_DEF_REDIRECT: return A_REDIRECT;
    case REG_DEF_VACATION: return A_VACATION;
    default: return -1;
    }
}

static bool dup_candidate(const ast_node *n)
{
    switch (n->def->id) {
    case REG_DEF_KEEP: case REG_DEF_DISCARD: case REG_DEF_FILEINTO: case REG_DEF_REDIRECT:
    case REG_DEF_NOTIFY:
        return true;   /* a second vacation is a conflict, not a repeat */
    default:
        return false;
    }
}

static void do_action(lint_ctx *c, flow *f, const ast_node *n)
{
    if (f->dead)
        return;
    /* RFC 5429 2.1: reject/ereject cannot be combined with keep, fileinto,
     * redirect or vacation, nor with a second reject. A second vacation
     * fails too (Pigeonhole: "duplicate vacation action not allowed").
     * Either way the run fails and the message is kept. */
    int cls = act_class(n);
    if (cls >= 0) {
        const ast_node *other = NULL;
        if (cls == A_REJECT) {
            for (int k = 0; k < A__COUNT; k++)
                if (f->may[k] && (!other || f->may[k]->span.start < other->span.start))
                    other = f->may[k];
        } else {
            other = f->may[A_REJECT];
            /* One warning per reject is enough to make the point. */
            for (size_t i = 0; other && i < c->nrejects; i++)
                if (c->rejects[i] == other)
                    other = NULL;
            if (other) {
                if (c->nrejects == c->caprejects) {
                    c->caprejects = c->caprejects ? 2 * c->caprejects : 8;
                    c->rejects = xrealloc(c->rejects, c->caprejects * sizeof *c->rejects);
                }
                c->rejects[c->nrejects++] = other;
            } else if (cls == A_VACATION) {
                other = f->may[A_VACATION];
            }
        }
        if (other) {
            bool second = act_class(other) == cls;
            if (second)
                warn(c, W_CONFLICTING_ACTIONS, n->name_span,
                     "a second '%s' can run for the same message; only one is allowed", n->name);
            else
                warn(c, W_CONFLICTING_ACTIONS, n->name_span,
                     "'%s' and '%s' can both run for the same message; RFC 5429 forbids reject "
                     "together with keep, fileinto, redirect or vacation", other->name, n->name);
            note(c, true, other->name_span, "'%s' can run before it here", other->name);
            note(c, false, n->name_span, "%s",
                 second ? "when both run, the script fails and the message is kept; make the "
                          "branches exclusive with 'elsif', or end the first with 'stop'"
                        : "when both run, the script fails and the message is kept; end the reject "
                          "branch with 'stop', or put the actions in separate branches");
        }
        if (!f->may[cls])
            f->may[cls] = n;
    }
    if (!dup_candidate(n) || has_variables(n))
        return;
    const ast_node *first;
    if (flow_has(f, n, &first)) {
        if (line_of(c, first->span) == line_of(c, n->span))
            warn(c, W_DUPLICATE_ACTION, n->span,
                 "this '%s' repeats an earlier one with the same arguments; it runs only once", n->name);
        else
            warn(c, W_DUPLICATE_ACTION, n->span,
                 "this '%s' repeats the one at line %u with the same arguments; it runs only once",
                 n->name, line_of(c, first->span));
        note(c, true, first->name_span, "the same action runs here on every path to it");
        return;
    }
    flow_add(f, n);
}

/* ---- Constant tests and size ranges ---------------------------------- */

typedef enum tv { TV_UNKNOWN, TV_FALSE, TV_TRUE } tv;

static tv const_value(const ast_node *t, unsigned depth)
{
    if (!t || !t->def || depth > 256)
        return TV_UNKNOWN;
    switch (t->def->id) {
    case REG_DEF_TRUE: return TV_TRUE;
    case REG_DEF_FALSE: return TV_FALSE;
    case REG_DEF_NOT: {
        tv v = t->ntests == 1 ? const_value(t->tests[0], depth + 1) : TV_UNKNOWN;
        return v == TV_TRUE ? TV_FALSE : v == TV_FALSE ? TV_TRUE : TV_UNKNOWN;
    }
    case REG_DEF_ALLOF:
    case REG_DEF_ANYOF: {
        bool all = t->def->id == REG_DEF_ALLOF;
        tv absorb = all ? TV_FALSE : TV_TRUE;
        bool unknown = false;
        for (size_t i = 0; i < t->ntests; i++) {
            tv v = const_value(t->tests[i], depth + 1);
            if (v == absorb)
                return absorb;
            if (v == TV_UNKNOWN)
                unknown = true;
        }
        if (unknown || t->ntests == 0)
            return TV_UNKNOWN;
        return all ? TV_TRUE : TV_FALSE;
    }
    default:
        return TV_UNKNOWN;
    }
}

/* size :over N / :under N as (over?, N); false for anything else. */
static bool size_test(const ast_node *t, bool *over_r, uint64_t *n_r)
{
    if (!is_def(t, REG_DEF_SIZE) || !t->sema || t->sema->npos < 1 || !t->sema->pos[0] ||
        t->sema->pos[0]->kind != AST_ARG_NUMBER)
        return false;
    bool over = sema_node_tag(t->sema, REG_TAG_OVER) != NULL;
    bool under = sema_node_tag(t->sema, REG_TAG_UNDER) != NULL;
    if (over == under)
        return false;
    *over_r = over;
    *n_r = t->sema->pos[0]->u.number.value;
    return true;
}

/* Narrows r by what the test being `truth` says (RFC 5228 5.9: :over is
 * strictly greater, :under strictly less). */
static void narrow(range *r, const ast_node *t, bool truth, unsigned depth)
{
    if (!t || !t->def || depth > 256)
        return;
    bool over;
    uint64_t n;
    if (size_test(t, &over, &n)) {
        if (over && truth) {
            if (n == UINT64_MAX)
                r->lo = 1, r->hi = 0;
            else if (n + 1 > r->lo)
                r->lo = n + 1;
        } else if (over) {
            if (n < r->hi)
                r->hi = n;
        } else if (truth) {
            if (n == 0)
                r->lo = 1, r->hi = 0;
            else if (n - 1 < r->hi)
                r->hi = n - 1;
        } else if (n > r->lo) {
            r->lo = n;
        }
        return;
    }
    switch (t->def->id) {
    case REG_DEF_NOT:
        if (t->ntests == 1)
            narrow(r, t->tests[0], !truth, depth + 1);
        break;
    case REG_DEF_ALLOF:   /* all true */
        if (truth)
            for (size_t i = 0; i < t->ntests; i++)
                narrow(r, t->tests[i], true, depth + 1);
        break;
    case REG_DEF_ANYOF:   /* none true */
        if (!truth)
            for (size_t i = 0; i < t->ntests; i++)
                narrow(r, t->tests[i], false, depth + 1);
        break;
    default:
        break;
    }
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    char *s = diag_vformat(f, ap);
    va_end(ap);
    return s;
}

/* A byte count as a script would write it: 10K rather than 10240. */
static char *size_words(uint64_t n)
{
    unsigned long long v = n;
    if (v && v % (1024ull * 1024 * 1024) == 0)
        return fmt("%lluG", v >> 30);
    if (v && v % (1024ull * 1024) == 0)
        return fmt("%lluM", v >> 20);
    if (v && v % 1024 == 0)
        return fmt("%lluK", v >> 10);
    return fmt("%llu", v);
}

static bool round_size(uint64_t n) { return n && n % 1024 == 0; }

/* The lower bound in the words a script would use: "over 10K" when it
 * came from :over 10K, "at least 1M" when it came from not :under 1M. */
static char *low_words(uint64_t lo)
{
    char *n = round_size(lo) && !round_size(lo - 1) ? size_words(lo) : size_words(lo - 1);
    char *s = fmt("%s %s", round_size(lo) && !round_size(lo - 1) ? "at least" : "over", n);
    free(n);
    return s;
}

static char *high_words(uint64_t hi)
{
    bool at_most = round_size(hi) && !round_size(hi + 1);
    char *n = size_words(at_most ? hi : hi + 1);
    char *s = fmt("%s %s", at_most ? "at most" : "under", n);
    free(n);
    return s;
}

/* "over 10K", "at most 1M", "over 5K and under 10K". */
static char *range_words(range r)
{
    char *lo = r.lo ? low_words(r.lo) : NULL;
    char *hi = r.hi != UINT64_MAX ? high_words(r.hi) : NULL;
    char *s;
    if (lo && hi)
        s = fmt("%s and %s", lo, hi);
    else if (lo)
        s = fmt("%s", lo);
    else if (hi)
        s = fmt("%s", hi);
    else
        s = fmt("of any value");
    free(lo);
    free(hi);
    return s;
}

/* Every size test inside a test tree, against what the path already
 * knows: allof's later members run only when the earlier ones were true,
 * anyof's only when they were false. */
static void check_sizes(lint_ctx *c, const ast_node *t, range r, unsigned depth)
{
    if (!t || !t->def || depth > 256 || r.lo > r.hi)
        return;
    bool over;
    uint64_t n;
    if (size_test(t, &over, &n)) {
        bool never = over ? r.hi <= n : r.lo >= n;
        bool always = over ? r.lo > n : r.hi < n;
        if (!over && n == 0) {
            warn(c, W_IMPOSSIBLE_SIZE, t->span, "'size :under 0' is never true: no message is smaller than 0 bytes");
        } else if (never || always) {
            char *w = range_words(r);
            warn(c, W_IMPOSSIBLE_SIZE, t->span, "this size test is %s: earlier tests already establish that the size is %s",
                 never ? "never true" : "always true", w);
            free(w);
        }
        return;
    }
    range sub = r;
    switch (t->def->id) {
    case REG_DEF_NOT:
        if (t->ntests == 1)
            check_sizes(c, t->tests[0], r, depth + 1);
        break;
    case REG_DEF_ALLOF:
    case REG_DEF_ANYOF:
        for (size_t i = 0; i < t->ntests; i++) {
            check_sizes(c, t->tests[i], sub, depth + 1);
            narrow(&sub, t->tests[i], t->def->id == REG_DEF_ALLOF, depth + 1);
            if (sub.lo > sub.hi)
                break;
        }
        break;
    default:
        break;
    }
}

/* ---- Blocks ---------------------------------------------------------- */

typedef struct walk {
    lint_ctx *c;
    unsigned depth;
} walk;

static bool analyze_block(walk *w, const ast_block *b, flow *f, range r);

static bool is_branch(const ast_node *n)
{
    return n && n->def && (n->def->flags & (REG_F_ELSIF | REG_F_ELSE));
}

/* An if/elsif/else chain, cmds[0] the if. Returns whether every path
 * through it ends (stop, return, error, break). */
static bool analyze_chain(walk *w, const ast_node *const *cmds, size_t n, flow *f, range r)
{
    lint_ctx *c = w->c;
    flow out = { .dead = true };
    bool fallthrough = true, all_end = true;
    const ast_node *always = NULL;     /* a branch whose test is always true */
    for (size_t i = 0; i < n; i++) {
        const ast_node *br = cmds[i];
        const ast_node *t = (br->def->flags & REG_F_ELSE) ? NULL : (br->ntests == 1 ? br->tests[0] : NULL);
        bool is_else = (br->def->flags & REG_F_ELSE) != 0;
        if (always) {
            warn(c, W_UNREACHABLE_BRANCH, br->name_span,
                 "this '%s' can never run: the test before it is always true", br->name);
            note(c, true, always->span, "this test is always true");
            fallthrough = false;
            break;
        }
        tv v = is_else ? TV_TRUE : const_value(t, 0);
        bool skip = br->sema && br->sema->dead_block;
        if (!is_else && t && !skip) {
            /* RFC 5228 3.1: a branch runs only when every test before it
             * in the chain was false, so a repeated test is false too. */
            bool repeated = false;
            size_t budget = 100000;
            const ast_node *pt = has_side_effect(t, 0) ? NULL : covered(t, cmds, i, 0, &budget);
            if (pt) {
                unsigned pl = line_of(c, pt->span);
                bool same = test_eq(pt, t, 0);
                if (pl == line_of(c, t->span))
                    warn(c, W_UNREACHABLE_BRANCH, t->span,
                         same ? "this test repeats an earlier one, so this '%s' can never run"
                              : "whenever this test is true, an earlier test of this chain is too, so this '%s' can never run",
                         br->name);
                else
                    warn(c, W_UNREACHABLE_BRANCH, t->span,
                         same ? "this test repeats the one at line %u, so this '%s' can never run"
                              : "whenever this test is true, the test at line %u is too, so this '%s' can never run",
                         pl, br->name);
                note(c, true, pt->span, same ? "the same test is checked first here"
                                             : "that test is checked first, here");
                repeated = true;
            }
            if (v == TV_FALSE)
                warn(c, W_UNREACHABLE_BRANCH, t->span, "this test is always false, so the '%s' block never runs",
                     br->name);
            /* A repeated test already says the branch is dead; its size
             * range would only say it again. */
            if (!repeated && v != TV_FALSE)
                check_sizes(c, t, r, 0);
            if (repeated)
                v = TV_FALSE;
        }
        range br_r = r;
        if (t)
            narrow(&br_r, t, true, 0);
        flow bf;
        flow_copy(&bf, f);
        if (v == TV_FALSE || skip)
            bf.dead = true;
        bool ends = false;
        if (br->block && !skip)
            ends = analyze_block(w, br->block, &bf, br_r);
        if (v != TV_FALSE && !skip && !ends)
            all_end = false;
        flow_join(&out, &bf);
        if (v == TV_TRUE) {
            always = is_else ? NULL : t;
            fallthrough = false;
            if (is_else)
                break;
        }
        if (t)
            narrow(&r, t, false, 0);
    }
    if (fallthrough) {
        flow in;
        flow_copy(&in, f);
        flow_join(&out, &in);
        all_end = false;
    }
    flow_free(f);
    *f = out;
    return all_end;
}

static const char *ends_how(const ast_node *n)
{
    switch (n->def ? n->def->id : REG_DEF__COUNT) {
    case REG_DEF_STOP: return "'stop' ends the script here";
    case REG_DEF_RETURN: return "'return' leaves this script here";
    case REG_DEF_ERROR: return "'error' ends the script here";
    case REG_DEF_BREAK: return "'break' leaves the loop here";
    default: return "every branch of this 'if' ends the script or the loop";
    }
}

/* Returns whether the block always ends the script (or the loop). */
static bool analyze_block(walk *w, const ast_block *b, flow *f, range r)
{
    lint_ctx *c = w->c;
    if (++w->depth > 512) {
        w->depth--;
        return false;
    }
    bool ended = false;
    const ast_node *ender = NULL;
    for (size_t i = 0; i < b->count; i++) {
        const ast_node *n = b->cmds[i];
        if (!n)
            continue;
        if (ended) {
            /* RFC 5228 3.3: nothing after stop runs. */
            warn(c, W_CODE_AFTER_STOP, n->span, "'%s' can never run", name_of(n));
            note(c, true, ender->name_span, "%s", ends_how(ender));
            break;
        }
        if (!n->def)
            continue;
        switch (n->def->id) {
        case REG_DEF_STOP:
        case REG_DEF_RETURN:
        case REG_DEF_ERROR:
            ended = true;
            ender = n;
            f->dead = true;
            continue;
        case REG_DEF_BREAK:
            ended = true;
            ender = n;
            continue;
        case REG_DEF_IF: {
            size_t j = i + 1;
            while (j < b->count && is_branch(b->cmds[j]))
                j++;
            ended = analyze_chain(w, (const ast_node *const *)&b->cmds[i], j - i, f, r);
            i = j - 1;
            /* the note of a later code-after-stop points at the if */
            if (ended && j < b->count) {
                warn(c, W_CODE_AFTER_STOP, b->cmds[j]->span, "'%s' can never run", name_of(b->cmds[j]));
                note(c, true, n->name_span, "%s", ends_how(n));
                w->depth--;
                return true;
            }
            continue;
        }
        case REG_DEF_FOREVERYPART:
            if (n->block) {
                flow body;
                flow_copy(&body, f);
                analyze_block(w, n->block, &body, r);
                flow_join(f, &body);
            }
            continue;
        default:
            break;
        }
        if (n->def->flags & REG_F_ACTION)
            do_action(c, f, n);
        if (n->block) {   /* elsif/else without if (an error), other blocks */
            flow body;
            flow_copy(&body, f);
            analyze_block(w, n->block, &body, r);
            flow_join(f, &body);
        }
    }
    w->depth--;
    return ended;
}

/* ---- Entry points ---------------------------------------------------- */

size_t lint_check(const ast_script *script, const sema_result *res, diag_sink *diag)
{
    if (!script || !diag)
        return 0;
    lint_ctx c;
    memset(&c, 0, sizeof c);
    c.script = script;
    c.src = script->src;
    c.res = res;
    c.diag = diag;

    sema_walk(script, visit_node, &c);
    check_requires(&c);
    walk w = { &c, 0 };
    flow f = { 0 };
    range r = { 0, UINT64_MAX };
    analyze_block(&w, &script->top, &f, r);
    flow_free(&f);
    free(c.rejects);
    return flush(&c);
}

size_t lint_source(const source *src, const sieve_limits *lim, diag_sink *diag)
{
    sieve_limits deflim;
    if (!lim) {
        sieve_limits_default(&deflim);
        lim = &deflim;
    }
    ast_script *script = NULL;
    sema_result *res = NULL;
    if (parse_script(src, lim, diag, &script) == 0 && script) {
        sema_check(script, lim, diag, &res);
        lint_check(script, res, diag);
    }
    sema_result_free(&res);
    ast_script_free(&script);
    return diag_error_count(diag);
}
