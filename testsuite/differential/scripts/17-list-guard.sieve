require ["reject"];
if header :contains "X-Spam-Level" "++++++++++" {
  reject "This message was evaluated as spam and was not delivered, you can contact us via listname-request@example.org";
}
if size :over 1024k { reject "Mails bigger than 1MB are not permitted on this mailing list."; }
if not header :is "From" ["peter@example.org", "maaike", "wiebke", "tobias"] {
  reject "You are not allowed to post to this list";
}
