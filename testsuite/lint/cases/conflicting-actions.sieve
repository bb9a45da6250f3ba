require ["reject", "fileinto"];
if header :contains "Subject" "viagra" {
    reject "No thanks.";
}
if header :contains "From" "example.com" {
    fileinto "Partners";
}
