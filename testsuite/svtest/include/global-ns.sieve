require ["include", "variables"];
set "global.ns" "via-namespace";
