require ["extlists", "envelope"];
if envelope :list :is "from" ":addrbook:default" { keep; }
