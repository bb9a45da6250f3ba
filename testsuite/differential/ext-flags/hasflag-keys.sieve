# Differential against Pigeonhole (README: ext-flags): hasflag keys split into flags for :is/:contains, not :matches/:value.
require ["imap4flags","variables","fileinto","relational","comparator-i;ascii-numeric"];
setflag "v" "NonJunk Junk";
if hasflag :is "v" "Junk Nonexistent" { fileinto "d1"; }
if hasflag :is "v" "Nonexistent Junk" { fileinto "d2"; }
if hasflag :contains "v" "xyz unk" { fileinto "d3"; }
if hasflag :is "v" " " { fileinto "d4"; }
if hasflag :matches "v" "* Junk" { fileinto "d5"; }
if hasflag :matches "v" "NonJunk*" { fileinto "d6"; }
if hasflag :value "eq" "v" "Junk nonjunk" { fileinto "d7"; }
