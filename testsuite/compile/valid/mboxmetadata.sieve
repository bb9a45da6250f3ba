# RFC 5490 3.3, 3.4, 4.1, 4.2: metadata tests (mboxmetadata, servermetadata).
require ["mboxmetadata", "servermetadata", "fileinto", "relational",
         "comparator-i;ascii-numeric", "variables"];
if metadata :is "INBOX" "/private/vendor/example/filing" "archive" {
    fileinto "Archive";
}
if metadataexists "INBOX" ["/private/comment", "/shared/comment"] {
    keep;
}
if servermetadata :matches "/shared/admin" "mailto:*" {
    set "admin" "${1}";
}
if allof (servermetadataexists "/private/vendor/example/spam-level",
          servermetadata :value "ge" :comparator "i;ascii-numeric"
              "/private/vendor/example/spam-level" "5") {
    fileinto "Junk";
}
