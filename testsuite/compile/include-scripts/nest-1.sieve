# Included by invalid/include-depth-nested.sieve.
require "include";
include "always_allow";
