require "fileinto";
if header :contains "Subject" ["Grüße", "日本語", "Ελληνικά", "😀"] {
  fileinto "Überall/Ärger";
}
