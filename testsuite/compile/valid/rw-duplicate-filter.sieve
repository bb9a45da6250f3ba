require ["duplicate", "fileinto", "variables"];
# Drop copies of a message that arrived through several lists.
if header :matches "Message-Id" "*" {
  if duplicate :uniqueid "${1}" :seconds 86400 { discard; stop; }
}
if duplicate :header "X-Ticket-Id" :handle "tickets" { fileinto "Tickets/Updates"; }
