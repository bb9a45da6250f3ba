if header :contains "subject" "junk" {
    discard;
}
