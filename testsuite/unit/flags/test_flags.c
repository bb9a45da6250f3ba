/* Unit tests of flags (imap4flags flag lists, RFC 5232) and hedit (the
 * text side of editheader, RFC 5293), with hostile inputs: huge and
 * repetitive lists, injection attempts, invalid UTF-8, bad ranges.
 * Expected flag lists were checked against Pigeonhole 0.5.19's sieve-test
 * where noted. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flags.h"
#include "hedit.h"
#include "rfc2047.h"

static rt_arena *A;

static void setup(void)
{
    A = rt_arena_new(0);
}

static void teardown(void)
{
    rt_arena_free(&A);
}

static rt_str S(const char *s)
{
    return rt_str_cstr(s);
}

static void check_apply(const char *cur, rt_flags_op op, const char *in, const char *want)
{
    rt_str v = S(in), out;
    ck_assert(rt_flags_apply(A, S(cur), op, &v, 1, &out));
    ck_assert_msg(out.len == strlen(want) && memcmp(out.p, want, out.len) == 0,
                  "'%s' op %d '%s': got '%.*s', want '%s'", cur, (int)op, in, (int)out.len,
                  out.p, want);
    ck_assert_int_eq(out.p[out.len], '\0');
}

/* ---- flags -------------------------------------------------------------- */

START_TEST(set_dedupes_keeping_first_spelling)
{
    /* sieve-test 0.5.19: setflag "$Foo \\Seen $foo \\SEEN bar" then
     * removeflag "BAR" leaves "$Foo \Seen". */
    check_apply("x", RT_FLAGS_SET, "$Foo \\Seen $foo \\SEEN bar", "$Foo \\Seen bar");
    check_apply("", RT_FLAGS_SET, "\\seen \\seen", "\\seen");
    check_apply("", RT_FLAGS_SET, "$frop \\seen \\seen \\seen $frop", "$frop \\seen");
}
END_TEST

START_TEST(set_normalises_spaces)
{
    check_apply("", RT_FLAGS_SET, "   a    b   ", "a b");
    check_apply("", RT_FLAGS_SET, "", "");
    check_apply("", RT_FLAGS_SET, "     ", "");
    /* Only spaces separate (RFC 5232 3): a TAB is part of a name, which
     * makes it invalid, so it is dropped (Pigeonhole: count 1). */
    check_apply("", RT_FLAGS_SET, "a\tb c", "c");
}
END_TEST

START_TEST(add_is_an_ordered_union)
{
    check_apply("a b", RT_FLAGS_ADD, "c a B", "a b c");
    check_apply("", RT_FLAGS_ADD, "\\Seen", "\\Seen");
    check_apply("\\Seen", RT_FLAGS_ADD, "\\SEEN", "\\Seen");
}
END_TEST

START_TEST(remove_ignores_case)
{
    check_apply("$Foo \\Seen bar", RT_FLAGS_REMOVE, "BAR", "$Foo \\Seen");
    check_apply("a b c d", RT_FLAGS_REMOVE, "d b", "a c");
    check_apply("a b", RT_FLAGS_REMOVE, "z", "a b");
    check_apply("a", RT_FLAGS_REMOVE, "a", "");
    check_apply("", RT_FLAGS_REMOVE, "a", "");
}
END_TEST

START_TEST(several_strings)
{
    rt_str in[3] = { S("a b"), S("c"), S("b  d") }, out;
    ck_assert(rt_flags_apply(A, S(""), RT_FLAGS_SET, in, 3, &out));
    ck_assert_str_eq(out.p, "a b c d");
    ck_assert(rt_flags_apply(A, S("a b c d e"), RT_FLAGS_REMOVE, in, 2, &out));
    ck_assert_str_eq(out.p, "d e");
    ck_assert(rt_flags_apply(A, S("x"), RT_FLAGS_SET, NULL, 0, &out));
    ck_assert_str_eq(out.p, "");
}
END_TEST

