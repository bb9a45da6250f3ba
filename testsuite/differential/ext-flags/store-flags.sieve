# Differential against Pigeonhole (README: ext-flags): fileinto :flags and the internal variable on stores.
require ["imap4flags","fileinto"];
addflag "\\Seen";
fileinto "a";
addflag ["$Junk", "\\Recent bad(flag \\Bogus"];
fileinto :flags "\\Flagged" "b";
fileinto :flags "" "c";
removeflag "\\seen";
