# Envelope only: decided at RCPT.
require ["envelope", "reject"];
if envelope :is "from" "spam@example.com" {
    reject "No spam here";
}
