# Body: decided at end of message; can reject.
require ["body", "ereject"];
if body :contains "secret" {
    ereject "body says no";
}
