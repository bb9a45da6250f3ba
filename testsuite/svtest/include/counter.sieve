require ["include", "variables"];
global "count";
set "mine" "${mine}y";
set "count" "${count}x${mine}";
