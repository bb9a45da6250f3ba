/* program: validation and load-time preparation of a program table (see
 * program.h and exec.h). Every word is checked before it is used as an
 * offset, a count, a slot or an enum value: a bad table is refused with a
 * message naming the record and what is wrong, never read out of bounds.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "regex.h"

typedef struct prep {
    rt_program *p;
    char *err;
    size_t errlen;
} prep;

__attribute__((format(printf, 2, 3)))
static int fail(prep *c, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    snprintf(c->err, c->errlen, "invalid program table: %s", buf);
    return -1;
}

/* off..off+n words lie inside the table (no overflow: 64-bit sums). */
static bool in_bounds(const rt_program *p, uint64_t off, uint64_t n)
{
    return off <= p->nw && n <= p->nw - off;
}

static int check_value(prep *c, uint32_t off, const char *what)
{
    rt_program *p = c->p;
    if (off == 0 || !in_bounds(p, off, 1))
        return fail(c, "%s: value offset %u out of range", what, off);
    uint32_t n = p->w[off];
    if (n > RT_PROGRAM_MAX_LIST || !in_bounds(p, (uint64_t)off + 1, (uint64_t)n * 3))
        return fail(c, "%s: value at %u has %u parts past the end", what, off, n);
    for (uint32_t i = 0; i < n; i++) {
        const uint32_t *part = p->w + off + 1 + 3 * i;
        switch (part[0]) {
        case SIEVE_PART_TEXT:
            if ((uint64_t)part[1] + part[2] > p->pool_bytes)
                return fail(c, "%s: string (%u, %u) outside the %u-byte pool", what, part[1],
                            part[2], p->pool_bytes);
            break;
        case SIEVE_PART_VAR:
            if (part[1] >= p->nvars)
                return fail(c, "%s: variable slot %u of %u", what, part[1], p->nvars);
            break;
        case SIEVE_PART_MATCH:
            if (part[1] >= RT_VAR_MAX_MATCH)
                return fail(c, "%s: match variable ${%u}", what, part[1]);
            break;
        default:
            return fail(c, "%s: unknown part kind %u", what, part[0]);
        }
    }
    return 0;
}

static int check_list(prep *c, uint32_t off, const char *what)
{
    rt_program *p = c->p;
    if (off == 0 || !in_bounds(p, off, 1))
        return fail(c, "%s: list offset %u out of range", what, off);
    uint32_t n = p->w[off];
    if (n > RT_PROGRAM_MAX_LIST || !in_bounds(p, (uint64_t)off + 1, n))
        return fail(c, "%s: list at %u has %u items past the end", what, off, n);
    for (uint32_t i = 0; i < n; i++)
        if (check_value(c, p->w[off + 1 + i], what) != 0)
            return -1;
    return 0;
}

/* Operand kinds: L list, l list or 0, V value, v value or 0, - not an
 * offset (a number, or unused). */
static int check_operand(prep *c, char kind, uint32_t off, const char *what)
{
    switch (kind) {
    case 'L':
        return check_list(c, off, what);
    case 'l':
        return off ? check_list(c, off, what) : 0;
    case 'V':
        return check_value(c, off, what);
    case 'v':
        return off ? check_value(c, off, what) : 0;
    default:
        return 0;
    }
}

