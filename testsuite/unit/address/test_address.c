/* Unit tests: address parsing (rt_addr_). Expectations marked "PH" were
 * checked against Pigeonhole 0.5.19 (sieve-test trace of the address test). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"

static rt_arena *A;

static void setup(void)
{
    A = rt_arena_new(0);
}

static void teardown(void)
{
    rt_arena_free(&A);
}

/* Renders each entry as "all|localpart|domain" ("-" for no value), joined
 * by " ; ". */
static const char *render(const rt_addr_list *l)
{
    static char buf[4096];
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < l->n; i++) {
        static const rt_addr_part parts[] = { RT_ADDR_PART_ALL, RT_ADDR_PART_LOCALPART,
                                              RT_ADDR_PART_DOMAIN };
        if (i)
            o += (size_t)snprintf(buf + o, sizeof buf - o, " ; ");
        for (int k = 0; k < 3; k++) {
            rt_str v;
            if (rt_addr_get_part(A, &l->v[i], parts[k], NULL, 0, &v))
                o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%.*s", k ? "|" : "",
                                      (int)v.len, v.p);
            else
                o += (size_t)snprintf(buf + o, sizeof buf - o, "%s-", k ? "|" : "");
        }
    }
    return buf;
}

static const struct { const char *in, *want; } header_cases[] = {
    /* plain forms */
    { "user@example.org", "user@example.org|user|example.org" },
    { "John Doe <john@example.org>", "john@example.org|john|example.org" },
    { "<john@example.org>", "john@example.org|john|example.org" },
    { "  <john@example.org>  ", "john@example.org|john|example.org" },
    { "\"Doe, John\" <john@example.org>", "john@example.org|john|example.org" },
    { "=?utf-8?q?J=C3=A9r=C3=B4me?= <j@x.y>", "j@x.y|j|x.y" },              /* PH */
    /* RFC 5322 appendix A.1.2 */
    { "\"Joe Q. Public\" <john.q.public@example.com>",
      "john.q.public@example.com|john.q.public|example.com" },
    { "Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>",      /* PH */
      "mary@x.test|mary|x.test ; jdoe@example.org|jdoe|example.org ; one@y.test|one|y.test" },
    { "<boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>",
      "boss@nil.test|boss|nil.test ; sysservices@example.net|sysservices|example.net" },
    /* groups (A.1.3) */
    { "A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;",  /* PH */
      "c@a.test|c|a.test ; joe@where.test|joe|where.test ; jdoe@one.test|jdoe|one.test" },
    { "undisclosed-recipients:;", "undisclosed-recipients:;|-|-" },           /* PH */
    { "Undisclosed recipients: ;", "Undisclosed recipients: ;|-|-" },
    { "Group: a@b.c, \"Q\" <d@e.f>;, g@h.i",                                   /* PH */
      "a@b.c|a|b.c ; d@e.f|d|e.f ; g@h.i|g|h.i" },
    { "G1: a@b.c;, G2: ;, d@e.f", "a@b.c|a|b.c ; d@e.f|d|e.f" },
    { "G1: a@b.c; G2: ; d@e.f", "a@b.c|a|b.c" },                             /* PH */
    { "smith@gmail.com, Mikel@Lindsaar <raasdnil@gmail.com>, tom@gmail.com", /* PH */
      "smith@gmail.com|smith|gmail.com ; Mikel@Lindsaar|Mikel|Lindsaar" },
    { "a@b.c d@e.f, g@h.i", "a@b.c|a|b.c" },                                 /* PH */
    { "x@y@z, a@b.c", "x@y|x|y" },                                           /* PH */
    { "G: a@b.c", "a@b.c|a|b.c" },          /* unterminated group */
    /* comments and CFWS (A.5) */
    { "Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>",
      "pete@silly.test|pete|silly.test" },
    { "John (comment) <j@x.y>", "j@x.y|j|x.y" },                             /* PH */
    { "a@b.c (trailing comment)", "a@b.c|a|b.c" },                           /* PH */
    { "(c1 (nested (deep)) \\( ) a@b.c", "a@b.c|a|b.c" },
    { "a @ b . c", "a@b.c|a|b.c" },                                          /* PH */
    { "(comment only)", "" },                                                /* PH */
    { ",,, ,", "" },
    { "(unterminated comment a@b.c", "" },                                   /* PH */
    { "a@b.c, (unterminated", "a@b.c|a|b.c" },                               /* PH */
    /* quoted local parts */
    { "\"john doe\"@example.org", "\"john doe\"@example.org|john doe|example.org" }, /* PH */
    { "\"a\\\"b\"@c.d", "\"a\\\"b\"@c.d|a\"b|c.d" },                         /* PH */
    { "\"user\"@domain", "user@domain|user|domain" },
    { "\"\"@domain", "\"\"@domain||domain" },
    { "\"a\\\\b\"@c", "\"a\\\\b\"@c|a\\b|c" },
    { "\"unterminated@x.y", "\"unterminated@x.y|-|-" },                      /* PH */
    /* obsolete forms (RFC 5322 4.4) */
    { "<@r1,@r2:u@d.e>", "u@d.e|u|d.e" },                                    /* PH */
    { "Name <@r1.example,,@r2.example:u@d.e>", "u@d.e|u|d.e" },
    { "a.b..c@d.e", "\"a.b..c\"@d.e|a.b..c|d.e" },                           /* PH */
    { "john.\"q\".public@example.com", "john.q.public@example.com|john.q.public|example.com" },
    { "joe . \"smith\" @ example . com", "joe.smith@example.com|joe.smith|example.com" },
    /* bare addr-specs in a list: the scan of the words is the local part */
    { "a (x) . b @c.d, \"q r\" . s@t.u,v@w", "a.b@c.d|a.b|c.d ; \"q r.s\"@t.u|q r.s|t.u ; v@w|v|w" },
    { "a b@c.d, e@f", "e@f|e|f" },
    { "Joe Q. Public <john.q.public@example.com>",
      "john.q.public@example.com|john.q.public|example.com" },
    /* every atext character is a local-part character */
    { "!#$%&'*+-/=?^_`{|}~.azAZ09@x", "!#$%&'*+-/=?^_`{|}~.azAZ09@x|!#$%&'*+-/=?^_`{|}~.azAZ09|x" },
    { "\"a]b[c\"@x", "\"a]b[c\"@x|a]b[c|x" },
    /* domain literals */
    { "u@[1.2.3.4]", "u@[1.2.3.4]|u|[1.2.3.4]" },                            /* PH */
    { "<u@[IPv6:::1]>", "u@[IPv6:::1]|u|[IPv6:::1]" },
    { "u@[1.2.3.4", "u@[1.2.3.4|-|-" },
    /* invalid and garbage, PH policy */
    { "user", "user|-|-" },                                                  /* PH */
    { "garbage here", "garbage here|-|-" },                                  /* PH */
    { "<>", "<>|-|-" },                                                      /* PH */
    { "@domain", "@domain|-|-" },                                            /* PH */
    { "local@", "local@|-|-" },                                              /* PH */
    { "<a@b.c", "<a@b.c|-|-" },                                              /* PH */
    { "a@b.c>", "a@b.c|a|b.c" },                                             /* PH */
    { "x@y@z", "x@y|x|y" },                                                  /* PH */
    { "a@b.c;d@e.f", "a@b.c|a|b.c" },                                        /* PH */
    { "a@b.c, garbage, d@e.f", "a@b.c|a|b.c ; d@e.f|d|e.f" },                 /* PH */
    { "garbage, d@e.f", "d@e.f|d|e.f" },                                     /* PH */
    { "a@b.c, , bad@, d@e.f", "a@b.c|a|b.c ; d@e.f|d|e.f" },                  /* PH */
    { "John Doe@example.org", "John Doe@example.org|-|-" },                 /* PH */
    { "Smith, John <j@x.y>", "j@x.y|j|x.y" },                                /* PH */
    { "a@b..c", "a@b..c|-|-" },
    { "a@.b", "a@.b|-|-" },
    { "a@b.", "a@b.|-|-" },
    { "<a,b@c.d>", "<a,b@c.d>|-|-" },
    { "\"\\", "\"\\|-|-" },
    { "<", "<|-|-" },
    { ">", ">|-|-" },
    { ":;", ":;|-|-" },
    { "@", "@|-|-" },
    { "\"", "\"|-|-" },
    { "(", "" },                                                             /* PH */
    { "a@b.c\xff", "a@b.c\xff|a|b.c\xff" },
    { "j\xc3\xb6rg@d\xc3\xa9.example", "j\xc3\xb6rg@d\xc3\xa9.example|-|-" },   /* PH */
    { "j@d\xc3\xb6main.y", "j@d\xc3\xb6main.y|j|d\xc3\xb6main.y" },                     /* PH */
    { "J\xc3\xb6hn Doe <j@x.y>", "j@x.y|j|x.y" },                                     /* PH */
    /* empty value: all parts "" (PH) */
    { "", "||" },
    { "   ", "||" },
};

