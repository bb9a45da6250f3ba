# Differential against Pigeonhole (README: ext-flags): flags an IMAP store refuses are dropped when named.
require ["imap4flags","fileinto","variables","relational","comparator-i;ascii-numeric","encoded-character"];
setflag "v" "a${hex:09}b c";
if hasflag :count "eq" :comparator "i;ascii-numeric" "v" "1" { fileinto "g1"; }
if hasflag :count "eq" :comparator "i;ascii-numeric" "v" "0" { fileinto "g2"; }
if string :is "${v}" "a${hex:09}b c" { fileinto "g3"; }
if hasflag :is "v" "c" { fileinto "g4"; }
setflag "w" "\\Bogus bad(x \\Recent ok";
if hasflag :count "eq" :comparator "i;ascii-numeric" "w" "4" { fileinto "g5"; }
if hasflag :count "eq" :comparator "i;ascii-numeric" "w" "1" { fileinto "g6"; }
if hasflag :count "eq" :comparator "i;ascii-numeric" "w" "2" { fileinto "g7"; }
if hasflag :count "eq" :comparator "i;ascii-numeric" "w" "3" { fileinto "g8"; }
if hasflag "w" "\\recent" { fileinto "g9"; }
if hasflag "w" "\\bogus" { fileinto "g10"; }
if hasflag "w" "bad(x" { fileinto "g11"; }
if string :is "${w}" "\\Bogus bad(x \\Recent ok" { fileinto "g12"; }
