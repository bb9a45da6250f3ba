# An out-of-office reply for someone with several addresses (:addresses:
# those of the corpora's recipients), a subject built from the message's,
# :handle so that different texts count apart. List mail gets its own
# shorter text (and no reply where the list headers say so).
require ["vacation", "variables"];
set "subj" "";
if header :matches "Subject" "*" { set "subj" "${1}"; }
if exists "List-Id" {
    vacation :days 7 :subject "Away: ${subj}" :from "office@example.org"
        :addresses ["song@kernel.org", "yukuai3@huawei.com", "mueller@example.com"] :handle "list"
        "I am away until Monday; list mail waits.";
} elsif address :domain :is "From" ["example.com", "example.org"] {
    vacation :days 1 :addresses ["mueller@example.com", "blow@example.com", "schmuergen@example.com"]
        :handle "local" "Out today.";
} else {
    vacation :days 14 :subject "Re: ${subj}"
        :addresses ["name@company2.com", "mueller@example.com", "blow@example.com", "minyard@acm.org",
                    "song@kernel.org", "fork@spamassassin.taint.org"]
        "I am on leave until the 30th.

For urgent matters write to desk@example.org.";
}
