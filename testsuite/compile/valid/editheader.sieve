require ["editheader", "variables"];
# RFC 5293 examples.
addheader "X-Source" "mta-filters mailing list";
addheader :last "X-Hello" "World";
deleteheader "X-Spam-Level";
deleteheader :is "X-Priority" "5";
deleteheader :contains "X-Loop" "example.org";
deleteheader :matches "Subject" "*[SPAM]*";
deleteheader :comparator "i;octet" "X-Tag" "Old";
if header :matches "Subject" "*" {
  addheader "X-Original-Subject" "${1}";
}
