# Spam-level rules as a SpamAssassin user writes them: stars in
# X-Spam-Level, the score in X-Spam-Score / X-Spam-Status, the flag.
require ["copy", "fileinto", "relational", "comparator-i;ascii-numeric"];

if header :contains "X-Spam-Level" "**********" {
    discard;
    stop;
}
if anyof (header :is :comparator "i;ascii-casemap" "X-Spam-Flag" "yes",
          header :contains "X-Spam-Level" "*****",
          header :matches "X-Spam-Status" "Yes,*") {
    fileinto "Junk";
    stop;
}
if allof (header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "3",
          not header :matches "X-Spam-Score" "-*") {
    fileinto "Junk.maybe";
}
if header :matches "X-Spam-Status" "No, hits=-*" {
    fileinto "Ham.sure";
}
# Without a spam filter's fields: the usual signs in the header.
if anyof (header :contains "Subject" ["$$$", "!!!", "FREE", "ADV:", "mortgage", "viagra"],
          header :matches "X-Priority" "1*",
          header :is :comparator "i;ascii-casemap" "X-MSMail-Priority" "High") {
    fileinto "Junk.suspect";
}
if header :count "ge" :comparator "i;ascii-numeric" "To" "2" {
    fileinto :copy "Junk.multi-to";
}
