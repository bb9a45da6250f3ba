/* ast: the syntax tree of one Sieve script (RFC 5228 section 8.2).
 *
 * Commands and tests have the same shape (an identifier, arguments, an
 * optional test or parenthesised test list), so both are ast_node; a command
 * also ends with ';' or a block. Every node and string records its span in
 * the source. Strings are stored decoded: quoted-string escapes removed,
 * text: literals dot-unstuffed with CRLF line ends (RFC 5228 2.4.2), and,
 * after the checker ran, encoded-character sequences resolved. Identifiers
 * and tags keep their spelling; lookups fold case.
 *
 * Everything lives in the script's arena and is freed with it in one call
 * (ast_script_free). The parser builds the tree; the checker (sema) fills
 * the def/sema slots; later phases only read. No global state.
 */
#ifndef SIEVEC_AST_H
#define SIEVEC_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "source.h"

typedef enum ast_arg_kind {
    AST_ARG_NUMBER,
    AST_ARG_STRING,
    AST_ARG_STRING_LIST,
    AST_ARG_TAG,
} ast_arg_kind;

typedef struct ast_string {
    char *text;          /* decoded, NUL-terminated; may contain NUL only
                            after encoded-character resolution */
    size_t len;
    src_span span;       /* the literal as written, quotes included */
    bool multiline;      /* written as text: ... . */
} ast_string;

typedef struct ast_arg {
    ast_arg_kind kind;
    src_span span;
    union {
        struct {
            uint64_t value;      /* K/M/G already applied */
        } number;
        ast_string string;       /* AST_ARG_STRING */
        struct {
            ast_string *items;
            size_t count;
        } list;                  /* AST_ARG_STRING_LIST: [ "a", "b" ] */
        struct {
            const char *name;    /* without the ':' */
        } tag;
    } u;
} ast_arg;

typedef enum ast_node_kind {
    AST_COMMAND,
    AST_TEST,
} ast_node_kind;

struct reg_def;     /* registry.h: what the checker resolved the name to */
struct sema_node;   /* sema.h: per-node facts for later phases */

typedef struct ast_block ast_block;

typedef struct ast_node {
    ast_node_kind kind;
    const char *name;        /* identifier as written */
    src_span name_span;
    src_span span;           /* from the identifier to ';' or '}' */

    ast_arg *args;
    size_t nargs;

    /* A single test (`if true`) has ntests == 1 and test_list false;
     * `(a, b)` has test_list true, even with one element: RFC 5228 8.2
     * parses `if (not x)` as a test list, which `if` must refuse. */
    struct ast_node **tests;
    size_t ntests;
    bool test_list;
    src_span test_list_span;

    ast_block *block;        /* commands only; NULL when ended by ';' */

    const struct reg_def *def;   /* set by sema */
    struct sema_node *sema;      /* set by sema */
} ast_node;

struct ast_block {
    ast_node **cmds;
    size_t count;
    src_span span;           /* '{' to '}' (the whole script for the top) */
};

typedef struct ast_script {
    const source *src;       /* not owned */
    arena *arena;            /* owns every node and string */
    ast_block top;
} ast_script;

ast_script *ast_script_new(const source *src);
void ast_script_free(ast_script **script_r);

/* Case-insensitive ASCII comparison for identifiers, tags and names. */
bool ast_name_eq(const char *a, const char *b);

/* Debug dump of the tree, one node per line, for tests and --dump-ast. */
void ast_dump(const ast_script *script, FILE *out);

#endif
