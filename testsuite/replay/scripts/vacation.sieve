# Replay of vacation, notify and duplicate (spec/replay-jsonl.md): one
# memory store lasts the replay, so the second message from a sender is
# already-replied and a repeated Message-ID is a duplicate.
require ["vacation", "vacation-seconds", "enotify", "duplicate", "fileinto", "variables"];
if duplicate {
    fileinto "Duplicates";
    stop;
}
if header :matches "subject" "*notify*" {
    notify :importance "1" :options ["x-id=1"] :message "New: ${0}"
        "mailto:owner@example.org";
}
if header :matches "subject" "*seconds*" {
    vacation :seconds 7200 :from "bob@example.org" :addresses ["bob.alias@example.org"]
        "Back in two hours.";
} else {
    vacation :days 2 :handle "away" "I am away until Monday.";
}
