require "mboxmetadata";
if metadata "INBOX" "comment" "x" { keep; }
if metadataexists "INBOX" ["/private/comment/", "/foo"] { keep; }
