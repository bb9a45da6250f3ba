/* sieve-store: look after the store that vacation and duplicate remember
 * through (sieve/store_spec.h): its size, purging expired records, and a
 * check that it can be written and read, for cron jobs and monitoring.
 *
 * Exit status is a published interface (sieve-store(1)): 0 done, 1 the
 * store cannot be opened or an operation on it failed, 2 usage (including
 * a specification that does not parse).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sieve/store_spec.h"

#ifndef SIEVEC_VERSION
#define SIEVEC_VERSION "0.1.0"
#endif

#define EXIT_OK 0
#define EXIT_STORE 1
#define EXIT_USAGE 2

/* The key check writes: not a hash the runtime could produce (those are
 * 32 bytes of SHA-256), so it never shadows a real record. */
static const char check_key[] = "sieve-store check probe";
#define CHECK_TTL 60

static void usage(FILE *out)
{
    fputs("Usage: sieve-store [OPTIONS] SPEC COMMAND\n"
          "Inspect and maintain the store where vacation replies and duplicate\n"
          "messages are remembered.\n"
          "\n"
          "SPEC names the store as the milter's configuration does:\n"
          "  lmdb:PATH[?map_size=SIZE&sync=meta|full|none&readonly=1]\n"
          "  redis://[[USER]:PASSWORD@]HOST[:PORT][/DB][?prefix=P&timeout=D&...]\n"
          "  redis+unix:PATH[?db=N&password=S&prefix=P&...]\n"
          "\n"
          "Commands:\n"
          "  stats    print the number of records (LMDB: also expired ones and\n"
          "           the space used)\n"
          "  purge    delete expired records (LMDB; Redis expires them itself)\n"
          "  check    record a probe key for 60 seconds and read it back\n"
          "\n"
          "Options:\n"
          "  --now=SECONDS   take this as the current time (seconds since the epoch)\n"
          "  -h, --help      show this help and exit\n"
          "  -V, --version   show the version and exit\n"
          "\n"
          "Exit status: 0 done, 1 the store failed, 2 usage error.\n",
          out);
}

static int cmd_stats(sieve_store *s, int64_t now)
{
    char err[512] = "";
    if (sieve_store_lmdb_owns(s)) {
        sieve_store_lmdb_stats st;
        if (sieve_store_lmdb_stats_get(s, now, &st, err, sizeof err) != 0) {
            fprintf(stderr, "sieve-store: %s\n", err);
            return EXIT_STORE;
        }
        printf("backend: lmdb\nrecords: %" PRIu64 "\nexpired: %" PRIu64 "\nused_bytes: %" PRIu64
               "\nmap_size_bytes: %" PRIu64 "\n",
               st.records, st.expired, st.used, st.map_size);
        return EXIT_OK;
    }
    uint64_t keys;
    if (sieve_store_redis_count(s, &keys, err, sizeof err) != 0) {
        fprintf(stderr, "sieve-store: %s\n", err);
        return EXIT_STORE;
    }
    printf("backend: redis\nrecords: %" PRIu64 "\n", keys);
    return EXIT_OK;
}

static int cmd_purge(sieve_store *s, int64_t now)
{
    if (!sieve_store_lmdb_owns(s)) {
        printf("purged: 0 (Redis expires records itself)\n");
        return EXIT_OK;
    }
    char err[512] = "";
    uint64_t purged = 0;
    int rc = sieve_store_lmdb_purge(s, now, &purged, err, sizeof err);
    printf("purged: %" PRIu64 "\n", purged);
    if (rc != 0) {
        fprintf(stderr, "sieve-store: %s\n", err);
        return EXIT_STORE;
    }
    return EXIT_OK;
}

static int cmd_check(sieve_store *s, int64_t now, const char *shown)
{
    char err[512] = "";
    size_t n = sizeof check_key - 1;
    int rc = s->record(s->data, check_key, n, now + CHECK_TTL, err, sizeof err);
    if (rc == SIEVE_STORE_ERROR) {
        fprintf(stderr, "sieve-store: check: record: %s\n", err);
        return EXIT_STORE;
    }
    rc = s->lookup(s->data, check_key, n, now, err, sizeof err);
    if (rc == SIEVE_STORE_ERROR) {
        fprintf(stderr, "sieve-store: check: lookup: %s\n", err);
        return EXIT_STORE;
    }
    if (rc != SIEVE_STORE_PRESENT) {
        fprintf(stderr, "sieve-store: check: the probe just recorded reads as absent\n");
        return EXIT_STORE;
    }
    printf("ok: %s\n", shown);
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"now", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int64_t now = (int64_t)time(NULL);
    int c;
    while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'n': {
            char *end;
            errno = 0;
            long long v = strtoll(optarg, &end, 10);
            if (errno != 0 || end == optarg || *end != '\0' || v < 0) {
                fprintf(stderr, "sieve-store: --now: seconds since the epoch expected\n");
                return EXIT_USAGE;
            }
            now = v;
            break;
        }
        case 'h':
            usage(stdout);
            return EXIT_OK;
        case 'V':
            printf("sieve-store (sievec) %s\n", SIEVEC_VERSION);
            return EXIT_OK;
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (argc - optind != 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *spec = argv[optind], *cmd = argv[optind + 1];
    if (strcmp(cmd, "stats") != 0 && strcmp(cmd, "purge") != 0 && strcmp(cmd, "check") != 0) {
        fprintf(stderr, "sieve-store: unknown command '%s' (stats, purge or check)\n", cmd);
        return EXIT_USAGE;
    }
    char shown[SIEVE_STORE_SPEC_MAX + 16];
    sieve_store_spec_redact(spec, shown, sizeof shown);

    static sieve_store_spec sp;
    char err[512] = "";
    if (sieve_store_spec_parse(spec, &sp, err, sizeof err) != 0) {
        fprintf(stderr, "sieve-store: %s\n", err);
        return EXIT_USAGE;
    }
    sieve_store *s = sieve_store_spec_open(&sp, err, sizeof err);
    explicit_bzero(sp.password, sizeof sp.password);
    if (s == NULL) {
        fprintf(stderr, "sieve-store: %s\n", err);
        return EXIT_STORE;
    }
    int rc;
    if (strcmp(cmd, "stats") == 0)
        rc = cmd_stats(s, now);
    else if (strcmp(cmd, "purge") == 0)
        rc = cmd_purge(s, now);
    else
        rc = cmd_check(s, now, shown);
    sieve_store_free(&s);
    return rc;
}
