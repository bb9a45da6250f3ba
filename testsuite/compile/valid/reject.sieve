require "reject";
if header :contains "Subject" "viagra" { reject "Spam is not welcome here."; }
