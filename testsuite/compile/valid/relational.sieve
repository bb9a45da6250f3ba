require ["relational", "comparator-i;ascii-numeric", "fileinto"];
# RFC 5231 examples.
if header :value "lt" :comparator "i;ascii-numeric" ["x-priority"] ["3"] { fileinto "Priority"; }
if address :count "gt" :comparator "i;ascii-numeric" ["to"] ["5"] { fileinto "Bulk"; }
if header :value "gt" :comparator "i;ascii-casemap" ["from"] ["M"] { fileinto "From N-Z"; }
if address :count "eq" :comparator "i;ascii-numeric" ["to", "cc"] ["3"] { keep; }
if header :value "ge" "Subject" "a" { keep; }
if header :value "le" "Subject" "a" { keep; }
if header :value "ne" "Subject" "a" { keep; }
if header :count "ge" "Received" "20" { discard; }
