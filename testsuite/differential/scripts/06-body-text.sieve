# Body tests on the decoded text parts.
require ["copy", "body", "fileinto"];

if body :text :contains ["unsubscribe", "opt-out", "remove me"] {
    fileinto "ads";
}
if body :text :matches "*http://*" {
    fileinto :copy "links";
}
if body :text :contains :comparator "i;octet" "Signed-off-by:" {
    fileinto "patches";
}
if body :text :contains ["lottery", "winner", "Nigeria", "bank account"] {
    fileinto "scam";
}
