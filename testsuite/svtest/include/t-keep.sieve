require ["include", "variables"];
global "trace";
set "trace" "${trace}k";
keep;
