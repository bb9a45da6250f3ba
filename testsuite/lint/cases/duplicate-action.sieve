require "fileinto";
fileinto "Archive";
if header :contains "Subject" "report" {
    fileinto "Archive";
}
keep;
keep;
