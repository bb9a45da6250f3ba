if mailboxexists "Spam" { keep; }
