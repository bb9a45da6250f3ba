# Differential against Pigeonhole (README: ext-flags): the implicit keep stores the internal flags.
require ["imap4flags","fileinto","copy"];
addflag "\\Seen";
fileinto :copy "a";
addflag ["$Junk", "\\Recent bad(flag \\Bogus"];
removeflag "\\seen";