START_TEST(next_iterates)
{
    rt_str s = S("  one two  three "), f;
    size_t pos = 0;
    ck_assert(rt_flags_next(s, &pos, &f));
    ck_assert_uint_eq(f.len, 3);
    ck_assert(memcmp(f.p, "one", 3) == 0);
    ck_assert(rt_flags_next(s, &pos, &f));
    ck_assert(rt_flags_next(s, &pos, &f));
    ck_assert(memcmp(f.p, "three", 5) == 0);
    ck_assert(!rt_flags_next(s, &pos, &f));
    ck_assert(!rt_flags_next(s, &pos, &f));
}
END_TEST

START_TEST(same_is_ascii_caseless)
{
    ck_assert(rt_flags_same(S("\\Seen"), S("\\SEEN")));
    ck_assert(!rt_flags_same(S("\\Seen"), S("\\Seen2")));
    /* 8-bit bytes compare exactly (no locale). */
    ck_assert(!rt_flags_same(S("\xc3\xa9"), S("\xc3\x89")));
}
END_TEST

START_TEST(storable)
{
    ck_assert(rt_flags_storable(S("\\seen")));
    ck_assert(rt_flags_storable(S("\\ANSWERED")));
    ck_assert(rt_flags_storable(S("\\Flagged")));
    ck_assert(rt_flags_storable(S("\\Deleted")));
    ck_assert(rt_flags_storable(S("\\Draft")));
    ck_assert(rt_flags_storable(S("$Junk")));
    ck_assert(rt_flags_storable(S("NonJunk")));
    ck_assert(!rt_flags_storable(S("\\Recent")));      /* RFC 5232 3 */
    ck_assert(!rt_flags_storable(S("\\Bogus")));
    ck_assert(!rt_flags_storable(S("")));
    ck_assert(!rt_flags_storable(S("bad(flag")));
    ck_assert(!rt_flags_storable(S("a\"b")));
    ck_assert(!rt_flags_storable(S("a]")));
    ck_assert(!rt_flags_storable(S("a\tb")));
    ck_assert(!rt_flags_storable(S("a\r\nb")));
    ck_assert(!rt_flags_storable(S("caf\xc3\xa9")));
    ck_assert(!rt_flags_storable(rt_str_make("a\0b", 3)));
}
END_TEST

START_TEST(hostile_repetition_is_bounded)
{
    /* 200,000 copies of one flag: one flag, quickly. */
    size_t n = 200000;
    char *big = malloc(n * 2 + 1);
    for (size_t i = 0; i < n; i++) {
        big[2 * i] = 'a';
        big[2 * i + 1] = ' ';
    }
    big[2 * n] = '\0';
    check_apply("", RT_FLAGS_SET, big, "a");
    free(big);
}
END_TEST

START_TEST(hostile_many_flags_are_capped)
{
    /* 20,000 distinct flags: at most RT_FLAGS_MAX kept, within the byte
     * cap, no duplicates, each a prefix of the input order. */
    size_t n = 20000;
    char *big = malloc(n * 8 + 1), *p = big;
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "f%05zu ", i);
    rt_str in = S(big), out;
    ck_assert(rt_flags_apply(A, S(""), RT_FLAGS_SET, &in, 1, &out));
    size_t count = 0, pos = 0;
    rt_str f;
    while (rt_flags_next(out, &pos, &f))
        count++;
    ck_assert_uint_eq(count, RT_FLAGS_MAX);
    ck_assert_uint_le(out.len, RT_FLAGS_MAX_BYTES);
    ck_assert(strncmp(out.p, "f00000 f00001 ", 14) == 0);
    /* Adding more to a full list changes nothing. */
    rt_str more = S("extra"), out2;
    ck_assert(rt_flags_apply(A, out, RT_FLAGS_ADD, &more, 1, &out2));
    ck_assert_uint_eq(out2.len, out.len);
    free(big);
}
END_TEST

