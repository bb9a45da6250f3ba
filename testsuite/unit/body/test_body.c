#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "body.h"
#include "match.h"
#include "mime.h"

static rt_arena *A;

static void setup(void)
{
    A = rt_arena_new(0);
}
static void teardown(void)
{
    rt_arena_free(&A);
}

static bool str_is(rt_str s, const char *c)
{
    return s.len == strlen(c) && memcmp(s.p, c, s.len) == 0;
}

/* All strings a transform yields, joined with '|'. */
static char *collect(const char *msg, rt_body_transform tf, const char *const *types, size_t n)
{
    rt_str ts[8];
    for (size_t i = 0; i < n; i++)
        ts[i] = rt_str_cstr(types[i]);
    rt_body_spec *spec = rt_body_spec_new(A, tf, ts, n);
    ck_assert_ptr_nonnull(spec);
    rt_mime *m = rt_mime_parse(A, rt_str_cstr(msg));
    ck_assert_ptr_nonnull(m);
    rt_body_iter it;
    rt_body_begin(&it, A, m, spec);
    rt_buf b;
    rt_buf_init(&b, A);
    rt_str s;
    int r, k = 0;
    while ((r = rt_body_next(&it, &s)) > 0) {
        if (k++)
            rt_buf_putc(&b, '|');
        rt_buf_append(&b, s.p, s.len);
    }
    ck_assert_int_eq(r, 0);
    ck_assert_int_eq(rt_body_next(&it, &s), 0);
    return (char *)rt_buf_str(&b).p;
}

START_TEST(decode_base64)
{
    rt_str o;
    ck_assert(rt_mime_decode_base64(A, rt_str_cstr("aGVsbG8K"), &o) && str_is(o, "hello\n"));
    ck_assert(rt_mime_decode_base64(A, rt_str_cstr("aGVs\r\nbG8K\r\n"), &o) && str_is(o, "hello\n"));
    ck_assert(rt_mime_decode_base64(A, rt_str_cstr("aGVsbG8"), &o) && str_is(o, "hello"));  /* no padding */
    ck_assert(rt_mime_decode_base64(A, rt_str_cstr("aGVs!!bG8K"), &o) && str_is(o, "hello\n"));  /* garbage */
    ck_assert(rt_mime_decode_base64(A, rt_str_cstr("aGVsbG8=d29ybGQ="), &o) && str_is(o, "hello"));
    ck_assert(rt_mime_decode_base64(A, rt_str_cstr("a"), &o) && o.len == 0);
    ck_assert(rt_mime_decode_base64(A, rt_str_cstr(""), &o) && o.len == 0);
    ck_assert(rt_mime_decode_base64(A, rt_str_cstr("===="), &o) && o.len == 0);
    ck_assert(rt_mime_decode_base64(A, rt_str_make("\0\xff\x80" "QQ==", 7), &o) && str_is(o, "A"));
}
END_TEST

START_TEST(decode_qp)
{
    rt_str o;
    ck_assert(rt_mime_decode_qp(A, rt_str_cstr("hel=6Co=\nworld"), &o) && str_is(o, "helloworld"));
    ck_assert(rt_mime_decode_qp(A, rt_str_cstr("a=3D=3db"), &o) && str_is(o, "a==b"));
    ck_assert(rt_mime_decode_qp(A, rt_str_cstr("soft= \r\nbreak"), &o) && str_is(o, "softbreak"));
    ck_assert(rt_mime_decode_qp(A, rt_str_cstr("trail   \r\nx\t\n"), &o) && str_is(o, "trail\r\nx\n"));
    ck_assert(rt_mime_decode_qp(A, rt_str_cstr("x=ZZy x=3"), &o) && str_is(o, "x=ZZy x=3"));
    ck_assert(rt_mime_decode_qp(A, rt_str_cstr("end="), &o) && str_is(o, "end"));
    ck_assert(rt_mime_decode_qp(A, rt_str_cstr("a b"), &o) && str_is(o, "a b"));
    ck_assert(rt_mime_decode_qp(A, rt_str_cstr("=C3=A9t=C3=A9"), &o) && str_is(o, "\xc3\xa9t\xc3\xa9"));
}
END_TEST

