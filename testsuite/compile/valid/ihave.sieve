require ["ihave", "fileinto"];
# RFC 5463 examples.
if ihave "fileinto" {
  fileinto "INBOX.Junk";
}
if ihave ["vacation", "imap4flags"] {
  vacation "away";
  setflag "\\Seen";
}
if ihave "x-no-such-extension" {
  x_unknown_command "is not checked here";
} else {
  keep;
}
if not ihave "reject" { error "reject is needed by this script"; }
