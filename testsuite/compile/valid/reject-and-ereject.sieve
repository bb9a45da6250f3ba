require ["reject", "ereject"];
if header :contains "Subject" "a" { reject "a"; } else { ereject "b"; }
