require "fileinto";
if header :contains "Subject" "[spam]" {
    fileinto "Junk";
    stop;
}
if header :contains "Subject" "[ham]" {
    stop;
} elsif exists "X-List" {
    fileinto "lists";
}
keep;
