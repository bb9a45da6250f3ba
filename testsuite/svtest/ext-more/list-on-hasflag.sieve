require ["extlists", "imap4flags"];
if hasflag :list ":addrbook:default" { keep; }
