require ["ihave", "variables"];
set "why" "no vacation here";
error "cannot run: ${why}";
