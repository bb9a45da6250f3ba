# sievec-args: --include-dir-personal include-scripts --limit includes=2
# Three distinct included scripts, over the limit of 2.
require "include";
include "common";
include "common";
include "always_allow";
include "mailing_lists";
