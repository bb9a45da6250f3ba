require ["envelope", "fileinto"];
if envelope :all :is "from" "alice@example.org" {
    fileinto "From-Alice";
}
if envelope :domain :is "to" "example.org" {
    fileinto "To-Example";
}
