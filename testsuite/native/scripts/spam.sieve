require ["fileinto", "reject", "envelope", "copy", "relational", "comparator-i;ascii-numeric"];
# A typical user filter.
if header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "10" {
    reject "Too spammy";
    stop;
} elsif anyof (header :contains "subject" ["viagra", "lottery"],
               address :domain :is "from" "spam.example") {
    fileinto "Junk";
} elsif envelope :is "from" "boss@example.org" {
    redirect :copy "me@example.net";
}
