require ["fileinto", "copy", "imap4flags", "mailbox"];
fileinto :copy :flags "\\Seen" :create "Archive";
fileinto :create :copy "Archive2";
keep :flags "\\Flagged";
redirect :copy "backup@example.org";
