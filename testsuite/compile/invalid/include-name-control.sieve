# sievec-args: --include-dir-personal include-scripts
# RFC 5804 1.6: control characters are not allowed in script names.
require "include";
include "com	mon";
