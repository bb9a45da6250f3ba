/* The LMDB back end (sieve/store_lmdb.h): the common store behaviour,
 * surviving close and reopen and the kill of the process that wrote, 8
 * threads at once, the created file's mode, full maps, purge and stats,
 * and paths that cannot work. */
#include "tmpdir.h"

#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "sieve/store_lmdb.h"
#include "sieve/store_spec.h"
#include "store_cases.h"

/* sync=none: no fsync per record, which on a busy disk costs seconds per
 * thousand; durability across a process kill does not need it (see
 * lmdb_survives_reopen_and_kill, which uses the default). */
static sieve_store *open_at(const char *name, size_t map_size)
{
    char path[512], err[512] = "";
    sieve_store_lmdb_options o = {.map_size = map_size, .sync = SIEVE_STORE_LMDB_SYNC_NONE};
    sieve_store *s = sieve_store_lmdb_open(tmp_path(path, sizeof path, name), &o, err, sizeof err);
    ck_assert_msg(s != NULL, "open: %s", err);
    ck_assert(sieve_store_lmdb_owns(s));
    return s;
}

START_TEST(lmdb_basic)
{
    sieve_store *s = open_at("state.mdb", 0);
    case_basic(s);
    case_bad_keys(s);
    sieve_store_free(&s);
    ck_assert_ptr_null(s);
}
END_TEST

START_TEST(lmdb_threads)
{
    sieve_store *s = open_at("state.mdb", 0);
    case_threads(s);
    sieve_store_free(&s);
}
END_TEST

/* The restart requirement: what one handle recorded, the next one sees;
 * also when the writer was killed without closing. */
START_TEST(lmdb_survives_reopen_and_kill)
{
    unsigned char k[32], k2[32];
    case_key(k, 7, 7);
    case_key(k2, 8, 8);
    char path[512], err[512] = "";
    sieve_store *s =
        sieve_store_lmdb_open(tmp_path(path, sizeof path, "state.mdb"), NULL, err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    case_record(s, k, 32, T0 + 60);
    sieve_store_free(&s);

    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        sieve_store *c = sieve_store_lmdb_open(tmp_path(path, sizeof path, "state.mdb"), NULL,
                                               err, sizeof err);
        if (c == NULL || c->record(c->data, k2, 32, T0 + 60, err, sizeof err) != 0)
            _exit(1);
        raise(SIGKILL); /* no close, no exit handlers: the milter killed */
        _exit(2);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "child status %d", status);

    s = open_at("state.mdb", 0);
    ck_assert_int_eq(case_lookup(s, k, 32, T0), SIEVE_STORE_PRESENT);
    ck_assert_int_eq(case_lookup(s, k, 32, T0 + 60), SIEVE_STORE_ABSENT);
    ck_assert_int_eq(case_lookup(s, k2, 32, T0), SIEVE_STORE_PRESENT);
    sieve_store_free(&s);
}
END_TEST

/* Two processes (a prefork milter, or the milter and sieve-store purge)
 * writing the same file at once, each with 4 threads: nothing is lost. */
START_TEST(lmdb_two_processes)
{
    sieve_store *s = open_at("shared.mdb", 0);
    sieve_store_free(&s);
    pid_t pids[2];
    for (unsigned p = 0; p < 2; p++) {
        pids[p] = fork();
        ck_assert_int_ge(pids[p], 0);
        if (pids[p] == 0) {
            sieve_store *c = open_at("shared.mdb", 0);
            pthread_t th[4];
            struct case_thread t[4];
            for (unsigned i = 0; i < 4; i++) {
                t[i] = (struct case_thread){.s = c, .id = p * 4 + i};
                pthread_create(&th[i], NULL, case_thread_main, &t[i]);
            }
            int bad = 0;
            for (unsigned i = 0; i < 4; i++) {
                pthread_join(th[i], NULL);
                bad += t[i].errors + t[i].wrong;
            }
            sieve_store_free(&c);
            _exit(bad ? 1 : 0);
        }
    }
    for (unsigned p = 0; p < 2; p++) {
        int status;
        ck_assert_int_eq(waitpid(pids[p], &status, 0), pids[p]);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer %u: status %d", p,
                      status);
    }
    s = open_at("shared.mdb", 0);
    unsigned char k[32];
    unsigned missing = 0;
    for (unsigned i = 0; i < 8; i++)
        for (unsigned j = 0; j < CASE_OPS; j++) {
            case_key(k, 1000 + i, j);
            if (case_lookup(s, k, 32, T0) != SIEVE_STORE_PRESENT)
                missing++;
        }
    ck_assert_uint_eq(missing, 0);
    sieve_store_lmdb_stats st;
    char err[256];
    ck_assert_int_eq(sieve_store_lmdb_stats_get(s, T0, &st, err, sizeof err), 0);
    ck_assert_uint_eq(st.records, 8 * CASE_OPS);
    sieve_store_free(&s);
}
END_TEST

