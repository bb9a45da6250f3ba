require ["regex", "comparator-i;ascii-numeric"];
if header :regex :comparator "i;ascii-numeric" "X" "^1" { keep; }
