if header :contains "Subject" "x" {
  keep;
  discard;
