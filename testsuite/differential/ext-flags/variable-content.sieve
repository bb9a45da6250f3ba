# Differential against Pigeonhole (README: ext-flags): what a variable held before addflag/removeflag stays.
require ["imap4flags","fileinto","variables","relational","comparator-i;ascii-numeric","encoded-character"];
setflag "w" "\\Bogus bad(x \\Recent ok";
if string :is "${w}" "ok" { fileinto "h1"; }
set "v" "\\Bogus x y";
if hasflag :count "eq" :comparator "i;ascii-numeric" "v" "3" { fileinto "h2"; }
if hasflag :count "eq" :comparator "i;ascii-numeric" "v" "2" { fileinto "h3"; }
removeflag "v" "y";
if string :is "${v}" "\\Bogus x" { fileinto "h4"; }
if string :is "${v}" "x" { fileinto "h5"; }
set "u" "\\Bogus x y";
addflag "u" "z";
if string :is "${u}" "\\Bogus x y z" { fileinto "h6"; }
if string :is "${u}" "x y z" { fileinto "h7"; }
setflag "t" "\\SEEN";
if string :is "${t}" "\\SEEN" { fileinto "h8"; }
