/* parse: glue between the scanner (lexer.l), the grammar (parser.y) and the
 * rest of the compiler: token decoding, tree building, limits, and the
 * wording of syntax errors. See parse.h for the contract. */
#include "parse.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#define YYSTYPE SIEVE_YYSTYPE
#define YYLTYPE SIEVE_YYLTYPE
#include "lexer.h"

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        fputs("sievec: out of memory\n", stderr);
        abort();
    }
    return q;
}

/* Marks the parse as stopped by a limit: the scanner then only returns the
 * end of input and syntax errors are no longer reported, so the limit is the
 * one error the user sees. */
static void parse_abort(parse_ctx *ctx)
{
    ctx->aborted = true;
}

/* Offset of the first byte that is not part of valid UTF-8 (RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF), or len. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else {
            return i;
        }
        /* A truncated or broken sequence is reported at its lead byte. */
        for (size_t k = 1; k <= n; k++) {
            if (i + k >= len)
                return i;
            unsigned char d = s[i + k];
            if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xBF))
                return i;
        }
        i += n + 1;
    }
    return len;
}

/* ---- Scanner helpers ---------------------------------------------------- */

void lex_check_nul(parse_ctx *ctx, const char *text, size_t len, src_span span, const char *what)
{
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        uint32_t at = span.start + (uint32_t)(nul - text);
        diag_error(ctx->diag, ctx->src, src_span_make(at, at + 1), "invalid-character",
                   "NUL byte in a %s", what);
    }
}

/* RFC 5228 2.4.1: a number with an optional K (2^10), M (2^20) or G (2^30)
 * quantifier; sizes are unsigned 64-bit here, and anything larger is an
 * error rather than a silent wrap. */
