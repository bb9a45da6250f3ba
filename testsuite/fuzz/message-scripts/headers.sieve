# fuzz_message script 1: the header path. Header index and unfolding, RFC
# 2047 decoding, the address parser (every part, groups, obsolete forms),
# the envelope, every match type and comparator, :regex, match variables.
require ["fileinto", "envelope", "subaddress", "relational", "regex",
         "variables", "comparator-i;ascii-numeric", "comparator-i;unicode-casemap",
         "copy", "reject", "encoded-character"];

if header :matches "Subject" "*[*]*" {
    set :lower "tag" "${2}";
    fileinto :copy "tag.${tag}";
}
if header :regex :comparator "i;ascii-casemap" ["Subject", "Comments", "X-Foo"]
        "^(re|fwd?):[[:space:]]*(.*)$" {
    set :upperfirst :quotewildcard "t" "${2}";
    if string :matches "${t}" "*?*" { fileinto "re"; }
}
if header :contains :comparator "i;unicode-casemap" ["From", "To", "Subject", "Keywords"] ["ü", "ǅ", "ß"] {
    fileinto "unicode";
}
if address :all :is ["from", "sender", "reply-to", "resent-from"] ["a@example.org", ""] {
    fileinto "from-a";
}
if address :localpart :matches ["to", "cc", "bcc", "resent-to"] "*+*" { fileinto "plus"; }
if address :domain :regex ["from", "to"] "^([a-z0-9-]+\\.)+[a-z]{2,}$" { fileinto "dom"; }
if address :user :contains "to" "list" { fileinto "user"; }
if address :detail :is "to" "" { fileinto "empty-detail"; }
if address :count "ge" :comparator "i;ascii-numeric" ["to", "cc"] "3" { fileinto "many"; }
if header :count "gt" :comparator "i;ascii-numeric" "Received" "5" { fileinto "hops"; }
if header :value "ge" :comparator "i;ascii-numeric" ["X-Spam-Score", "X-Priority"] "5" {
    reject "score ${1}";
}
if header :value "lt" :comparator "i;octet" "Date" "M" { fileinto "date"; }
if envelope :all :matches "from" "*@*" { set "efrom" "${2}"; }
if envelope :detail :is "to" ["lists", "x"] { fileinto "envdetail"; }
if exists ["Message-ID", "In-Reply-To", "References", "Content-Type"] { fileinto :copy "thread"; }
if header :is "X-Enc" "${hex:e2 82 ac}${unicode:1F600}" { fileinto "enc"; }
if header :matches "List-Id" "*<*.*>*" { fileinto "list.${2}"; }
