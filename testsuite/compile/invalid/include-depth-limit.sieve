# sievec-args: --include-dir-personal include-scripts --limit include_depth=1
# nest-1 includes always_allow: two levels, over the limit of 1.
require "include";
include "common";
include "nest-1";
