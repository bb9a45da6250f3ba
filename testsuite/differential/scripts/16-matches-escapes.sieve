# :matches corner cases: ?, escaped wildcards, brackets taken literally, and
# lists of header names and keys.
require ["copy", "fileinto"];

if header :matches "Subject" "\\[*\\]*" {
    fileinto "bracketed";
}
if header :matches "Subject" "????" {
    fileinto "four-chars";
}
if header :matches "Subject" "*\\?" {
    fileinto "questions";
}
if header :matches ["To", "Cc"] ["*@*.ie", "*@*.ie>*", "*@lists.*"] {
    fileinto :copy "to-lists-or-ie";
}
if header :matches "Date" "*, ?? * 200? *" {
    fileinto "2000s";
}
