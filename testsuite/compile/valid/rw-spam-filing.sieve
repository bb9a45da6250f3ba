require ["fileinto", "imap4flags", "relational", "comparator-i;ascii-numeric"];
# SpamAssassin / rspamd style headers.
if header :contains "X-Spam-Flag" "YES" {
  fileinto "Junk";
  stop;
}
if header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "8" {
  discard;
  stop;
}
if header :matches "X-Spam-Level" "\\*\\*\\*\\*\\**" {
  addflag "$Junk";
  fileinto "Junk";
  stop;
}
if anyof (header :contains "X-Spam-Status" "Yes,", header :is "X-Rspamd-Action" "add header") {
  fileinto "Junk";
}