START_TEST(cte_values)
{
    ck_assert_int_eq(rt_mime_cte_parse(rt_str_cstr("base64")), RT_MIME_CTE_BASE64);
    ck_assert_int_eq(rt_mime_cte_parse(rt_str_cstr(" BASE64 (comment)\r\n")), RT_MIME_CTE_BASE64);
    ck_assert_int_eq(rt_mime_cte_parse(rt_str_cstr("Quoted-Printable")), RT_MIME_CTE_QP);
    ck_assert_int_eq(rt_mime_cte_parse(rt_str_cstr("7bit")), RT_MIME_CTE_7BIT);
    ck_assert_int_eq(rt_mime_cte_parse(rt_str_cstr("8BIT")), RT_MIME_CTE_8BIT);
    ck_assert_int_eq(rt_mime_cte_parse(rt_str_cstr("binary")), RT_MIME_CTE_BINARY);
    ck_assert_int_eq(rt_mime_cte_parse(rt_str_cstr("")), RT_MIME_CTE_UNKNOWN);  /* as Dovecot */
    ck_assert_int_eq(rt_mime_cte_parse(rt_str_cstr("quoted-printable;")), RT_MIME_CTE_QP);
    ck_assert_int_eq(rt_mime_cte_parse(rt_str_cstr("base9000")), RT_MIME_CTE_UNKNOWN);
    ck_assert_int_eq(rt_mime_cte_parse(rt_str_cstr("8 bit")), RT_MIME_CTE_UNKNOWN);
    ck_assert_int_eq(rt_mime_cte_parse(rt_str_cstr("quoted printable")), RT_MIME_CTE_UNKNOWN);
    ck_assert_int_eq(rt_mime_cte_parse(rt_str_cstr("x-uuencode")), RT_MIME_CTE_UNKNOWN);
    ck_assert_int_eq(rt_mime_cte_parse(rt_str_cstr("(unterminated")), RT_MIME_CTE_UNKNOWN);
}
END_TEST

START_TEST(content_type_params)
{
    rt_str t, st, v;
    ck_assert(rt_mime_content_type(A, rt_str_cstr(" Text/HTML ; charset=UTF-8"), &t, &st));
    ck_assert(str_is(t, "text") && str_is(st, "html"));
    ck_assert(rt_mime_content_type(A, rt_str_cstr("(c) multipart (x) / (y) mixed"), &t, &st));
    ck_assert(str_is(t, "multipart") && str_is(st, "mixed"));
    ck_assert(!rt_mime_content_type(A, rt_str_cstr("text"), &t, &st));
    ck_assert(!rt_mime_content_type(A, rt_str_cstr("/plain"), &t, &st));
    ck_assert(!rt_mime_content_type(A, rt_str_cstr(""), &t, &st));
    rt_str ct = rt_str_cstr("multipart/mixed; charset=\"us-ascii\";\r\n\tboundary=\"=_a b\\\"c\"; x=y");
    ck_assert(rt_mime_param(A, ct, "boundary", &v) && str_is(v, "=_a b\"c"));
    ck_assert(rt_mime_param(A, ct, "CHARSET", &v) && str_is(v, "us-ascii"));
    ck_assert(rt_mime_param(A, ct, "x", &v) && str_is(v, "y"));
    ck_assert(!rt_mime_param(A, ct, "y", &v));
    ck_assert(rt_mime_param(A, rt_str_cstr("text/plain; charset=utf-8 (comment)"), "charset", &v) && str_is(v, "utf-8"));
    ck_assert(rt_mime_param(A, rt_str_cstr("multipart/mixed; boundary=----=_NextPart_000_0000_01C0.A1B2"),
                            "boundary", &v) && str_is(v, "----=_NextPart_000_0000_01C0.A1B2"));
    /* RFC 2231 */
    ck_assert(rt_mime_param(A, rt_str_cstr("text/plain; charset*=us-ascii'en'utf%2D8"), "charset", &v) && str_is(v, "utf-8"));
    ck_assert(rt_mime_param(A, rt_str_cstr("a/b; name*0=\"abc\"; name*1*=%41%42; name*2=z"), "name", &v) && str_is(v, "abcABz"));
    /* Garbage never crashes. */
    const char *bad[] = { ";", "a/b;;;=;=\"", "a/b; boundary=\"unterminated", "a/b; boundary", "a/b; boundary*=%", "\"\\", "(((" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rt_mime_param(A, rt_str_cstr(bad[i]), "boundary", &v);
        rt_mime_content_type(A, rt_str_cstr(bad[i]), &t, &st);
    }
}
END_TEST

