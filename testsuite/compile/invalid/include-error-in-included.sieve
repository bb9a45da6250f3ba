# sievec-args: --include-dir-personal include-scripts
# The included script does not compile: the include says so too.
require "include";
include "broken-syntax";
