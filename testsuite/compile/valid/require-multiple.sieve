require "fileinto";
require ["envelope", "reject"];
require ["fileinto"];
if envelope :is "from" "a@example.org" { reject "no"; }
fileinto "x";