START_TEST(hostile_giant_flag_is_dropped)
{
    size_t n = RT_FLAGS_MAX_BYTES + 10;
    char *big = malloc(n + 3);
    memset(big, 'x', n);
    memcpy(big + n, " y", 3);
    check_apply("", RT_FLAGS_SET, big, "y");
    free(big);
}
END_TEST

START_TEST(invalid_flags_are_dropped_when_named)
{
    /* sieve-test 0.5.19 */
    check_apply("", RT_FLAGS_SET, "\\Bogus bad(x \\Recent ok", "ok");
    check_apply("\\Bogus x y", RT_FLAGS_ADD, "z bad\"", "\\Bogus x y z");
    check_apply("\\Bogus x y", RT_FLAGS_REMOVE, "y", "\\Bogus x");
    check_apply("", RT_FLAGS_SET, "\\SEEN caf\xc3\xa9 \\Draft", "\\SEEN \\Draft");
    rt_str in = rt_str_make("a\0b c", 5), out;
    ck_assert(rt_flags_apply(A, S(""), RT_FLAGS_SET, &in, 1, &out));
    ck_assert_str_eq(out.p, "c");
    /* NUL in the current list survives as any byte does. */
    ck_assert(rt_flags_apply(A, in, RT_FLAGS_ADD, NULL, 0, &out));
    ck_assert_uint_eq(out.len, 5);
    ck_assert(memcmp(out.p, "a\0b c", 5) == 0);
}
END_TEST

/* ---- hedit -------------------------------------------------------------- */

START_TEST(names)
{
    ck_assert(rt_hedit_name_ok(S("X-Spam-Score")));
    ck_assert(rt_hedit_name_ok(S("!#$%&'*+-.^_`|~")));
    ck_assert(!rt_hedit_name_ok(S("")));
    ck_assert(!rt_hedit_name_ok(S("X Spam")));
    ck_assert(!rt_hedit_name_ok(S("X:Spam")));
    ck_assert(!rt_hedit_name_ok(S("X-\x7f")));
    ck_assert(!rt_hedit_name_ok(S("X-\xc3\xa9")));
    ck_assert(!rt_hedit_name_ok(S("X-A\r\nBcc")));
    ck_assert(!rt_hedit_name_ok(rt_str_make("X\0A", 3)));
    char big[RT_HEDIT_MAX_NAME + 2];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ck_assert(!rt_hedit_name_ok(S(big)));
    big[RT_HEDIT_MAX_NAME] = '\0';
    ck_assert(rt_hedit_name_ok(S(big)));
}
END_TEST

START_TEST(eol_detection)
{
    ck_assert_str_eq(rt_hedit_eol(S("A: b\r\nC: d\r\n")), "\r\n");
    ck_assert_str_eq(rt_hedit_eol(S("A: b\nC: d\n")), "\n");
    ck_assert_str_eq(rt_hedit_eol(S("")), "\r\n");
    ck_assert_str_eq(rt_hedit_eol(S("A: b")), "\r\n");
}
END_TEST

static rt_hedit_status field(const char *name, rt_str value, const char *eol, rt_str *out)
{
    return rt_hedit_field(A, S(name), value, eol, out);
}

START_TEST(field_plain_and_folded)
{
    rt_str f;
    ck_assert_int_eq(field("X-A", S("hello"), "\r\n", &f), RT_HEDIT_OK);
    ck_assert_str_eq(f.p, "X-A: hello\r\n");
    ck_assert_int_eq(field("X-A", S(""), "\n", &f), RT_HEDIT_OK);
    ck_assert_str_eq(f.p, "X-A: \n");
    /* Folds are kept, with the block's line end. */
    ck_assert_int_eq(field("X-A", S("a\r\n b"), "\n", &f), RT_HEDIT_OK);
    ck_assert_str_eq(f.p, "X-A: a\n b\n");
    ck_assert_int_eq(field("X-A", S("a\n\tb"), "\r\n", &f), RT_HEDIT_OK);
    ck_assert_str_eq(f.p, "X-A: a\r\n\tb\r\n");
}
END_TEST

