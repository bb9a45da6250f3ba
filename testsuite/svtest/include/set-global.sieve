require ["include", "variables"];
global "gv";
set "gv" "from-included";
