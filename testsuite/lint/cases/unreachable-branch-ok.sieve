require ["fileinto", "duplicate"];
if header :is "X-Spam-Flag" "YES" {
    fileinto "Junk";
} elsif header :is "X-Spam-Flag" "yes-really" {
    discard;
} else {
    keep;
}
# duplicate records the message, so asking twice can differ.
if duplicate {
    discard;
} elsif duplicate {
    keep;
}
if true {
    keep;
}
