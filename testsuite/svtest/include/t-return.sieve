require ["include", "variables"];
global "trace";
set "trace" "${trace}r1";
return;
set "trace" "${trace}r2";