START_TEST(field_injection_refused)
{
    /* A line end that is not a fold is removed: no value can start a
     * field or end the header (sieve-test 0.5.19 joins the same way). */
    rt_str f;
    ck_assert_int_eq(field("X-A", S("a\nBcc: victim@example.com"), "\r\n", &f), RT_HEDIT_OK);
    ck_assert_str_eq(f.p, "X-A: aBcc: victim@example.com\r\n");
    ck_assert_int_eq(field("X-A", S("a\r\nBcc: x"), "\r\n", &f), RT_HEDIT_OK);
    ck_assert_str_eq(f.p, "X-A: aBcc: x\r\n");
    ck_assert_int_eq(field("X-A", S("a\rb"), "\n", &f), RT_HEDIT_OK);
    ck_assert_str_eq(f.p, "X-A: ab\n");
    /* An empty line would end the header: it collapses into the fold. */
    ck_assert_int_eq(field("X-A", S("a\r\n\r\n b"), "\r\n", &f), RT_HEDIT_OK);
    ck_assert_str_eq(f.p, "X-A: a\r\n b\r\n");
    ck_assert_int_eq(field("X-A", S("a\r\n\r\nb"), "\r\n", &f), RT_HEDIT_OK);
    ck_assert_str_eq(f.p, "X-A: ab\r\n");
    /* Trailing line ends and blanks go; a leading fold is not kept. */
    ck_assert_int_eq(field("X-A", S("a\r\n"), "\r\n", &f), RT_HEDIT_OK);
    ck_assert_str_eq(f.p, "X-A: a\r\n");
    ck_assert_int_eq(field("X-A", S("a \r\n\t \n"), "\n", &f), RT_HEDIT_OK);
    ck_assert_str_eq(f.p, "X-A: a\n");
    ck_assert_int_eq(field("X-A", S("\r\n b"), "\n", &f), RT_HEDIT_OK);
    ck_assert_str_eq(f.p, "X-A:  b\n");
    ck_assert_int_eq(field("X-A", S("\r\n\r\n"), "\n", &f), RT_HEDIT_OK);
    ck_assert_str_eq(f.p, "X-A: \n");
    /* Other control characters stay (Pigeonhole keeps BELL too). */
    ck_assert_int_eq(field("X-A", S("y\a"), "\n", &f), RT_HEDIT_OK);
    ck_assert_str_eq(f.p, "X-A: y\a\n");
    /* NUL is an error. */
    ck_assert_int_eq(field("X-A", rt_str_make("a\0b", 3), "\r\n", &f), RT_HEDIT_BAD_VALUE);
}
END_TEST

START_TEST(field_length)
{
    rt_str f;
    char *big = malloc(RT_HEDIT_MAX_VALUE + 2);
    memset(big, 'v', RT_HEDIT_MAX_VALUE + 1);
    big[RT_HEDIT_MAX_VALUE + 1] = '\0';
    ck_assert_int_eq(field("X-A", S(big), "\r\n", &f), RT_HEDIT_TOO_LONG);
    big[RT_HEDIT_MAX_VALUE] = '\0';
    ck_assert_int_eq(field("X-A", S(big), "\r\n", &f), RT_HEDIT_OK);
    free(big);
}
END_TEST

/* The value of a field built by rt_hedit_field, decoded as a header test
 * would see it (unfolded, RFC 2047 decoded). */
static const char *decoded_value(rt_str f)
{
    const char *colon = memchr(f.p, ':', f.len);
    ck_assert_ptr_nonnull(colon);
    char *u = rt_arena_alloc(A, f.len);
    size_t n = 0;
    const char *p = colon + 1;
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;   /* leading whitespace, as the header test trims it */
    for (; p < f.p + f.len; p++)
        if (*p != '\r' && *p != '\n')
            u[n++] = *p;
    rt_str out;
    ck_assert(rt_rfc2047_decode(A, u, n, &out));
    char *c = rt_arena_alloc(A, out.len + 1);
    memcpy(c, out.p, out.len);
    c[out.len] = '\0';
    return c;
}

