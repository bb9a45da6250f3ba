require "mailbox";
if mailboxexists { keep; }
