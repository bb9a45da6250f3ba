require ["fileinto", "copy"];
if header :contains "Subject" "report" {
    fileinto "Archive";
}
if header :contains "From" "boss" {
    fileinto "Archive";
} else {
    fileinto :copy "Archive";
}
keep;
