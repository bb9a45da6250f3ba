# sievec-args: --include-dir-personal include-scripts
# RFC 6609 3.2: cycle-a includes cycle-b, which includes cycle-a.
require "include";
include "cycle-a";