START_TEST(field_utf8_is_encoded)
{
    rt_str f;
    ck_assert_int_eq(field("X-A", S("Gr\xc3\xbc\xc3\x9f" "e"), "\r\n", &f), RT_HEDIT_OK);
    ck_assert(strncmp(f.p, "X-A: =?UTF-8?B?", 15) == 0);
    ck_assert_str_eq(decoded_value(f), "Gr\xc3\xbc\xc3\x9f" "e");
    /* A long value: several encoded-words, none over 75 bytes, no
     * character split, decodes back. */
    char big[700] = "";
    for (int i = 0; i < 100; i++)
        strcat(big, "\xc3\xa4\xe2\x82\xac ");
    ck_assert_int_eq(field("X-Long", S(big), "\n", &f), RT_HEDIT_OK);
    const char *p = f.p;
    while ((p = strstr(p, "=?UTF-8?B?"))) {
        const char *e = strstr(p + 10, "?=");
        ck_assert_ptr_nonnull(e);
        ck_assert_int_le(e + 2 - p, 75);
        p = e + 2;
    }
    big[strlen(big) - 1] = '\0';   /* the trailing space is trimmed */
    ck_assert_str_eq(decoded_value(f), big);
    /* No line of the field is over 78 characters (RFC 5322 2.1.1). */
    for (const char *l = f.p; *l;) {
        const char *nl = strchr(l, '\n');
        ck_assert_ptr_nonnull(nl);
        ck_assert_int_le(nl - l, 78);
        l = nl + 1;
    }
    /* A long name leaves no room: the words start on a folded line. */
    char name[71];
    memset(name, 'N', 70);
    name[70] = '\0';
    ck_assert_int_eq(field(name, S("\xc3\xa4"), "\n", &f), RT_HEDIT_OK);
    ck_assert_ptr_nonnull(strstr(f.p, ":\n =?UTF-8?B?"));
    ck_assert_str_eq(decoded_value(f), "\xc3\xa4");
}
END_TEST

START_TEST(field_invalid_utf8_dropped)
{
    /* sieve-test 0.5.19: addheader "X-4" "caf${hex:E9}" gives "caf". */
    rt_str f;
    ck_assert_int_eq(field("X-A", S("caf\xe9"), "\r\n", &f), RT_HEDIT_OK);
    ck_assert_str_eq(f.p, "X-A: caf\r\n");
    ck_assert_int_eq(field("X-A", S("\xc0\xafx"), "\r\n", &f), RT_HEDIT_OK);   /* overlong */
    ck_assert_str_eq(f.p, "X-A: x\r\n");
    ck_assert_int_eq(field("X-A", S("\xed\xa0\x80"), "\r\n", &f), RT_HEDIT_OK); /* surrogate */
    ck_assert_str_eq(f.p, "X-A: \r\n");
    ck_assert_int_eq(field("X-A", S("\xf4\x90\x80\x80"), "\r\n", &f), RT_HEDIT_OK);
    ck_assert_str_eq(f.p, "X-A: \r\n");
    /* A cut sequence next to a valid one: only the valid one is kept. */
    ck_assert_int_eq(field("X-A", S("\xe2\x82\xc3\xa4"), "\r\n", &f), RT_HEDIT_OK);
    ck_assert_str_eq(decoded_value(f), "\xc3\xa4");
}
END_TEST

