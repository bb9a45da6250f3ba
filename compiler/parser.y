/* parser: the Sieve grammar of RFC 5228 section 8.2, building the tree of
 * ast.h in the script's arena.
 *
 * A pure bison parser; its one parameter is the parse context shared with
 * the scanner (lexer.l). Syntax errors are reported by
 * yyreport_syntax_error in parse.c's words; recovery happens at ';' and '}'
 * (the error rules below), so one typo gives one error. Limits on commands,
 * tests, nesting and list sizes are checked as the tree is built; exceeding
 * one of them stops the parse (YYABORT) after one "limit-exceeded" error.
 */
%define api.pure full
%define api.prefix {sieve_yy}
%define api.location.type {src_span}
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%param {struct parse_ctx *ctx}

%code requires {
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "limits.h"
#include "source.h"

/* Growable arrays for the semantic values; each grows by doubling inside
 * the arena (arena_grow), so building a long list stays linear. */
typedef struct parse_args {
    ast_arg *items;
    size_t count, cap;
} parse_args;

typedef struct parse_strings {
    ast_string *items;
    size_t count, cap;
    bool over_limit;         /* max_list_items reported for this list */
} parse_strings;

typedef struct parse_nodes {
    ast_node **items;
    size_t count, cap;
} parse_nodes;

typedef struct parse_tests {
    ast_node **items;
    size_t count, cap;
    bool list;               /* written as ( ... ) */
    src_span span;           /* the parentheses, for a list */
} parse_tests;

typedef struct parse_ident {
    char *name;
    uint32_t block_depth;    /* blocks open where it was scanned */
} parse_ident;

/* An opened '{', '(' or '[' not yet closed, for "'{' opened here". */
typedef struct parse_bracket {
    char ch;
    src_span span;
} parse_bracket;

typedef struct parse_ctx {
    const source *src;
    const sieve_limits *lim;
    diag_sink *diag;
    ast_script *script;
    arena *arena;
    void *scanner;               /* yyscan_t */

    uint32_t pos;                /* offset of the next byte the scanner reads */
    uint32_t last_end;           /* end of the last token returned */

    parse_bracket *brackets;     /* malloc'd; bounded by the script size */
    size_t nbrackets, capbrackets;
    size_t block_depth;          /* '{' open right now */
    size_t test_depth;           /* tests open inside the current command */

    size_t ncommands, ntests;
    const char *cur_cmd;         /* for "after the arguments of 'keep'" */
    parse_nodes top;             /* the top-level commands so far */

    /* Decoding buffer for strings (malloc'd, reused). */
    char *buf;
    size_t buflen, bufcap;
    bool buf_over_limit;
    uint32_t multi_start;        /* offset of "text:" */
    bool multi_bad;              /* an error was already reported in it */

    bool skipped_invalid;        /* invalid characters since the last token */
    bool after_invalid;          /* ... before the token just returned */
    bool last_close_matched;     /* the last closer scanned had an opener */
    bool recovering;             /* skipping tokens after a syntax error */
    size_t recover_depth;        /* block depth where the error happened */
    bool recover_swallow;        /* drop the ';' that ends the skip */

    bool aborted;                /* a limit stopped the parse */
} parse_ctx;
}

