# Included by valid/include-resolved.sieve.
require "include";
include :once "once-target";
