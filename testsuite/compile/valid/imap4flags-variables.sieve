require ["imap4flags", "variables", "relational", "comparator-i;ascii-numeric"];
set "myflags" "";
addflag "myflags" "\\Flagged";
addflag "myflags" ["\\Answered", "$Work"];
removeflag "myflags" "$Work";
setflag "myflags" "\\Seen";
if hasflag "myflags" "\\Seen" { keep :flags "${myflags}"; }
if hasflag :count "ge" :comparator "i;ascii-numeric" "myflags" "2" { keep; }
