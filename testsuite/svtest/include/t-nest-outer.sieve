require ["include", "variables"];
global "trace";
set "trace" "${trace}(";
include "t-return";
set "trace" "${trace})";
