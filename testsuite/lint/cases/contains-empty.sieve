require "body";
if header :contains "List-Id" "" {
    keep;
}
if body :contains ["", "unsubscribe"] {
    discard;
}
