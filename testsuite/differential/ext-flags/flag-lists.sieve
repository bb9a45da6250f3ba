# Differential against Pigeonhole (README: ext-flags): flag list normalisation, TAB inside a flag, empty flag arguments.
require ["imap4flags","fileinto","variables","relational","comparator-i;ascii-numeric","encoded-character"];
setflag "v" "a${hex:09}b c";
if hasflag :count "eq" :comparator "i;ascii-numeric" "v" "2" { fileinto "f1"; }
if hasflag :count "eq" :comparator "i;ascii-numeric" "v" "3" { fileinto "f2"; }
setflag "w" "\\seen \\SEEN x";
if hasflag :count "eq" :comparator "i;ascii-numeric" "w" "2" { fileinto "f3"; }
if string :is "${w}" "\\seen x" { fileinto "f4"; }
addflag "w" "";
if string :is "${w}" "\\seen x" { fileinto "f5"; }
removeflag "w" "";
if string :is "${w}" "\\seen x" { fileinto "f6"; }
setflag "x" "  a  ";
if string :is "${x}" "a" { fileinto "f7"; }
if hasflag :contains "w" "" { fileinto "f8"; }
if hasflag :matches "w" "*" { fileinto "f9"; }
setflag "e" "";
if hasflag :matches "e" "*" { fileinto "f10"; }
if hasflag :contains "v" "a" { fileinto "f11"; }
