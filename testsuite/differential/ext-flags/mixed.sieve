# Differential against Pigeonhole (README: ext-flags): flags, header edits and :create together.
require ["editheader","imap4flags","variables","fileinto","mailbox","relational","comparator-i;ascii-numeric"];
addheader "X-New" "ü value";
deleteheader "received";
deleteheader :index 1 "x-a";
setflag "f" "$Foo \\Seen $foo \\SEEN bar";
removeflag "f" "BAR";
addheader :last "X-F" "${f}";
addflag "\\Seen $Junk";
removeflag "$junk";
if header :is "x-f" "$Foo \\Seen" { fileinto :create "ok1"; }
if header :is "x-new" "ü value" { fileinto "ok2"; }
if not exists "x-a" { fileinto "bad"; }
if header :is "x-a" "2" { fileinto :flags "\\Flagged x" "ok3"; }
if hasflag "\\seen" { keep; }
if hasflag :count "eq" :comparator "i;ascii-numeric" "f" "2" { fileinto "ok4"; }
deleteheader :matches "x-new" "*val*";
if not exists "x-new" { fileinto "ok5"; }
