require ["fileinto", "imap4flags"];
# Known senders go to the inbox, flagged when from the team.
if address :is "from" ["alice@example.org", "bob@example.org", "carol@example.net"] {
  if address :domain :is "from" "example.org" { addflag "\\Flagged"; }
  keep;
  stop;
}
if address :domain :is "from" ["example.com", "partner.example"] { keep; stop; }
fileinto "Unknown";
