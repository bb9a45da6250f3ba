# Included by cycle-a.sieve, which it includes again (RFC 6609 3.2).
require "include";
include "cycle-a";
