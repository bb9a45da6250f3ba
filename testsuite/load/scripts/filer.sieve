# 3rcpt@example.org: files group A, discards group B (by Subject).
require "fileinto";
if header :contains "subject" "load A" {
    fileinto "Load/A";
} else {
    discard;
}
