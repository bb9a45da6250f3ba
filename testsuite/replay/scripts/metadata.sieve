# RFC 5490: metadata and servermetadata, answered by --metadata.
require ["mboxmetadata", "servermetadata", "fileinto", "variables"];
if metadata :matches "INBOX" "/private/vendor/example/folder" "*" {
    fileinto "${1}";
}
if servermetadataexists "/shared/admin" {
    fileinto "Admin";
}
