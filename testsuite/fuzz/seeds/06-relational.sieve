require ["relational", "comparator-i;ascii-numeric", "fileinto"];
if header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "5" { discard; }
if header :count "gt" :comparator "i;ascii-numeric" "Received" "20" { discard; }
if address :count "eq" :comparator "i;ascii-numeric" ["to", "cc"] ["1"] { fileinto "single"; }
if size :over 10M { discard; }
if size :under 4G { keep; }
