# RFC 5228 core: every control, test and action without extensions.
require ["fileinto", "envelope"];
if header :contains ["From", "Sender"] ["boss", "chief"] { keep; }
elsif address :localpart :is "to" "postmaster" { stop; }
elsif address :domain :matches ["to", "cc"] "*.example.?rg" { discard; }
elsif envelope :all :is "from" "" { redirect "admin@example.org"; }
elsif allof (not exists "Date", size :under 1k) { fileinto "INBOX.nodate"; }
elsif anyof (true, false) { keep; }
else { fileinto "misc"; }
if header :comparator "i;octet" :is "X-Test" "exact" { stop; }
/* a bracket
   comment */ keep; # trailing
