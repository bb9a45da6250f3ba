/* Unit tests of the code generator and emitter, independent of the
 * runtime's executor: scripts are compiled in-process with the library API
 * to a .so in a temp dir, dlopen'ed here (the test trusts its own output),
 * and then
 *   - the descriptor fields are checked (magic, version, SHA-256 of the
 *     source, needs/flags),
 *   - the program table is walked with bounds checks on every offset and
 *     the records of small scripts are compared with what they must hold,
 *   - entry is called with a fake ops table that logs each call and
 *     returns scripted test results, to check the control flow: if/elsif/
 *     else, allof/anyof short-circuit, not, stop, error propagation, and
 *     the split into parts of large scripts. */
#include <check.h>
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compile.h"
#include "mac.h"
#include "sha256.h"
#include "sieve/abi.h"

static char tmpdir[256];
static char keyfile[300];
static unsigned counter;

static void setup_dir(void)
{
    if (tmpdir[0])
        return;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_codegen.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(keyfile, sizeof keyfile, "%s/key", tmpdir);
    FILE *f = fopen(keyfile, "w");
    ck_assert_ptr_nonnull(f);
    fputs("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", f);
    fclose(f);
    chmod(keyfile, 0600);
}

typedef struct built {
    char path[400];
    void *handle;
    const sieve_abi_descriptor *d;
    int status;
    diag_sink *diag;
    source *src;
} built;

/* Compiles text; on success dlopens the .so (kind EMIT_SHARED). */
static void build_opts(built *b, const char *text, emit_kind kind, unsigned opt, const char *cpu)
{
    setup_dir();
    memset(b, 0, sizeof *b);
    const char *ext = kind == EMIT_SHARED ? "so" : kind == EMIT_OBJECT ? "o" : "ll";
    snprintf(b->path, sizeof b->path, "%s/f%u.%s", tmpdir, counter++, ext);
    b->src = source_from_memory("t.sieve", text, strlen(text));
    b->diag = diag_sink_new(0);
    compile_options co = { .output = kind, .opt_level = opt, .cpu = cpu, .key_file = keyfile };
    b->status = sievec_compile_source(b->src, b->path, &co, b->diag);
    if (b->status == COMPILE_OK && kind == EMIT_SHARED) {
        b->handle = dlopen(b->path, RTLD_NOW | RTLD_LOCAL);
        ck_assert_msg(b->handle != NULL, "dlopen: %s", dlerror());
        b->d = dlsym(b->handle, SIEVE_ABI_DESCRIPTOR_SYMBOL);
        ck_assert_ptr_nonnull(b->d);
    }
}

static void build(built *b, const char *text)
{
    build_opts(b, text, EMIT_SHARED, 2, NULL);
    if (b->status != COMPILE_OK) {
        for (size_t i = 0; i < diag_count(b->diag); i++)
            fprintf(stderr, "  [%s] %s\n", diag_get(b->diag, i)->id, diag_get(b->diag, i)->message);
    }
    ck_assert_int_eq(b->status, COMPILE_OK);
}

static void unbuild(built *b)
{
    if (b->handle)
        dlclose(b->handle);
    unlink(b->path);
    diag_sink_free(&b->diag);
    source_free(&b->src);
}

/* ---- The fake runtime -------------------------------------------------- */

typedef struct fake {
    sieve_abi_ctx base;         /* first: generated code reads ops */
    char log[4096];
    int test_result[64];        /* by record index; default SIEVE_OK */
    int action_result[64];
    unsigned ncalls;
} fake;

static void logf_(fake *f, const char *fmt, ...)
{
    size_t n = strlen(f->log);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->log + n, sizeof f->log - n, fmt, ap);
    va_end(ap);
}

static int32_t fake_test(sieve_abi_ctx *ctx, uint32_t i)
{
    fake *f = (fake *)ctx;
    f->ncalls++;
    logf_(f, "T%u ", i);
    return i < 64 ? f->test_result[i] : SIEVE_OK;
}

static int32_t fake_action(sieve_abi_ctx *ctx, uint32_t i)
{
    fake *f = (fake *)ctx;
    f->ncalls++;
    logf_(f, "A%u ", i);
    return i < 64 ? f->action_result[i] : SIEVE_OK;
}

static int32_t fake_never(sieve_abi_ctx *ctx, uint32_t i)
{
    (void)ctx;
    (void)i;
    ck_abort_msg("generated code called an op it has no use for");
    return SIEVE_ERROR;
}

static const sieve_abi_ops fake_ops = {
    .abi_version = SIEVE_ABI_VERSION,
    .test = fake_test, .action = fake_action,
    .loop_begin = fake_never, .loop_next = fake_never, .loop_end = fake_never,
    .include_enter = fake_never, .include_leave = fake_never,
};

static void fake_init(fake *f)
{
    memset(f, 0, sizeof *f);
    f->base.ops = &fake_ops;
}

/* Runs entry with tests set true by the mask bits; returns the log. */
static const char *run_mask(const built *b, fake *f, unsigned long long true_mask, int *rc_r)
{
    fake_init(f);
    for (int i = 0; i < 64; i++)
        f->test_result[i] = (true_mask >> i) & 1 ? SIEVE_TRUE : SIEVE_OK;
    *rc_r = b->d->entry(&f->base);
    size_t n = strlen(f->log);
    if (n && f->log[n - 1] == ' ')
        f->log[n - 1] = '\0';
    return f->log;
}

static void expect_run(const built *b, unsigned long long mask, int rc, const char *log)
{
    fake f;
    int got;
    const char *l = run_mask(b, &f, mask, &got);
    ck_assert_msg(strcmp(l, log) == 0 && got == rc, "mask %llx: got rc %d log '%s', want rc %d log '%s'",
                  mask, got, l, rc, log);
}

/* ---- Program table walking ---------------------------------------------- */

typedef struct meta {
    const uint32_t *w;
    uint32_t n;
    const char *pool;
    uint32_t poolbytes;
} meta;

static meta meta_of(const sieve_abi_descriptor *d)
{
    meta m = { d->meta, d->meta_words, NULL, 0 };
    ck_assert_uint_ge(m.n, SIEVE_META_HEADER_WORDS);
    ck_assert_uint_eq(m.w[SIEVE_META_MAGIC], SIEVE_ABI_MAGIC);
    uint32_t sp = m.w[SIEVE_META_STRPOOL];
    m.poolbytes = m.w[SIEVE_META_STRPOOL_BYTES];
    ck_assert_uint_le((uint64_t)sp + (m.poolbytes + 3) / 4, m.n);
    m.pool = (const char *)(m.w + sp);
    ck_assert_uint_le((uint64_t)m.w[SIEVE_META_TESTS] + (uint64_t)m.w[SIEVE_META_NTESTS] * SIEVE_TEST_WORDS, m.n);
    ck_assert_uint_le((uint64_t)m.w[SIEVE_META_ACTIONS] + (uint64_t)m.w[SIEVE_META_NACTIONS] * SIEVE_ACTION_WORDS, m.n);
    ck_assert_uint_le(m.w[SIEVE_META_LOOPS], m.n);
    ck_assert_uint_le(m.w[SIEVE_META_INCLUDES], m.n);
    return m;
}

