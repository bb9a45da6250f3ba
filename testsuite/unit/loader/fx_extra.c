/* Foreign: exports more than the descriptor. */
__attribute__((visibility("default"))) int fx_extra(int x);
__attribute__((visibility("default"))) const int sieve_filter_descriptor = 1;
int fx_extra(int x)
{
    return x + 1;
}
