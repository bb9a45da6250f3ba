# sievec-args: --include-dir-personal invalid
# RFC 6609 3.2: a script that includes itself.
require "include";
include "include-self-cycle";