/* Checks a value at off and renders it: text as is, ${slot:N}, ${N}. */
static void value_str(const meta *m, uint32_t off, char *out, size_t outlen)
{
    ck_assert_uint_gt(off, SIEVE_META_HEADER_WORDS - 1);
    ck_assert_uint_lt(off, m->n);
    uint32_t np = m->w[off];
    ck_assert_uint_le((uint64_t)off + 1 + 3ull * np, m->n);
    out[0] = '\0';
    for (uint32_t i = 0; i < np; i++) {
        const uint32_t *p = m->w + off + 1 + 3 * i;
        size_t n = strlen(out);
        switch (p[0]) {
        case SIEVE_PART_TEXT:
            ck_assert_uint_le((uint64_t)p[1] + p[2] + 1, m->poolbytes);
            ck_assert_int_eq(m->pool[p[1] + p[2]], '\0');
            snprintf(out + n, outlen - n, "%.*s", (int)p[2], m->pool + p[1]);
            break;
        case SIEVE_PART_VAR:
            ck_assert_uint_lt(p[1], m->w[SIEVE_META_NVARS]);
            snprintf(out + n, outlen - n, "${slot:%u}", p[1]);
            break;
        case SIEVE_PART_MATCH:
            ck_assert_uint_le(p[1], 9);
            snprintf(out + n, outlen - n, "${%u}", p[1]);
            break;
        default:
            ck_abort_msg("bad part kind %u", p[0]);
        }
    }
}

/* Renders a list as "a|b|c". */
static void list_str(const meta *m, uint32_t off, char *out, size_t outlen)
{
    ck_assert_uint_gt(off, 0);
    ck_assert_uint_lt(off, m->n);
    uint32_t cnt = m->w[off];
    ck_assert_uint_le((uint64_t)off + 1 + cnt, m->n);
    out[0] = '\0';
    for (uint32_t i = 0; i < cnt; i++) {
        char v[512];
        value_str(m, m->w[off + 1 + i], v, sizeof v);
        size_t n = strlen(out);
        snprintf(out + n, outlen - n, "%s%s", i ? "|" : "", v);
    }
}

static const uint32_t *test_rec(const meta *m, uint32_t i)
{
    ck_assert_uint_lt(i, m->w[SIEVE_META_NTESTS]);
    return m->w + m->w[SIEVE_META_TESTS] + i * SIEVE_TEST_WORDS;
}

static const uint32_t *action_rec(const meta *m, uint32_t i)
{
    ck_assert_uint_lt(i, m->w[SIEVE_META_NACTIONS]);
    return m->w + m->w[SIEVE_META_ACTIONS] + i * SIEVE_ACTION_WORDS;
}

/* Walks everything the header and the records point to. */
static void walk_all(const meta *m)
{
    char buf[4096];
    for (uint32_t i = 0; i < m->w[SIEVE_META_NTESTS]; i++) {
        const uint32_t *r = test_rec(m, i);
        ck_assert_uint_ge(r[SIEVE_TR_KIND], 1);
        ck_assert_uint_lt(r[SIEVE_TR_KIND], SIEVE_TEST__COUNT);
        if (r[SIEVE_TR_KIND] == SIEVE_TEST_DATE || r[SIEVE_TR_KIND] == SIEVE_TEST_ENVIRONMENT)
            value_str(m, r[SIEVE_TR_ARG0], buf, sizeof buf);   /* a value, not a list */
        else if (r[SIEVE_TR_KIND] != SIEVE_TEST_SIZE_OVER && r[SIEVE_TR_KIND] != SIEVE_TEST_SIZE_UNDER &&
            r[SIEVE_TR_ARG0])
            list_str(m, r[SIEVE_TR_ARG0], buf, sizeof buf);
        if (r[SIEVE_TR_ARG1])
            list_str(m, r[SIEVE_TR_ARG1], buf, sizeof buf);
        ck_assert_uint_ge(r[SIEVE_TR_LINE], 1);
    }
    for (uint32_t i = 0; i < m->w[SIEVE_META_NACTIONS]; i++) {
        const uint32_t *r = action_rec(m, i);
        ck_assert_uint_ge(r[SIEVE_AR_KIND], 1);
        ck_assert_uint_lt(r[SIEVE_AR_KIND], SIEVE_ACT__COUNT);
        if (r[SIEVE_AR_ARG0])
            value_str(m, r[SIEVE_AR_ARG0], buf, sizeof buf);
    }
    list_str(m, m->w[SIEVE_META_HEADERS], buf, sizeof buf);
    list_str(m, m->w[SIEVE_META_EXTENSIONS], buf, sizeof buf);
    list_str(m, m->w[SIEVE_META_VARNAMES], buf, sizeof buf);
    ck_assert_uint_eq(m->w[m->w[SIEVE_META_VARNAMES]], m->w[SIEVE_META_NVARS]);
}

/* ---- Descriptor ---------------------------------------------------------- */

START_TEST(test_descriptor)
{
    const char *text = "if header :contains \"Subject\" \"spam\" { discard; }\n";
    built b;
    build(&b, text);
    const sieve_abi_descriptor *d = b.d;
    ck_assert_uint_eq(d->magic, SIEVE_ABI_MAGIC);
    ck_assert_uint_eq(d->abi_version, SIEVE_ABI_VERSION);
    ck_assert_uint_eq(d->descriptor_size, sizeof(sieve_abi_descriptor));
    uint8_t sha[32];
    rt_sha256(text, strlen(text), sha);
    ck_assert_mem_eq(d->source_sha256, sha, 32);
    ck_assert_str_eq(d->compiler_version, sievec_compiler_version());
    ck_assert_ptr_nonnull(strstr(d->compiler_version, "LLVM"));
    ck_assert_str_eq(d->target_cpu, "generic");
    ck_assert_str_eq(d->target_features, "");
    ck_assert_ptr_nonnull(d->target_triple);
    ck_assert_uint_eq(d->flags, 0);
    ck_assert_uint_eq(d->needs, SIEVE_NEEDS_HEADERS);
    ck_assert_ptr_nonnull(d->entry);
    meta m = meta_of(d);
    walk_all(&m);
    unbuild(&b);
}
END_TEST

