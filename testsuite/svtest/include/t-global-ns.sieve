require ["include", "variables"];
set "global.trace" "${global.trace}n";
