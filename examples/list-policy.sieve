# mailing-list-guard.sieve: the filter of a mailing list's posting address,
# run by sievec's milter during the SMTP dialogue. Whatever it rejects is
# refused with a 5xx reply before the message is accepted, so nothing is
# bounced later and the list never distributes it.
#
# Policy of the example list dev@lists.example.org:
#   1. messages over 512 KB are refused;
#   2. mail that SpamAssassin scored 5 or more is refused;
#   3. auto-replies and bounces sent to the list are dropped silently;
#   4. only subscribers may post (here: anyone at example.org and two
#      outside addresses); others are refused with a hint;
#   5. posts whose subject says they are off topic go to moderation.
require ["envelope", "fileinto", "reject", "relational",
         "comparator-i;ascii-numeric"];

# 1. Size first: the cheapest test, and it needs no header.
if size :over 512K {
    reject "Message too large for dev@lists.example.org (limit 512 KB).";
    stop;
}

# 2. SpamAssassin writes "X-Spam-Score: 7.3"; i;ascii-numeric compares the
#    leading digits, so "ge 5" catches 5.0 and above (RFC 5231). A value
#    without leading digits ("-0.4") counts as infinity (RFC 4790 9.1.1),
#    hence the guard against negative scores.
if anyof (allof (header :value "ge" :comparator "i;ascii-numeric"
                        "X-Spam-Score" "5",
                 not header :matches "X-Spam-Score" "-*"),
          header :is "X-Spam-Flag" "YES") {
    reject "Refused as spam by dev@lists.example.org.";
    stop;
}

# 3. Loops and auto-replies (RFC 3834): drop them without a reply.
if anyof (exists "Auto-Submitted",
          envelope :is "from" "",
          header :contains "Precedence" ["bulk", "junk", "auto_reply"]) {
    if not header :is "Auto-Submitted" "no" {
        discard;
        stop;
    }
}

# 4. Only subscribers post.
if not anyof (envelope :domain :is "from" "example.org",
              address :is "from" ["alice@research.example.net",
                                  "bob@partner.example.com"]) {
    reject text:
Only subscribers may post to dev@lists.example.org.
To subscribe, write to dev-join@lists.example.org.
.
;
    stop;
}

# 5. Subscribers' off-topic posts wait for a moderator.
if header :matches "Subject" ["[OT]*", "*off-topic*", "*off topic*"] {
    fileinto "moderation";
}
