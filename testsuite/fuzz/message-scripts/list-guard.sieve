# fuzz_message script 3: a realistic list policy mixing header, address,
# envelope and size tests with every action and the action conflicts.
require ["envelope", "fileinto", "reject", "ereject", "relational", "copy",
         "comparator-i;ascii-numeric", "variables"];

if size :over 512K { ereject "too large"; stop; }
if anyof (allof (header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "5",
                 not header :matches "X-Spam-Score" "-*"),
          header :is "X-Spam-Flag" "YES") {
    reject "spam";
}
if anyof (exists "Auto-Submitted", envelope :is "from" "",
          header :contains "Precedence" ["bulk", "junk", "auto_reply"]) {
    discard;
    stop;
}
if not anyof (envelope :domain :is "from" "example.org",
              address :is "from" ["alice@example.net", "bob@example.com"]) {
    redirect "moderator@example.org";
    redirect :copy "archive@example.org";
}
if header :matches "Subject" ["[OT]*", "*off-topic*"] { fileinto "moderation"; keep; }
