# Included by valid/include.sieve.
require ["include"];
keep;
return;