void lex_number(parse_ctx *ctx, const char *text, size_t len, src_span span, uint64_t *value_r)
{
    uint64_t v = 0;
    bool overflow = false;
    size_t i = 0;
    for (; i < len && text[i] >= '0' && text[i] <= '9'; i++) {
        unsigned d = (unsigned)(text[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            overflow = true;
        else
            v = v * 10 + d;
    }
    if (i < len) {
        unsigned shift = 0;
        switch (text[i]) {
        case 'K': case 'k': shift = 10; break;
        case 'M': case 'm': shift = 20; break;
        case 'G': case 'g': shift = 30; break;
        }
        if (v > (UINT64_MAX >> shift))
            overflow = true;
        else
            v <<= shift;
    }
    if (overflow) {
        diag_error(ctx->diag, ctx->src, span, "number-too-large",
                   "number %.*s is too large (the largest is %" PRIu64 ")",
                   (int)(len > 40 ? 40 : len), text, UINT64_MAX);
        v = UINT64_MAX;
    }
    *value_r = v;
}

static bool string_limit_ok(parse_ctx *ctx, size_t len, src_span span)
{
    if (len <= ctx->lim->max_string_len)
        return true;
    diag_error(ctx->diag, ctx->src, span, "limit-exceeded",
               "string is too long (limit string_len=%zu bytes)",
               ctx->lim->max_string_len);
    return false;
}

/* RFC 5228 2.4.2: quoted-string. "\\" and "\"" are the escapes; a backslash
 * before any other character is dropped ("\a" is "a"). CR and LF are kept as
 * written; NUL is not allowed. Strings must be UTF-8. */
bool lex_quoted(parse_ctx *ctx, const char *text, size_t len, src_span span, ast_string *str_r)
{
    const char *body = text + 1;
    size_t blen = len - 2;
    uint32_t body_start = span.start + 1;

    const char *nul = memchr(body, '\0', blen);
    if (nul) {
        uint32_t at = body_start + (uint32_t)(nul - body);
        diag_error(ctx->diag, ctx->src, src_span_make(at, at + 1), "invalid-character",
                   "NUL byte in a string (write it as \"${hex:00}\" with the encoded-character extension)");
    } else {
        size_t bad = utf8_invalid_at((const unsigned char *)body, blen);
        if (bad < blen) {
            uint32_t at = body_start + (uint32_t)bad;
            diag_error(ctx->diag, ctx->src, src_span_make(at, at + 1), "invalid-utf8",
                       "invalid UTF-8 in a string (byte 0x%02X)", (unsigned char)body[bad]);
        }
    }

    char *out = arena_alloc(ctx->arena, blen + 1);
    size_t n = 0;
    for (size_t i = 0; i < blen; i++) {
        if (body[i] == '\\' && i + 1 < blen)
            i++;
        out[n++] = body[i];
    }
    out[n] = '\0';
    if (!string_limit_ok(ctx, n, span)) {
        n = ctx->lim->max_string_len;
        out[n] = '\0';
    }
    str_r->text = out;
    str_r->len = n;
    str_r->span = span;
    str_r->multiline = false;
    return true;
}

static void buf_append(parse_ctx *ctx, const char *s, size_t len)
{
    if (ctx->buf_over_limit)
        return;
    if (ctx->buflen + len > ctx->lim->max_string_len) {
        ctx->buf_over_limit = true;
        return;
    }
    if (ctx->buflen + len + 1 > ctx->bufcap) {
        size_t cap = ctx->bufcap ? ctx->bufcap : 256;
        while (cap < ctx->buflen + len + 1)
            cap *= 2;
        ctx->buf = xrealloc(ctx->buf, cap);
        ctx->bufcap = cap;
    }
    memcpy(ctx->buf + ctx->buflen, s, len);
    ctx->buflen += len;
}

static size_t strip_eol(const char *text, size_t len)
{
    if (len && text[len - 1] == '\n')
        len--;
    if (len && text[len - 1] == '\r')
        len--;
    return len;
}

/* RFC 5228 8.1: multi-line = "text:" *(SP / HTAB) (hash-comment / CRLF) ...
 * The scanner matched "text:" and the rest of its line. */
void lex_multiline_start(parse_ctx *ctx, const char *text, size_t len, src_span span)
{
    ctx->multi_start = span.start;
    ctx->multi_bad = false;
    ctx->buflen = 0;
    ctx->buf_over_limit = false;

    size_t end = strip_eol(text, len);
    size_t i = 5;
    while (i < end && (text[i] == ' ' || text[i] == '\t'))
        i++;
    if (i < end && text[i] == '#') {
        lex_check_nul(ctx, text + i, end - i, src_span_make(span.start + (uint32_t)i, span.start + (uint32_t)end),
                      "comment");
    } else if (i < end) {
        uint32_t at = span.start + (uint32_t)i;
        diag_error(ctx->diag, ctx->src, src_span_make(at, span.start + (uint32_t)end), "syntax-error",
                   "unexpected text after 'text:'; only a '#' comment may follow it on its line");
        ctx->multi_bad = true;
    }
}

/* multiline-literal / multiline-dotstart: a leading '.' followed by another
 * '.' is removed (dot-stuffing); every line end becomes CRLF. */
void lex_multiline_line(parse_ctx *ctx, const char *text, size_t len, src_span span)
{
    size_t end = strip_eol(text, len);
    if (!ctx->multi_bad) {
        const char *nul = memchr(text, '\0', end);
        size_t bad = nul ? (size_t)(nul - text) : utf8_invalid_at((const unsigned char *)text, end);
        if (bad < end) {
            uint32_t at = span.start + (uint32_t)bad;
            if (nul)
                diag_error(ctx->diag, ctx->src, src_span_make(at, at + 1), "invalid-character",
                           "NUL byte in a string");
            else
                diag_error(ctx->diag, ctx->src, src_span_make(at, at + 1), "invalid-utf8",
                           "invalid UTF-8 in a string (byte 0x%02X)", (unsigned char)text[bad]);
            ctx->multi_bad = true;
        }
    }
    size_t skip = end >= 2 && text[0] == '.' && text[1] == '.' ? 1 : 0;
    buf_append(ctx, text + skip, end - skip);
    buf_append(ctx, "\r\n", 2);
}

bool lex_multiline_end(parse_ctx *ctx, src_span span, ast_string *str_r)
{
    src_span whole = src_span_make(ctx->multi_start, span.start + 1);
    if (ctx->buf_over_limit)
        string_limit_ok(ctx, ctx->lim->max_string_len + 1, whole);
    str_r->text = arena_strndup(ctx->arena, ctx->buf ? ctx->buf : "", ctx->buflen);
    str_r->len = ctx->buflen;
    str_r->span = whole;
    str_r->multiline = true;
    return true;
}

void lex_multiline_unterminated(parse_ctx *ctx)
{
    diag_error(ctx->diag, ctx->src, src_span_make(ctx->multi_start, ctx->multi_start + 5),
               "unterminated-string",
               "unterminated multi-line string: no line holding only '.' before the end of input");
}

void lex_open(parse_ctx *ctx, char ch, src_span span)
{
    if (ctx->nbrackets == ctx->capbrackets) {
        ctx->capbrackets = ctx->capbrackets ? 2 * ctx->capbrackets : 16;
        ctx->brackets = xrealloc(ctx->brackets, ctx->capbrackets * sizeof *ctx->brackets);
    }
    ctx->brackets[ctx->nbrackets].ch = ch;
    ctx->brackets[ctx->nbrackets].span = span;
    ctx->nbrackets++;
    if (ch == '{')
        ctx->block_depth++;
    if (ctx->aborted)
        return;
    /* In a valid script every '(' belongs to a test and every '[' is at
     * most one deep, so brackets deeper than the nesting limit allows are
     * hostile or broken input: stop here rather than read on. */
    if (ctx->block_depth > ctx->lim->max_nesting || ctx->nbrackets - 1 > ctx->lim->max_nesting) {
        if (!ctx->recovering)
            diag_error(ctx->diag, ctx->src, span, "limit-exceeded",
                       "blocks and tests are nested too deeply (limit nesting=%zu)",
                       ctx->lim->max_nesting);
        parse_abort(ctx);
    }
}

void lex_close(parse_ctx *ctx, char opener)
{
    ctx->last_close_matched = false;
    for (size_t i = ctx->nbrackets; i-- > 0;) {
        if (ctx->brackets[i].ch != opener)
            continue;
        /* Mismatched brackets in between are dropped with this one. */
        for (size_t k = i; k < ctx->nbrackets; k++)
            if (ctx->brackets[k].ch == '{')
                ctx->block_depth--;
        ctx->nbrackets = i;
        ctx->last_close_matched = true;
        return;
    }
}

void lex_invalid(parse_ctx *ctx, const char *text, size_t len, src_span span)
{
    const unsigned char *s = (const unsigned char *)text;
    ctx->skipped_invalid = true;
    if (s[0] == 0) {
        diag_error(ctx->diag, ctx->src, span, "invalid-character", "NUL byte in the script");
        return;
    }
    if (s[0] < 0x80) {
        if (s[0] >= 0x20 && s[0] < 0x7f)
            diag_error(ctx->diag, ctx->src, span, "invalid-character",
                       "unexpected character '%c'", s[0]);
        else
            diag_error(ctx->diag, ctx->src, span, "invalid-character",
                       "unexpected control character 0x%02X", s[0]);
        return;
    }
    size_t bad = utf8_invalid_at(s, len);
    if (bad == 0) {
        diag_error(ctx->diag, ctx->src, src_span_make(span.start, span.start + 1), "invalid-utf8",
                   "invalid UTF-8 (byte 0x%02X)", s[0]);
        return;
    }
    /* Name the first character (with its code point, since it may be
     * invisible); the caret covers the run. */
    size_t first = 1;
    while (first < bad && (s[first] & 0xC0) == 0x80)
        first++;
    uint32_t cp = first == 2 ? (s[0] & 0x1Fu) : first == 3 ? (s[0] & 0x0Fu) : (s[0] & 0x07u);
    for (size_t k = 1; k < first; k++)
        cp = (cp << 6) | (s[k] & 0x3Fu);
    src_span run = src_span_make(span.start, span.start + (uint32_t)bad);
    if (cp == 0xFEFF)
        diag_error(ctx->diag, ctx->src, run, "invalid-character",
                   "unexpected byte order mark (U+FEFF); save the script as UTF-8 without one");
    else
        diag_error(ctx->diag, ctx->src, run, "invalid-character",
                   "unexpected character '%.*s' (U+%04X)", (int)first, text, (unsigned)cp);
    if (bad < len) {
        uint32_t at = span.start + (uint32_t)bad;
        diag_error(ctx->diag, ctx->src, src_span_make(at, at + 1), "invalid-utf8",
                   "invalid UTF-8 (byte 0x%02X)", s[bad]);
    }
}

/* ---- Parser helpers ----------------------------------------------------- */

/* Reads the next token for the parser. After a syntax error it skips to the
 * ';' or '}' that ends the broken command at the block depth where the error
 * happened, so the parser's error rules resynchronise there and not at a ';'
 * inside a nested block (which would cascade). A '}' closing a block opened
 * inside the broken command ends it and is handed over as ';'. */
int parse_lex(YYSTYPE *lval, YYLTYPE *lloc, parse_ctx *ctx)
{
    for (;;) {
        int tok = sieve_yylex(lval, lloc, ctx->scanner);
        if (ctx->aborted) {
            lloc->start = lloc->end = ctx->last_end;
            return END;
        }
        if (tok != END)
            ctx->last_end = lloc->end;
        ctx->after_invalid = ctx->skipped_invalid;
        ctx->skipped_invalid = false;
        if (!ctx->recovering || tok == END)
            return tok;
        bool end_of_command = false;
        if (tok == ';' && ctx->block_depth == ctx->recover_depth)
            end_of_command = true;
        if (tok == '}' && ctx->last_close_matched) {
            if (ctx->block_depth < ctx->recover_depth) {
                ctx->recovering = false;
                return tok;
            }
            if (ctx->block_depth == ctx->recover_depth) {
                end_of_command = true;
                tok = ';';
            }
        }
        if (end_of_command) {
            ctx->recovering = false;
            /* Between commands no '(' or '[' is open: forget those the
             * broken command left, so they are not blamed at the end. */
            while (ctx->nbrackets > 0 && ctx->brackets[ctx->nbrackets - 1].ch != '{')
                ctx->nbrackets--;
            /* The parser already resynchronised on an earlier ';'. */
            if (ctx->recover_swallow)
                continue;
            return tok;
        }
    }
}

void parse_args_add(parse_ctx *ctx, parse_args *args, const ast_arg *arg)
{
    if (args->count == args->cap) {
        size_t cap = args->cap ? 2 * args->cap : 4;
        args->items = arena_grow(ctx->arena, args->items, args->count * sizeof *args->items,
                                 cap * sizeof *args->items);
        args->cap = cap;
    }
    args->items[args->count++] = *arg;
}

void parse_strings_add(parse_ctx *ctx, parse_strings *list, const ast_string *s)
{
    if (list->count >= ctx->lim->max_list_items) {
        if (!list->over_limit)
            diag_error(ctx->diag, ctx->src, s->span, "limit-exceeded",
                       "string list has too many entries (limit list_items=%zu)",
                       ctx->lim->max_list_items);
        list->over_limit = true;
        return;
    }
    if (list->count == list->cap) {
        size_t cap = list->cap ? 2 * list->cap : 4;
        list->items = arena_grow(ctx->arena, list->items, list->count * sizeof *list->items,
                                 cap * sizeof *list->items);
        list->cap = cap;
    }
    list->items[list->count++] = *s;
}

void parse_nodes_add(parse_ctx *ctx, parse_nodes *nodes, ast_node *node)
{
    if (nodes->count == nodes->cap) {
        size_t cap = nodes->cap ? 2 * nodes->cap : 8;
        nodes->items = arena_grow(ctx->arena, nodes->items, nodes->count * sizeof *nodes->items,
                                  cap * sizeof *nodes->items);
        nodes->cap = cap;
    }
    nodes->items[nodes->count++] = node;
}

void parse_tests_add(parse_ctx *ctx, parse_tests *tests, ast_node *node)
{
    if (tests->count == tests->cap) {
        size_t cap = tests->cap ? 2 * tests->cap : 2;
        tests->items = arena_grow(ctx->arena, tests->items, tests->count * sizeof *tests->items,
                                  cap * sizeof *tests->items);
        tests->cap = cap;
    }
    tests->items[tests->count++] = node;
}

ast_node *parse_node(parse_ctx *ctx, ast_node_kind kind, const char *name, src_span name_span,
                     src_span span, parse_args *args, parse_tests *tests, ast_block *block)
{
    ast_node *n = arena_alloc(ctx->arena, sizeof *n);
    n->kind = kind;
    n->name = name;
    n->name_span = name_span;
    n->span = span;
    n->args = args->items;
    n->nargs = args->count;
    n->tests = tests->items;
    n->ntests = tests->count;
    n->test_list = tests->list;
    n->test_list_span = tests->span;
    n->block = block;
    return n;
}

ast_block *parse_block(parse_ctx *ctx, parse_nodes *cmds, src_span span)
{
    ast_block *b = arena_alloc(ctx->arena, sizeof *b);
    b->cmds = cmds->items;
    b->count = cmds->count;
    b->span = span;
    return b;
}

bool parse_count_command(parse_ctx *ctx, src_span span)
{
    if (++ctx->ncommands <= ctx->lim->max_commands)
        return true;
    diag_error(ctx->diag, ctx->src, span, "limit-exceeded",
               "script has too many commands (limit commands=%zu)",
               ctx->lim->max_commands);
    parse_abort(ctx);
    return false;
}

bool parse_enter_test(parse_ctx *ctx, src_span span, uint32_t block_depth)
{
    ctx->test_depth++;
    if (++ctx->ntests > ctx->lim->max_tests) {
        diag_error(ctx->diag, ctx->src, span, "limit-exceeded",
                   "script has too many tests (limit tests=%zu)",
                   ctx->lim->max_tests);
        parse_abort(ctx);
        return false;
    }
    if (block_depth + ctx->test_depth > ctx->lim->max_nesting) {
        diag_error(ctx->diag, ctx->src, span, "limit-exceeded",
                   "blocks and tests are nested too deeply (limit nesting=%zu)",
                   ctx->lim->max_nesting);
        parse_abort(ctx);
        return false;
    }
    return true;
}

/* Bison calls this only when its stack is exhausted (syntax errors go to
 * parse_syntax_error). */
void parse_error(YYLTYPE *loc, parse_ctx *ctx, const char *msg)
{
    (void)msg;
    if (ctx->aborted)
        return;
    diag_error(ctx->diag, ctx->src, *loc, "limit-exceeded",
               "script is nested too deeply for the parser");
    parse_abort(ctx);
}

/* ---- Syntax error wording ----------------------------------------------- */

static bool has(const int *expected, int n, int cls)
{
    for (int i = 0; i < n; i++)
        if (expected[i] == cls)
            return true;
    return false;
}

static const char *class_name(int cls)
{
    switch (cls) {
    case END: return "end of input";
    case IDENT: return "an identifier";
    case TAG: return "a tag";
    case STRING: return "a string";
    case NUMBER: return "a number";
    case '{': return "'{'";
    case '}': return "'}'";
    case '(': return "'('";
    case ')': return "')'";
    case '[': return "'['";
    case ']': return "']'";
    case ';': return "';'";
    case ',': return "','";
    }
    return "a token";
}

/* Copies at most max bytes of source text, stopping at a UTF-8 character
 * boundary; control bytes become '?' so a message stays on one line. */
static void snippet(char *out, size_t size, const char *s, size_t len, size_t max)
{
    bool cut = len > max;
    if (cut) {
        len = max;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    size_t o = 0;
    for (size_t i = 0; i < len && o + 4 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        out[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    if (cut && o + 4 < size) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

static void describe_found(const parse_ctx *ctx, int cls, const src_span *loc, char *out, size_t size)
{
    const char *text = ctx->src->text + loc->start;
    size_t len = loc->end > loc->start ? loc->end - loc->start : 0;
    char snip[96];
    switch (cls) {
    case END:
        snprintf(out, size, "end of input");
        return;
    case IDENT:
        snippet(snip, sizeof snip, text, len, 32);
        snprintf(out, size, "identifier '%s'", snip);
        return;
    case TAG:
        snippet(snip, sizeof snip, text, len, 32);
        snprintf(out, size, "tag '%s'", snip);
        return;
    case NUMBER:
        snippet(snip, sizeof snip, text, len, 32);
        snprintf(out, size, "number %s", snip);
        return;
    case STRING:
        if (len && text[0] == '"') {
            snippet(snip, sizeof snip, text, len, 32);
            snprintf(out, size, "string %s", snip);
        } else {
            snprintf(out, size, "multi-line string");
        }
        return;
    }
    snprintf(out, size, "%s", class_name(cls));
}

static char closer_of(char open)
{
    return open == '{' ? '}' : open == '(' ? ')' : ']';
}

void parse_syntax_error(parse_ctx *ctx, int found, const src_span *loc,
                        const int *expected, int nexpected)
{
    if (ctx->aborted)
        return;
    /* Resynchronise at the end of the broken command (see parse_lex). */
    ctx->recover_swallow = false;
    if (found != ';' && found != '}' && found != END) {
        ctx->recovering = true;
        ctx->recover_depth = ctx->block_depth - (found == '{' && ctx->block_depth ? 1 : 0);
    } else if (found == ';' && ctx->nbrackets > 0 && ctx->brackets[ctx->nbrackets - 1].ch != '{') {
        /* A ';' inside '(' or '[': the parser resynchronises on it, and the
         * rest of the broken command up to its real end is skipped. */
        ctx->recovering = true;
        ctx->recover_swallow = true;
        ctx->recover_depth = ctx->block_depth;
    }
    /* The scanner said what was wrong; a token right after skipped
     * invalid characters is most likely part of the same mistake. */
    if (found == LEXERR || ctx->after_invalid)
        return;

    const char *id = "syntax-error";
    src_span span = *loc;
    if (found == END && ctx->nbrackets > 0) {
        const parse_bracket *b = &ctx->brackets[ctx->nbrackets - 1];
        diag_error(ctx->diag, ctx->src, span, "unclosed-bracket",
                   "unexpected end of input: missing '%c'", closer_of(b->ch));
        diag_note(ctx->diag, ctx->src, b->span, "'%c' opened here", b->ch);
        return;
    }

    char what[160];
    describe_found(ctx, found, loc, what, sizeof what);
    const int *e = expected;
    int n = nexpected;

    if ((found == '}' || found == ')' || found == ']') && !ctx->last_close_matched) {
        char open = found == '}' ? '{' : found == ')' ? '(' : '[';
        diag_error(ctx->diag, ctx->src, span, id, "unexpected '%c' without a matching '%c'",
                   (char)found, open);
    } else if (has(e, n, ';')) {
        diag_error(ctx->diag, ctx->src, span, id,
                   "expected ';' or '{' after the arguments of '%s', but found %s",
                   ctx->cur_cmd ? ctx->cur_cmd : "?", what);
    } else if (has(e, n, ',') && has(e, n, ')')) {
        diag_error(ctx->diag, ctx->src, span, id,
                   "expected ',' or ')' in the test list, but found %s", what);
    } else if (has(e, n, ',') && has(e, n, ']')) {
        diag_error(ctx->diag, ctx->src, span, id,
                   "expected ',' or ']' in the string list, but found %s", what);
    } else if (n == 1 && e[0] == STRING) {
        diag_error(ctx->diag, ctx->src, span, id, "expected a string, but found %s", what);
    } else if (has(e, n, IDENT) && has(e, n, '}')) {
        diag_error(ctx->diag, ctx->src, span, id, "expected a command or '}', but found %s", what);
    } else if (has(e, n, IDENT) && has(e, n, END)) {
        diag_error(ctx->diag, ctx->src, span, id, "expected a command, but found %s", what);
    } else if (n == 1 && e[0] == IDENT) {
        diag_error(ctx->diag, ctx->src, span, id, "expected a test, but found %s", what);
    } else if (n > 0 && n <= 4) {
        char list[256];
        size_t o = 0;
        list[0] = '\0';
        for (int i = 0; i < n; i++) {
            const char *sep = i == 0 ? "" : i == n - 1 ? " or " : ", ";
            int w = snprintf(list + o, sizeof list - o, "%s%s", sep, class_name(e[i]));
            if (w < 0 || (size_t)w >= sizeof list - o)
                break;
            o += (size_t)w;
        }
        diag_error(ctx->diag, ctx->src, span, id, "expected %s, but found %s", list, what);
    } else {
        diag_error(ctx->diag, ctx->src, span, id, "unexpected %s", what);
    }
}

/* ---- Entry point -------------------------------------------------------- */

size_t parse_script(const source *src, const sieve_limits *lim, diag_sink *diag,
                    ast_script **script_r)
{
    size_t errors_before = diag_error_count(diag);
    ast_script *script = ast_script_new(src);
    *script_r = script;
    script->top.span = src_span_make(0, (uint32_t)(src->len < UINT32_MAX ? src->len : UINT32_MAX));

    if (src->len > lim->max_script_size || src->len >= (size_t)INT32_MAX) {
        diag_error(diag, src, src_span_make(0, 0), "limit-exceeded",
                   "script is too large (limit script_size=%zu bytes)",
                   lim->max_script_size);
        return diag_error_count(diag) - errors_before;
    }

    parse_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.src = src;
    ctx.lim = lim;
    ctx.diag = diag;
    ctx.script = script;
    ctx.arena = script->arena;

    yyscan_t scanner;
    if (sieve_yylex_init_extra(&ctx, &scanner) != 0) {
        fputs("sievec: out of memory\n", stderr);
        abort();
    }
    ctx.scanner = scanner;
    sieve_yy_scan_bytes(src->text, (int)src->len, scanner);
    sieve_yyparse(&ctx);
    sieve_yylex_destroy(scanner);

    script->top.cmds = ctx.top.items;
    script->top.count = ctx.top.count;
    free(ctx.brackets);
    free(ctx.buf);
    return diag_error_count(diag) - errors_before;
}
