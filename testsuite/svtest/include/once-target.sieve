require ["include", "variables"];
global "once_runs";
set "once_runs" "${once_runs}+";
