require ["fileinto", "mailboxid"];
# RFC 9042 examples.
if header :contains ["from"] "coyote" {
  fileinto :mailboxid "F6352ae03-b7f5-463c-896f-d8b48ee3" "INBOX.harassment";
}
if mailboxidexists ["F6352ae03-b7f5-463c-896f-d8b48ee3", "Fnosuch"] { keep; }
