require ["fileinto", "special-use", "mailbox"];
# RFC 8579 examples.
fileinto :specialuse "\\Junk" "Spam";
fileinto :specialuse "\\Junk" :create "Spam";
if specialuse_exists "\\Junk" { fileinto :specialuse "\\Junk" "Spam"; }
if specialuse_exists "Archive" ["\\Archive", "\\Sent"] { keep; }
