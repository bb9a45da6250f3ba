# sievec-args: --include-dir-personal include-scripts
# RFC 6609 3.2: a missing script without :optional is an error.
require "include";
include :optional "no-such-script";
include "no-such-script";
