/* Store specifications (sieve/store_spec.h): what good ones parse to, the
 * message each bad one gets, password redaction, and sieve_store_open
 * through to a working LMDB store. */
#include "tmpdir.h"

#include "sieve/store_spec.h"
#include "store_cases.h"

static sieve_store_spec sp;

static void parse_ok(const char *spec)
{
    char err[512] = "";
    int rc = sieve_store_spec_parse(spec, &sp, err, sizeof err);
    ck_assert_msg(rc == 0, "%s: %s", spec, err);
}

START_TEST(spec_lmdb_good)
{
    parse_ok("lmdb:/var/lib/sievec/state.mdb");
    ck_assert_int_eq(sp.kind, SIEVE_STORE_KIND_LMDB);
    ck_assert_str_eq(sp.path, "/var/lib/sievec/state.mdb");
    ck_assert_uint_eq(sp.lmdb.map_size, 0);
    ck_assert_int_eq(sp.lmdb.sync, SIEVE_STORE_LMDB_SYNC_META);
    ck_assert_int_eq(sp.lmdb.read_only, 0);

    parse_ok("lmdb:///var/lib/sievec/state.mdb?map_size=1G&sync=full&readonly=1");
    ck_assert_str_eq(sp.path, "/var/lib/sievec/state.mdb");
    ck_assert_uint_eq(sp.lmdb.map_size, (size_t)1 << 30);
    ck_assert_int_eq(sp.lmdb.sync, SIEVE_STORE_LMDB_SYNC_FULL);
    ck_assert_int_eq(sp.lmdb.read_only, 1);

    parse_ok("lmdb:state.mdb?map_size=64k&sync=none");
    ck_assert_str_eq(sp.path, "state.mdb");
    ck_assert_uint_eq(sp.lmdb.map_size, 65536);
    ck_assert_int_eq(sp.lmdb.sync, SIEVE_STORE_LMDB_SYNC_NONE);

    parse_ok("lmdb:/tmp/a%3Fb.mdb?map_size=300MiB");
    ck_assert_str_eq(sp.path, "/tmp/a?b.mdb");
    ck_assert_uint_eq(sp.lmdb.map_size, (size_t)300 << 20);

    parse_ok("/srv/state.mdb");
    ck_assert_int_eq(sp.kind, SIEVE_STORE_KIND_LMDB);
    ck_assert_str_eq(sp.path, "/srv/state.mdb");
    parse_ok("./state.mdb?map_size=1048576");
    ck_assert_str_eq(sp.path, "./state.mdb");
    ck_assert_uint_eq(sp.lmdb.map_size, 1048576);
}
END_TEST

START_TEST(spec_redis_good)
{
    parse_ok("redis://127.0.0.1:6379/0?prefix=sievec:&timeout=200ms");
    ck_assert_int_eq(sp.kind, SIEVE_STORE_KIND_REDIS);
    ck_assert_str_eq(sp.host, "127.0.0.1");
    ck_assert_int_eq(sp.redis.port, 6379);
    ck_assert_int_eq(sp.redis.db, 0);
    ck_assert(sp.has_prefix);
    ck_assert_str_eq(sp.prefix, "sievec:");
    ck_assert_int_eq(sp.redis.command_timeout_ms, 200);
    ck_assert_int_eq(sp.redis.connect_timeout_ms, 0);
    ck_assert(!sp.has_password);
    ck_assert_ptr_null(sp.redis.host); /* filled in by spec_open */

    parse_ok("redis://redis.example.org");
    ck_assert_str_eq(sp.host, "redis.example.org");
    ck_assert_int_eq(sp.redis.port, 0);
    ck_assert(!sp.has_prefix);

    parse_ok("redis://:s3cr%40t@[::1]:6380/3?connect_timeout=2s&pool=16&lazy=1");
    ck_assert_str_eq(sp.host, "::1");
    ck_assert_int_eq(sp.redis.port, 6380);
    ck_assert_int_eq(sp.redis.db, 3);
    ck_assert(sp.has_password && !sp.has_username);
    ck_assert_str_eq(sp.password, "s3cr@t");
    ck_assert_int_eq(sp.redis.connect_timeout_ms, 2000);
    ck_assert_int_eq(sp.redis.pool, 16);
    ck_assert_int_eq(sp.redis.lazy, 1);
    ck_assert_int_eq(sp.redis.retry_after_ms, 0);
    parse_ok("redis://h?retry_after=0");
    ck_assert_int_eq(sp.redis.retry_after_ms, -1);
    parse_ok("redis://h?retry_after=5s");
    ck_assert_int_eq(sp.redis.retry_after_ms, 5000);

    parse_ok("redis://milter:p@ss:w@10.0.0.5/12");
    ck_assert_str_eq(sp.username, "milter");
    ck_assert_str_eq(sp.password, "p@ss:w");
    ck_assert_str_eq(sp.host, "10.0.0.5");
    ck_assert_int_eq(sp.redis.db, 12);

    parse_ok("redis+unix:/run/redis.sock");
    ck_assert_int_eq(sp.kind, SIEVE_STORE_KIND_REDIS);
    ck_assert_str_eq(sp.unix_path, "/run/redis.sock");
    ck_assert_str_eq(sp.host, "");

    parse_ok("redis+unix:///run/redis/redis.sock?db=2&user=u&password=a%26b&prefix=x%2Fy");
    ck_assert_str_eq(sp.unix_path, "/run/redis/redis.sock");
    ck_assert_int_eq(sp.redis.db, 2);
    ck_assert_str_eq(sp.username, "u");
    ck_assert_str_eq(sp.password, "a&b");
    ck_assert_str_eq(sp.prefix, "x/y");
}
END_TEST

