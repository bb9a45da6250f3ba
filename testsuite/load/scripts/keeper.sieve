# rcpt@example.org: keeps everything (a header test that never matches).
if header :contains "subject" "never-in-the-load" {
    discard;
}