static const char MP[] =
    "From: a@b.c\r\n"
    "Subject: t\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"XX\"\r\n"
    "\r\n"
    "preamble-word\r\n"
    "--XX\r\n"
    "Content-Type: text/html; charset=iso-8859-1\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "<html><body><b>bold</b> html-word &amp; more<script>js-word</script></body></html>\r\n"
    "--XX\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "Subject: inner-subject\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "inner-body-word\r\n"
    "--XX\r\n"
    "Content-Type: application/octet-stream\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "YmluYXJ5LXdvcmQ=\r\n"
    "--XX\r\n"
    "Content-Type: text/plain\r\n"
    "Content-Transfer-Encoding: base9000\r\n"
    "\r\n"
    "weird-word\r\n"
    "--XX--\r\n"
    "epilogue-word\r\n";

START_TEST(structure)
{
    rt_mime *m = rt_mime_parse(A, rt_str_cstr(MP));
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(m->nparts, 6);
    ck_assert(m->parts[0].multipart && str_is(m->parts[0].boundary, "XX"));
    ck_assert(str_is(m->parts[0].preamble, "preamble-word"));
    ck_assert(str_is(m->parts[0].epilogue, "epilogue-word\r\n"));
    ck_assert_uint_eq(m->parts[0].end, 6);
    ck_assert(str_is(m->parts[1].type, "text") && str_is(m->parts[1].subtype, "html"));
    ck_assert(str_is(m->parts[1].charset, "iso-8859-1"));
    ck_assert_int_eq(m->parts[1].cte, RT_MIME_CTE_QP);
    ck_assert(m->parts[2].message && m->parts[2].end == 4);
    ck_assert_int_eq(m->parts[3].parent, 2);
    ck_assert_uint_eq(m->parts[3].depth, 2);
    ck_assert(str_is(m->parts[3].body, "inner-body-word"));  /* CRLF before delimiter excluded */
    rt_str d;
    ck_assert(rt_mime_decoded(m, 4, &d) && str_is(d, "binary-word"));
    ck_assert(str_is(m->parts[5].type, "application"));  /* unknown CTE, RFC 2045 6.4 */
    ck_assert(!rt_mime_decoded(m, 99, &d));
}
END_TEST

