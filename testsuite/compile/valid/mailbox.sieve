require ["mailbox", "fileinto"];
# RFC 5490 3.
fileinto :create "INBOX.Lists.new";
if mailboxexists "Archive" { fileinto "Archive"; }
if mailboxexists ["Spam", "Junk"] { keep; }