/* Another process opens the file with a larger map_size and fills it
 * beyond ours: our handle adopts the larger map instead of failing with
 * MDB_MAP_RESIZED until restarted. */
START_TEST(lmdb_map_grown_by_another_process)
{
    sieve_store *s = open_at("grow.mdb", SIEVE_STORE_LMDB_MAP_MIN);
    unsigned char k[32];
    case_key(k, 1, 0);
    case_record(s, k, 32, T0 + 10);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        char path[512], err[256];
        sieve_store_lmdb_options o = {.map_size = 4u << 20, .sync = SIEVE_STORE_LMDB_SYNC_NONE};
        sieve_store *c =
            sieve_store_lmdb_open(tmp_path(path, sizeof path, "grow.mdb"), &o, err, sizeof err);
        if (c == NULL)
            _exit(1);
        for (unsigned i = 0; i < 5000; i++) {
            case_key(k, 2, i);
            if (c->record(c->data, k, 32, T0 + 10, err, sizeof err) != 0)
                _exit(2);
        }
        sieve_store_free(&c);
        _exit(0);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer status %d", status);
    case_key(k, 2, 4999);
    ck_assert_int_eq(case_lookup(s, k, 32, T0), SIEVE_STORE_PRESENT);
    case_key(k, 1, 0);
    ck_assert_int_eq(case_lookup(s, k, 32, T0), SIEVE_STORE_PRESENT);
    case_key(k, 3, 0);
    case_record(s, k, 32, T0 + 10); /* writing works too */
    sieve_store_lmdb_stats st;
    char err[256];
    ck_assert_int_eq(sieve_store_lmdb_stats_get(s, T0, &st, err, sizeof err), 0);
    ck_assert_uint_eq(st.records, 5002);
    ck_assert_uint_eq(st.map_size, 4u << 20);
    sieve_store_free(&s);
}
END_TEST

START_TEST(lmdb_file_mode_0600)
{
    umask(0);
    sieve_store *s = open_at("state.mdb", 0);
    sieve_store_free(&s);
    char path[512];
    struct stat sb;
    ck_assert_int_eq(stat(tmp_path(path, sizeof path, "state.mdb"), &sb), 0);
    ck_assert(S_ISREG(sb.st_mode));
    ck_assert_uint_eq(sb.st_mode & 07777, 0600);
    ck_assert_int_eq(stat(tmp_path(path, sizeof path, "state.mdb-lock"), &sb), 0);
    ck_assert_uint_eq(sb.st_mode & 07777, 0600);
}
END_TEST

static void expect_open_error(const char *path, const sieve_store_lmdb_options *o,
                              const char *needle)
{
    char err[512] = "";
    sieve_store *s = sieve_store_lmdb_open(path, o, err, sizeof err);
    ck_assert_msg(s == NULL, "%s opened", path);
    ck_assert_msg(strstr(err, needle) != NULL, "error for %s: '%s' lacks '%s'", path, err,
                  needle);
}