START_TEST(transforms)
{
    /* Expected values checked against Pigeonhole 0.5.19 with sieve-test. */
    char *s = collect(MP, RT_BODY_TEXT, NULL, 0);
    ck_assert(strstr(s, "html-word & more") && strstr(s, "inner-body-word"));
    ck_assert(!strstr(s, "<b>") && !strstr(s, "js-word") && !strstr(s, "preamble-word"));
    ck_assert(!strstr(s, "inner-subject") && !strstr(s, "binary-word") && !strstr(s, "weird-word"));
    const char *multi[] = { "multipart" };
    ck_assert_str_eq(collect(MP, RT_BODY_CONTENT, multi, 1), "preamble-word|epilogue-word\r\n");
    const char *msg[] = { "message/rfc822" };
    s = collect(MP, RT_BODY_CONTENT, msg, 1);
    ck_assert(strstr(s, "inner-subject") && !strstr(s, "inner-body-word"));
    const char *all[] = { "" };
    s = collect(MP, RT_BODY_CONTENT, all, 1);
    ck_assert(strstr(s, "binary-word") && strstr(s, "<b>bold</b>") && strstr(s, "preamble-word"));
    const char *html[] = { "TEXT/Html" };
    s = collect(MP, RT_BODY_CONTENT, html, 1);
    ck_assert(strstr(s, "<b>") && !strstr(s, "inner-body-word"));
    const char *text[] = { "text" };
    s = collect(MP, RT_BODY_CONTENT, text, 1);
    ck_assert(strstr(s, "inner-body-word") && strstr(s, "<b>") && !strstr(s, "weird-word"));
    const char *app[] = { "image", "application/octet-stream" };
    s = collect(MP, RT_BODY_CONTENT, app, 2);
    ck_assert(strstr(s, "binary-word") && !strstr(s, "weird-word"));  /* unknown CTE: empty */
    const char *none[] = { "audio" };
    ck_assert_str_eq(collect(MP, RT_BODY_CONTENT, none, 1), "");
    s = collect(MP, RT_BODY_RAW, NULL, 0);
    ck_assert(strncmp(s, "preamble-word\r\n--XX\r\nContent-Type: text/html", 44) == 0);
    ck_assert(!strstr(s, "Subject: t"));
}
END_TEST

START_TEST(transforms_simple)
{
    /* Not MIME at all: the body is one text/plain part. */
    const char *plain = "Subject: x\n\nHello\nWorld\n";
    ck_assert_str_eq(collect(plain, RT_BODY_TEXT, NULL, 0), "Hello\nWorld\n");
    ck_assert_str_eq(collect(plain, RT_BODY_RAW, NULL, 0), "Hello\nWorld\n");
    /* No header/body separator: all header, empty body. */
    ck_assert_str_eq(collect("Subject: x\nFrom: y", RT_BODY_RAW, NULL, 0), "");
    ck_assert_str_eq(collect("", RT_BODY_TEXT, NULL, 0), "");
    /* No header at all. */
    ck_assert_str_eq(collect("\nbody only", RT_BODY_TEXT, NULL, 0), "body only");
    /* Base64 text with a charset. */
    const char *b64 = "Content-Type: text/plain; charset=utf-8\n"
                      "Content-Transfer-Encoding: base64\n\nw6l0w6k=\n";
    ck_assert_str_eq(collect(b64, RT_BODY_TEXT, NULL, 0), "\xc3\xa9t\xc3\xa9");
}
END_TEST

