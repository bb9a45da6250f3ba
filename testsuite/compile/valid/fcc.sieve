require ["vacation", "fcc", "enotify", "imap4flags", "mailbox", "special-use"];
# RFC 8580 examples.
vacation :days 7 :from "hemingway@example.com" :fcc "INBOX.Sent" "Gone fishin'.";
notify :fcc "INBOX.Sent" :flags "\\Seen" "mailto:alm@example.com";
vacation :fcc "Sent" :create :specialuse "\\Sent" "Away.";
