require ["foreverypart", "mime", "fileinto"];
# RFC 5703 3 example.
foreverypart {
  if allof (
      header :mime :param "filename" :contains "Content-Disposition" "important",
      header :mime :subtype "Content-Type" "pdf",
      size :over 100K) {
    fileinto "INBOX.important";
    break;
  }
}