START_TEST(insert_first_and_last)
{
    rt_str out;
    ck_assert(rt_hedit_insert(A, S("A: 1\nB: 2\n"), S("X: x\n"), false, &out));
    ck_assert_str_eq(out.p, "X: x\nA: 1\nB: 2\n");
    ck_assert(rt_hedit_insert(A, S("A: 1\nB: 2\n"), S("X: x\n"), true, &out));
    ck_assert_str_eq(out.p, "A: 1\nB: 2\nX: x\n");
    /* A last line without its line end gets one before the new field. */
    ck_assert(rt_hedit_insert(A, S("A: 1\nB: 2"), S("X: x\n"), true, &out));
    ck_assert_str_eq(out.p, "A: 1\nB: 2\nX: x\n");
    ck_assert(rt_hedit_insert(A, S(""), S("X: x\r\n"), true, &out));
    ck_assert_str_eq(out.p, "X: x\r\n");
}
END_TEST

START_TEST(cut_ranges)
{
    rt_str block = S("A: 1\nB: 2\n continued\nC: 3\n"), out;
    size_t s1[] = { 5 }, e1[] = { 21 };
    ck_assert(rt_hedit_cut(A, block, s1, e1, 1, &out));
    ck_assert_str_eq(out.p, "A: 1\nC: 3\n");
    size_t s2[] = { 0, 21 }, e2[] = { 5, 26 };
    ck_assert(rt_hedit_cut(A, block, s2, e2, 2, &out));
    ck_assert_str_eq(out.p, "B: 2\n continued\n");
    /* Hostile ranges (overlapping, reversed, past the end) are ignored. */
    size_t s3[] = { 5, 3, 10, 0 }, e3[] = { 10, 8, 9, 999 };
    ck_assert(rt_hedit_cut(A, block, s3, e3, 4, &out));
    ck_assert_str_eq(out.p, "A: 1\n continued\nC: 3\n");
    ck_assert(rt_hedit_cut(A, block, NULL, NULL, 0, &out));
    ck_assert_str_eq(out.p, block.p);
}
END_TEST

START_TEST(protected_fields)
{
    ck_assert(rt_hedit_protected(S("Received"), NULL, true));
    ck_assert(rt_hedit_protected(S("RECEIVED"), NULL, true));
    ck_assert(rt_hedit_protected(S("auto-submitted"), NULL, true));
    ck_assert(!rt_hedit_protected(S("Received"), NULL, false));
    ck_assert(!rt_hedit_protected(S("Received-SPF"), NULL, true));
    ck_assert(!rt_hedit_protected(S("Subject"), NULL, true));
    const char *extra = "DKIM-Signature, x-loop  Authentication-Results";
    ck_assert(rt_hedit_protected(S("dkim-signature"), extra, false));
    ck_assert(rt_hedit_protected(S("X-Loop"), extra, true));
    ck_assert(rt_hedit_protected(S("Authentication-Results"), extra, false));
    ck_assert(!rt_hedit_protected(S("DKIM"), extra, false));
    ck_assert(!rt_hedit_protected(S("X-Loo"), extra, false));
    ck_assert(!rt_hedit_protected(S("X"), " , ,", false));
}
END_TEST

/* Random values (fixed seed): whatever rt_hedit_field accepts is one
 * field: every line end inside is a fold, it ends with the line end, no
 * NUL, no bare CR; 8-bit text only inside encoded-words. */
