require ["reject", "fileinto"];
if header :contains "Subject" "viagra" {
    reject "No thanks.";
    stop;
}
if header :contains "From" "example.com" {
    fileinto "Partners";
} else {
    discard;
}
