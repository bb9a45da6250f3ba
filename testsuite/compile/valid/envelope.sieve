require "envelope";
if envelope :all :is "from" "MAILER-DAEMON" { discard; }
if envelope :domain :is "to" "example.org" { keep; }
if envelope :localpart :contains ["from", "to"] "list" { keep; }
if envelope :comparator "i;octet" :matches "from" "*@*" { keep; }
