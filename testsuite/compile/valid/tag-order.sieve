require ["relational", "comparator-i;ascii-numeric"];
# Tagged arguments may come in any order before the positional ones.
if header :comparator "i;ascii-numeric" :value "gt" "X-N" "3" { keep; }
if header :value "gt" :comparator "i;ascii-numeric" "X-N" "3" { keep; }
if address :comparator "i;octet" :domain :is "from" "x" { keep; }
if address :is :comparator "i;octet" :localpart "from" "x" { keep; }
