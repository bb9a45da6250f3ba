# replace and enclose (RFC 5703 5, 6) as sieve-replay reports them; the
# implicit keep stays.
require ["foreverypart", "mime", "replace", "enclose"];
foreverypart {
  if header :mime :type "content-type" "application" { replace :mime text:
Content-Type: text/plain

attachment removed
.
; }
}
enclose :subject "first" "replaced by the next enclose";
enclose :subject "[quarantined]" :headers ["X-Quarantine: yes", "X-Reason: attachment"] "This message was quarantined.";
replace :subject "new subject" :from "admin@example.org" "whole body";
