require ["mime", "variables", "extracttext", "foreverypart"];
# RFC 5703 7 example.
if header :mime :param "filename" :matches "Content-Disposition" "*.txt" {
  keep;
}
foreverypart {
  if header :mime :type "Content-Type" "text" {
    extracttext :first 100 "msgcontent";
    extracttext :lower :first 10 "lc";
    extracttext "all";
    if string :contains "${msgcontent}" "spam" { discard; }
  }
}