START_TEST(lmdb_bad_paths)
{
    char path[512];
    /* Not an LMDB file. */
    FILE *f = fopen(tmp_path(path, sizeof path, "garbage.mdb"), "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 8192; i++)
        fputc('x', f);
    fclose(f);
    expect_open_error(path, NULL, "not an LMDB file");
    expect_open_error(path, NULL, path); /* the message names the file */
    /* A directory where the file should be, a file where a directory
     * should be, a directory that does not exist. */
    expect_open_error(tmp_dir, NULL, tmp_dir);
    char under[600];
    snprintf(under, sizeof under, "%s/state.mdb", path);
    expect_open_error(under, NULL, "Not a directory");
    expect_open_error(tmp_path(path, sizeof path, "missing/state.mdb"), NULL, "No such file");
    /* Read-only file system (root ignores permission bits). */
    expect_open_error("/proc/sieve-store-test.mdb", NULL, "/proc/sieve-store-test.mdb");
    /* read_only does not create. */
    sieve_store_lmdb_options ro = {.read_only = 1};
    expect_open_error(tmp_path(path, sizeof path, "none.mdb"), &ro, "no such file");
    ck_assert_int_ne(access(path, F_OK), 0);
    expect_open_error("", NULL, "empty path");
    sieve_store_lmdb_options tiny = {.map_size = 4096};
    expect_open_error(tmp_path(path, sizeof path, "tiny.mdb"), &tiny, "map_size");
}
END_TEST

START_TEST(lmdb_read_only)
{
    unsigned char k[32];
    case_key(k, 3, 3);
    sieve_store *s = open_at("state.mdb", 0);
    case_record(s, k, 32, T0 + 60);
    sieve_store_free(&s);
    char path[512], err[512] = "";
    sieve_store_lmdb_options ro = {.read_only = 1};
    s = sieve_store_lmdb_open(tmp_path(path, sizeof path, "state.mdb"), &ro, err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    ck_assert_int_eq(case_lookup(s, k, 32, T0), SIEVE_STORE_PRESENT);
    ck_assert_int_eq(case_lookup(s, k, 32, T0 + 100), SIEVE_STORE_ABSENT); /* no purge */
    ck_assert_int_eq(s->record(s->data, k, 32, T0, err, sizeof err), SIEVE_STORE_ERROR);
    ck_assert_ptr_nonnull(strstr(err, "read-only"));
    sieve_store_free(&s);
}
END_TEST

/* A full map is an error naming the cure; expired records make room by
 * themselves. */
START_TEST(lmdb_map_full)
{
    sieve_store *s = open_at("small.mdb", SIEVE_STORE_LMDB_MAP_MIN);
    unsigned char k[32];
    char err[512] = "";
    /* Records already expired by the wall clock: record purges them when
     * the map fills, so this never fails. */
    for (unsigned i = 0; i < 20000; i++) {
        case_key(k, 1, i);
        int rc = s->record(s->data, k, 32, 1000, err, sizeof err);
        ck_assert_msg(rc == 0, "record %u: %s", i, err);
    }
    /* Live records: the map fills. */
    int64_t live = (int64_t)time(NULL) + 86400 * 365;
    unsigned i;
    int rc = 0;
    for (i = 0; i < 20000; i++) {
        case_key(k, 2, i);
        rc = s->record(s->data, k, 32, live, err, sizeof err);
        if (rc != 0)
            break;
    }
    ck_assert_int_eq(rc, SIEVE_STORE_ERROR);
    ck_assert_msg(i > 100, "only %u records fit", i);
    ck_assert_msg(strstr(err, "is full") != NULL && strstr(err, "map_size") != NULL, "%s", err);
    /* What was recorded before is still there, and reading works. */
    case_key(k, 2, 0);
    ck_assert_int_eq(case_lookup(s, k, 32, T0), SIEVE_STORE_PRESENT);
    case_key(k, 2, i - 1);
    ck_assert_int_eq(case_lookup(s, k, 32, T0), SIEVE_STORE_PRESENT);
    sieve_store_free(&s);
}
END_TEST

START_TEST(lmdb_purge_and_stats)
{
    sieve_store *s = open_at("state.mdb", 0);
    unsigned char k[32];
    char err[512] = "";
    /* More than one purge batch of expired records, a few live ones. */
    for (unsigned i = 0; i < 3000; i++) {
        case_key(k, 1, i);
        case_record(s, k, 32, T0 + 10);
    }
    for (unsigned i = 0; i < 5; i++) {
        case_key(k, 2, i);
        case_record(s, k, 32, T0 + 100);
    }
    sieve_store_lmdb_stats st;
    ck_assert_int_eq(sieve_store_lmdb_stats_get(s, T0 + 50, &st, err, sizeof err), 0);
    ck_assert_uint_eq(st.records, 3005);
    ck_assert_uint_eq(st.expired, 3000);
    ck_assert_uint_eq(st.map_size, SIEVE_STORE_LMDB_MAP_DEFAULT);
    ck_assert(st.used > 0 && st.used <= st.map_size);
    uint64_t purged = 99;
    ck_assert_int_eq(sieve_store_lmdb_purge(s, T0 + 50, &purged, err, sizeof err), 0);
    ck_assert_uint_eq(purged, 3000);
    ck_assert_int_eq(sieve_store_lmdb_stats_get(s, T0 + 50, &st, err, sizeof err), 0);
    ck_assert_uint_eq(st.records, 5);
    ck_assert_uint_eq(st.expired, 0);
    case_key(k, 2, 4);
    ck_assert_int_eq(case_lookup(s, k, 32, T0 + 50), SIEVE_STORE_PRESENT);

    /* A lookup that meets an expired record deletes it. */
    case_key(k, 3, 0);
    case_record(s, k, 32, T0 + 1);
    ck_assert_int_eq(case_lookup(s, k, 32, T0 + 5), SIEVE_STORE_ABSENT);
    ck_assert_int_eq(sieve_store_lmdb_stats_get(s, T0, &st, err, sizeof err), 0);
    ck_assert_uint_eq(st.records, 5);
    sieve_store_free(&s);
}
END_TEST

static void setup(void)
{
    tmp_make();
}

static void teardown(void)
{
    tmp_remove();
}

static Suite *lmdb_suite(void)
{
    Suite *s = suite_create("store_lmdb");
    TCase *tc = tcase_create("lmdb");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, lmdb_basic);
    tcase_add_test(tc, lmdb_threads);
    tcase_add_test(tc, lmdb_survives_reopen_and_kill);
    tcase_add_test(tc, lmdb_two_processes);
    tcase_add_test(tc, lmdb_map_grown_by_another_process);
    tcase_add_test(tc, lmdb_file_mode_0600);
    tcase_add_test(tc, lmdb_bad_paths);
    tcase_add_test(tc, lmdb_read_only);
    tcase_add_test(tc, lmdb_map_full);
    tcase_add_test(tc, lmdb_purge_and_stats);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(lmdb_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
