require ["variables", "relational", "comparator-i;ascii-numeric"];
set "a" "1";
set "_" "2";
set "_under_score_9" "3";
set "CamelCase" "4";
set "x123456789" "5";
# Not a valid reference: stays as literal text (RFC 5229 3).
set "literal" "${1a} ${} ${-x} ${a.b.}";
if string :count "eq" :comparator "i;ascii-numeric" "${a}" "1" { keep; }
