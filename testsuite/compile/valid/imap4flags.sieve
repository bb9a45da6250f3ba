require ["imap4flags", "fileinto"];
# RFC 5232 examples.
if size :over 500K { setflag "\\Deleted"; }
if header :contains "from" "boss@frobnitzm.example.edu" {
  setflag "\\Flagged";
  fileinto "INBOX.From Boss";
}
addflag ["\\Seen", "$Label1"];
removeflag "$Label1";
if hasflag :contains "Label" { keep; }
if hasflag ["\\Seen", "\\Answered"] { keep; }
fileinto :flags "\\Seen \\Flagged" "INBOX.Seen";
keep :flags ["\\Draft"];
