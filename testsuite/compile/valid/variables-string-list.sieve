require ["variables", "relational", "comparator-i;ascii-numeric"];
set "limit" "5";
if string :value "gt" :comparator "i;ascii-numeric" ["${limit}", "7"] "3" { keep; }
if string :is ["a", "b"] ["b", "c"] { keep; }
