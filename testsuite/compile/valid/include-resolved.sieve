# sievec-args: --include-dir-personal include-scripts --include-dir-global include-scripts
# RFC 6609: resolved includes: a repeat, :once through another script,
# :optional missing, :global.
require ["include", "variables"];
global "seen";
include "once-target";
include "once-user";
include :optional "no-such-script";
include :global :once "common";
