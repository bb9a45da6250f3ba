# Sender and recipient address parts: known domains, local parts, whole
# addresses, over From, Sender, Reply-To, To and Cc.
require ["fileinto"];

if address :domain :is "from" ["gmail.com", "yahoo.com", "hotmail.com", "aol.com"] {
    fileinto "freemail";
}
if address :localpart :matches ["from", "sender"] ["*-bounces*", "owner-*", "*-request", "noreply*", "no-reply*"] {
    fileinto "automated";
}
if address :all :contains ["to", "cc"] "spamassassin.taint.org" {
    fileinto "taint";
}
if address :domain :matches "from" "*.ie" {
    fileinto "ireland";
}
if address :all :is "reply-to" "fork@xent.com" {
    fileinto "fork";
}
if not address :all :contains "from" "@" {
    fileinto "no-from-address";
}
