if header :contains "Subject" "x" {
  fileinto "Junk";
}
