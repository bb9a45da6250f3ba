require ["envelope", "subaddress", "fileinto", "reject"];
if envelope :detail :is "to" ["shop", "newsletter", "forum"] {
  fileinto "Plus";
} elsif envelope :detail :is "to" "leaked" {
  reject "This address was leaked and is closed.";
}
