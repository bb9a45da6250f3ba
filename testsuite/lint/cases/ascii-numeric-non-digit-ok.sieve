require ["relational", "comparator-i;ascii-numeric", "spamtest"];
if header :value "le" :comparator "i;ascii-numeric" "X-Priority" "2" {
    keep;
}
if header :count "ge" :comparator "i;ascii-numeric" "Received" "20" {
    discard;
}
if spamtest :value "ge" :comparator "i;ascii-numeric" "5" {
    discard;
}
