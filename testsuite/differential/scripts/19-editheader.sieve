# Tag, then sort by the tag: later tests see the edited header (RFC 5293 3).
require ["editheader", "fileinto", "variables", "relational", "comparator-i;ascii-numeric"];
deleteheader "X-Sievec-Tag";
if exists "List-Id" {
    addheader "X-Sievec-Tag" "list";
} elsif header :contains "Subject" ["re:", "fwd:"] {
    addheader :last "X-Sievec-Tag" "reply";
}
if header :matches "From" "*@*" { addheader "X-Sievec-From-Domain" "${2}"; }
deleteheader :matches "X-Mailer" ["*Outlook*", "*Mutt*"];
deleteheader :index 1 "DKIM-Signature";
deleteheader :last :index 1 "X-Sievec-Tag";
deleteheader :contains "X-Spam-Status" "No,";
if header :is "X-Sievec-Tag" "list" { fileinto "tag-list"; }
if header :is "X-Sievec-Tag" "reply" { fileinto "tag-reply"; }
if header :count "ge" :comparator "i;ascii-numeric" "DKIM-Signature" "1" { fileinto "dkim-left"; }
if exists "X-Mailer" { fileinto "mailer"; }
if header :matches "X-Sievec-From-Domain" "*.org*" { fileinto "from-org"; }
if exists "X-Spam-Status" { fileinto "spam-status"; }
