#include "mac.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sha256.h"

int rt_mac_sign_file(const char *path, const uint8_t key[32], char *err, size_t errlen)
{
    int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    /* HMAC in two passes over the file would need the key twice; hash the
     * inner part while streaming instead (RFC 2104 structure). */
    uint8_t k[64] = { 0 }, pad[64];
    memcpy(k, key, 32);
    for (int i = 0; i < 64; i++)
        pad[i] = k[i] ^ 0x36;
    rt_sha256_ctx c;
    rt_sha256_init(&c);
    rt_sha256_update(&c, pad, 64);
    char buf[65536];
    for (;;) {
        ssize_t got = read(fd, buf, sizeof buf);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            close(fd);
            return -1;
        }
        if (got == 0)
            break;
        rt_sha256_update(&c, buf, (size_t)got);
    }
    uint8_t inner[32];
    rt_sha256_final(&c, inner);
    for (int i = 0; i < 64; i++)
        pad[i] = k[i] ^ 0x5c;
    rt_sha256_init(&c);
    rt_sha256_update(&c, pad, 64);
    rt_sha256_update(&c, inner, 32);
    uint8_t trailer[RT_MAC_TRAILER_LEN];
    rt_sha256_final(&c, trailer);
    memcpy(trailer + RT_MAC_TAG_LEN, RT_MAC_MAGIC, RT_MAC_MAGIC_LEN);
    if (lseek(fd, 0, SEEK_END) < 0 || write(fd, trailer, sizeof trailer) != (ssize_t)sizeof trailer) {
        snprintf(err, errlen, "%s: cannot append the MAC: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    if (close(fd) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int rt_mac_verify(const void *buf, size_t len, const uint8_t key[32], size_t *payload_len_r,
                  char *err, size_t errlen)
{
    const uint8_t *b = buf;
    if (len < RT_MAC_TRAILER_LEN || memcmp(b + len - RT_MAC_MAGIC_LEN, RT_MAC_MAGIC, RT_MAC_MAGIC_LEN) != 0) {
        snprintf(err, errlen, "not signed by sievec (no MAC trailer)");
        return -1;
    }
    size_t payload = len - RT_MAC_TRAILER_LEN;
    uint8_t tag[32];
    rt_hmac_sha256(key, 32, b, payload, tag);
    if (!rt_consttime_equal(tag, b + payload, RT_MAC_TAG_LEN)) {
        snprintf(err, errlen, "MAC mismatch: the file was altered or signed with another key");
        return -1;
    }
    *payload_len_r = payload;
    return 0;
}
