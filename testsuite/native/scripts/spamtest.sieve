require ["spamtest", "relational", "comparator-i;ascii-numeric"];
if header :contains "subject" "hello" {
    if spamtest :value "ge" :comparator "i;ascii-numeric" "5" { discard; }
}
