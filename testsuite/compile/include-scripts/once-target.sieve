# Included by valid/include-resolved.sieve, twice, the second time with
# :once through once-user.
require ["include", "variables"];
global "seen";
set "seen" "${seen}x";