static const char *const test_operands[SIEVE_TEST__COUNT] = {
    [SIEVE_TEST_HEADER] = "LL--",
    [SIEVE_TEST_ADDRESS] = "LL--",
    [SIEVE_TEST_ENVELOPE] = "LL--",
    [SIEVE_TEST_EXISTS] = "L---",
    [SIEVE_TEST_SIZE_OVER] = "----",
    [SIEVE_TEST_SIZE_UNDER] = "----",
    [SIEVE_TEST_BODY] = "lL--",
    [SIEVE_TEST_STRING] = "LL--",
    [SIEVE_TEST_HASFLAG] = "lL--",
    [SIEVE_TEST_DATE] = "VLv-",
    [SIEVE_TEST_CURRENTDATE] = "-Lv-",
    [SIEVE_TEST_MAILBOXEXISTS] = "Lv--",
    [SIEVE_TEST_ENVIRONMENT] = "VL--",
    [SIEVE_TEST_SPAMTEST] = "-L--",
    [SIEVE_TEST_VIRUSTEST] = "-L--",
    [SIEVE_TEST_DUPLICATE] = "vvv-",
    [SIEVE_TEST_VALID_NOTIFY_METHOD] = "L---",
    [SIEVE_TEST_NOTIFY_METHOD_CAPABILITY] = "VVL-",
    [SIEVE_TEST_IHAVE] = "L---",
    [SIEVE_TEST_MAILBOXIDEXISTS] = "L---",
    [SIEVE_TEST_HOST] = "vl--",
};

static const char *const action_operands[SIEVE_ACT__COUNT] = {
    [SIEVE_ACT_KEEP] = "l------",
    [SIEVE_ACT_FILEINTO] = "Vlvv---",
    [SIEVE_ACT_REDIRECT] = "V------",
    [SIEVE_ACT_DISCARD] = "-------",
    [SIEVE_ACT_REJECT] = "V------",
    [SIEVE_ACT_EREJECT] = "V------",
    [SIEVE_ACT_SETFLAG] = "vL-----",
    [SIEVE_ACT_ADDFLAG] = "vL-----",
    [SIEVE_ACT_REMOVEFLAG] = "vL-----",
    [SIEVE_ACT_SET] = "V------",
    [SIEVE_ACT_VACATION] = "Vvvlvv-",
    [SIEVE_ACT_NOTIFY] = "Vvvlvv-",
    [SIEVE_ACT_ADDHEADER] = "VV-----",
    [SIEVE_ACT_DELETEHEADER] = "Vl-----",
    [SIEVE_ACT_ERROR] = "V------",
    [SIEVE_ACT_REPLACE] = "Vvvl---",
    [SIEVE_ACT_ENCLOSE] = "Vvvl---",
    [SIEVE_ACT_EXTRACTTEXT] = "V------",
    [SIEVE_ACT_HOST] = "vv-----",
};

bool rt_value_const(const rt_program *p, uint32_t off, rt_str *out_r)
{
    uint32_t n = off ? p->w[off] : 0;
    if (n == 0) {
        *out_r = rt_str_make("", 0);
        return true;
    }
    const uint32_t *part = p->w + off + 1;
    if (n != 1 || part[0] != SIEVE_PART_TEXT)
        return false;
    *out_r = rt_str_make(p->pool + part[1], part[2]);
    return true;
}

static bool list_const(const rt_program *p, uint32_t off)
{
    rt_str s;
    for (uint32_t i = 0; i < rt_list_count(p, off); i++)
        if (!rt_value_const(p, rt_list_item(p, off, i), &s))
            return false;
    return true;
}