%code provides {
/* Scanner helpers (parse.c); the scanner calls them from its rules. */
void lex_check_nul(parse_ctx *ctx, const char *text, size_t len, src_span span, const char *what);
void lex_number(parse_ctx *ctx, const char *text, size_t len, src_span span, uint64_t *value_r);
bool lex_quoted(parse_ctx *ctx, const char *text, size_t len, src_span span, ast_string *str_r);
void lex_multiline_start(parse_ctx *ctx, const char *text, size_t len, src_span span);
void lex_multiline_line(parse_ctx *ctx, const char *text, size_t len, src_span span);
bool lex_multiline_end(parse_ctx *ctx, src_span span, ast_string *str_r);
void lex_multiline_unterminated(parse_ctx *ctx);
void lex_open(parse_ctx *ctx, char ch, src_span span);
void lex_close(parse_ctx *ctx, char opener);
void lex_invalid(parse_ctx *ctx, const char *text, size_t len, src_span span);

/* Parser helpers (parse.c). */
int parse_lex(SIEVE_YYSTYPE *lval, SIEVE_YYLTYPE *lloc, parse_ctx *ctx);
void parse_args_add(parse_ctx *ctx, parse_args *args, const ast_arg *arg);
void parse_strings_add(parse_ctx *ctx, parse_strings *list, const ast_string *s);
void parse_nodes_add(parse_ctx *ctx, parse_nodes *nodes, ast_node *node);
void parse_tests_add(parse_ctx *ctx, parse_tests *tests, ast_node *node);
ast_node *parse_node(parse_ctx *ctx, ast_node_kind kind, const char *name, src_span name_span,
                     src_span span, parse_args *args, parse_tests *tests, ast_block *block);
ast_block *parse_block(parse_ctx *ctx, parse_nodes *cmds, src_span span);
bool parse_count_command(parse_ctx *ctx, src_span span);
bool parse_enter_test(parse_ctx *ctx, src_span span, uint32_t block_depth);
void parse_error(SIEVE_YYLTYPE *loc, parse_ctx *ctx, const char *msg);
/* Reports a syntax error: found and expected are token classes (IDENT,
 * STRING, ..., END, or the character of a punctuation token). */
void parse_syntax_error(parse_ctx *ctx, int found, const src_span *loc,
                        const int *expected, int nexpected);
int parse_symbol_class(int sym);
}

