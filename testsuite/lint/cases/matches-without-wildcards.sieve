if header :matches "Subject" "invoice" {
    keep;
}
if header :matches "Subject" ["*urgent*", "weekly report"] {
    keep;
}
