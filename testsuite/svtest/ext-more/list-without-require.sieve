require "envelope";
if envelope :list "from" ":addrbook:default" { keep; }
