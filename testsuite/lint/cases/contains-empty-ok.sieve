if exists "List-Id" {
    keep;
}
if header :contains "List-Id" " " {
    keep;
}
if header :is "Subject" "" {
    discard;
}
