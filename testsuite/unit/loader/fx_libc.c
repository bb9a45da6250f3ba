/* Foreign: needs libc symbols. */
#include <stdio.h>
#include <stdlib.h>
__attribute__((visibility("default"))) int fx_libc(const char *s);
int fx_libc(const char *s)
{
    char *p = malloc(16);
    int n = printf("%s\n", s);
    free(p);
    return n;
}