static int check_test(prep *c, uint32_t i)
{
    rt_program *p = c->p;
    const uint32_t *t = p->tests + (size_t)i * SIEVE_TEST_WORDS;
    char what[48];
    snprintf(what, sizeof what, "test %u", i);
    uint32_t kind = t[SIEVE_TR_KIND];
    if (kind == 0 || kind >= SIEVE_TEST__COUNT)
        return fail(c, "%s: unknown kind %u", what, kind);
    if (t[SIEVE_TR_MATCH] > SIEVE_MATCH_VALUE || t[SIEVE_TR_COMPARATOR] > SIEVE_CMP_UNICODE_CASEMAP ||
        t[SIEVE_TR_RELOP] > SIEVE_REL_DYNAMIC || t[SIEVE_TR_ADDRPART] > SIEVE_AP_DETAIL)
        return fail(c, "%s: match type, comparator, relation or address part out of range", what);
    bool rel = t[SIEVE_TR_MATCH] == SIEVE_MATCH_COUNT || t[SIEVE_TR_MATCH] == SIEVE_MATCH_VALUE;
    if (rel != (t[SIEVE_TR_RELOP] != SIEVE_REL_NONE))
        return fail(c, "%s: relational operator without :count/:value or missing", what);
    if (kind == SIEVE_TEST_BODY && t[SIEVE_TR_EXTRA] > SIEVE_BT_CONTENT)
        return fail(c, "%s: body transform %u", what, t[SIEVE_TR_EXTRA]);
    const char *ops = test_operands[kind];
    for (int k = 0; k < 4; k++)
        if (check_operand(c, ops[k], t[SIEVE_TR_ARG0 + k], what) != 0)
            return -1;
    if ((kind == SIEVE_TEST_DATE || kind == SIEVE_TEST_CURRENTDATE) && t[SIEVE_TR_EXTRA] > SIEVE_DP_WEEKDAY)
        return fail(c, "%s: date part %u", what, t[SIEVE_TR_EXTRA]);
    if (t[SIEVE_TR_RELOP] == SIEVE_REL_DYNAMIC && check_value(c, t[SIEVE_TR_ARG3], what) != 0)
        return -1;
    if ((kind == SIEVE_TEST_DATE || kind == SIEVE_TEST_CURRENTDATE) &&
        t[SIEVE_TR_EXTRA] == SIEVE_DP_DYNAMIC && check_value(c, t[SIEVE_TR_ARG3], what) != 0)
        return -1;
    if ((t[SIEVE_TR_FLAGS] & SIEVE_TF_KEYS_CONSTANT) && ops[1] == 'L' &&
        !list_const(p, t[SIEVE_TR_ARG1]))
        return fail(c, "%s: keys marked constant hold a variable", what);
    return 0;
}

static int check_action(prep *c, uint32_t i)
{
    rt_program *p = c->p;
    const uint32_t *a = p->actions + (size_t)i * SIEVE_ACTION_WORDS;
    char what[48];
    snprintf(what, sizeof what, "action %u", i);
    uint32_t kind = a[SIEVE_AR_KIND];
    if (kind == 0 || kind >= SIEVE_ACT__COUNT)
        return fail(c, "%s: unknown kind %u", what, kind);
    const char *ops = action_operands[kind];
    for (int k = 0; k < 7; k++)
        if (check_operand(c, ops[k], a[SIEVE_AR_ARG0 + k], what) != 0)
            return -1;
    if (kind == SIEVE_ACT_SET && a[SIEVE_AR_NUMBER] >= p->nvars)
        return fail(c, "%s: set of variable slot %u of %u", what, a[SIEVE_AR_NUMBER], p->nvars);
    if (kind == SIEVE_ACT_DELETEHEADER && a[SIEVE_AR_ARG2] > p->ntests)
        return fail(c, "%s: match test %u of %u", what, a[SIEVE_AR_ARG2], p->ntests);
    /* Its keys are matched like a string test's (ext_flags.c). */
    if (kind == SIEVE_ACT_DELETEHEADER && a[SIEVE_AR_ARG2] &&
        p->tests[(size_t)(a[SIEVE_AR_ARG2] - 1) * SIEVE_TEST_WORDS + SIEVE_TR_KIND] != SIEVE_TEST_STRING)
        return fail(c, "%s: match test %u is not a string test", what, a[SIEVE_AR_ARG2] - 1);
    return 0;
}

/* Loop and include records: nothing runs them yet (ops refuse), but a
 * table is accepted whole or not at all. */
