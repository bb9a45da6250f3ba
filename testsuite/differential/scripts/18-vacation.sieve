# An out-of-office reply: addressed through :addresses (the list and
# personal addresses of the corpora), a subject built from the message's,
# :handle so that different texts count apart. List mail gets its own
# shorter reply.
require ["vacation", "variables", "fileinto"];
set "subj" "";
if header :matches "Subject" "*" { set "subj" "${1}"; }
if exists "List-Id" {
    vacation :days 7 :subject "Away: ${subj}" :from "office@example.org"
        :addresses ["lists+linux-kernel@lfdr.de", "lists@lfdr.de"] :handle "list"
        "I am away until Monday; list mail waits.";
} elsif address :domain :is "From" ["example.com", "example.org"] {
    vacation :days 1 :handle "local" "Out today.";
} else {
    vacation :days 14 :subject "Re: ${subj}" :addresses ["me@example.org"]
        "I am on leave until the 30th.

For urgent matters write to desk@example.org.";
}
