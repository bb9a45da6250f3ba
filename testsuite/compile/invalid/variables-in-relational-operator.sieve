require ["variables", "relational"];
set "op" "gt";
if header :value "${op}" "a" "b" { keep; }