static void parse_bad(const char *spec, const char *needle)
{
    char err[512] = "";
    int rc = sieve_store_spec_parse(spec, &sp, err, sizeof err);
    ck_assert_msg(rc == -1, "%s parsed", spec);
    ck_assert_msg(strstr(err, needle) != NULL, "%s: '%s' lacks '%s'", spec, err, needle);
    ck_assert_msg(strstr(err, "s3cr") == NULL, "%s: the password in '%s'", spec, err);
}

START_TEST(spec_bad)
{
    parse_bad("", "empty");
    parse_bad("memcached://127.0.0.1", "unknown kind 'memcached'");
    parse_bad("state.mdb", "unknown kind");
    parse_bad("rediss://example.org", "TLS");
    parse_bad("lmdb:", "without a path");
    parse_bad("lmdb:?map_size=1M", "without a path");
    parse_bad("lmdb://relative", "absolute path");
    parse_bad("lmdb:/var/lib/", "directory");
    parse_bad("lmdb:/x.mdb?map_size=12", "map_size");
    parse_bad("lmdb:/x.mdb?map_size=2T", "map_size");
    parse_bad("lmdb:/x.mdb?map_size=10X", "map_size");
    parse_bad("lmdb:/x.mdb?map_size=99999999999999999999999", "map_size");
    parse_bad("lmdb:/x.mdb?sync=sometimes", "meta, full or none");
    parse_bad("lmdb:/x.mdb?prefix=a", "unknown lmdb option 'prefix'");
    parse_bad("lmdb:/x.mdb?map_size", "NAME=VALUE");
    parse_bad("lmdb:/x.mdb?=1", "NAME=VALUE");
    parse_bad("lmdb:/x%2.mdb", "%-escape");
    parse_bad("lmdb:/x%00.mdb", "%-escape");
    parse_bad("lmdb:/x\n.mdb", "control character");
    parse_bad("redis://", "without a host");
    parse_bad("redis://:6379", "without a host");
    parse_bad("redis://host:0", "bad port");
    parse_bad("redis://host:65536", "bad port");
    parse_bad("redis://host:http", "bad port");
    parse_bad("redis://host:", "bad port");
    parse_bad("redis://host/x", "database number");
    parse_bad("redis://[::1", "without ']'");
    parse_bad("redis://[::1]x", "junk after ']'");
    parse_bad("redis://ho st", "bad character ' '");
    parse_bad("redis://user@host", "needs :PASSWORD");
    parse_bad("redis://host?timeout=0", "timeout");
    parse_bad("redis://host?timeout=61s", "timeout");
    parse_bad("redis://host?timeout=5m", "timeout");
    parse_bad("redis://host?pool=0", "pool");
    parse_bad("redis://host?retry_after=-1", "retry_after");
    parse_bad("redis://host?pool=65", "pool");
    parse_bad("redis://host?lazy=maybe", "lazy");
    parse_bad("redis://host?map_size=1M", "unknown redis option 'map_size'");
    parse_bad("redis://:s3cr3t@host?frobnicate=1", "unknown redis option");
    parse_bad("redis+unix:", "without a socket path");
    parse_bad("redis://h?prefix=x%00y", "%-escape");
    parse_bad("redis+unix:/run/redis.sock?user=u", "user without a password");
    parse_bad("redis+unix:/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
              "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sock",
              "longer than 107 bytes");
    char huge[SIEVE_STORE_SPEC_MAX + 16];
    memset(huge, 'a', sizeof huge - 1);
    memcpy(huge, "lmdb:/", 6);
    huge[sizeof huge - 1] = '\0';
    parse_bad(huge, "longer than");
}
END_TEST

