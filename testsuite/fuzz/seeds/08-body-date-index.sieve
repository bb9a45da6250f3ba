require ["body", "date", "index", "relational", "fileinto", "imap4flags", "copy"];
if body :raw :contains "unsubscribe" { addflag "\\Seen"; }
if body :content "text" :contains "invoice" { fileinto :copy "Invoices"; }
if body :text :matches "*lottery*" { setflag ["\\Deleted", "$Junk"]; discard; }
if date :index 1 :last :value "lt" "date" "year" "2000" { fileinto :flags "old" "Old"; }
if currentdate :zone "+0100" :is "weekday" "0" { removeflag "\\Flagged"; }
if hasflag :contains "\\Seen" { keep :flags ["\\Seen"]; }