START_TEST(test_header)
{
    rt_addr_list l;
    const char *in = header_cases[_i].in;
    ck_assert(rt_addr_parse_header(A, in, strlen(in), &l));
    const char *got = render(&l);
    ck_assert_msg(strcmp(got, header_cases[_i].want) == 0, "[%s]: got [%s] want [%s]",
                  in, got, header_cases[_i].want);
}
END_TEST

START_TEST(test_list_all_entries)
{
    rt_addr_list l;
    const char *in = "G: a@b.c;, junk, x@y.z";
    ck_assert(rt_addr_parse_list(A, in, strlen(in), &l));
    ck_assert_uint_eq(l.n, 4);
    ck_assert_uint_eq(l.v[0].flags, RT_ADDR_GROUP);
    ck_assert(l.v[0].raw.len == 1 && l.v[0].raw.p[0] == 'G');
    ck_assert_uint_eq(l.v[1].flags, RT_ADDR_VALID);
    ck_assert_uint_eq(l.v[2].flags, 0);
    ck_assert(l.v[2].raw.len == 4 && memcmp(l.v[2].raw.p, "junk", 4) == 0);
    ck_assert_uint_eq(l.v[3].flags, RT_ADDR_VALID);
    ck_assert(l.v[3].raw.len == 5);
}
END_TEST

