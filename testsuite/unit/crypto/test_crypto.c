/* SHA-256 and HMAC against published vectors; the MAC trailer and the key
 * file through their public functions, including tampering and bad keys. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mac.h"
#include "sha256.h"
#include "sieve/sieve.h"

static void hex_of(const void *p, size_t n, char *out)
{
    uint8_t d[32];
    rt_sha256(p, n, d);
    rt_hex(d, 32, out);
}

START_TEST(sha256_fips_vectors)
{
    char hex[65];
    hex_of("abc", 3, hex);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    hex_of("", 0, hex);
    ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    hex_of(m, strlen(m), hex);
    ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

START_TEST(sha256_incremental_million_a)
{
    rt_sha256_ctx c;
    rt_sha256_init(&c);
    char chunk[1000];
    memset(chunk, 'a', sizeof chunk);
    /* Uneven pieces cross block boundaries in every way. */
    size_t left = 1000000, step = 1;
    while (left) {
        size_t n = step < left ? step : left;
        rt_sha256_update(&c, chunk, n);
        left -= n;
        step = step * 7 % 997 + 1; /* 1..997, below the chunk size */
    }
    uint8_t d[32];
    char hex[65];
    rt_sha256_final(&c, d);
    rt_hex(d, 32, hex);
    ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

/* RFC 4231 test cases 1, 2 and 6 (a key longer than the block). */
START_TEST(hmac_rfc4231)
{
    uint8_t key[131], d[32];
    char hex[65];
    memset(key, 0x0b, 20);
    rt_hmac_sha256(key, 20, "Hi There", 8, d);
    rt_hex(d, 32, hex);
    ck_assert_str_eq(hex, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    rt_hmac_sha256((const uint8_t *)"Jefe", 4, "what do ya want for nothing?", 28, d);
    rt_hex(d, 32, hex);
    ck_assert_str_eq(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    memset(key, 0xaa, sizeof key);
    const char *msg = "Test Using Larger Than Block-Size Key - Hash Key First";
    rt_hmac_sha256(key, 131, msg, strlen(msg), d);
    rt_hex(d, 32, hex);
    ck_assert_str_eq(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}
END_TEST

static char *read_all(const char *path, size_t *len_r)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    static char buf[4096];
    *len_r = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return buf;
}

START_TEST(mac_sign_verify_tamper)
{
    char path[] = "/tmp/sievec-mac-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "\177ELF payload bytes", 18), 18);
    close(fd);
    uint8_t key[32], other[32];
    memset(key, 7, sizeof key);
    memset(other, 8, sizeof other);
    char err[256];
    ck_assert_int_eq(rt_mac_sign_file(path, key, err, sizeof err), 0);
    size_t len, payload;
    char *buf = read_all(path, &len);
    ck_assert_uint_eq(len, 18 + RT_MAC_TRAILER_LEN);
    ck_assert_int_eq(rt_mac_verify(buf, len, key, &payload, err, sizeof err), 0);
    ck_assert_uint_eq(payload, 18);
    ck_assert_int_eq(rt_mac_verify(buf, len, other, &payload, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "MAC mismatch"));
    buf[3] ^= 1;
    ck_assert_int_eq(rt_mac_verify(buf, len, key, &payload, err, sizeof err), -1);
    buf[3] ^= 1;
    /* Truncated: the trailer is gone or cut. */
    ck_assert_int_eq(rt_mac_verify(buf, len - 1, key, &payload, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "no MAC trailer"));
    ck_assert_int_eq(rt_mac_verify(buf, 5, key, &payload, err, sizeof err), -1);
    unlink(path);
}
END_TEST

static void write_file(const char *path, const char *data, size_t len, mode_t mode)
{
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
    close(fd);
    chmod(path, mode);
}

START_TEST(key_file_forms_and_modes)
{
    char dir[] = "/tmp/sievec-key-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/k", dir);
    uint8_t key[32];

    write_file(path, "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF\n", 65, 0600);
    ck_assert_int_eq(sieve_key_read(path, key, err, sizeof err), 0);
    ck_assert_uint_eq(key[1], 0x11);
    ck_assert_uint_eq(key[31], 0xff);

    char raw[32];
    memset(raw, 0x5a, sizeof raw);
    write_file(path, raw, 32, 0400);
    ck_assert_int_eq(sieve_key_read(path, key, err, sizeof err), 0);
    ck_assert_uint_eq(key[0], 0x5a);

    write_file(path, raw, 32, 0640);
    ck_assert_int_eq(sieve_key_read(path, key, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "group or others"));

    write_file(path, "short", 5, 0600);
    ck_assert_int_eq(sieve_key_read(path, key, err, sizeof err), -1);
    write_file(path, "zz112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", 64, 0600);
    ck_assert_int_eq(sieve_key_read(path, key, err, sizeof err), -1);

    snprintf(path, sizeof path, "%s/missing", dir);
    ck_assert_int_eq(sieve_key_read(path, key, err, sizeof err), -1);

    /* A personal key is created on demand, 0600, and then found. */
    setenv("XDG_CONFIG_HOME", dir, 1);
    unsetenv("SIEVEC_KEY_FILE");
    char kp[512];
    if (access("/etc/sievec/mac.key", F_OK) != 0) {
        ck_assert_int_eq(sieve_key_path(kp, sizeof kp, false, err, sizeof err), -1);
        ck_assert_int_eq(sieve_key_path(kp, sizeof kp, true, err, sizeof err), 0);
        struct stat st;
        ck_assert_int_eq(stat(kp, &st), 0);
        ck_assert_uint_eq(st.st_mode & 0777, 0600);
        ck_assert_int_eq(sieve_key_read(kp, key, err, sizeof err), 0);
        unlink(kp);
        snprintf(path, sizeof path, "%s/sievec", dir);
        rmdir(path);
    }
    setenv("SIEVEC_KEY_FILE", "/some/where", 1);
    ck_assert_int_eq(sieve_key_path(kp, sizeof kp, false, err, sizeof err), 0);
    ck_assert_str_eq(kp, "/some/where");
    unsetenv("SIEVEC_KEY_FILE");
    snprintf(path, sizeof path, "%s/k", dir);
    unlink(path);
    rmdir(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("crypto");
    TCase *tc = tcase_create("all");
    tcase_add_test(tc, sha256_fips_vectors);
    tcase_add_test(tc, sha256_incremental_million_a);
    tcase_add_test(tc, hmac_rfc4231);
    tcase_add_test(tc, mac_sign_verify_tamper);
    tcase_add_test(tc, key_file_forms_and_modes);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