static int check_loops_includes(prep *c)
{
    rt_program *p = c->p;
    const uint32_t *w = p->w;
    for (uint32_t i = 0; i < w[SIEVE_META_NLOOPS]; i++) {
        const uint32_t *l = w + w[SIEVE_META_LOOPS] + (size_t)i * SIEVE_LOOP_WORDS;
        if (check_operand(c, 'v', l[SIEVE_LR_NAME], "loop") != 0)
            return -1;
    }
    for (uint32_t i = 0; i < w[SIEVE_META_NINCLUDES]; i++) {
        const uint32_t *r = w + w[SIEVE_META_INCLUDES] + (size_t)i * SIEVE_INCLUDE_WORDS;
        if (check_operand(c, 'V', r[SIEVE_IR_NAME], "include") != 0)
            return -1;
        if (r[SIEVE_IR_LOCATION] > 1 || r[SIEVE_IR_FLAGS] > 3 ||
            (r[SIEVE_IR_SHA256] && (uint64_t)r[SIEVE_IR_SHA256] + 32 > p->pool_bytes))
            return fail(c, "include %u: location, flags or SHA-256 reference out of range", i);
        /* The script number sizes the run's :once bits; the slots are
         * reset when the script is entered. */
        if (r[SIEVE_IR_SCRIPT] >= RT_PROGRAM_MAX_SCRIPTS ||
            (uint64_t)r[SIEVE_IR_VARS] + r[SIEVE_IR_NVARS] > p->nvars)
            return fail(c, "include %u: script number or variable slots out of range", i);
        if (r[SIEVE_IR_SCRIPT] + 1 > p->nscripts)
            p->nscripts = r[SIEVE_IR_SCRIPT] + 1;
    }
    return 0;
}

static int check_table(prep *c, uint32_t off, uint32_t n, uint32_t words, const char *what)
{
    if (n && (off < SIEVE_META_HEADER_WORDS || !in_bounds(c->p, off, (uint64_t)n * words)))
        return fail(c, "%u %s records at word %u run past the %u-word table", n, what, off, c->p->nw);
    return 0;
}

static int prepare_header_set(prep *c)
{
    rt_program *p = c->p;
    uint32_t off = p->w[SIEVE_META_HEADERS];
    uint32_t n = rt_list_count(p, off);
    const char **names = rt_arena_alloc(p->arena, (n ? n : 1) * sizeof *names);
    size_t *lens = rt_arena_alloc(p->arena, (n ? n : 1) * sizeof *lens);
    if (!names || !lens)
        return fail(c, "out of memory");
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        rt_str s;
        if (!rt_value_const(p, rt_list_item(p, off, i), &s))
            return fail(c, "header name %u is not a constant", i);
        /* Names the set cannot hold (too long, or past the first
         * RT_HDR_SET_MAX of a very large script) are found by scanning. */
        if (s.len == 0 || s.len > RT_HDR_NAME_MAX || k == RT_HDR_SET_MAX)
            continue;
        names[k] = s.p;
        lens[k++] = s.len;
    }
    p->hdrs = rt_hdr_set_new(names, lens, k);
    if (!p->hdrs)
        return fail(c, "cannot build the header set");
    return 0;
}

static const rt_match_type match_map[] = {
    [SIEVE_MATCH_IS] = RT_MATCH_IS, [SIEVE_MATCH_CONTAINS] = RT_MATCH_CONTAINS,
    [SIEVE_MATCH_MATCHES] = RT_MATCH_MATCHES, [SIEVE_MATCH_REGEX] = RT_MATCH_REGEX,
    [SIEVE_MATCH_COUNT] = RT_MATCH_COUNT, [SIEVE_MATCH_VALUE] = RT_MATCH_VALUE,
};
static const rt_cmp_id cmp_map[] = {
    [SIEVE_CMP_OCTET] = RT_CMP_OCTET, [SIEVE_CMP_ASCII_CASEMAP] = RT_CMP_ASCII_CASEMAP,
    [SIEVE_CMP_ASCII_NUMERIC] = RT_CMP_ASCII_NUMERIC, [SIEVE_CMP_UNICODE_CASEMAP] = RT_CMP_UNICODE_CASEMAP,
};

