require ["relational", "comparator-i;ascii-numeric"];
# RFC 5231 5: relational-match is ABNF with quoted literals, which are
# case-insensitive (RFC 5234 2.3), so "GT" and "Eq" are valid operators.
if header :count "GT" "X" "1" { keep; }
if address :value "Eq" :all "to" "1" { keep; }
