# sievec-args: --include-dir-personal include-scripts
# :global without a global script directory.
require "include";
include :global "common";