START_TEST(spec_redact)
{
    char out[256];
    sieve_store_spec_redact("redis://:s3cr3t@127.0.0.1:6379/0?prefix=p", out, sizeof out);
    ck_assert_str_eq(out, "redis://:***@127.0.0.1:6379/0?prefix=p");
    sieve_store_spec_redact("redis://u:s3:cr@3t@h?password=s3cr3t&pool=2", out, sizeof out);
    ck_assert_str_eq(out, "redis://u:***@h?password=***&pool=2");
    sieve_store_spec_redact("redis+unix:/r.sock?prefix=a&password=s3cr3t", out, sizeof out);
    ck_assert_str_eq(out, "redis+unix:/r.sock?prefix=a&password=***");
    sieve_store_spec_redact("lmdb:/var/lib/x.mdb", out, sizeof out);
    ck_assert_str_eq(out, "lmdb:/var/lib/x.mdb");
    sieve_store_spec_redact("redis://h:1", out, 5);
    ck_assert_str_eq(out, "redi");
}
END_TEST

START_TEST(spec_open_lmdb)
{
    tmp_make();
    char spec[512], err[512] = "";
    snprintf(spec, sizeof spec, "lmdb:%s/state.mdb?map_size=1M&sync=none", tmp_dir);
    sieve_store *s = sieve_store_open(spec, err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    ck_assert(sieve_store_lmdb_owns(s));
    ck_assert(!sieve_store_redis_owns(s));
    case_basic(s);
    sieve_store_free(&s);
    ck_assert_ptr_null(s);
    sieve_store_free(&s); /* idempotent */

    ck_assert_ptr_null(sieve_store_open("lmdb:", err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "without a path"));
    snprintf(spec, sizeof spec, "lmdb:%s/missing/state.mdb", tmp_dir);
    ck_assert_ptr_null(sieve_store_open(spec, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "No such file"));
    tmp_remove();
}
END_TEST

/* Every truncation of good specifications, and each byte replaced by
 * characters that mean something to the parser: either parsed or an
 * error with a message, never a crash (run under -DSIEVEC_SANITIZE=ON to
 * check bounds). */
START_TEST(spec_mutations)
{
    static const char *good[] = {
        "lmdb:///var/lib/sievec/state.mdb?map_size=1G&sync=full&readonly=1",
        "redis://milter:p%40ss@[::1]:6380/3?prefix=a%2Fb&timeout=2s&pool=16&lazy=1",
        "redis+unix:/run/redis.sock?db=2&user=u&password=x&retry_after=0",
    };
    static const char specials[] = "%:/?&=@[]\\\xff 9"; /* and the NUL: a cut */
    char buf[256], err[512];
    unsigned parsed = 0, refused = 0;
    for (size_t g = 0; g < sizeof good / sizeof good[0]; g++) {
        size_t n = strlen(good[g]);
        for (size_t cut = 0; cut <= n; cut++) {
            memcpy(buf, good[g], cut);
            buf[cut] = '\0';
            for (size_t pos = 0; pos <= cut; pos++) {
                for (size_t c = 0; c < sizeof specials; c++) {
                    char saved = buf[pos];
                    if (pos < cut)
                        buf[pos] = specials[c];
                    err[0] = '\0';
                    int rc = sieve_store_spec_parse(buf, &sp, err, sizeof err);
                    if (rc == 0) {
                        parsed++;
                    } else {
                        ck_assert_int_eq(rc, -1);
                        ck_assert_msg(err[0] != '\0', "no message for '%s'", buf);
                        refused++;
                    }
                    buf[pos] = saved;
                    if (pos == cut)
                        break;
                }
            }
        }
    }
    ck_assert_uint_gt(parsed, 0);
    ck_assert_uint_gt(refused, 0);
}
END_TEST

static Suite *spec_suite(void)
{
    Suite *s = suite_create("store_spec");
    TCase *tc = tcase_create("spec");
    tcase_add_test(tc, spec_lmdb_good);
    tcase_add_test(tc, spec_redis_good);
    tcase_add_test(tc, spec_bad);
    tcase_add_test(tc, spec_redact);
    tcase_add_test(tc, spec_open_lmdb);
    tcase_add_test(tc, spec_mutations);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(spec_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
