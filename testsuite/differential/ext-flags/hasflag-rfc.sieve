# Differential against Pigeonhole (README: ext-flags): hasflag match types and :count on the RFC 5232 4 example list.
require ["imap4flags","variables","fileinto","relational","comparator-i;ascii-numeric"];
setflag "v" "NonJunk Junk gnus-forward $Forwarded NotJunk JunkRecorded $Junk $NotJunk";
if hasflag :contains "v" "Junk" { fileinto "c1"; }
if hasflag :contains "v" "forward" { fileinto "c2"; }
if hasflag :is "v" "junk" { fileinto "c3"; }
if hasflag :is "v" "Junk NonJunk" { fileinto "c4"; }
if hasflag :count "eq" :comparator "i;ascii-numeric" "v" "8" { fileinto "c5"; }
if hasflag :is "v" ["label", "$Junk"] { fileinto "c6"; }
if hasflag :matches "v" "*Recorded" { fileinto "c7"; }
setflag "w" "A";
if hasflag :count "eq" :comparator "i;ascii-numeric" ["v","w"] "9" { fileinto "c8"; }
if hasflag :is ["v","w"] "a" { fileinto "c9"; }
if hasflag :is "v" "" { fileinto "c10"; }
setflag "e" "";
if hasflag :count "eq" :comparator "i;ascii-numeric" "e" "0" { fileinto "c11"; }
if hasflag :is "v" "Junk  $Junk" { fileinto "c12"; }
