require ["subaddress", "envelope", "fileinto"];
# RFC 5233 examples.
if envelope :user "to" "ken" { fileinto "inbox.ken"; }
if envelope :detail "to" "mta-filters" { fileinto "inbox.ietf-mta-filters"; }
if address :user :is "to" "postmaster" { keep; }
if address :detail :matches "to" "*" { keep; }
if envelope :detail "to" "" { keep; }