static const char *part(const rt_addr *a, rt_addr_part p, const char *delims)
{
    static char buf[256];
    rt_str v;
    if (!rt_addr_get_part(A, a, p, delims, delims ? strlen(delims) : 0, &v))
        return "(none)";
    snprintf(buf, sizeof buf, "%.*s", (int)v.len, v.p);
    return buf;
}

START_TEST(test_subaddress)
{
    rt_addr_list l;
    const char *in = "ken+sieve@example.org, ken@example.org, ken+@example.org, "
                     "+det@example.org, a+b+c@example.org, x-y+z@example.org";
    ck_assert(rt_addr_parse_header(A, in, strlen(in), &l));
    ck_assert_uint_eq(l.n, 6);
    ck_assert_str_eq(part(&l.v[0], RT_ADDR_PART_USER, NULL), "ken");
    ck_assert_str_eq(part(&l.v[0], RT_ADDR_PART_DETAIL, NULL), "sieve");
    ck_assert_str_eq(part(&l.v[1], RT_ADDR_PART_USER, NULL), "ken");
    ck_assert_str_eq(part(&l.v[1], RT_ADDR_PART_DETAIL, NULL), "(none)");  /* RFC 5233 4 */
    ck_assert_str_eq(part(&l.v[2], RT_ADDR_PART_USER, NULL), "ken");
    ck_assert_str_eq(part(&l.v[2], RT_ADDR_PART_DETAIL, NULL), "");        /* empty detail */
    ck_assert_str_eq(part(&l.v[3], RT_ADDR_PART_USER, NULL), "");
    ck_assert_str_eq(part(&l.v[3], RT_ADDR_PART_DETAIL, NULL), "det");
    ck_assert_str_eq(part(&l.v[4], RT_ADDR_PART_USER, NULL), "a");
    ck_assert_str_eq(part(&l.v[4], RT_ADDR_PART_DETAIL, NULL), "b+c");
    /* A set of separators: the first occurrence of any splits. */
    ck_assert_str_eq(part(&l.v[5], RT_ADDR_PART_USER, "+-"), "x");
    ck_assert_str_eq(part(&l.v[5], RT_ADDR_PART_DETAIL, "+-"), "y+z");
    ck_assert_str_eq(part(&l.v[5], RT_ADDR_PART_DETAIL, "-"), "y+z");
    ck_assert_str_eq(part(&l.v[0], RT_ADDR_PART_DETAIL, "-"), "(none)");
    /* Invalid entries have no user/detail; the null entry has "" for all. */
    in = "garbage";
    ck_assert(rt_addr_parse_header(A, in, strlen(in), &l));
    ck_assert_str_eq(part(&l.v[0], RT_ADDR_PART_USER, NULL), "(none)");
    ck_assert_str_eq(part(&l.v[0], RT_ADDR_PART_DETAIL, NULL), "(none)");
    ck_assert(rt_addr_parse_path(A, "<>", 2, &l));
    ck_assert_str_eq(part(&l.v[0], RT_ADDR_PART_USER, NULL), "");
    ck_assert_str_eq(part(&l.v[0], RT_ADDR_PART_DETAIL, NULL), "");
    ck_assert_str_eq(part(&l.v[0], RT_ADDR_PART_ALL, NULL), "");
}
END_TEST

static const struct { const char *in, *want; } path_cases[] = {
    { "<>", "||" },
    { "", "||" },
    { "<user@example.org>", "user@example.org|user|example.org" },
    { "user@example.org", "user@example.org|user|example.org" },
    { " <user@example.org> ", "user@example.org|user|example.org" },
    { "<@a.example,@b.example:user@d.example>", "user@d.example|user|d.example" },
    { "<\"john doe\"@example.org>", "\"john doe\"@example.org|john doe|example.org" },
    { "<Postmaster>", "Postmaster|Postmaster|" },
    { "postmaster", "postmaster|postmaster|" },
    { "<u@[192.0.2.1]>", "u@[192.0.2.1]|u|[192.0.2.1]" },
    { "<user>", "<user>|-|-" },
    { "<user@example.org", "<user@example.org|-|-" },
    { "<user@example.org> junk", "<user@example.org> junk|-|-" },
    { "<<>>", "<<>>|-|-" },
    { "@", "@|-|-" },
};

