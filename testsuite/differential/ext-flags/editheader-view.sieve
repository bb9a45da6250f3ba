# Differential against Pigeonhole (README: ext-flags): later tests see addheader/deleteheader (RFC 5293 3), :index/:last, patterns.
require ["editheader","fileinto","variables","relational","comparator-i;ascii-numeric","encoded-character"];
addheader "X-A" "0";
addheader :last "X-A" "4";
deleteheader :index 2 "X-A";
if header :is "X-A" "1" { fileinto "e1"; }
if header :is "X-A" "0" { fileinto "e2"; }
deleteheader :last :index 2 "X-A";
if header :is "X-A" "3" { fileinto "e3"; }
if header :count "eq" :comparator "i;ascii-numeric" "X-A" "3" { fileinto "e4"; }
deleteheader :matches "X-A" ["*4*", "0"];
if header :count "eq" :comparator "i;ascii-numeric" "X-A" "1" { fileinto "e5"; }
if header :is "X-A" "2" { fileinto "e6"; }
deleteheader "x-f";
if header :is "X-Z" "z" { fileinto "e7"; }
if exists "X-F" { fileinto "e8"; }
addheader "X-U" "Grüße";
if header :is "X-U" "Grüße" { fileinto "e9"; }
deleteheader :contains "X-U" "RÜ";
if exists "X-U" { fileinto "e10"; }
deleteheader :comparator "i;octet" :contains "Subject" "HI";
if exists "Subject" { fileinto "e11"; }
deleteheader :value "gt" :comparator "i;ascii-numeric" "X-A" "1";
if exists "X-A" { fileinto "e12"; }
addheader "X-Fold" "a${hex:0a 20}b";
if header :is "X-Fold" "a b" { fileinto "e13"; }
