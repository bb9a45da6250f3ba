require ["extlists", "envelope"];
if envelope :list :contains "from" ":addrbook:default" { keep; }
