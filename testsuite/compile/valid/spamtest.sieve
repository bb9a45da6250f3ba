require ["spamtest", "fileinto", "relational", "comparator-i;ascii-numeric"];
# RFC 5235 examples.
if spamtest :value "eq" :comparator "i;ascii-numeric" "0" { fileinto "INBOX.unclassified"; }
elsif spamtest :value "ge" :comparator "i;ascii-numeric" "3" { fileinto "INBOX.spam-trap"; }
if spamtest "10" { discard; }
