# :count and :value (RFC 5231): hop counts, recipient counts, numeric
# field values.
require ["copy", "fileinto", "relational", "comparator-i;ascii-numeric", "envelope"];

if header :count "ge" :comparator "i;ascii-numeric" "Received" "8" {
    fileinto "many-hops";
}
if address :count "gt" :comparator "i;ascii-numeric" ["to", "cc"] "5" {
    fileinto "many-recipients";
    stop;
}
if header :count "eq" :comparator "i;ascii-numeric" "Subject" "0" {
    fileinto "no-subject";
}
if header :value "lt" :comparator "i;ascii-casemap" "Date" "S" {
    fileinto :copy "date-before-s";
}
if header :value "ge" :comparator "i;ascii-numeric" "Lines" "100" {
    fileinto "long";
}
if envelope :count "eq" :comparator "i;ascii-numeric" "to" "1" {
    fileinto :copy "one-rcpt";
}
