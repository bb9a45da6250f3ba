require ["copy", "fileinto"];
if header :contains "Subject" "invoice" {
  fileinto :copy "Finance";
  redirect :copy "accounting@example.org";
}
