/* ph_dump: prints what the header and address tests of sievec's runtime
 * see in one message, in the order Pigeonhole's trace prints it, for
 * pigeonhole-diff.py:
 *   H<TAB>value   header :is ["subject","from","to","cc"] (decoded values)
 *   A<TAB>value   address :all ["from","to","cc"]
 * Not a test by itself (needs Pigeonhole); built with the unit suites. */
#include <stdio.h>
#include <stdlib.h>

#include "address.h"
#include "message.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: ph_dump MESSAGE\n");
        return 2;
    }
    FILE *fp = fopen(argv[1], "rb");
    if (!fp) {
        perror(argv[1]);
        return 1;
    }
    size_t cap = 1 << 16, len = 0;
    char *data = malloc(cap);
    size_t got;
    while (data && (got = fread(data + len, 1, cap - len, fp)) > 0) {
        len += got;
        if (len == cap) {
            char *bigger = realloc(data, cap *= 2);
            if (!bigger)
                free(data);
            data = bigger;
        }
    }
    fclose(fp);
    rt_arena *a = rt_arena_new(0);
    static const char *names[] = { "subject", "from", "to", "cc" };
    rt_hdr_set *set = rt_hdr_set_new(names, NULL, 4);
    rt_msg *m = data && a && set ? rt_msg_open(a, set, data, len) : NULL;
    if (!m) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (int id = 0; id < 4; id++) {
        rt_hdr_iter it;
        rt_msg_hdr_iter_id(m, id, &it);
        rt_hdr_field *f;
        while ((f = rt_hdr_iter_next(&it))) {
            rt_str v;
            rt_hdr_value_utf8(m, f, &v);
            printf("H\t%.*s\n", (int)v.len, v.p);
        }
    }
    for (int id = 1; id < 4; id++) {
        rt_hdr_iter it;
        rt_msg_hdr_iter_id(m, id, &it);
        rt_hdr_field *f;
        while ((f = rt_hdr_iter_next(&it))) {
            const rt_addr *av;
            size_t an;
            rt_hdr_addresses(m, f, &av, &an);
            for (size_t i = 0; i < an; i++) {
                rt_str s;
                rt_addr_get_part(a, &av[i], RT_ADDR_PART_ALL, NULL, 0, &s);
                printf("A\t%.*s\n", (int)s.len, s.p);
            }
        }
    }
    rt_hdr_set_free(&set);
    rt_arena_free(&a);
    free(data);
    return 0;
}
