# Included by invalid/include-cycle.sieve: cycle-a -> cycle-b -> cycle-a.
require "include";
include "cycle-b";
