require ["extlists", "envelope"];
if envelope :list "from" "addrbook default" { keep; }