rt_match_keys *rt_prepare_keys(const rt_program *p, const uint32_t *rec, const rt_vars *v,
                               rt_arena *a, uint32_t keys_off, rt_rel rel, char *err,
                               size_t errlen)
{
    uint32_t n = rt_list_count(p, keys_off);
    rt_str *keys = rt_arena_alloc(a, (n ? n : 1) * sizeof *keys);
    if (!keys) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t off = rt_list_item(p, keys_off, i);
        if (v ? !rt_vars_expand(p, v, a, off, &keys[i]) : !rt_value_const(p, off, &keys[i])) {
            snprintf(err, errlen, "out of memory");
            return NULL;
        }
    }
    return rt_match_keys_new(a, match_map[rec[SIEVE_TR_MATCH]], cmp_map[rec[SIEVE_TR_COMPARATOR]], rel,
                             keys, n, err, errlen);
}

static bool names_operand(uint32_t kind)
{
    return kind == SIEVE_TEST_HEADER || kind == SIEVE_TEST_ADDRESS || kind == SIEVE_TEST_EXISTS;
}

static int prepare_test(prep *c, uint32_t i)
{
    rt_program *p = c->p;
    rt_ptest *pt = &p->ptests[i];
    const uint32_t *t = pt->rec;
    uint32_t kind = t[SIEVE_TR_KIND];
    char buf[200];
    if (names_operand(kind) && list_const(p, t[SIEVE_TR_ARG0])) {
        uint32_t n = rt_list_count(p, t[SIEVE_TR_ARG0]);
        pt->names = rt_arena_alloc(p->arena, (n ? n : 1) * sizeof *pt->names);
        if (!pt->names)
            return fail(c, "out of memory");
        for (uint32_t k = 0; k < n; k++) {
            rt_value_const(p, rt_list_item(p, t[SIEVE_TR_ARG0], k), &pt->names[k].name);
            pt->names[k].id = rt_hdr_set_id(p->hdrs, pt->names[k].name.p, pt->names[k].name.len);
        }
        pt->nnames = n;
    }
    if (kind == SIEVE_TEST_BODY && list_const(p, t[SIEVE_TR_ARG0])) {
        uint32_t n = rt_list_count(p, t[SIEVE_TR_ARG0]);
        rt_str *types = rt_arena_alloc(p->arena, (n ? n : 1) * sizeof *types);
        if (!types)
            return fail(c, "out of memory");
        for (uint32_t k = 0; k < n; k++)
            rt_value_const(p, rt_list_item(p, t[SIEVE_TR_ARG0], k), &types[k]);
        static const rt_body_transform bt[] = { [SIEVE_BT_TEXT] = RT_BODY_TEXT,
                                                [SIEVE_BT_RAW] = RT_BODY_RAW,
                                                [SIEVE_BT_CONTENT] = RT_BODY_CONTENT };
        pt->body = rt_body_spec_new(p->arena, bt[t[SIEVE_TR_EXTRA]], types, n);
        if (!pt->body)
            return fail(c, "out of memory");
    }
    bool has_keys = test_operands[kind][1] == 'L';
    uint32_t relop = t[SIEVE_TR_RELOP];
    if (has_keys && (t[SIEVE_TR_FLAGS] & SIEVE_TF_KEYS_CONSTANT) && relop != SIEVE_REL_DYNAMIC) {
        rt_rel rel = relop == SIEVE_REL_NONE ? RT_REL_EQ : (rt_rel)(relop - SIEVE_REL_GT);
        pt->keys = rt_prepare_keys(p, t, NULL, p->arena, t[SIEVE_TR_ARG1], rel, buf, sizeof buf);
        if (!pt->keys) {
            snprintf(c->err, c->errlen, "line %u: %s", t[SIEVE_TR_LINE], buf);
            return -1;
        }
    }
    return 0;
}

void rt_program_free(rt_program **program_r)
{
    rt_program *p = *program_r;
    if (!p)
        return;
    if (p->ptests)
        for (uint32_t i = 0; i < p->ntests; i++)
            rt_match_keys_free(&p->ptests[i].keys);
    rt_hdr_set_free(&p->hdrs);
    rt_arena_free(&p->arena);
    free(p->ptests);
    free(p);
    *program_r = NULL;
}

