require ["editheader", "variables", "spamtest", "relational", "comparator-i;ascii-numeric"];
if spamtest :value "ge" :comparator "i;ascii-numeric" "5" {
  if header :matches "Subject" "*" {
    deleteheader "Subject";
    addheader :last "Subject" "[SPAM] ${1}";
  }
  addheader "X-Spam-Tagged" "yes";
}
