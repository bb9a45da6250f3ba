require ["ihave", "fileinto"];
if ihave "mailbox" {
  fileinto :create "Newsletters";
} else {
  fileinto "Newsletters";
}
