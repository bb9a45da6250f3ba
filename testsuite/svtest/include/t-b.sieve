require ["include", "variables"];
global "trace";
set "trace" "${trace}b";
