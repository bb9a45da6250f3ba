/* Foreign: runs code at dlopen (a constructor). */
int fx_ctor_ran;
__attribute__((constructor)) static void fx_ctor(void)
{
    fx_ctor_ran = 1;
}
__attribute__((visibility("default"))) const int sieve_filter_descriptor = 1;
