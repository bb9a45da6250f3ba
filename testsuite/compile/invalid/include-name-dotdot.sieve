# sievec-args: --include-dir-personal include-scripts
# RFC 6609 3.2: ".." is not a script name (it would leave the directory).
require "include";
include "..";