START_TEST(hedit_field_random_values_never_inject)
{
    static const char alphabet[] = "a \t\r\n:\0\xc3\xa4\x80\xff=?";
    unsigned seed = 12345;
    for (int iter = 0; iter < 20000; iter++) {
        char v[64];
        seed = seed * 1103515245u + 12345u;
        size_t n = (seed >> 16) % sizeof v;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            v[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        const char *eol = iter & 1 ? "\r\n" : "\n";
        rt_str f;
        rt_hedit_status st = rt_hedit_field(A, S("X-R"), rt_str_make(v, n), eol, &f);
        if (st != RT_HEDIT_OK) {
            ck_assert_int_eq(st, RT_HEDIT_BAD_VALUE);
            ck_assert_ptr_nonnull(memchr(v, '\0', n));
            continue;
        }
        size_t el = strlen(eol);
        ck_assert_uint_ge(f.len, 5 + el);
        ck_assert(memcmp(f.p + f.len - el, eol, el) == 0);
        ck_assert_ptr_null(memchr(f.p, '\0', f.len));
        for (size_t i = 0; i + el < f.len; i++) {
            unsigned char c = (unsigned char)f.p[i];
            ck_assert_msg(c < 0x80, "8-bit byte outside an encoded-word");
            if (c == '\r')
                ck_assert(strcmp(eol, "\r\n") == 0 && f.p[i + 1] == '\n');
            if (c == '\n')
                ck_assert_msg(f.p[i + 1] == ' ' || f.p[i + 1] == '\t', "injected line");
        }
        if (iter % 512 == 0)
            rt_arena_reset(A);
    }
}
END_TEST

/* Random flag operations (fixed seed): the result never holds a
 * duplicate, a doubled or edge space, or more than the caps allow. */
START_TEST(flags_random_operations_stay_normal)
{
    static const char *const words[] = { "a", "A", "\\Seen", "\\SEEN", "$J", "b(", "\\Recent",
                                         " ", "  ", "x\ty", "" };
    unsigned seed = 777;
    rt_str cur = S("");
    for (int iter = 0; iter < 5000; iter++) {
        char buf[128] = "";
        seed = seed * 1103515245u + 12345u;
        int k = (int)((seed >> 16) % 6);
        for (int i = 0; i < k; i++) {
            seed = seed * 1103515245u + 12345u;
            strcat(buf, words[(seed >> 16) % (sizeof words / sizeof words[0])]);
            strcat(buf, " ");
        }
        rt_str in = S(buf), out;
        rt_flags_op op = (rt_flags_op)((seed >> 8) % 3);
        ck_assert(rt_flags_apply(A, cur, op, &in, 1, &out));
        ck_assert(out.len == 0 || (out.p[0] != ' ' && out.p[out.len - 1] != ' '));
        ck_assert_ptr_null(strstr(out.p, "  "));
        rt_str v[RT_FLAGS_MAX + 1], f;
        size_t nv = 0, pos = 0;
        while (rt_flags_next(out, &pos, &f)) {
            ck_assert_uint_lt(nv, RT_FLAGS_MAX);
            for (size_t j = 0; j < nv; j++)
                ck_assert(!rt_flags_same(v[j], f));
            v[nv++] = f;
        }
        cur = out;
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("flags");
    TCase *tc = tcase_create("flags");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, set_dedupes_keeping_first_spelling);
    tcase_add_test(tc, set_normalises_spaces);
    tcase_add_test(tc, add_is_an_ordered_union);
    tcase_add_test(tc, remove_ignores_case);
    tcase_add_test(tc, several_strings);
    tcase_add_test(tc, next_iterates);
    tcase_add_test(tc, same_is_ascii_caseless);
    tcase_add_test(tc, storable);
    tcase_add_test(tc, hostile_repetition_is_bounded);
    tcase_add_test(tc, hostile_many_flags_are_capped);
    tcase_add_test(tc, hostile_giant_flag_is_dropped);
    tcase_add_test(tc, invalid_flags_are_dropped_when_named);
    suite_add_tcase(s, tc);
    tc = tcase_create("hedit");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, names);
    tcase_add_test(tc, eol_detection);
    tcase_add_test(tc, field_plain_and_folded);
    tcase_add_test(tc, field_injection_refused);
    tcase_add_test(tc, field_length);
    tcase_add_test(tc, field_utf8_is_encoded);
    tcase_add_test(tc, field_invalid_utf8_dropped);
    tcase_add_test(tc, insert_first_and_last);
    tcase_add_test(tc, cut_ranges);
    tcase_add_test(tc, protected_fields);
    tcase_add_test(tc, hedit_field_random_values_never_inject);
    tcase_add_test(tc, flags_random_operations_stay_normal);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
