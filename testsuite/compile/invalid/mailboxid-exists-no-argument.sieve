require "mailboxid";
if mailboxidexists { keep; }
