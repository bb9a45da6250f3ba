# Three redirects: a run-time error when --max-redirects is below 3.
if header :contains "subject" "Lunch" {
    redirect "one@example.org";
    redirect "two@example.org";
    redirect "three@example.org";
}
