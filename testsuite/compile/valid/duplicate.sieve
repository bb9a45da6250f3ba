require ["duplicate", "fileinto", "mailbox", "variables"];
# RFC 7352 examples.
if duplicate { discard; }
if duplicate :header "message-id" :seconds 3600 { fileinto "Trash/Duplicate"; }
if header :matches "subject" "ALERT: *" {
  if duplicate :seconds 60 :uniqueid "${1}" { discard; }
}
