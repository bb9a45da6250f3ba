# 2rcpt@example.org: envelope only, decided at RCPT: refuses example.net.
require ["envelope", "reject"];
if envelope :domain :is "from" "example.net" {
    reject "2rcpt takes no mail from example.net";
}