START_TEST(broken_structures)
{
    /* Unterminated multipart: the last part runs to the end. */
    const char *unterminated = "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nfirst\n--b\n\nsecond\n";
    ck_assert_str_eq(collect(unterminated, RT_BODY_TEXT, NULL, 0), "first|second\n");
    /* Boundary never occurs: no children, all preamble. */
    const char *nob = "Content-Type: multipart/mixed; boundary=zz\n\n--b\n\nfirst\n";
    rt_mime *m = rt_mime_parse(A, rt_str_cstr(nob));
    ck_assert_uint_eq(m->nparts, 1);
    ck_assert_str_eq(collect(nob, RT_BODY_TEXT, NULL, 0), "");
    /* No boundary parameter. */
    m = rt_mime_parse(A, rt_str_cstr("Content-Type: multipart/mixed\n\n--b\n\nx\n"));
    ck_assert_uint_eq(m->nparts, 1);
    /* Nested, inner unterminated: the outer delimiter ends it. */
    const char *nested = "Content-Type: multipart/mixed; boundary=outer\n\n"
                         "--outer\nContent-Type: multipart/alternative; boundary=outerinner\n\n"
                         "--outerinner\n\ninner-1\n--outer\n\nouter-2\n--outer--\n";
    m = rt_mime_parse(A, rt_str_cstr(nested));
    ck_assert_uint_eq(m->nparts, 4);
    ck_assert_str_eq(collect(nested, RT_BODY_TEXT, NULL, 0), "inner-1|outer-2");
    /* Part without header and without blank line: all header, no body,
     * so no string at all (RFC 2046 5.1.1; Pigeonhole gives "ok" only). */
    const char *nohdr = "Content-Type: multipart/mixed; boundary=b\n\n--b\nno header here\n--b\n\nok\n--b--\n";
    ck_assert_str_eq(collect(nohdr, RT_BODY_TEXT, NULL, 0), "ok");
    /* Delimiter with trailing blanks and garbage-looking lines. */
    const char *blanks = "Content-Type: multipart/mixed; boundary=b\n\n--b  \n\none\n--bx\n--b--  \n";
    ck_assert_str_eq(collect(blanks, RT_BODY_TEXT, NULL, 0), "one\n--bx");
    /* Two Content-Type fields: the first decides (Dovecot). */
    m = rt_mime_parse(A, rt_str_cstr("Content-Type: text/plain\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n"));
    ck_assert_uint_eq(m->nparts, 1);
    ck_assert(str_is(m->parts[0].type, "text"));
    /* Own delimiter inside the header ends it (checked with Pigeonhole on a
     * real spam message shaped like this). */
    const char *inhdr = "Content-Type: multipart/alternative;\n boundary=\"--9\"\n \n----9\n"
                        "Content-Type: text/plain;\n \nGood Day,\n\nCordially\n \n----9--\n";
    ck_assert_str_eq(collect(inhdr, RT_BODY_TEXT, NULL, 0), "Cordially\n ");
    ck_assert_str_eq(collect(inhdr, RT_BODY_RAW, NULL, 0), "Cordially\n \n----9--\n");
    /* An empty Content-Transfer-Encoding: never searched as text. */
    ck_assert_str_eq(collect("Content-Transfer-Encoding: \n\nhidden\n", RT_BODY_TEXT, NULL, 0), "");
    /* Digest: parts default to message/rfc822. */
    const char *digest = "Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: s1\n\nbody1\n--d--\n";
    m = rt_mime_parse(A, rt_str_cstr(digest));
    ck_assert_uint_eq(m->nparts, 3);
    ck_assert(m->parts[1].message);
    ck_assert_str_eq(collect(digest, RT_BODY_TEXT, NULL, 0), "body1");
}
END_TEST

START_TEST(limits)
{
    /* Nesting far beyond the limit. */
    size_t depth = 200;
    rt_buf b;
    rt_buf_init(&b, A);
    for (size_t i = 0; i < depth; i++) {
        char line[128];
        int n = snprintf(line, sizeof line, "Content-Type: multipart/mixed; boundary=b%zu\n\n--b%zu\n", i, i);
        rt_buf_append(&b, line, (size_t)n);
    }
    rt_buf_append(&b, "\ndeep\n", 6);
    rt_str deep = rt_buf_str(&b);
    rt_mime *m = rt_mime_parse(A, deep);
    ck_assert_ptr_nonnull(m);
    ck_assert(m->truncated);
    ck_assert_uint_le(m->nparts, RT_MIME_MAX_DEPTH + 1);
    /* message/rfc822 nested the same way. */
    rt_buf_init(&b, A);
    for (size_t i = 0; i < depth; i++)
        rt_buf_append(&b, "Content-Type: message/rfc822\n\n", 30);
    rt_buf_append(&b, "Subject: x\n\nbody\n", 17);
    m = rt_mime_parse(A, rt_buf_str(&b));
    ck_assert(m && m->truncated);
    /* Very many parts. */
    rt_buf_init(&b, A);
    rt_buf_append(&b, "Content-Type: multipart/mixed; boundary=b\n\n", 43);
    for (size_t i = 0; i < 3 * RT_MIME_MAX_PARTS; i++)
        rt_buf_append(&b, "--b\n\nx\n", 7);
    m = rt_mime_parse(A, rt_buf_str(&b));
    ck_assert(m && m->truncated);
    ck_assert_uint_le(m->nparts, RT_MIME_MAX_PARTS);
    /* Arena too small: NULL or an error, never a crash. */
    rt_arena *small = rt_arena_new(4096);
    m = rt_mime_parse(small, rt_str_cstr(MP));
    if (m) {
        const char *all[] = { "" };
        rt_str ts = rt_str_cstr(all[0]);
        rt_body_spec *spec = rt_body_spec_new(small, RT_BODY_CONTENT, &ts, 1);
        if (spec) {
            rt_body_iter it;
            rt_str s;
            rt_body_begin(&it, small, m, spec);
            while (rt_body_next(&it, &s) > 0)
                ;
        }
    }
    rt_arena_free(&small);
}
END_TEST