%code {
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                  \
    do {                                                             \
        if (N) {                                                     \
            (Cur).start = YYRHSLOC(Rhs, 1).start;                    \
            (Cur).end = YYRHSLOC(Rhs, N).end;                        \
        } else {                                                     \
            (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;          \
        }                                                            \
    } while (0)

/* The stack lives on the heap and stays bounded: the nesting limit stops
 * the parse long before this in any configuration people use, and beyond it
 * bison reports exhaustion, which parse_error turns into limit-exceeded. */
#define YYMAXDEPTH 100000
#define YYLOCATION_PRINT(File, Loc) ((void)0)

static int sieve_yylex(SIEVE_YYSTYPE *lval, SIEVE_YYLTYPE *lloc, parse_ctx *ctx)
{
    return parse_lex(lval, lloc, ctx);
}

static void sieve_yyerror(SIEVE_YYLTYPE *loc, parse_ctx *ctx, const char *msg)
{
    parse_error(loc, ctx, msg);
}

}

%union {
    uint64_t number;
    parse_ident ident;
    char *tag;
    ast_string string;
    parse_strings strings;
    ast_arg arg;
    parse_args args;
    parse_tests tests;
    ast_node *node;
    parse_nodes nodes;
    ast_block *block;
}

%token END 0 "end of input"
%token <ident> IDENT "identifier"
%token <tag> TAG "tag"
%token <string> STRING "string"
%token <number> NUMBER "number"
%token LEXERR "invalid token"

%type <strings> strings
%type <arg> argument
%type <args> arguments
%type <tests> opt_tests tests test_list
%type <node> command test
%type <ident> cmd_name
%type <nodes> commands
%type <block> block

%%

/* start = commands (the top level is collected straight into the script so
 * a parse stopped by an error still leaves what came before) */
script:
    %empty
  | script command {
        if ($2)
            parse_nodes_add(ctx, &ctx->top, $2);
    }
  ;

commands:
    %empty { $$ = (parse_nodes){ 0 }; }
  | commands command {
        $$ = $1;
        if ($2)
            parse_nodes_add(ctx, &$$, $2);
    }
  ;

/* command = identifier arguments (";" / block) */
command:
    cmd_name arguments opt_tests ';' {
        $$ = parse_node(ctx, AST_COMMAND, $1.name, @1, @$, &$2, &$3, NULL);
        if (!parse_count_command(ctx, @1))
            YYABORT;
    }
  | cmd_name arguments opt_tests block {
        $$ = parse_node(ctx, AST_COMMAND, $1.name, @1, @$, &$2, &$3, $4);
        if (!parse_count_command(ctx, @1))
            YYABORT;
    }
  | error ';' {
        $$ = NULL;
        ctx->test_depth = 0;
        yyerrok;
    }
  ;

cmd_name:
    IDENT {
        $$ = $1;
        ctx->cur_cmd = $1.name;
    }
  ;

/* block = "{" commands "}" */
block:
    '{' commands '}' {
        $$ = parse_block(ctx, &$2, @$);
    }
  | '{' commands error '}' {
        $$ = parse_block(ctx, &$2, @$);
        ctx->test_depth = 0;
        yyerrok;
    }
  ;

/* arguments = *argument [ test / test-list ]; the optional test part is
 * opt_tests, shared by commands and tests */
arguments:
    %empty { $$ = (parse_args){ 0 }; }
  | arguments argument {
        $$ = $1;
        parse_args_add(ctx, &$$, &$2);
    }
  ;

/* argument = string-list / number / tag */
argument:
    STRING {
        $$ = (ast_arg){ .kind = AST_ARG_STRING, .span = @1 };
        $$.u.string = $1;
    }
  | '[' strings ']' {
        $$ = (ast_arg){ .kind = AST_ARG_STRING_LIST, .span = @$ };
        $$.u.list.items = $2.items;
        $$.u.list.count = $2.count;
    }
  | NUMBER {
        $$ = (ast_arg){ .kind = AST_ARG_NUMBER, .span = @1 };
        $$.u.number.value = $1;
    }
  | TAG {
        $$ = (ast_arg){ .kind = AST_ARG_TAG, .span = @1 };
        $$.u.tag.name = $1;
    }
  ;

/* string-list = "[" string *("," string) "]" / string */
strings:
    STRING {
        $$ = (parse_strings){ 0 };
        parse_strings_add(ctx, &$$, &$1);
    }
  | strings ',' STRING {
        $$ = $1;
        parse_strings_add(ctx, &$$, &$3);
    }
  ;

opt_tests:
    %empty { $$ = (parse_tests){ 0 }; }
  | test {
        $$ = (parse_tests){ 0 };
        parse_tests_add(ctx, &$$, $1);
    }
  | test_list { $$ = $1; }
  ;

/* test-list = "(" test *("," test) ")" */
test_list:
    '(' tests ')' {
        $$ = $2;
        $$.list = true;
        $$.span = @$;
    }
  ;

tests:
    test {
        $$ = (parse_tests){ 0 };
        parse_tests_add(ctx, &$$, $1);
    }
  | tests ',' test {
        $$ = $1;
        parse_tests_add(ctx, &$$, $3);
    }
  ;

/* test = identifier arguments */
test:
    IDENT {
        if (!parse_enter_test(ctx, @1, $1.block_depth))
            YYABORT;
    } arguments opt_tests {
        $$ = parse_node(ctx, AST_TEST, $1.name, @1, @$, &$3, &$4, NULL);
        ctx->test_depth--;
    }
  ;

%%

/* The custom syntax error report (parse.error custom) lives here because
 * it needs the parser's symbol tables; the wording is built in parse.c. */

static int yyreport_syntax_error(const yypcontext_t *yyctx, parse_ctx *ctx)
{
    yysymbol_kind_t exp[YYNTOKENS];
    int n = yypcontext_expected_tokens(yyctx, exp, YYNTOKENS);
    int expected[YYNTOKENS];
    if (n < 0)
        n = 0;
    for (int i = 0; i < n; i++)
        expected[i] = parse_symbol_class(exp[i]);
    parse_syntax_error(ctx, parse_symbol_class(yypcontext_token(yyctx)),
                       yypcontext_location(yyctx), expected, n);
    return 0;
}

/* Maps bison's internal symbol numbers to the token classes parse.c names. */
int parse_symbol_class(int sym)
{
    switch ((yysymbol_kind_t)sym) {
    case YYSYMBOL_YYEOF: return END;
    case YYSYMBOL_IDENT: return IDENT;
    case YYSYMBOL_TAG: return TAG;
    case YYSYMBOL_STRING: return STRING;
    case YYSYMBOL_NUMBER: return NUMBER;
    case YYSYMBOL_LEXERR: return LEXERR;
    case YYSYMBOL_YYEMPTY: return END;
    default: break;
    }
    const char *name = yysymbol_name((yysymbol_kind_t)sym);
    /* Character literals are named "'x'" by bison. */
    if (name && name[0] == '\'' && name[1] && name[2] == '\'')
        return (unsigned char)name[1];
    return LEXERR;
}
