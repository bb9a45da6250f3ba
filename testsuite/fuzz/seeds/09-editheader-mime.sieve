require ["editheader", "mime", "foreverypart", "extracttext", "variables", "enotify", "ihave", "environment", "mailbox", "spamtest", "virustest", "regex", "duplicate"];
addheader :last "X-Filtered" "yes";
deleteheader :index 1 :matches "Received" "*internal*";
foreverypart :name "outer" {
    if header :mime :type :is "Content-Type" "image" { break :name "outer"; }
    extracttext :first 100 "snippet";
}
if header :mime :param "filename" :matches "Content-Disposition" "*.exe" { discard; }
if ihave "fileinto" { stop; }
if environment :is "domain" "example.org" { notify :message "hi" "mailto:a@example.org"; }
if mailboxexists "Spam" { stop; }
if spamtest :percent :value "ge" :comparator "i;ascii-numeric" "80" { discard; }
if virustest :value "eq" :comparator "i;ascii-numeric" "5" { discard; }
if header :regex "Subject" "^\\[(foo|bar)\\]" { stop; }
if duplicate :seconds 60 :header "Message-ID" { discard; }
