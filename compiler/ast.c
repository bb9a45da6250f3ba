#include "ast.h"

#include <inttypes.h>
#include <stdlib.h>

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        fputs("sievec: out of memory\n", stderr);
        abort();
    }
    return q;
}

ast_script *ast_script_new(const source *src)
{
    arena *a = arena_new();
    ast_script *s = arena_alloc(a, sizeof *s);
    s->src = src;
    s->arena = a;
    return s;
}

void ast_script_free(ast_script **script_r)
{
    ast_script *s = *script_r;
    if (!s)
        return;
    /* The script itself lives in its arena; nothing is freed node by node,
     * so even a very deep tree costs no recursion here. */
    arena *a = s->arena;
    arena_free(&a);
    *script_r = NULL;
}

bool ast_name_eq(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return false;
        if (!x)
            return true;
    }
}

/* ---- Dump --------------------------------------------------------------- */

static void dump_pos(const ast_script *script, src_span span, FILE *out)
{
    unsigned line = 0, col = 0;
    if (script->src)
        source_position(script->src, span.start, &line, &col);
    fprintf(out, " @%u:%u", line, col);
}

static void dump_string(const ast_string *s, FILE *out)
{
    fputs(s->multiline ? "text(\"" : "string(\"", out);
    for (size_t i = 0; i < s->len; i++) {
        unsigned char c = (unsigned char)s->text[i];
        switch (c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\r': fputs("\\r", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (c < 0x20 || c == 0x7f)
                fprintf(out, "\\x%02X", c);
            else
                fputc(c, out);
        }
    }
    fputs("\")", out);
}

static void dump_arg(const ast_arg *arg, FILE *out)
{
    switch (arg->kind) {
    case AST_ARG_NUMBER:
        fprintf(out, "number(%" PRIu64 ")", arg->u.number.value);
        break;
    case AST_ARG_STRING:
        dump_string(&arg->u.string, out);
        break;
    case AST_ARG_STRING_LIST:
        fputs("list(", out);
        for (size_t i = 0; i < arg->u.list.count; i++) {
            if (i)
                fputs(", ", out);
            dump_string(&arg->u.list.items[i], out);
        }
        fputs(")", out);
        break;
    case AST_ARG_TAG:
        fprintf(out, "tag(:%s)", arg->u.tag.name);
        break;
    }
}

enum dump_kind { DUMP_NODE, DUMP_BLOCK, DUMP_TEST_LIST };

typedef struct dump_item {
    enum dump_kind kind;
    const void *p;
    size_t depth;
} dump_item;

typedef struct dump_stack {
    dump_item *items;
    size_t count, cap;
} dump_stack;

static void dump_push(dump_stack *st, enum dump_kind kind, const void *p, size_t depth)
{
    if (st->count == st->cap) {
        st->cap = st->cap ? 2 * st->cap : 64;
        st->items = xrealloc(st->items, st->cap * sizeof *st->items);
    }
    st->items[st->count++] = (dump_item){ kind, p, depth };
}

static void dump_indent(size_t depth, FILE *out)
{
    for (size_t i = 0; i < depth; i++)
        fputs("  ", out);
}

/* An explicit stack instead of recursion: the tree of a hostile script may
 * be as deep as the parser allowed, and dumping must not depend on the C
 * stack. Children are pushed in reverse so they print in order. */
void ast_dump(const ast_script *script, FILE *out)
{
    dump_stack st = { 0 };
    for (size_t i = script->top.count; i-- > 0;)
        dump_push(&st, DUMP_NODE, script->top.cmds[i], 0);

    while (st.count) {
        dump_item it = st.items[--st.count];
        dump_indent(it.depth, out);
        if (it.kind == DUMP_BLOCK) {
            const ast_block *b = it.p;
            fputs("block", out);
            dump_pos(script, b->span, out);
            fputc('\n', out);
            for (size_t i = b->count; i-- > 0;)
                dump_push(&st, DUMP_NODE, b->cmds[i], it.depth + 1);
            continue;
        }
        const ast_node *n = it.p;
        if (it.kind == DUMP_TEST_LIST) {
            fputs("test-list", out);
            dump_pos(script, n->test_list_span, out);
            fputc('\n', out);
            for (size_t i = n->ntests; i-- > 0;)
                dump_push(&st, DUMP_NODE, n->tests[i], it.depth + 1);
            continue;
        }
        fprintf(out, "%s %s", n->kind == AST_COMMAND ? "command" : "test", n->name);
        dump_pos(script, n->name_span, out);
        for (size_t i = 0; i < n->nargs; i++) {
            fputc(' ', out);
            dump_arg(&n->args[i], out);
        }
        fputc('\n', out);
        if (n->block)
            dump_push(&st, DUMP_BLOCK, n->block, it.depth + 1);
        if (n->test_list) {
            dump_push(&st, DUMP_TEST_LIST, n, it.depth + 1);
        } else {
            for (size_t i = n->ntests; i-- > 0;)
                dump_push(&st, DUMP_NODE, n->tests[i], it.depth + 1);
        }
    }
    free(st.items);
}
