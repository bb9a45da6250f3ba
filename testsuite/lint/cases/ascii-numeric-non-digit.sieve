require ["relational", "comparator-i;ascii-numeric", "fileinto"];
# SpamAssassin writes scores like -0.9: those compare as +infinity.
if header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "5" {
    fileinto "Junk";
}
if header :count "gt" :comparator "i;ascii-numeric" "Received" "-1" {
    keep;
}