int rt_program_prepare(const sieve_abi_descriptor *desc, rt_program **program_r, char *err,
                       size_t errlen)
{
    *program_r = NULL;
    rt_program *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    prep c = { p, err, errlen };
    p->desc = desc;
    p->w = desc->meta;
    p->nw = desc->meta_words;
    const uint32_t *w = p->w;
    int rc = -1;
    if (!w || p->nw < SIEVE_META_HEADER_WORDS) {
        fail(&c, "shorter than its header");
        goto out;
    }
    if (w[SIEVE_META_MAGIC] != SIEVE_ABI_MAGIC) {
        fail(&c, "bad magic number");
        goto out;
    }
    uint32_t sp = w[SIEVE_META_STRPOOL], sb = w[SIEVE_META_STRPOOL_BYTES];
    if (sp < SIEVE_META_HEADER_WORDS || !in_bounds(p, sp, ((uint64_t)sb + 3) / 4)) {
        fail(&c, "string pool (word %u, %u bytes) outside the %u-word table", sp, sb, p->nw);
        goto out;
    }
    p->pool = (const char *)(w + sp);
    p->pool_bytes = sb;
    p->nvars = w[SIEVE_META_NVARS];
    if (p->nvars > RT_PROGRAM_MAX_VARS || w[SIEVE_META_NGLOBALS] > p->nvars) {
        fail(&c, "%u variables (at most %u)", p->nvars, RT_PROGRAM_MAX_VARS);
        goto out;
    }
    p->ntests = w[SIEVE_META_NTESTS];
    p->nactions = w[SIEVE_META_NACTIONS];
    if (check_table(&c, w[SIEVE_META_TESTS], p->ntests, SIEVE_TEST_WORDS, "test") ||
        check_table(&c, w[SIEVE_META_ACTIONS], p->nactions, SIEVE_ACTION_WORDS, "action") ||
        check_table(&c, w[SIEVE_META_LOOPS], w[SIEVE_META_NLOOPS], SIEVE_LOOP_WORDS, "loop") ||
        check_table(&c, w[SIEVE_META_INCLUDES], w[SIEVE_META_NINCLUDES], SIEVE_INCLUDE_WORDS, "include"))
        goto out;
    p->tests = w + w[SIEVE_META_TESTS];
    p->actions = w + w[SIEVE_META_ACTIONS];
    if (check_operand(&c, 'l', w[SIEVE_META_HEADERS], "header names") ||
        check_operand(&c, 'l', w[SIEVE_META_EXTENSIONS], "extensions") ||
        check_operand(&c, 'l', w[SIEVE_META_VARNAMES], "variable names"))
        goto out;
    for (uint32_t i = 0; i < p->ntests; i++)
        if (check_test(&c, i) != 0)
            goto out;
    for (uint32_t i = 0; i < p->nactions; i++)
        if (check_action(&c, i) != 0)
            goto out;
    if (check_loops_includes(&c) != 0)
        goto out;

    p->arena = rt_arena_new(0);
    p->ptests = calloc(p->ntests ? p->ntests : 1, sizeof *p->ptests);
    if (!p->arena || !p->ptests) {
        fail(&c, "out of memory");
        goto out;
    }
    if (prepare_header_set(&c) != 0)
        goto out;
    for (uint32_t i = 0; i < p->ntests; i++) {
        p->ptests[i].rec = p->tests + (size_t)i * SIEVE_TEST_WORDS;
        if (prepare_test(&c, i) != 0)
            goto out;
    }
    rc = 0;
out:
    if (rc != 0) {
        if (p->ptests)
            for (uint32_t i = 0; i < p->ntests; i++)
                rt_match_keys_free(&p->ptests[i].keys);
        rt_hdr_set_free(&p->hdrs);
        rt_arena_free(&p->arena);
        free(p->ptests);
        free(p);
        return -1;
    }
    *program_r = p;
    return 0;
}