START_TEST(test_path)
{
    rt_addr_list l;
    const char *in = path_cases[_i].in;
    ck_assert(rt_addr_parse_path(A, in, strlen(in), &l));
    ck_assert_uint_eq(l.n, 1);
    const char *got = render(&l);
    ck_assert_msg(strcmp(got, path_cases[_i].want) == 0, "[%s]: got [%s] want [%s]",
                  in, got, path_cases[_i].want);
}
END_TEST

START_TEST(test_display_name)
{
    static const struct { const char *in, *name; } v[] = {
        { "John Doe <j@x.y>", "John Doe" },
        { "\"Doe, John\" <j@x.y>", "Doe, John" },
        { "  John   (middle)  Doe  <j@x.y>", "John Doe" },
        { "=?utf-8?q?J=C3=A9r=C3=B4me?= <j@x.y>", "J\xc3\xa9r\xc3\xb4me" },
        { "\"=?iso-8859-1?q?Andr=E9?=\" <a@x.y>", "Andr\xc3\xa9" },
        { "=?utf-8?q?a?= =?utf-8?q?b?= <a@x.y>", "ab" },
        { "Joe Q. Public <a@x.y>", "Joe Q. Public" },
        { "<a@x.y>", "" },
        { "a@x.y", "" },
        { "\"a\\\"b\" <a@x.y>", "a\"b" },
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        rt_addr_list l;
        ck_assert(rt_addr_parse_header(A, v[i].in, strlen(v[i].in), &l));
        ck_assert_uint_eq(l.n, 1);
        rt_str s;
        ck_assert(rt_addr_display_name(A, &l.v[0], &s));
        ck_assert_msg(s.len == strlen(v[i].name) && memcmp(s.p, v[i].name, s.len) == 0,
                      "%s: [%.*s]", v[i].in, (int)s.len, s.p);
    }
}
END_TEST

/* Random and pathological input: no crash, sane output. */
START_TEST(test_hostile)
{
    static const char alphabet[] = "<>@,;:\"\\()[]. \tab=?\xff";
    unsigned seed = 777;
    char buf[2048];
    for (int round = 0; round < 5000; round++) {
        size_t n = (size_t)(round * 7) % sizeof buf;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        rt_addr_list l;
        ck_assert(rt_addr_parse_header(A, buf, n, &l));
        for (size_t k = 0; k < l.n; k++) {
            rt_str v;
            for (int p = 0; p <= RT_ADDR_PART_DETAIL; p++)
                (void)rt_addr_get_part(A, &l.v[k], (rt_addr_part)p, "+", 1, &v);
            ck_assert(rt_addr_display_name(A, &l.v[k], &v));
        }
        ck_assert(rt_addr_parse_path(A, buf, n, &l));
        if (round % 200 == 0)
            rt_arena_reset(A);
    }
    /* Deep comment nesting, huge lists. */
    size_t big = 1 << 20;
    char *p = malloc(big + 16);
    ck_assert_ptr_nonnull(p);
    memset(p, '(', big);
    rt_addr_list l;
    ck_assert(rt_addr_parse_header(A, p, big, &l));
    ck_assert_uint_eq(l.n, 0);     /* an unterminated comment: nothing (PH) */
    for (size_t i = 0; i + 8 <= big; i += 8)
        memcpy(p + i, "a@b.cd, ", 8);
    ck_assert(rt_addr_parse_header(A, p, big, &l));
    ck_assert_uint_eq(l.n, RT_ADDR_HEADER_MAX);      /* PH: 256 */
    ck_assert(rt_addr_parse_list(A, p, big, &l));
    ck_assert_uint_eq(l.n, big / 8);
    memset(p, '"', big);
    ck_assert(rt_addr_parse_header(A, p, big, &l));
    memset(p, '<', big);
    ck_assert(rt_addr_parse_header(A, p, big, &l));
    free(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("address");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_header, 0, (int)(sizeof header_cases / sizeof header_cases[0]));
    tcase_add_loop_test(tc, test_path, 0, (int)(sizeof path_cases / sizeof path_cases[0]));
    tcase_add_test(tc, test_list_all_entries);
    tcase_add_test(tc, test_subaddress);
    tcase_add_test(tc, test_display_name);
    tcase_add_test(tc, test_hostile);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
