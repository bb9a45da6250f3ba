# 50 generated rules (testsuite/bench/gen-rules.sh 50 12345 header)
require "fileinto";

# rules 1 to 100
if allof (header :is ["X-Priority", "X-Mailer"] ["offer delta", "meeting", "alert report", "alpha delta"],
        allof (not exists "X-Original-To",
        header :contains "From" ["report", "weekly", "beta", "digest"]),
        header :contains "To" "alert security") {
    fileinto "Spam/release18";
} elsif header :contains "From" ["beta", "delta", "weekly"] {
    fileinto "Work/beta7";
} else {
    discard;
}
if header :contains ["To", "X-Mailer"] "review" {
    fileinto "Work/digest8";
} elsif address :domain :matches "sender" ["report-?*", "*security*", "alpha-?*"] {
    fileinto "Spam/beta34";
} else {
    fileinto "Receipts/review46";
}
if address :domain :is "sender" ["lists.example.org", "example.org"] {
    fileinto "Work/offer1";
}
if not exists "From" {
    fileinto "Alerts/build44";
    stop;
}
if header :contains ["Sender", "Reply-To"] ["security", "weekly", "invoice", "build"] {
    fileinto "Work/review42";
    stop;
}
if address :domain :is "from" ["mail.example.com", "mail.example.com", "example.org", "example.com"] {
    fileinto "Lists/gamma12";
} elsif not exists "Cc" {
    fileinto "Work/meeting5";
} else {
    fileinto "INBOX.weekly";
    stop;
}
if anyof (header :contains "X-Mailer" "backup",
        anyof (size :over 775,
        header :contains "From" ["digest", "review meeting", "weekly"]),
        size :under 803K) {
    discard;
} elsif header :contains "Subject" ["digest release", "build alert", "review"] {
    fileinto "Lists/release44";
} else {
    discard;
}
if address :all :is "to" ["mallory@corp.example", "carol@corp.example", "heidi@example.com"] {
    fileinto "Spam/beta43";
    stop;
}
if header :contains "Cc" ["alpha", "invoice", "urgent", "alert"] {
    fileinto "Work/invoice2";
} elsif header :is ["To", "Reply-To"] "newsletter" {
    fileinto "Work/sale20";
} else {
    fileinto "Archive/meeting10";
}
if not exists ["Sender", "X-Mailer"] {
    discard;
    stop;
}
if header :is ["Subject", "X-Priority"] ["review", "backup newsletter", "gamma invoice", "build"] {
    fileinto "INBOX.newsletter";
    stop;
}
if anyof (not anyof (size :under 364,
        header :contains "X-Priority" "weekly build"),
        not anyof (header :contains "List-Id" ["sale", "weekly"],
        header :is "Reply-To" "gamma"),
        exists "Cc") {
    fileinto "Archive/beta7";
}
if header :contains "Cc" ["newsletter alert", "backup backup"] {
    fileinto "Receipts/report35";
}
if not exists ["Reply-To", "List-Id"] {
    fileinto "Lists/report49";
}
if header :contains "To" ["report", "invoice alpha", "offer"] {
    fileinto "Work/cron13";
}
if address :domain :is "from" ["partner.example.net", "example.com", "corp.example"] {
    fileinto "Alerts/alpha19";
}
if header :contains "X-Original-To" ["digest", "build", "build weekly"] {
    discard;
}
if header :contains "Cc" ["beta", "release", "urgent"] {
    fileinto "Archive/newsletter17";
    stop;
}
if address :localpart :is "from" ["walter", "mallory"] {
    fileinto "Spam/invoice18";
    stop;
}
if header :contains ["X-Priority", "List-Id"] ["alpha urgent", "cron alpha", "report", "alpha"] {
    fileinto "Alerts/security6";
    stop;
}
if address :domain :contains "sender" ["corp.example", "mail.example.com"] {
    fileinto "Alerts/review47";
}
if header :contains "List-Id" ["report", "beta"] {
    fileinto "Alerts/newsletter18";
}
if header :contains "Cc" "sale" {
    discard;
}
if address :domain :contains "from" ["partner.example.net", "example.com", "example.net"] {
    fileinto "Work/alpha35";
}
if anyof (header :contains ["X-Original-To", "Reply-To"] "beta",
        address :domain :contains ["to", "cc"] ["example.net", "lists.example.org", "mail.example.com"],
        anyof (exists ["X-Original-To", "From"],
        header :matches ["Reply-To", "Cc"] ["*@example.net", "*build*", "[review]*"],
        header :matches "From" ["beta-?*", "*walter*", "*@corp.example"])) {
    fileinto "Receipts/urgent13";
}
if not exists ["Reply-To", "Cc"] {
    keep;
}
if header :matches "Subject" ["*@mail.example.com", "*@lists.example.org", "[sale]*"] {
    keep;
}
if header :is ["To", "X-Mailer"] "urgent" {
    fileinto "Alerts/delta38";
}
if size :over 208K {
    fileinto "Work/release1";
}
if address :all :is "to" ["frank@lists.example.org", "carol@shop.example", "carol@mail.example.com"] {
    discard;
    stop;
}
if header :matches ["Sender", "X-Original-To"] "*@example.com" {
    fileinto "Spam/review36";
}
if size :over 291K {
    fileinto "Lists/offer29";
} elsif exists ["Sender", "Cc"] {
    fileinto "Work/gamma37";
} else {
    fileinto "Lists/delta33";
}
if anyof (anyof (header :is "X-Mailer" ["invoice", "digest digest", "review backup"],
        header :is "Subject" ["weekly", "offer"]),
        anyof (address :all :is "to" ["peggy@corp.example", "trent@lists.example.org"],
        header :contains ["List-Id", "Sender"] ["offer sale", "weekly release"],
        exists "From")) {
    fileinto "Archive/offer24";
}
if header :contains "X-Priority" ["report", "invoice report", "release"] {
    discard;
    stop;
}
if header :contains "Reply-To" ["review", "alpha"] {
    fileinto "Work/sale19";
}
if address :localpart :is ["to", "cc"] ["victor", "alice", "erin", "judy"] {
    fileinto "Alerts/security11";
}
if address :localpart :is "from" ["peggy", "judy"] {
    discard;
    stop;
}
if allof (header :is "Cc" "release",
        address :all :matches "from" ["*@shop.example", "*mallory*"]) {
    fileinto "Receipts/delta28";
    stop;
}
if header :is ["To", "List-Id"] ["newsletter", "gamma digest"] {
    fileinto "Spam/cron42";
}
if header :contains "Cc" "report cron" {
    fileinto "Lists/alert13";
    stop;
}
if header :contains ["Cc", "X-Priority"] ["report alert", "newsletter", "alert", "invoice"] {
    fileinto "Receipts/urgent19";
}
if header :contains "To" "newsletter" {
    fileinto "Work/newsletter4";
}
if not anyof (exists ["X-Priority", "Reply-To"],
        header :contains ["List-Id", "To"] ["digest", "backup", "sale"]) {
    discard;
}
if header :contains "X-Original-To" "release invoice" {
    fileinto "Alerts/report9";
}
