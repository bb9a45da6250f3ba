require "imap4flags";
redirect :flags "\\Seen" "a@example.org";