START_TEST(test_signed)
{
    built b;
    build(&b, "keep;\n");
    FILE *f = fopen(b.path, "rb");
    ck_assert_ptr_nonnull(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    uint8_t key[32];
    for (int i = 0; i < 32; i++)
        key[i] = (uint8_t)i;
    size_t payload;
    char err[256];
    ck_assert_int_eq(rt_mac_verify(buf, n, key, &payload, err, sizeof err), 0);
    ck_assert_uint_eq(payload + RT_MAC_TRAILER_LEN, n);
    key[0] ^= 1;
    ck_assert_int_ne(rt_mac_verify(buf, n, key, &payload, err, sizeof err), 0);
    struct stat st;
    ck_assert_int_eq(stat(b.path, &st), 0);
    ck_assert_uint_eq(st.st_mode & 0777, 0644);
    ck_assert_uint_eq(b.d->needs, 0);
    unbuild(&b);
}
END_TEST

static const struct needs_case {
    const char *script;
    uint32_t needs, flags;
} needs_cases[] = {
    { "require \"envelope\"; if envelope :is \"from\" \"a@b.c\" { discard; }", SIEVE_NEEDS_ENVELOPE, 0 },
    { "require \"envelope\"; if envelope :is \"to\" \"a@b.c\" { discard; }", SIEVE_NEEDS_ENVELOPE,
      SIEVE_FLAG_RECIPIENT_DEPENDENT },
    { "if exists \"x-spam\" { discard; }", SIEVE_NEEDS_HEADERS, 0 },
    { "if address :domain \"from\" \"example.org\" { discard; }", SIEVE_NEEDS_HEADERS, 0 },
    { "require \"body\"; if body :contains \"viagra\" { discard; }", SIEVE_NEEDS_BODY, 0 },
    { "if size :over 1M { discard; }", SIEVE_NEEDS_SIZE, 0 },
    { "require [\"envelope\"]; if allof (envelope \"from\" \"x@y.z\", header :is \"subject\" \"hi\") "
      "{ discard; }", SIEVE_NEEDS_ENVELOPE | SIEVE_NEEDS_HEADERS, 0 },
    { "discard;", 0, 0 },
    /* RFC 5703: a loop walks the body's parts; :anychild reads their
     * headers even outside one; :mime alone reads the message header. */
    { "require \"foreverypart\"; foreverypart { discard; }", SIEVE_NEEDS_BODY, 0 },
    { "require \"mime\"; if header :mime :anychild :type \"content-type\" \"image\" "
      "{ discard; }", SIEVE_NEEDS_BODY | SIEVE_NEEDS_HEADERS, 0 },
    { "require \"mime\"; if exists :mime :anychild \"content-id\" { discard; }",
      SIEVE_NEEDS_BODY | SIEVE_NEEDS_HEADERS, 0 },
    { "require \"mime\"; if header :mime :type \"content-type\" \"text\" { discard; }",
      SIEVE_NEEDS_HEADERS, 0 },
    { "require [\"spamtest\", \"relational\", \"comparator-i;ascii-numeric\"]; "
      "if spamtest :value \"ge\" :comparator \"i;ascii-numeric\" \"5\" { discard; }",
      SIEVE_NEEDS_HEADERS, 0 },
    /* The reply rules read the header (RFC 5230 4.5-4.7, RFC 5436 2.7,
     * RFC 7352 3.1): never decided at RCPT on an empty message. */
    { "require \"vacation\"; vacation \"away\";", SIEVE_NEEDS_HEADERS,
      SIEVE_FLAG_RECIPIENT_DEPENDENT },
    { "require \"enotify\"; notify \"mailto:a@example.org\";", SIEVE_NEEDS_HEADERS, 0 },
    { "require \"duplicate\"; if duplicate { discard; }", SIEVE_NEEDS_HEADERS,
      SIEVE_FLAG_RECIPIENT_DEPENDENT },
};

START_TEST(test_needs)
{
    const struct needs_case *c = &needs_cases[_i];
    built b;
    build(&b, c->script);
    ck_assert_msg((b.d->needs & ~SIEVE_NEEDS_HEADERS) == (c->needs & ~SIEVE_NEEDS_HEADERS) &&
                  (!(c->needs & SIEVE_NEEDS_HEADERS) || (b.d->needs & SIEVE_NEEDS_HEADERS)),
                  "%s: needs %x, want %x", c->script, b.d->needs, c->needs);
    /* Envelope-only scripts must say so exactly: they are decided at RCPT. */
    if (c->needs == SIEVE_NEEDS_ENVELOPE || c->needs == 0)
        ck_assert_uint_eq(b.d->needs, c->needs);
    ck_assert_uint_eq(b.d->flags, c->flags);
    unbuild(&b);
}
END_TEST

START_TEST(test_cpu_native)
{
    built b;
    build_opts(&b, "keep;", EMIT_SHARED, 2, "native");
    ck_assert_int_eq(b.status, COMPILE_OK);
    ck_assert_uint_eq(b.d->flags & SIEVE_FLAG_CPU_SPECIFIC, SIEVE_FLAG_CPU_SPECIFIC);
    ck_assert_str_ne(b.d->target_cpu, "generic");
    ck_assert_uint_gt(strlen(b.d->target_features), 0);
    unbuild(&b);
    /* LLVM aborts on some unknown CPU names: they must never reach it. */
    build_opts(&b, "keep;", EMIT_SHARED, 2, "foo");
    ck_assert_int_eq(b.status, COMPILE_FAILED);
    ck_assert_int_ne(access(b.path, F_OK), 0);
    unbuild(&b);
}
END_TEST

/* ---- Records ------------------------------------------------------------- */

START_TEST(test_records_header)
{
    built b;
    build(&b, "require \"fileinto\";\n"
              "if header :contains [\"Subject\", \"X-Foo\"] [\"spam\", \"ham\"] {\n"
              "  fileinto \"Junk\";\n"
              "}\n");
    meta m = meta_of(b.d);
    walk_all(&m);
    ck_assert_uint_eq(m.w[SIEVE_META_NTESTS], 1);
    ck_assert_uint_eq(m.w[SIEVE_META_NACTIONS], 1);
    const uint32_t *t = test_rec(&m, 0);
    ck_assert_uint_eq(t[SIEVE_TR_KIND], SIEVE_TEST_HEADER);
    ck_assert_uint_eq(t[SIEVE_TR_MATCH], SIEVE_MATCH_CONTAINS);
    ck_assert_uint_eq(t[SIEVE_TR_COMPARATOR], SIEVE_CMP_ASCII_CASEMAP);
    ck_assert_uint_eq(t[SIEVE_TR_FLAGS], SIEVE_TF_KEYS_CONSTANT);
    ck_assert_uint_eq(t[SIEVE_TR_LINE], 2);
    char buf[512];
    list_str(&m, t[SIEVE_TR_ARG0], buf, sizeof buf);
    ck_assert_str_eq(buf, "Subject|X-Foo");
    list_str(&m, t[SIEVE_TR_ARG1], buf, sizeof buf);
    ck_assert_str_eq(buf, "spam|ham");
    const uint32_t *a = action_rec(&m, 0);
    ck_assert_uint_eq(a[SIEVE_AR_KIND], SIEVE_ACT_FILEINTO);
    ck_assert_uint_eq(a[SIEVE_AR_LINE], 3);
    value_str(&m, a[SIEVE_AR_ARG0], buf, sizeof buf);
    ck_assert_str_eq(buf, "Junk");
    list_str(&m, m.w[SIEVE_META_HEADERS], buf, sizeof buf);
    ck_assert_str_eq(buf, "subject|x-foo");
    list_str(&m, m.w[SIEVE_META_EXTENSIONS], buf, sizeof buf);
    ck_assert_str_eq(buf, "fileinto");
    unbuild(&b);
}
END_TEST

START_TEST(test_records_kinds)
{
    built b;
    build(&b, "require [\"envelope\", \"body\", \"relational\", \"comparator-i;ascii-numeric\", "
              "\"subaddress\", \"copy\", \"reject\", \"ereject\", \"regex\"];\n"
              "if address :detail :is \"to\" \"list\" { redirect :copy \"a@b.c\"; }\n"   /* T0 A0 */
              "if envelope :domain \"from\" \"x.org\" { reject \"no\"; }\n"             /* T1 A1 */
              "if size :under 100K { ereject \"small\"; }\n"                            /* T2 A2 */
              "if body :raw :contains \"x\" { discard; }\n"                             /* T3 A3 */
              "if header :count \"ge\" :comparator \"i;ascii-numeric\" \"received\" \"3\" { keep; }\n"
              "if header :regex \"subject\" \"^a+$\" { keep; }\n"
              "if size :over 5G { keep; }\n");
    meta m = meta_of(b.d);
    walk_all(&m);
    const uint32_t *t;
    t = test_rec(&m, 0);
    ck_assert_uint_eq(t[SIEVE_TR_KIND], SIEVE_TEST_ADDRESS);
    ck_assert_uint_eq(t[SIEVE_TR_ADDRPART], SIEVE_AP_DETAIL);
    ck_assert_uint_eq(action_rec(&m, 0)[SIEVE_AR_KIND], SIEVE_ACT_REDIRECT);
    ck_assert_uint_eq(action_rec(&m, 0)[SIEVE_AR_FLAGS], SIEVE_AF_COPY);
    t = test_rec(&m, 1);
    ck_assert_uint_eq(t[SIEVE_TR_KIND], SIEVE_TEST_ENVELOPE);
    ck_assert_uint_eq(t[SIEVE_TR_ADDRPART], SIEVE_AP_DOMAIN);
    ck_assert_uint_eq(action_rec(&m, 1)[SIEVE_AR_KIND], SIEVE_ACT_REJECT);
    t = test_rec(&m, 2);
    ck_assert_uint_eq(t[SIEVE_TR_KIND], SIEVE_TEST_SIZE_UNDER);
    ck_assert_uint_eq(t[SIEVE_TR_EXTRA], 100u * 1024u);
    ck_assert_uint_eq(t[SIEVE_TR_ARG0], 0);
    ck_assert_uint_eq(action_rec(&m, 2)[SIEVE_AR_KIND], SIEVE_ACT_EREJECT);
    t = test_rec(&m, 3);
    ck_assert_uint_eq(t[SIEVE_TR_KIND], SIEVE_TEST_BODY);
    ck_assert_uint_eq(t[SIEVE_TR_EXTRA], SIEVE_BT_RAW);
    ck_assert_uint_eq(t[SIEVE_TR_ARG0], 0);
    ck_assert_uint_ne(t[SIEVE_TR_ARG1], 0);
    ck_assert_uint_eq(action_rec(&m, 3)[SIEVE_AR_KIND], SIEVE_ACT_DISCARD);
    t = test_rec(&m, 4);
    ck_assert_uint_eq(t[SIEVE_TR_MATCH], SIEVE_MATCH_COUNT);
    ck_assert_uint_eq(t[SIEVE_TR_RELOP], SIEVE_REL_GE);
    ck_assert_uint_eq(t[SIEVE_TR_COMPARATOR], SIEVE_CMP_ASCII_NUMERIC);
    t = test_rec(&m, 5);
    ck_assert_uint_eq(t[SIEVE_TR_MATCH], SIEVE_MATCH_REGEX);
    ck_assert_uint_eq(t[SIEVE_TR_FLAGS] & SIEVE_TF_CAPTURE, 0);  /* no variables required */
    t = test_rec(&m, 6);
    ck_assert_uint_eq(t[SIEVE_TR_KIND], SIEVE_TEST_SIZE_OVER);
    uint64_t five_g = 5ull << 30;
    ck_assert_uint_eq(t[SIEVE_TR_EXTRA], (uint32_t)five_g);
    ck_assert_uint_eq(t[SIEVE_TR_ARG0], (uint32_t)(five_g >> 32));
    unbuild(&b);
}
END_TEST

START_TEST(test_records_variables)
{
    built b;
    build(&b, "require [\"variables\", \"fileinto\"];\n"
              "set :lower :upperfirst \"Folder\" \"${1}box\";\n"             /* A0 */
              "if header :matches \"subject\" \"*[${folder}]*\" {\n"          /* T0 */
              "  fileinto \"INBOX.${folder}.${2}\";\n"                        /* A1 */
              "}\n"
              "if string :is \"${folder}\" \"\" { keep; }\n");               /* T1 A2 */
    meta m = meta_of(b.d);
    walk_all(&m);
    ck_assert_uint_eq(m.w[SIEVE_META_NVARS], 1);
    char buf[512];
    list_str(&m, m.w[SIEVE_META_VARNAMES], buf, sizeof buf);
    ck_assert_str_eq(buf, "folder");
    const uint32_t *a = action_rec(&m, 0);
    ck_assert_uint_eq(a[SIEVE_AR_KIND], SIEVE_ACT_SET);
    ck_assert_uint_eq(a[SIEVE_AR_NUMBER], 0);
    ck_assert_uint_eq(a[SIEVE_AR_FLAGS], SIEVE_AF_MOD_LOWER | SIEVE_AF_MOD_UPPERFIRST);
    value_str(&m, a[SIEVE_AR_ARG0], buf, sizeof buf);
    ck_assert_str_eq(buf, "${1}box");
    const uint32_t *t = test_rec(&m, 0);
    ck_assert_uint_eq(t[SIEVE_TR_MATCH], SIEVE_MATCH_MATCHES);
    ck_assert_uint_eq(t[SIEVE_TR_FLAGS] & SIEVE_TF_CAPTURE, SIEVE_TF_CAPTURE);
    ck_assert_uint_eq(t[SIEVE_TR_FLAGS] & SIEVE_TF_KEYS_CONSTANT, 0);
    list_str(&m, t[SIEVE_TR_ARG1], buf, sizeof buf);
    ck_assert_str_eq(buf, "*[${slot:0}]*");
    value_str(&m, action_rec(&m, 1)[SIEVE_AR_ARG0], buf, sizeof buf);
    ck_assert_str_eq(buf, "INBOX.${slot:0}.${2}");
    t = test_rec(&m, 1);
    ck_assert_uint_eq(t[SIEVE_TR_KIND], SIEVE_TEST_STRING);
    ck_assert_uint_eq(t[SIEVE_TR_FLAGS] & SIEVE_TF_KEYS_CONSTANT, SIEVE_TF_KEYS_CONSTANT);
    list_str(&m, t[SIEVE_TR_ARG0], buf, sizeof buf);
    ck_assert_str_eq(buf, "${slot:0}");
    /* "" is a value of zero parts. */
    ck_assert_uint_eq(m.w[m.w[t[SIEVE_TR_ARG1] + 1]], 0);
    unbuild(&b);
}
END_TEST

/* The string pool stores each string once. */
/* RFC 5260 4, 5, 6; RFC 5183: the operands abi.h gives date,
 * currentdate and environment records. */
START_TEST(test_records_date)
{
    built b;
    build(&b, "require [\"date\", \"index\", \"environment\", \"variables\"];\n"
              "if date :zone \"+0100\" :index 2 :last \"Received\" \"weekday\" \"1\" { keep; }\n"
              "if date :originalzone \"Date\" \"iso8601\" \"x\" { keep; }\n"
              "set \"p\" \"julian\";\n"
              "if currentdate \"${p}\" \"1\" { keep; }\n"
              "if currentdate :zone \"bogus\" \"year\" \"1\" { keep; }\n"
              "if environment :contains \"remote-ip\" \"192.0.2.\" { keep; }\n");
    meta m = meta_of(b.d);
    walk_all(&m);
    ck_assert_uint_eq(m.w[SIEVE_META_NTESTS], 5);
    char buf[512];
    const uint32_t *t = test_rec(&m, 0);
    ck_assert_uint_eq(t[SIEVE_TR_KIND], SIEVE_TEST_DATE);
    ck_assert_uint_eq(t[SIEVE_TR_EXTRA], SIEVE_DP_WEEKDAY);
    ck_assert_uint_eq(t[SIEVE_TR_INDEX], 2);
    ck_assert_uint_eq(t[SIEVE_TR_FLAGS] & (SIEVE_TF_LAST | SIEVE_TF_ORIGINALZONE), SIEVE_TF_LAST);
    value_str(&m, t[SIEVE_TR_ARG0], buf, sizeof buf);
    ck_assert_str_eq(buf, "Received");
    value_str(&m, t[SIEVE_TR_ARG2], buf, sizeof buf);
    ck_assert_str_eq(buf, "+0100");
    ck_assert_uint_eq(t[SIEVE_TR_ARG3], 0);
    t = test_rec(&m, 1);
    ck_assert_uint_eq(t[SIEVE_TR_EXTRA], SIEVE_DP_ISO8601);
    ck_assert_uint_eq(t[SIEVE_TR_FLAGS] & SIEVE_TF_ORIGINALZONE, SIEVE_TF_ORIGINALZONE);
    ck_assert_uint_eq(t[SIEVE_TR_ARG2], 0);
    t = test_rec(&m, 2);
    ck_assert_uint_eq(t[SIEVE_TR_KIND], SIEVE_TEST_CURRENTDATE);
    ck_assert_uint_eq(t[SIEVE_TR_EXTRA], SIEVE_DP_DYNAMIC);
    ck_assert_uint_eq(t[SIEVE_TR_ARG0], 0);
    value_str(&m, t[SIEVE_TR_ARG3], buf, sizeof buf);
    ck_assert_str_eq(buf, "${slot:0}");
    /* a malformed constant zone is kept for the runtime (the checker warns) */
    t = test_rec(&m, 3);
    value_str(&m, t[SIEVE_TR_ARG2], buf, sizeof buf);
    ck_assert_str_eq(buf, "bogus");
    t = test_rec(&m, 4);
    ck_assert_uint_eq(t[SIEVE_TR_KIND], SIEVE_TEST_ENVIRONMENT);
    ck_assert_uint_eq(t[SIEVE_TR_MATCH], SIEVE_MATCH_CONTAINS);
    value_str(&m, t[SIEVE_TR_ARG0], buf, sizeof buf);
    ck_assert_str_eq(buf, "remote-ip");
    list_str(&m, t[SIEVE_TR_ARG1], buf, sizeof buf);
    ck_assert_str_eq(buf, "192.0.2.");
    list_str(&m, m.w[SIEVE_META_HEADERS], buf, sizeof buf);
    ck_assert_str_eq(buf, "received|date");
    unbuild(&b);
}
END_TEST

START_TEST(test_pool_dedup)
{
    built b;
    build(&b, "if header :is \"subject\" \"x\" { keep; }\n"
              "if header :is \"subject\" \"x\" { keep; }\n"
              "if header :is \"subject\" \"x\" { keep; }\n");
    meta m = meta_of(b.d);
    walk_all(&m);
    /* "subject" (names and the header list) and "x", once each. */
    ck_assert_uint_eq(m.poolbytes, sizeof "subject" + sizeof "x");
    unbuild(&b);
}
END_TEST

/* ---- Control flow -------------------------------------------------------- */

START_TEST(test_if_chain)
{
    built b;
    build(&b, "if header :is \"a\" \"1\" { keep; }\n"          /* T0 A0 */
              "elsif header :is \"b\" \"1\" { discard; }\n"    /* T1 A1 */
              "else { keep; }\n"                               /* A2 */
              "discard;\n");                                   /* A3 */
    expect_run(&b, 0x1, SIEVE_OK, "T0 A0 A3");
    expect_run(&b, 0x3, SIEVE_OK, "T0 A0 A3");
    expect_run(&b, 0x2, SIEVE_OK, "T0 T1 A1 A3");
    expect_run(&b, 0x0, SIEVE_OK, "T0 T1 A2 A3");
    unbuild(&b);
}
END_TEST

START_TEST(test_allof_anyof_not)
{
    built b;
    build(&b, "if allof (exists \"a\", exists \"b\", not exists \"c\") { keep; }\n"  /* T0 T1 T2 A0 */
              "if anyof (exists \"d\", not exists \"e\") { discard; }\n");          /* T3 T4 A1 */
    /* allof stops at the first false; anyof at the first true. */
    expect_run(&b, 0x0, SIEVE_OK, "T0 T3 T4 A1");
    expect_run(&b, 0x1, SIEVE_OK, "T0 T1 T3 T4 A1");
    expect_run(&b, 0x3, SIEVE_OK, "T0 T1 T2 A0 T3 T4 A1");
    expect_run(&b, 0x7, SIEVE_OK, "T0 T1 T2 T3 T4 A1");
    expect_run(&b, 0x8, SIEVE_OK, "T0 T3 A1");
    expect_run(&b, 0x10, SIEVE_OK, "T0 T3 T4");
    unbuild(&b);
}
END_TEST

START_TEST(test_constants)
{
    built b;
    build(&b, "if true { keep; }\n"                                   /* A0 */
              "if false { discard; }\n"                               /* nothing */
              "if not false { keep; } else { discard; }\n"            /* A1 */
              "if allof (true, exists \"a\") { keep; }\n"             /* T0 A2 */
              "if anyof (false, false) { discard; }\n"                /* nothing */
              "if allof (exists \"b\", false) { discard; }\n"         /* T1 evaluated, then false */
              "if anyof (true, exists \"never\") { keep; }\n");      /* A3 */
    meta m = meta_of(b.d);
    ck_assert_uint_eq(m.w[SIEVE_META_NTESTS], 2);
    ck_assert_uint_eq(m.w[SIEVE_META_NACTIONS], 4);
    expect_run(&b, 0x0, SIEVE_OK, "A0 A1 T0 T1 A3");
    expect_run(&b, 0x3, SIEVE_OK, "A0 A1 T0 A2 T1 A3");
    unbuild(&b);
}
END_TEST

START_TEST(test_stop)
{
    built b;
    build(&b, "if exists \"a\" { keep; stop; discard; }\n"   /* T0 A0 (discard unreachable) */
              "discard;\n");                                 /* A1 */
    expect_run(&b, 0x1, SIEVE_STOP, "T0 A0");
    expect_run(&b, 0x0, SIEVE_OK, "T0 A1");
    meta m = meta_of(b.d);
    ck_assert_uint_eq(m.w[SIEVE_META_NACTIONS], 2);
    unbuild(&b);
    build(&b, "stop; keep;");
    expect_run(&b, 0, SIEVE_STOP, "");
    unbuild(&b);
}
END_TEST

START_TEST(test_errors)
{
    built b;
    build(&b, "if exists \"a\" { keep; } discard; if exists \"b\" { keep; }\n");  /* T0 A0 A1 T1 A2 */
    fake f;
    fake_init(&f);
    f.test_result[0] = SIEVE_ERROR;
    ck_assert_int_eq(b.d->entry(&f.base), SIEVE_ERROR);
    ck_assert_str_eq(f.log, "T0 ");
    fake_init(&f);
    f.action_result[1] = SIEVE_ERROR;
    ck_assert_int_eq(b.d->entry(&f.base), SIEVE_ERROR);
    ck_assert_str_eq(f.log, "T0 A1 ");
    /* Any unexpected test result is treated as an error, never as true. */
    fake_init(&f);
    f.test_result[0] = 7;
    ck_assert_int_eq(b.d->entry(&f.base), SIEVE_ERROR);
    fake_init(&f);
    f.test_result[0] = -42;
    ck_assert_int_eq(b.d->entry(&f.base), SIEVE_ERROR);
    unbuild(&b);
}
END_TEST

START_TEST(test_nested)
{
    built b;
    build(&b, "if exists \"a\" {\n"                       /* T0 */
              "  if exists \"b\" { keep; }\n"             /* T1 A0 */
              "  else { if exists \"c\" { stop; } }\n"    /* T2 */
              "  discard;\n"                              /* A1 */
              "}\n"
              "keep;\n");                                 /* A2 */
    expect_run(&b, 0x3, SIEVE_OK, "T0 T1 A0 A1 A2");
    expect_run(&b, 0x5, SIEVE_STOP, "T0 T1 T2");
    expect_run(&b, 0x1, SIEVE_OK, "T0 T1 T2 A1 A2");
    expect_run(&b, 0x0, SIEVE_OK, "T0 A2");
    unbuild(&b);
}
END_TEST

/* Scripts above one part are split into functions; order, stop and error
 * must cross the split unchanged. */
START_TEST(test_parts)
{
    size_t cap = 1 << 20, n = 0;
    char *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
    int nrules = 700;
    for (int i = 0; i < nrules; i++)
        n += (size_t)snprintf(s + n, cap - n, "if header :is \"x-%d\" \"v\" { keep; }\n", i);
    n += (size_t)snprintf(s + n, cap - n, "stop;\nkeep;\n");
    built b;
    build(&b, s);
    meta m = meta_of(b.d);
    walk_all(&m);
    ck_assert_uint_eq(m.w[SIEVE_META_NTESTS], (uint32_t)nrules);
    ck_assert_uint_eq(m.w[SIEVE_META_NACTIONS], (uint32_t)nrules);  /* the keep after stop is dead */
    /* All tests false: every test in order, then stop. */
    fake f;
    fake_init(&f);
    ck_assert_int_eq(b.d->entry(&f.base), SIEVE_STOP);
    ck_assert_uint_eq(f.ncalls, (unsigned)nrules);
    /* An error in the middle stops everything after it. */
    fake_init(&f);
    f.test_result[5] = SIEVE_TRUE;
    f.action_result[5] = SIEVE_ERROR;
    ck_assert_int_eq(b.d->entry(&f.base), SIEVE_ERROR);
    ck_assert_str_eq(f.log, "T0 T1 T2 T3 T4 T5 A5 ");
    unbuild(&b);
    /* A stop in an early part ends the run. */
    n = 0;
    n += (size_t)snprintf(s + n, cap - n, "if exists \"a\" { stop; }\n");
    for (int i = 0; i < nrules; i++)
        n += (size_t)snprintf(s + n, cap - n, "keep;\n");
    build(&b, s);
    fake_init(&f);
    f.test_result[0] = SIEVE_TRUE;
    ck_assert_int_eq(b.d->entry(&f.base), SIEVE_STOP);
    ck_assert_str_eq(f.log, "T0 ");
    fake_init(&f);
    ck_assert_int_eq(b.d->entry(&f.base), SIEVE_OK);
    ck_assert_uint_eq(f.ncalls, (unsigned)nrules + 1);
    unbuild(&b);
    free(s);
}
END_TEST

/* Long elsif chains and long blocks have their rest outlined into parts;
 * the semantics must not change. */
START_TEST(test_outlined)
{
    size_t cap = 1 << 20, n = 0;
    char *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
    int nb = 600;
    /* T0..T599 with A0..A599, A600 after the chain. */
    n += (size_t)snprintf(s + n, cap - n, "if exists \"x0\" { keep; }\n");
    for (int i = 1; i < nb; i++)
        n += (size_t)snprintf(s + n, cap - n, "elsif exists \"x%d\" { keep; }\n", i);
    n += (size_t)snprintf(s + n, cap - n, "discard;\n");
    built b;
    build(&b, s);
    fake f;
    fake_init(&f);
    ck_assert_int_eq(b.d->entry(&f.base), SIEVE_OK);
    ck_assert_uint_eq(f.ncalls, (unsigned)nb + 1);            /* every test, then A600 */
    ck_assert_ptr_nonnull(strstr(f.log, "T599 A600 "));
    fake_init(&f);
    f.test_result[3] = SIEVE_TRUE;
    ck_assert_int_eq(b.d->entry(&f.base), SIEVE_OK);
    ck_assert_str_eq(f.log, "T0 T1 T2 T3 A3 A600 ");
    unbuild(&b);

    /* A long block inside an if, with a stop and an error deep inside. */
    n = 0;
    n += (size_t)snprintf(s + n, cap - n, "if exists \"a\" {\n");       /* T0 */
    for (int i = 0; i < nb; i++)                                         /* T1+i, A0+i */
        n += (size_t)snprintf(s + n, cap - n, "  if exists \"x%d\" { keep; }\n", i);
    n += (size_t)snprintf(s + n, cap - n, "  if exists \"s\" { stop; }\n");  /* T601 */
    n += (size_t)snprintf(s + n, cap - n, "}\ndiscard;\n");                   /* A600 */
    build(&b, s);
    fake_init(&f);
    f.test_result[0] = SIEVE_TRUE;
    ck_assert_int_eq(b.d->entry(&f.base), SIEVE_OK);
    ck_assert_uint_eq(f.ncalls, (unsigned)nb + 3);
    fake_init(&f);
    f.test_result[0] = SIEVE_TRUE;
    f.test_result[60] = SIEVE_ERROR;   /* out of range indexes stay OK */
    ck_assert_int_eq(b.d->entry(&f.base), SIEVE_ERROR);
    ck_assert_uint_eq(f.ncalls, 61);   /* T0..T60, nothing after the error */
    unbuild(&b);
    free(s);
}
END_TEST

START_TEST(test_outlined_stop)
{
    /* stop deep in an outlined part must end the whole run. */
    size_t cap = 1 << 20, n = 0;
    char *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
    n += (size_t)snprintf(s + n, cap - n, "if true {\n");
    for (int i = 0; i < 400; i++)
        n += (size_t)snprintf(s + n, cap - n, "  keep;\n");           /* A0..A399 */
    n += (size_t)snprintf(s + n, cap - n, "  if exists \"s\" { stop; }\n");  /* T0 */
    n += (size_t)snprintf(s + n, cap - n, "  keep;\n}\ndiscard;\n");          /* A400 A401 */
    built b;
    build(&b, s);
    fake f;
    fake_init(&f);
    f.test_result[0] = SIEVE_TRUE;
    ck_assert_int_eq(b.d->entry(&f.base), SIEVE_STOP);
    ck_assert_uint_eq(f.ncalls, 401);
    fake_init(&f);
    ck_assert_int_eq(b.d->entry(&f.base), SIEVE_OK);
    ck_assert_uint_eq(f.ncalls, 403);
    ck_assert_ptr_nonnull(strstr(f.log, "A399 T0 A400 A401 "));
    unbuild(&b);
    free(s);
}
END_TEST

/* ---- Scope and failures ------------------------------------------------- */

static const char *first_error_id(const built *b)
{
    for (size_t i = 0; i < diag_count(b->diag); i++)
        if (diag_get(b->diag, i)->severity == DIAG_ERROR)
            return diag_get(b->diag, i)->id;
    return "";
}

/* The last extensions refused with "not-yet-compilable" (spamtest,
 * virustest, replace, enclose) compile now: the scope check refuses
 * nothing a valid script can hold, and these must build. */
static const char *const not_compilable[] = {
    "require [\"spamtest\", \"relational\"]; if spamtest :value \"ge\" \"5\" { discard; }",
    "require [\"virustest\", \"relational\"]; if virustest :value \"ge\" \"4\" { discard; }",
    "require [\"replace\", \"enclose\"]; replace \"x\"; enclose \"y\";",
};

START_TEST(test_not_compilable)
{
    built b;
    build_opts(&b, not_compilable[_i], EMIT_SHARED, 2, NULL);
    ck_assert_int_eq(b.status, COMPILE_OK);
    ck_assert_str_eq(first_error_id(&b), "");
    ck_assert_int_eq(access(b.path, F_OK), 0);
    unbuild(&b);
}
END_TEST

START_TEST(test_ihave)
{
    built b;
    /* RFC 5463: an extension this code generator does not compile is not
     * "had": the block compiles to nothing, and no error. */
    build(&b, "require \"ihave\";\n"
              "if ihave \"spamtest\" { discard; } else { keep; }\n"         /* A0 */
              "if ihave \"fileinto\" { discard; }\n"                          /* A1 */
              "if ihave \"no-such-thing\" { frobnicate; }\n");
    expect_run(&b, 0, SIEVE_OK, "A0 A1");
    unbuild(&b);
}
END_TEST

START_TEST(test_script_errors)
{
    built b;
    build_opts(&b, "if header :is \"a\" { keep; }", EMIT_SHARED, 2, NULL);
    ck_assert_int_eq(b.status, COMPILE_SCRIPT_ERRORS);
    unbuild(&b);
    build_opts(&b, "keep", EMIT_SHARED, 2, NULL);
    ck_assert_int_eq(b.status, COMPILE_SCRIPT_ERRORS);
    unbuild(&b);
    build_opts(&b, "fileinto \"x\";", EMIT_SHARED, 2, NULL);
    ck_assert_int_eq(b.status, COMPILE_SCRIPT_ERRORS);
    ck_assert_str_eq(first_error_id(&b), "missing-require");
    unbuild(&b);
    /* An empty script is an implicit keep. */
    build(&b, "");
    expect_run(&b, 0, SIEVE_OK, "");
    unbuild(&b);
}
END_TEST

START_TEST(test_output_failures)
{
    setup_dir();
    source *src = source_from_memory("t.sieve", "keep;", 5);
    diag_sink *diag = diag_sink_new(0);
    compile_options co = { .output = EMIT_SHARED, .opt_level = 2, .key_file = keyfile };
    ck_assert_int_eq(sievec_compile_source(src, "/nonexistent-dir/x.so", &co, diag), COMPILE_FAILED);
    ck_assert_uint_ge(diag_error_count(diag), 1);
    diag_sink_free(&diag);
    diag = diag_sink_new(0);
    char out[400];
    snprintf(out, sizeof out, "%s/nokey.so", tmpdir);
    co.key_file = "/nonexistent-dir/key";
    ck_assert_int_eq(sievec_compile_source(src, out, &co, diag), COMPILE_FAILED);
    ck_assert_str_eq(diag_get(diag, 0)->id, "key-error");
    ck_assert_int_ne(access(out, F_OK), 0);
    diag_sink_free(&diag);
    /* A linker that fails: no output, no temp left behind. */
    diag = diag_sink_new(0);
    co.key_file = keyfile;
    setenv("SIEVEC_LD", "/bin/false", 1);
    ck_assert_int_eq(sievec_compile_source(src, out, &co, diag), COMPILE_FAILED);
    unsetenv("SIEVEC_LD");
    ck_assert_str_eq(diag_get(diag, 0)->id, "output-failed");
    ck_assert_int_ne(access(out, F_OK), 0);
    diag_sink_free(&diag);
    source_free(&src);
    /* Only the key (and no .o/.so temporaries) is left in the directory. */
    char cmd[600];
    snprintf(cmd, sizeof cmd, "test -z \"$(ls -A %s | grep '^\\.')\"", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(test_levels_and_kinds)
{
    const char *script = "if anyof (exists \"a\", exists \"b\") { keep; stop; } discard;";
    for (unsigned o = 0; o <= 3; o++) {
        built b;
        build_opts(&b, script, EMIT_SHARED, o, NULL);
        ck_assert_int_eq(b.status, COMPILE_OK);
        expect_run(&b, 0x2, SIEVE_STOP, "T0 T1 A0");
        expect_run(&b, 0x0, SIEVE_OK, "T0 T1 A1");
        unbuild(&b);
    }
    built b;
    build_opts(&b, script, EMIT_OBJECT, 2, NULL);
    ck_assert_int_eq(b.status, COMPILE_OK);
    ck_assert_int_eq(access(b.path, R_OK), 0);
    unbuild(&b);
    build_opts(&b, script, EMIT_LLVM_IR, 0, NULL);
    ck_assert_int_eq(b.status, COMPILE_OK);
    FILE *f = fopen(b.path, "r");
    ck_assert_ptr_nonnull(f);
    char line[256];
    bool found = false;
    while (fgets(line, sizeof line, f))
        if (strstr(line, "@sieve_filter_descriptor = "))
            found = true;
    fclose(f);
    ck_assert(found);
    unbuild(&b);
}
END_TEST

/* ---- foreverypart (RFC 5703 3) ------------------------------------------
 *
 * A fake loop runtime: loop_begin/next/end log B/N/E with the loop index;
 * loop L has parts[L] parts (next is true that many times per begin). */

typedef struct loop_fake {
    fake f;
    unsigned parts[8], left[8];
} loop_fake;

static int32_t lf_begin(sieve_abi_ctx *ctx, uint32_t i)
{
    loop_fake *l = (loop_fake *)ctx;
    logf_(&l->f, "B%u ", i);
    ck_assert_uint_lt(i, 8);
    l->left[i] = l->parts[i];
    return SIEVE_OK;
}

static int32_t lf_next(sieve_abi_ctx *ctx, uint32_t i)
{
    loop_fake *l = (loop_fake *)ctx;
    logf_(&l->f, "N%u ", i);
    ck_assert_uint_lt(i, 8);
    if (!l->left[i])
        return SIEVE_OK;
    l->left[i]--;
    return SIEVE_TRUE;
}

static int32_t lf_end(sieve_abi_ctx *ctx, uint32_t i)
{
    loop_fake *l = (loop_fake *)ctx;
    logf_(&l->f, "E%u ", i);
    return SIEVE_OK;
}

static const sieve_abi_ops loop_ops = {
    .abi_version = SIEVE_ABI_VERSION,
    .test = fake_test, .action = fake_action,
    .loop_begin = lf_begin, .loop_next = lf_next, .loop_end = lf_end,
    .include_enter = fake_never, .include_leave = fake_never,
};

static void expect_loops(const built *b, const unsigned *parts, unsigned long long mask, int rc,
                         const char *log)
{
    loop_fake l;
    memset(&l, 0, sizeof l);
    l.f.base.ops = &loop_ops;
    for (int i = 0; i < 8; i++)
        l.parts[i] = parts[i];
    for (int i = 0; i < 64; i++)
        l.f.test_result[i] = (mask >> i) & 1 ? SIEVE_TRUE : SIEVE_OK;
    int got = b->d->entry(&l.f.base);
    size_t n = strlen(l.f.log);
    if (n && l.f.log[n - 1] == ' ')
        l.f.log[n - 1] = '\0';
    ck_assert_msg(strcmp(l.f.log, log) == 0 && got == rc, "got rc %d log '%s', want rc %d log '%s'",
                  got, l.f.log, rc, log);
}

START_TEST(test_foreverypart)
{
    built b;
    build(&b, "require [\"foreverypart\", \"fileinto\"];\n"
              "foreverypart { fileinto \"a\"; }\n"        /* L0, A0 */
              "keep;\n");                                /* A1 */
    meta m = meta_of(b.d);
    ck_assert_uint_eq(m.w[SIEVE_META_NLOOPS], 1);
    const unsigned three[8] = { 3 }, none[8] = { 0 };
    expect_loops(&b, three, 0, SIEVE_OK, "B0 N0 A0 N0 A0 N0 A0 N0 E0 A1");
    expect_loops(&b, none, 0, SIEVE_OK, "B0 N0 E0 A1");
    unbuild(&b);
}
END_TEST

START_TEST(test_foreverypart_break)
{
    built b;
    /* RFC 5703 3.2: break leaves the innermost loop; :name the named one. */
    build(&b, "require [\"foreverypart\", \"fileinto\"];\n"
              "foreverypart :name \"o\" {\n"                   /* L0 */
              "  foreverypart {\n"                             /* L1 */
              "    if true { fileinto \"x\"; }\n"               /* A0 */
              "    if header \"a\" \"b\" { break :name \"o\"; }\n" /* T0 */
              "    break;\n"
              "  }\n"
              "  fileinto \"y\";\n"                             /* A1 */
              "}\n"
              "keep;\n");                                      /* A2 */
    meta m = meta_of(b.d);
    ck_assert_uint_eq(m.w[SIEVE_META_NLOOPS], 2);
    char name[64];
    const uint32_t *lr = m.w + m.w[SIEVE_META_LOOPS];
    value_str(&m, lr[SIEVE_LR_NAME], name, sizeof name);
    ck_assert_str_eq(name, "o");
    ck_assert_uint_eq(lr[SIEVE_LR_LINE], 2);
    ck_assert_uint_eq(lr[SIEVE_LOOP_WORDS + SIEVE_LR_NAME], 0);
    const unsigned two[8] = { 2, 2 };
    /* plain break: the inner loop ends after its first part each time */
    expect_loops(&b, two, 0, SIEVE_OK,
                 "B0 N0 B1 N1 A0 T0 E1 A1 N0 B1 N1 A0 T0 E1 A1 N0 E0 A2");
    /* break :name "o": both loops end, inner first */
    expect_loops(&b, two, 0x1, SIEVE_OK, "B0 N0 B1 N1 A0 T0 E1 E0 A2");
    unbuild(&b);
}
END_TEST

START_TEST(test_foreverypart_stop_error)
{
    built b;
    build(&b, "require [\"foreverypart\", \"fileinto\"];\n"
              "foreverypart {\n"
              "  if header \"a\" \"b\" { stop; }\n"          /* T0 */
              "  fileinto \"x\";\n"                          /* A0 */
              "}\n"
              "keep;\n");                                   /* A1 */
    const unsigned two[8] = { 2 };
    /* stop inside the loop: the loop is closed, then the script stops */
    expect_loops(&b, two, 0x1, SIEVE_STOP, "B0 N0 T0 E0");
    /* a run-time error in the body: the loop is closed on the way out */
    loop_fake l;
    memset(&l, 0, sizeof l);
    l.f.base.ops = &loop_ops;
    l.parts[0] = 2;
    l.f.action_result[0] = SIEVE_ERROR;
    ck_assert_int_eq(b.d->entry(&l.f.base), SIEVE_ERROR);
    ck_assert_ptr_nonnull(strstr(l.f.log, "A0 E0"));
    ck_assert_ptr_null(strstr(l.f.log, "A1"));
    unbuild(&b);
}
END_TEST

START_TEST(test_records_mime)
{
    built b;
    build(&b, "require [\"mime\", \"foreverypart\", \"extracttext\", \"variables\"];\n"
              "foreverypart {\n"
              "  if header :mime :anychild :param [\"name\", \"filename\"] \"content-type\" \"x\" {\n"
              "    extracttext :first 10 :upper \"Var\";\n"
              "  }\n"
              "}\n");
    meta m = meta_of(b.d);
    walk_all(&m);
    const uint32_t *t = test_rec(&m, 0);
    ck_assert_uint_eq(t[SIEVE_TR_KIND], SIEVE_TEST_HEADER);
    ck_assert_uint_eq(t[SIEVE_TR_FLAGS] & (SIEVE_TF_MIME | SIEVE_TF_ANYCHILD),
                      SIEVE_TF_MIME | SIEVE_TF_ANYCHILD);
    ck_assert_uint_eq(t[SIEVE_TR_EXTRA], SIEVE_MIME_OPT_PARAM);
    char buf[256];
    list_str(&m, t[SIEVE_TR_ARG2], buf, sizeof buf);
    ck_assert_str_eq(buf, "name|filename");
    const uint32_t *a = action_rec(&m, 0);
    ck_assert_uint_eq(a[SIEVE_AR_KIND], SIEVE_ACT_EXTRACTTEXT);
    ck_assert_uint_eq(a[SIEVE_AR_NUMBER], 10);
    ck_assert_uint_eq(a[SIEVE_AR_FLAGS] & SIEVE_AF_MOD_UPPER, SIEVE_AF_MOD_UPPER);
    value_str(&m, a[SIEVE_AR_ARG0], buf, sizeof buf);
    ck_assert_str_eq(buf, "var");
    ck_assert_uint_lt(a[SIEVE_AR_ARG1], m.w[SIEVE_META_NVARS]);
    unbuild(&b);
}
END_TEST

static Suite *codegen_suite(void)
{
    Suite *s = suite_create("codegen");
    TCase *tc = tcase_create("descriptor");
    tcase_add_test(tc, test_descriptor);
    tcase_add_test(tc, test_signed);
    tcase_add_loop_test(tc, test_needs, 0, sizeof needs_cases / sizeof needs_cases[0]);
    tcase_add_test(tc, test_cpu_native);
    suite_add_tcase(s, tc);
    tc = tcase_create("records");
    tcase_add_test(tc, test_records_header);
    tcase_add_test(tc, test_records_kinds);
    tcase_add_test(tc, test_records_variables);
    tcase_add_test(tc, test_records_date);
    tcase_add_test(tc, test_pool_dedup);
    suite_add_tcase(s, tc);
    tc = tcase_create("control");
    tcase_add_test(tc, test_if_chain);
    tcase_add_test(tc, test_allof_anyof_not);
    tcase_add_test(tc, test_constants);
    tcase_add_test(tc, test_stop);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_nested);
    tcase_add_test(tc, test_parts);
    tcase_add_test(tc, test_outlined);
    tcase_add_test(tc, test_outlined_stop);
    tcase_add_test(tc, test_foreverypart);
    tcase_add_test(tc, test_foreverypart_break);
    tcase_add_test(tc, test_foreverypart_stop_error);
    tcase_add_test(tc, test_records_mime);
    suite_add_tcase(s, tc);
    tc = tcase_create("scope");
    tcase_add_loop_test(tc, test_not_compilable, 0, sizeof not_compilable / sizeof not_compilable[0]);
    tcase_add_test(tc, test_ihave);
    tcase_add_test(tc, test_script_errors);
    tcase_add_test(tc, test_output_failures);
    tcase_add_test(tc, test_levels_and_kinds);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(codegen_suite());
    /* No fork: the key and temp directory are made once per process. */
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (tmpdir[0]) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            failed++;
    }
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
