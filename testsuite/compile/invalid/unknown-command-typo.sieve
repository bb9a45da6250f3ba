require "fileinto";
if header :contains "Subject" "x" {
  filinto "Junk";
}
