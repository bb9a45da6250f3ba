require "fileinto";
fileinto :mailboxid "F123" "INBOX";
