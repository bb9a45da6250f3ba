require ["fileinto", "reject"];
# CRLF line ends throughout.
if header :contains "Subject" "test" {
  fileinto "Test";
} else {
  keep;
}