START_TEST(html)
{
    rt_str o;
    ck_assert(rt_body_html_to_text(A, rt_str_cstr("a<b>b</b>c&lt;&#65;&#x42;&unknown;<!-- x -->d<br>e<STYLE>p{}</style>f"), &o));
    ck_assert(str_is(o, "abc<AB&unknown;d\nef"));
    const char *bad[] = { "<", "<!--", "<script", "<script>never closed", "&#", "&#x", "&#99999999999;", "a<b" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert(rt_body_html_to_text(A, rt_str_cstr(bad[i]), &o));
    ck_assert(rt_body_html_to_text(A, rt_str_cstr("&#0;"), &o) && str_is(o, "\xef\xbf\xbd"));
}
END_TEST

/* Content-Type and Content-Transfer-Encoding found in any case, after
 * near misses that start with the same letter, and not inside other
 * fields' continuation lines. */
START_TEST(header_lookup_case)
{
    const char *msg = "Cc: x@example.org\n"
                      "Content-Typo: text/plain\n"
                      "X-Note: a\n"
                      " content-type: text/plain\n"
                      "cONTENT-tYPE : text/HTML\n"
                      "CONTENT-TRANSFER-ENCODING: Quoted-Printable\n"
                      "\n"
                      "<b>caf=C3=A9</b>&amp;\n";
    const char *types[] = { "text/html" };
    ck_assert_str_eq(collect(msg, RT_BODY_CONTENT, types, 1), "<b>caf\xc3\xa9</b>&amp;\n");
    ck_assert_str_eq(collect(msg, RT_BODY_TEXT, NULL, 0), "caf\xc3\xa9&\n");
    /* Text parts used as they are when valid UTF-8 is declared UTF-8 or
     * US-ASCII (or nothing), sanitized otherwise, converted for others. */
    ck_assert_str_eq(collect("Content-Type: text/plain; charset=UTF-8\n\ncaf\xc3\xa9 ok",
                             RT_BODY_TEXT, NULL, 0), "caf\xc3\xa9 ok");
    ck_assert_str_eq(collect("Content-Type: text/plain; charset=utf-8\n\na\xff\xfe" "b",
                             RT_BODY_TEXT, NULL, 0), "a\xef\xbf\xbd" "b");
    ck_assert_str_eq(collect("Content-Type: text/plain; charset=us-ascii\n\n\xe9t\xe9",
                             RT_BODY_TEXT, NULL, 0), "\xef\xbf\xbdt\xef\xbf\xbd");
    ck_assert_str_eq(collect("Subject: x\n\nplain \xc3\xa9", RT_BODY_TEXT, NULL, 0),
                     "plain \xc3\xa9");
    ck_assert_str_eq(collect("Content-Type: text/plain; charset=latin1\n\n\xc3\xa9",
                             RT_BODY_TEXT, NULL, 0), "\xc3\x83\xc2\xa9");
}
END_TEST

/* The scanning shortcuts of html_to_text: case-insensitive closing tags
 * found among false starts, '&' and '<' far apart or interleaved, tag
 * names as prefixes of longer names, 8-bit bytes that only a locale would
 * fold. */
START_TEST(html_scanning)
{
    rt_str o;
    ck_assert(rt_body_html_to_text(A, rt_str_cstr("a<ScRiPt type=x>< /script></scrip></SCRIPTX"
                                                  "</sCrIpT >b<style>x</STYLE\t>c"), &o));
    ck_assert(str_is(o, "abc"));
    ck_assert(rt_body_html_to_text(A, rt_str_cstr("<script></script"), &o) && str_is(o, ""));
    ck_assert(rt_body_html_to_text(A, rt_str_cstr("x<script>abc</scrip"), &o) && str_is(o, "x"));
    ck_assert(rt_body_html_to_text(A, rt_str_cstr("<scripts>k</scripts>"), &o) && str_is(o, "k"));
    ck_assert(rt_body_html_to_text(A, rt_str_cstr("1<b>2<i>3</i>4<u>5</u>6&AMP;7&Nbsp8&amp"), &o));
    ck_assert(str_is(o, "123456&7 8&"));
    ck_assert(rt_body_html_to_text(A, rt_str_cstr("&&<&<<&x&lt;<p>&gt;<P/><pre><Br\n>"), &o));
    ck_assert(str_is(o, "&&>\n\n"));
    ck_assert(rt_body_html_to_text(A, rt_str_cstr("<tablex><TABLE><h7><H6 a><hr"), &o));
    ck_assert(str_is(o, "\n\n\n"));
    /* \xd3 is lower-case \xf3 in Latin-1 locales; neither is a letter here. */
    ck_assert(rt_body_html_to_text(A, rt_str_cstr("<\xd3l>a<script>\xd3</\xd3" "cript>b</script>c"), &o));
    ck_assert(str_is(o, "ac"));
    /* Many tags and no '&': each text run between them survives. */
    char big[6000];
    size_t n = 0;
    for (int i = 0; i < 1000; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "<i>%d", i % 10);
    ck_assert(rt_body_html_to_text(A, rt_str_make(big, n), &o));
    ck_assert_uint_eq(o.len, 1000);
    ck_assert(o.p[0] == '0' && o.p[999] == '9');
}
END_TEST

START_TEST(body_with_match)
{
    /* How the generated code uses it: keys prepared once, each string of
     * the transform tested with :contains. */
    rt_arena *load = rt_arena_new(0);
    rt_str key = rt_str_cstr("INNER-BODY");
    rt_match_keys *k = rt_match_keys_new(load, RT_MATCH_CONTAINS, RT_CMP_ASCII_CASEMAP, RT_REL_EQ, &key, 1, NULL, 0);
    rt_body_spec *spec = rt_body_spec_new(load, RT_BODY_TEXT, NULL, 0);
    uint64_t mallocs = 0;
    for (int round = 0; round < 50; round++) {
        rt_arena_reset(A);
        rt_mime *m = rt_mime_parse(A, rt_str_cstr(MP));
        rt_body_iter it;
        rt_str s;
        bool found = false;
        rt_body_begin(&it, A, m, spec);
        while (!found && rt_body_next(&it, &s) > 0)
            found = rt_match_value(k, A, s, NULL) == RT_MATCH_YES;
        ck_assert(found);
        if (round == 1)
            mallocs = rt_arena_mallocs(A);
    }
    ck_assert_uint_eq(rt_arena_mallocs(A), mallocs);  /* steady state: no growth */
    rt_arena_free(&load);
}
END_TEST

/* ---- the shared edge corpus ---- */

static int run_corpus(const char *dir)
{
    const char *sub[] = { "cur", "new" };
    size_t files = 0, multi = 0, strings = 0;
    unsigned long touched = 0;
    rt_arena *a = rt_arena_new(0);
    const char *all[] = { "", "text", "multipart", "message/rfc822", "text/html", "application" };
    for (int d = 0; d < 2; d++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, sub[d]);
        DIR *dh = opendir(path);
        if (!dh)
            continue;
        struct dirent *e;
        while ((e = readdir(dh))) {
            if (e->d_name[0] == '.')
                continue;
            char fp[8192];
            snprintf(fp, sizeof fp, "%s/%s", path, e->d_name);
            FILE *f = fopen(fp, "rb");
            if (!f)
                continue;
            struct stat st;
            if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
                fclose(f);
                continue;
            }
            char *buf = malloc((size_t)st.st_size + 1);
            size_t n = fread(buf, 1, (size_t)st.st_size, f);
            fclose(f);
            rt_arena_reset(a);
            rt_str msg = rt_str_make(buf, n);
            rt_mime *m = rt_mime_parse(a, msg);
            if (!m) {
                fprintf(stderr, "%s: parse failed\n", fp);
                return 1;
            }
            files++;
            if (m->nparts > 1)
                multi++;
            for (size_t i = 0; i < m->nparts; i++) {
                const rt_mime_part *p = &m->parts[i];
                const rt_str *ss[] = { &p->header, &p->body, &p->preamble, &p->epilogue };
                for (size_t k = 0; k < 4; k++) {
                    if (ss[k]->len && (ss[k]->p < buf || ss[k]->p + ss[k]->len > buf + n)) {
                        fprintf(stderr, "%s: part %zu string %zu outside the message\n", fp, i, k);
                        return 1;
                    }
                }
                if (p->end <= i || p->end > m->nparts) {
                    fprintf(stderr, "%s: part %zu bad subtree end\n", fp, i);
                    return 1;
                }
            }
            for (int tf = 0; tf < 3; tf++) {
                for (size_t t = 0; t < (tf == RT_BODY_CONTENT ? sizeof all / sizeof all[0] : 1); t++) {
                    rt_str ts = rt_str_cstr(all[t]);
                    rt_body_spec *spec = rt_body_spec_new(a, (rt_body_transform)tf, &ts, 1);
                    rt_body_iter it;
                    rt_str s;
                    int r;
                    rt_body_begin(&it, a, m, spec);
                    while ((r = rt_body_next(&it, &s)) > 0) {
                        strings++;
                        /* Touch every byte (ASan checks the bounds). */
                        unsigned sum = 0;
                        for (size_t i = 0; i < s.len; i++)
                            sum += (unsigned char)s.p[i];
                        touched += sum;
                        rt_match_once(a, RT_MATCH_MATCHES, RT_CMP_UNICODE_CASEMAP, RT_REL_EQ, s,
                                      rt_str_cstr("*the*?*"), NULL);
                    }
                    if (r < 0) {
                        fprintf(stderr, "%s: body transform failed\n", fp);
                        return 1;
                    }
                }
            }
            free(buf);
        }
        closedir(dh);
    }
    rt_arena_free(&a);
    if (files == 0) {
        printf("skipped: no messages under %s\n", dir);
        return 77;
    }
    printf("edge corpus: %zu messages, %zu with MIME parts, %zu strings searched (checksum %lu)\n",
           files, multi, strings, touched);
    return multi > 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--corpus") == 0) {
        struct stat st;
        if (stat(argv[2], &st) != 0) {
            printf("skipped: shared corpus %s is absent (set SIEVEC_SHARED_DIR)\n", argv[2]);
            return 77;
        }
        return run_corpus(argv[2]);
    }
    Suite *s = suite_create("body");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, decode_base64);
    tcase_add_test(tc, decode_qp);
    tcase_add_test(tc, cte_values);
    tcase_add_test(tc, content_type_params);
    tcase_add_test(tc, structure);
    tcase_add_test(tc, transforms);
    tcase_add_test(tc, transforms_simple);
    tcase_add_test(tc, broken_structures);
    tcase_add_test(tc, limits);
    tcase_add_test(tc, html);
    tcase_add_test(tc, html_scanning);
    tcase_add_test(tc, header_lookup_case);
    tcase_add_test(tc, body_with_match);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
