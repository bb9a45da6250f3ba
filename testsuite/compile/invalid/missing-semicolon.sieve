require "fileinto";
if header :contains "Subject" "x" {
  fileinto "a"
}
