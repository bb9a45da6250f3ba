require "fileinto";
if header :is "X-Spam-Flag" "YES" {
    fileinto "Junk";
} elsif header :is "X-Spam-Flag" "YES" {
    discard;
} elsif true {
    keep;
} else {
    fileinto "other";
}
if not true {
    discard;
}
