# 200 generated rules (testsuite/bench/gen-rules.sh 200 4242 fileinto)
require ["fileinto", "reject", "envelope", "relational",
         "comparator-i;ascii-numeric", "copy"];

# rules 1 to 100
if not anyof (header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "12",
        anyof (size :under 871,
        address :domain :contains "sender" ["example.org", "corp.example", "lists.example.org", "mail.example.com"],
        not exists ["X-Original-To", "List-Id"])) {
    fileinto "Lists/weekly33";
} elsif envelope :domain :is "from" ["example.net", "lists.example.org"] {
    fileinto "Archive/build49";
} else {
    fileinto :copy "Audit";
}
if size :under 668K {
    fileinto "Alerts/sale12";
}
if header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "4" {
    fileinto "Work/sale42";
}
if size :over 100K {
    fileinto "Spam/alert44";
}
if not anyof (address :all :matches "from" ["[report]*", "beta-?*", "*@lists.example.org"],
        header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "3",
        not exists ["To", "X-Original-To"]) {
    fileinto "Spam/beta47";
}
if header :contains "To" ["security", "weekly", "release"] {
    fileinto "Alerts/sale36";
}
if header :contains "Cc" "cron review" {
    fileinto "Archive/review45";
} elsif allof (not anyof (header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "4",
        address :domain :is ["to", "cc"] ["mail.example.com", "example.net"]),
        envelope :localpart :is "to" ["erin", "frank"],
        size :under 875M) {
    fileinto "Lists/release9";
} else {
    fileinto "Alerts/invoice22";
}
if size :under 829K {
    fileinto "Spam/offer23";
    stop;
}
if address :domain :contains ["to", "cc"] "example.net" {
    fileinto "Receipts/cron1";
} elsif anyof (address :all :contains "to" ["oscar@example.org", "mallory@example.net", "mallory@partner.example.net", "heidi@corp.example"],
        header :contains "To" ["report", "urgent", "backup", "offer"]) {
    fileinto "Spam/alert27";
} else {
    fileinto "INBOX.newsletter";
    stop;
}
if address :localpart :is "to" ["frank", "bob", "heidi"] {
    fileinto "Spam/urgent43";
}
if address :localpart :is "to" ["peggy", "alice"] {
    fileinto "Work/backup26";
} elsif size :under 656M {
    fileinto "Alerts/alert7";
} else {
    fileinto "INBOX.review";
    stop;
}
if header :contains ["X-Priority", "X-Original-To"] ["delta", "digest", "beta"] {
    fileinto :copy "Backup";
} elsif header :matches "From" "[sale]*" {
    fileinto "Alerts/weekly24";
} else {
    fileinto "Alerts/beta41";
}
if not anyof (not exists ["List-Id", "List-Id"],
        not anyof (header :contains "X-Original-To" ["build sale", "sale"],
        header :contains ["X-Priority", "Sender"] ["beta", "beta", "security gamma"])) {
    fileinto "Receipts/review32";
    stop;
}
if header :contains "From" ["alert", "gamma", "backup offer", "release"] {
    fileinto "Work/beta8";
}
if size :over 670 {
    fileinto "Spam/weekly37";
}
if header :contains "X-Mailer" ["gamma", "gamma meeting", "gamma", "digest"] {
    fileinto "Work/cron37";
    stop;
}
if exists ["Subject", "X-Priority"] {
    fileinto "Receipts/sale22";
} elsif address :domain :is ["to", "cc"] ["mail.example.com", "corp.example"] {
    fileinto "Archive/newsletter7";
} else {
    fileinto :copy "Audit";
}
if not anyof (header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "7",
        exists ["X-Original-To", "To"]) {
    fileinto "Spam/cron44";
} elsif header :matches "Sender" ["*heidi*", "*frank*"] {
    fileinto "Alerts/security28";
} else {
    fileinto "Lists/build36";
}
if not anyof (not anyof (header :is "To" "alert invoice",
        header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "10",
        not exists "X-Original-To"),
        size :under 523,
        address :localpart :is "sender" "erin") {
    fileinto :copy "Backup";
}
if not anyof (header :is "X-Original-To" ["digest", "alert delta", "build"],
        anyof (header :contains ["To", "Subject"] ["backup", "build"],
        envelope :all :is "from" ["heidi@corp.example", "bob@example.com", "alice@example.net", "victor@lists.example.org"])) {
    fileinto "Lists/sale8";
} elsif size :under 365K {
    fileinto "Work/report9";
} else {
    fileinto "Alerts/cron48";
}
if not anyof (address :domain :contains "to" ["corp.example", "example.org"],
        header :is "List-Id" "beta") {
    fileinto :copy "Audit";
} elsif envelope :localpart :is "to" ["erin", "walter"] {
    fileinto "INBOX.backup";
    stop;
} else {
    fileinto "Alerts/weekly22";
}
if allof (address :all :contains "to" "judy@shop.example",
        envelope :domain :is "to" ["example.net", "partner.example.net", "shop.example"]) {
    fileinto "Receipts/digest30";
}
if header :contains ["From", "Subject"] ["build cron", "alert meeting", "backup"] {
    fileinto "Alerts/report35";
}
if allof (envelope :domain :is "to" ["example.org", "partner.example.net", "example.com"],
        envelope :domain :is "from" "corp.example",
        not anyof (header :contains "To" ["invoice", "security", "beta", "alert"],
        not exists "X-Original-To",
        exists ["Sender", "Sender"])) {
    fileinto "Work/meeting47";
    stop;
}
if address :all :contains "to" "judy@corp.example" {
    fileinto "Archive/alpha40";
}
if address :domain :is ["to", "cc"] ["example.net", "example.com"] {
    fileinto "Alerts/urgent13";
}
if exists "Sender" {
    fileinto "Lists/alert49";
}
if address :localpart :is "from" ["alice", "alice", "oscar"] {
    fileinto :copy "Backup";
    stop;
}
if address :localpart :matches ["to", "cc"] ["*@corp.example", "*cron*", "*review*"] {
    fileinto "Spam/alert38";
}
if header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "10" {
    fileinto "Work/review3";
}
if header :contains "Subject" ["alpha", "release", "digest"] {
    fileinto "Receipts/security38";
}
if envelope :all :is "from" ["dave@example.com", "victor@mail.example.com", "oscar@shop.example", "judy@example.org"] {
    fileinto "Archive/sale34";
    stop;
}
if not anyof (allof (envelope :localpart :is "to" "mallory",
        address :localpart :matches "from" ["*digest*", "*peggy*", "[alert]*", "*@shop.example"]),
        allof (exists "X-Priority",
        header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "5")) {
    fileinto "Lists/report32";
}
if address :localpart :contains "from" "alice" {
    fileinto "Lists/backup47";
} elsif address :domain :matches "from" "*@example.net" {
    fileinto "INBOX.digest";
    stop;
} else {
    fileinto "Receipts/build24";
}
if header :contains "Cc" ["report sale", "delta", "alpha", "meeting gamma"] {
    fileinto "Receipts/review12";
}
if exists ["To", "X-Priority"] {
    fileinto "Lists/cron21";
}
if anyof (anyof (not exists ["List-Id", "Reply-To"],
        address :domain :matches "sender" "[newsletter]*"),
        address :all :is ["to", "cc"] ["peggy@example.com", "walter@lists.example.org", "oscar@corp.example"],
        header :contains ["From", "List-Id"] ["report", "beta"]) {
    fileinto "Spam/invoice16";
    stop;
}
if allof (envelope :localpart :is "from" ["mallory", "walter", "oscar", "ivan"],
        anyof (header :matches "Cc" ["[beta]*", "*release*"],
        header :matches "Sender" ["sale-?*", "beta-?*", "*@shop.example", "*review*"])) {
    fileinto "Lists/cron16";
}
if allof (address :domain :is "to" ["shop.example", "partner.example.net", "mail.example.com"],
        address :domain :matches "to" "*meeting*") {
    fileinto "INBOX.alert";
    stop;
}
if header :matches ["From", "Cc"] ["[meeting]*", "*alpha*", "*sale*", "offer-?*"] {
    fileinto :copy "Backup";
}
if header :contains ["To", "X-Priority"] ["offer", "review"] {
    fileinto "Spam/beta43";
}
if header :is "List-Id" ["newsletter", "security", "build"] {
    fileinto "Archive/delta34";
}
if header :contains "X-Priority" ["build", "alpha"] {
    fileinto "INBOX.digest";
    stop;
    stop;
}
if header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "4" {
    fileinto :copy "Audit";
    stop;
}
if not exists "X-Original-To" {
    fileinto "Spam/cron11";
}
if address :domain :contains ["to", "cc"] ["example.com", "partner.example.net"] {
    fileinto "Alerts/alert20";
}
if header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "11" {
    fileinto "INBOX.delta";
    stop;
}
if size :over 445K {
    fileinto "Archive/newsletter44";
}
if not anyof (header :is "List-Id" ["alert backup", "newsletter", "sale"],
        address :localpart :matches "from" ["*heidi*", "*@example.net", "*@partner.example.net", "newsletter-?*"]) {
    fileinto "Receipts/alert35";
    stop;
}
if allof (not anyof (header :matches ["To", "Subject"] ["alpha-?*", "*urgent*", "*@example.net"],
        header :contains ["From", "Reply-To"] ["invoice", "meeting gamma", "alpha"],
        address :all :matches ["to", "cc"] ["*oscar*", "delta-?*", "[alert]*"]),
        address :all :contains "from" ["judy@lists.example.org", "heidi@partner.example.net", "mallory@lists.example.org", "carol@lists.example.org"]) {
    fileinto "Receipts/digest18";
}
if exists ["Sender", "Cc"] {
    fileinto "Lists/offer29";
} elsif address :domain :is "sender" ["lists.example.org", "example.net", "shop.example"] {
    fileinto "INBOX.weekly";
    stop;
} else {
    fileinto :copy "Backup";
}
if size :under 850M {
    fileinto "Work/newsletter8";
} elsif address :all :matches "from" ["gamma-?*", "[delta]*"] {
    fileinto :copy "Backup";
} else {
    fileinto :copy "Backup";
}
if header :contains ["X-Original-To", "Sender"] ["sale", "beta alert", "gamma", "offer"] {
    fileinto :copy "Audit";
} elsif not exists ["X-Priority", "From"] {
    fileinto "Archive/meeting3";
} else {
    fileinto "Archive/beta34";
}
if address :localpart :is "from" "grace" {
    fileinto "Alerts/alpha38";
}
if envelope :all :is "to" ["grace@example.com", "trent@example.org", "victor@corp.example"] {
    fileinto "INBOX.review";
    stop;
    stop;
}
if address :all :contains "from" "bob@example.org" {
    fileinto "Alerts/meeting10";
} elsif not anyof (allof (address :domain :is "to" ["mail.example.com", "example.com"],
        address :all :matches ["to", "cc"] "*trent*"),
        exists "From") {
    fileinto "Alerts/review6";
} else {
    fileinto "INBOX.alpha";
    stop;
}
if allof (not anyof (address :domain :is "sender" ["shop.example", "corp.example", "example.org", "mail.example.com"],
        header :contains "From" ["cron", "invoice"]),
        header :matches "Subject" "*beta*",
        header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "9") {
    fileinto "Alerts/offer3";
} elsif header :contains "To" ["meeting invoice", "urgent urgent"] {
    fileinto :copy "Audit";
} else {
    fileinto "Work/newsletter39";
}
if not anyof (header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "11",
        size :over 229K,
        not anyof (header :is ["To", "Reply-To"] ["delta", "alpha beta", "digest", "delta"],
        header :matches "X-Priority" ["*report*", "*@shop.example", "*build*", "weekly-?*"],
        header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "10")) {
    fileinto :copy "Backup";
}
if address :domain :is "to" ["example.net", "shop.example", "lists.example.org"] {
    fileinto "Spam/review8";
}
if exists ["To", "From"] {
    fileinto "Lists/sale32";
}
if size :over 178K {
    fileinto "Work/invoice30";
}
if header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "5" {
    fileinto "INBOX.digest";
    stop;
}
if not anyof (address :domain :is "to" ["example.org", "mail.example.com", "partner.example.net", "example.com"],
        exists ["Reply-To", "X-Priority"]) {
    fileinto "Alerts/weekly43";
}
if header :is ["To", "Subject"] ["gamma", "digest report"] {
    fileinto "INBOX.report";
    stop;
    stop;
}
if address :domain :matches "from" ["beta-?*", "*review*"] {
    fileinto "Archive/digest36";
    stop;
}
if anyof (header :contains "Cc" ["sale", "report report", "backup", "beta invoice"],
        address :localpart :matches ["to", "cc"] ["*walter*", "*invoice*", "[security]*"],
        header :matches "List-Id" ["[security]*", "gamma-?*"]) {
    fileinto "Lists/gamma21";
} elsif header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "5" {
    fileinto "Archive/beta6";
} else {
    fileinto :copy "Backup";
}
if size :under 603M {
    fileinto :copy "Audit";
}
if address :all :is "from" ["ivan@corp.example", "carol@corp.example", "victor@partner.example.net", "grace@example.com"] {
    fileinto "INBOX.weekly";
    stop;
}
if address :all :matches "from" "*security*" {
    fileinto "Spam/gamma32";
    stop;
}
if anyof (anyof (header :contains "Subject" ["invoice", "review"],
        header :is "X-Mailer" ["security", "build", "urgent", "meeting"],
        exists "Subject"),
        header :matches "List-Id" "*@example.net",
        anyof (address :domain :matches "to" "[backup]*",
        header :contains ["Reply-To", "X-Original-To"] ["review review", "urgent"],
        header :contains "Sender" ["alpha", "delta", "release", "backup"])) {
    fileinto "Work/alert28";
}
if not exists ["List-Id", "List-Id"] {
    fileinto :copy "Audit";
    stop;
}
if allof (anyof (exists ["List-Id", "X-Priority"],
        size :over 441M),
        address :domain :matches "sender" ["*trent*", "*bob*", "[backup]*", "[cron]*"],
        header :is "X-Priority" ["beta", "alert review", "alpha build"]) {
    fileinto "Alerts/newsletter34";
}
if not anyof (header :matches "X-Priority" ["*newsletter*", "[gamma]*"],
        address :domain :contains "to" ["shop.example", "mail.example.com", "lists.example.org"]) {
    fileinto "Lists/urgent23";
}
if not exists ["Sender", "X-Priority"] {
    fileinto "Receipts/invoice33";
}
if allof (header :matches "To" ["[delta]*", "[gamma]*", "[invoice]*", "*newsletter*"],
        header :matches ["X-Original-To", "X-Mailer"] ["[digest]*", "*cron*", "security-?*", "[invoice]*"]) {
    fileinto :copy "Backup";
}
if address :domain :contains "from" ["example.com", "example.net", "lists.example.org", "shop.example"] {
    fileinto "Lists/cron46";
}
if anyof (allof (not exists ["Sender", "X-Priority"],
        envelope :localpart :is "to" ["heidi", "victor", "bob", "mallory"]),
        envelope :domain :is "from" ["partner.example.net", "corp.example", "example.org"]) {
    fileinto "INBOX.invoice";
    stop;
}
if header :contains ["Subject", "List-Id"] "digest security" {
    fileinto "INBOX.review";
    stop;
}
if exists ["Sender", "X-Original-To"] {
    fileinto "Receipts/review16";
}
if exists "To" {
    fileinto "Lists/invoice8";
}
if address :domain :contains "to" "corp.example" {
    fileinto "Spam/delta37";
}
if not anyof (header :contains "Subject" ["report", "newsletter urgent", "backup digest"],
        exists "List-Id") {
    fileinto "Alerts/beta9";
}
if envelope :localpart :is "from" "dave" {
    fileinto "Archive/newsletter20";
}
if header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "8" {
    fileinto "Lists/newsletter30";
    stop;
}
# rules 101 to 200
if header :is "X-Priority" ["meeting", "security sale"] {
    fileinto "Work/beta22";
}
if not exists "Cc" {
    fileinto "INBOX.release";
    stop;
    stop;
}
if anyof (address :domain :contains "sender" ["partner.example.net", "mail.example.com"],
        not anyof (address :all :contains "sender" ["ivan@lists.example.org", "victor@shop.example", "dave@example.org"],
        exists "Sender"),
        address :localpart :is "to" ["peggy", "frank", "oscar", "oscar"]) {
    fileinto :copy "Backup";
}
if size :under 759K {
    fileinto "Alerts/invoice28";
} elsif not exists ["Cc", "From"] {
    fileinto "Receipts/security17";
} else {
    fileinto "Lists/report29";
}
if header :contains "To" ["gamma", "sale"] {
    fileinto :copy "Backup";
}
if address :localpart :matches "to" ["[security]*", "*@example.net", "*@example.org", "*frank*"] {
    fileinto "INBOX.alert";
    stop;
}
if envelope :all :is "to" ["oscar@partner.example.net", "victor@mail.example.com"] {
    fileinto "Spam/review35";
}
if not anyof (allof (address :localpart :is "to" ["victor", "erin", "bob"],
        not exists ["To", "Cc"],
        header :is ["X-Original-To", "To"] ["offer", "review"]),
        header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "11",
        header :is ["From", "Subject"] ["gamma", "digest"]) {
    fileinto "Alerts/release48";
    stop;
}
if header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "6" {
    fileinto "INBOX.delta";
    stop;
}
if allof (anyof (address :localpart :is "sender" ["peggy", "oscar"],
        address :domain :matches "from" ["digest-?*", "*sale*", "invoice-?*"]),
        header :is "Sender" ["review weekly", "offer", "build"],
        header :matches "Sender" ["weekly-?*", "*newsletter*"]) {
    fileinto :copy "Audit";
}
if address :domain :contains "to" "shop.example" {
    fileinto "Lists/offer36";
}
if header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "12" {
    fileinto "Receipts/report2";
} elsif address :all :is "sender" ["ivan@corp.example", "judy@example.org"] {
    fileinto "INBOX.security";
    stop;
} else {
    fileinto :copy "Backup";
}
if not exists ["Cc", "List-Id"] {
    fileinto "Alerts/meeting16";
}
if header :is "X-Mailer" "sale" {
    fileinto "Alerts/review44";
}
if size :over 92K {
    fileinto "Lists/weekly31";
}
if allof (not anyof (header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "8",
        size :over 469K,
        address :domain :is ["to", "cc"] ["corp.example", "lists.example.org"]),
        address :domain :contains "sender" ["mail.example.com", "example.com"],
        header :contains "To" ["backup", "backup", "meeting"]) {
    fileinto "Work/security5";
}
if header :contains ["X-Original-To", "X-Mailer"] ["alert", "delta"] {
    fileinto "Archive/meeting37";
} elsif header :is "From" ["review", "review", "urgent", "newsletter"] {
    fileinto "Spam/review45";
} else {
    fileinto "Spam/gamma0";
}
if size :over 90M {
    fileinto "Archive/backup38";
} elsif header :contains ["Reply-To", "Cc"] ["report", "newsletter", "report delta", "invoice"] {
    fileinto "Receipts/security36";
} else {
    fileinto "Lists/urgent17";
}
if header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "6" {
    fileinto "Spam/alert12";
}
if address :domain :matches "to" ["*@partner.example.net", "*carol*", "invoice-?*"] {
    fileinto "Receipts/invoice38";
}
if envelope :all :is "to" ["ivan@mail.example.com", "frank@lists.example.org", "dave@shop.example", "heidi@example.org"] {
    fileinto "Work/newsletter18";
    stop;
}
if header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "12" {
    fileinto "Spam/security36";
} elsif not anyof (address :all :is "from" "carol@partner.example.net",
        anyof (address :all :is "from" ["peggy@example.org", "frank@shop.example", "mallory@corp.example"],
        header :contains ["List-Id", "Reply-To"] ["sale", "gamma"],
        address :domain :is "from" "example.com")) {
    fileinto "Lists/delta10";
} else {
    fileinto "Receipts/meeting35";
}
if not anyof (header :contains "X-Priority" ["weekly", "digest", "invoice", "review"],
        not anyof (envelope :domain :is "from" ["mail.example.com", "corp.example"],
        header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "3",
        header :contains ["List-Id", "Sender"] ["weekly build", "release"])) {
    fileinto "Alerts/release24";
} elsif envelope :domain :is "to" "lists.example.org" {
    fileinto "Work/report6";
} else {
    fileinto "Alerts/delta7";
}
if header :contains ["X-Priority", "Subject"] ["alpha", "gamma delta", "gamma"] {
    fileinto "Lists/offer23";
}
if envelope :localpart :is "to" ["erin", "peggy", "walter", "mallory"] {
    fileinto "INBOX.alpha";
    stop;
} elsif address :all :contains "sender" ["frank@corp.example", "heidi@mail.example.com", "victor@lists.example.org"] {
    fileinto "Receipts/invoice22";
} else {
    fileinto "Spam/urgent15";
}
if header :is "X-Priority" ["invoice", "backup alert", "release"] {
    fileinto "Alerts/invoice43";
    stop;
}
if not exists ["Subject", "Reply-To"] {
    fileinto :copy "Audit";
}
if envelope :localpart :is "from" ["peggy", "peggy", "judy"] {
    fileinto "Lists/urgent5";
}
if header :is "X-Priority" "delta" {
    fileinto "Alerts/invoice20";
}
if anyof (header :contains "From" ["alpha", "weekly"],
        header :contains "Cc" ["urgent", "invoice", "report beta", "review backup"],
        address :all :is ["to", "cc"] ["ivan@shop.example", "alice@mail.example.com", "heidi@partner.example.net", "erin@example.org"]) {
    fileinto :copy "Audit";
    stop;
}
if allof (not exists ["Reply-To", "To"],
        header :contains ["X-Original-To", "Sender"] "security",
        allof (size :over 149K,
        header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "11")) {
    fileinto "INBOX.build";
    stop;
}
if allof (allof (envelope :domain :is "from" ["example.com", "partner.example.net", "mail.example.com"],
        header :contains ["Sender", "Cc"] ["security release", "backup security", "delta", "security"]),
        header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "10") {
    fileinto "Lists/meeting48";
}
if envelope :localpart :is "from" ["ivan", "alice", "trent", "victor"] {
    fileinto :copy "Backup";
}
if exists "Reply-To" {
    fileinto "Receipts/gamma28";
} elsif address :localpart :is "to" ["bob", "carol", "grace"] {
    fileinto "INBOX.invoice";
    stop;
} else {
    fileinto "INBOX.offer";
    stop;
}
if header :contains "Cc" ["alpha", "urgent"] {
    fileinto :copy "Audit";
} elsif allof (not anyof (address :domain :is "from" ["lists.example.org", "mail.example.com", "example.com"],
        not exists "From",
        not exists "Subject"),
        not exists "Subject",
        address :domain :is "sender" "partner.example.net") {
    fileinto "Lists/meeting45";
} else {
    fileinto "INBOX.meeting";
    stop;
}
if size :under 812M {
    fileinto "INBOX.sale";
    stop;
    stop;
}
if header :contains "To" ["alpha", "urgent"] {
    fileinto "INBOX.beta";
    stop;
    stop;
}
if size :over 249K {
    fileinto "INBOX.backup";
    stop;
}
if anyof (allof (address :localpart :contains "to" ["erin", "erin", "trent"],
        header :contains "X-Mailer" ["alpha security", "release delta", "invoice backup", "cron"]),
        anyof (not exists "Sender",
        exists ["To", "List-Id"]),
        header :matches "Subject" ["[review]*", "[weekly]*"]) {
    fileinto "INBOX.digest";
    stop;
    stop;
}
if header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "5" {
    fileinto :copy "Audit";
    stop;
}
if size :under 461K {
    fileinto "Spam/review24";
    stop;
}
if anyof (header :contains ["X-Priority", "X-Original-To"] "digest",
        anyof (envelope :domain :is "to" "example.com",
        header :contains "Reply-To" ["gamma", "gamma", "meeting"],
        address :domain :contains "sender" ["partner.example.net", "example.net", "shop.example", "example.org"])) {
    fileinto :copy "Audit";
}
if header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "8" {
    fileinto "INBOX.alpha";
    stop;
    stop;
}
if allof (not exists "X-Priority",
        address :all :is "sender" "heidi@corp.example") {
    fileinto "Lists/urgent5";
}
if address :domain :is "to" "example.org" {
    fileinto "INBOX.review";
    stop;
    stop;
}
if header :is ["List-Id", "From"] ["urgent invoice", "release", "alert review", "alpha"] {
    fileinto :copy "Backup";
    stop;
}
if address :domain :contains ["to", "cc"] "example.net" {
    fileinto "Lists/review38";
}
if envelope :all :is "from" ["frank@example.org", "grace@partner.example.net", "peggy@corp.example"] {
    fileinto "INBOX.gamma";
    stop;
}
if address :domain :is "sender" ["lists.example.org", "shop.example"] {
    fileinto "Spam/review33";
    stop;
}
if address :domain :matches "from" ["*@lists.example.org", "*frank*"] {
    fileinto :copy "Backup";
}
if address :domain :matches "from" ["*peggy*", "*release*"] {
    fileinto "INBOX.report";
    stop;
}
if not anyof (not exists "Reply-To",
        address :all :is "sender" "erin@example.org") {
    fileinto "Archive/review31";
}
if header :is "List-Id" ["release", "sale"] {
    fileinto "Archive/offer6";
    stop;
}
if address :all :matches "from" "offer-?*" {
    fileinto "Alerts/alpha45";
    stop;
}
if not anyof (address :localpart :contains "to" "trent",
        header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "11") {
    fileinto "Work/alpha8";
}
if address :all :contains ["to", "cc"] ["alice@example.com", "judy@example.com", "ivan@partner.example.net"] {
    fileinto "Spam/beta11";
    stop;
}
if not anyof (anyof (header :matches "Subject" ["*@corp.example", "meeting-?*", "*carol*", "*@lists.example.org"],
        header :contains "X-Mailer" ["backup", "gamma"]),
        anyof (header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "9",
        header :contains "X-Original-To" ["sale", "meeting release"],
        header :is "Sender" ["newsletter", "gamma sale", "backup", "delta"]),
        anyof (header :contains "Cc" "urgent",
        header :contains ["From", "X-Mailer"] "invoice release")) {
    fileinto "Receipts/digest10";
    stop;
}
if not exists ["X-Original-To", "Reply-To"] {
    fileinto "Receipts/invoice19";
}
if header :matches ["Reply-To", "Sender"] "beta-?*" {
    fileinto "Alerts/review30";
    stop;
}
if header :is "To" ["weekly alpha", "build cron", "urgent cron", "beta"] {
    fileinto "Receipts/security0";
}
if address :localpart :matches "to" ["invoice-?*", "*alpha*", "*@mail.example.com", "*erin*"] {
    fileinto "Archive/newsletter34";
    stop;
}
if allof (address :localpart :contains "to" ["alice", "erin"],
        header :contains "From" ["sale", "build sale", "report", "backup"]) {
    fileinto "INBOX.offer";
    stop;
}
if address :localpart :is "from" "frank" {
    fileinto "Receipts/release3";
}
if allof (not anyof (header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "9",
        header :is "X-Original-To" ["delta beta", "offer build", "cron gamma", "backup"]),
        exists "To") {
    fileinto :copy "Backup";
} elsif header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "3" {
    fileinto "INBOX.gamma";
    stop;
} else {
    fileinto "Lists/meeting6";
}
if address :domain :contains "sender" "example.net" {
    fileinto :copy "Audit";
    stop;
}
if envelope :all :is "from" ["peggy@shop.example", "trent@example.org", "mallory@example.org"] {
    fileinto "Work/urgent20";
}
if header :contains ["From", "X-Mailer"] ["invoice", "offer"] {
    fileinto "INBOX.beta";
    stop;
}
if anyof (address :domain :is ["to", "cc"] ["corp.example", "example.com", "shop.example", "lists.example.org"],
        allof (header :contains "X-Original-To" "review",
        header :is "X-Mailer" ["report report", "sale", "alert"])) {
    fileinto :copy "Audit";
}
if header :matches ["Reply-To", "List-Id"] ["*@example.net", "*@partner.example.net"] {
    fileinto "Spam/alpha4";
}
if header :is ["Sender", "X-Original-To"] ["newsletter", "invoice meeting", "meeting delta"] {
    fileinto "Lists/build34";
    stop;
}
if not exists ["From", "Subject"] {
    fileinto "Spam/weekly28";
}
if size :over 450 {
    fileinto "INBOX.sale";
    stop;
}
if not anyof (header :matches ["List-Id", "X-Original-To"] ["*@partner.example.net", "alert-?*", "*mallory*"],
        header :is "Subject" "release review") {
    fileinto "Receipts/delta45";
    stop;
}
if allof (address :localpart :contains "to" "oscar",
        header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "3",
        not anyof (envelope :domain :is "from" ["partner.example.net", "partner.example.net", "example.net", "mail.example.com"],
        envelope :localpart :is "from" ["grace", "erin", "walter"],
        not exists "List-Id")) {
    fileinto :copy "Audit";
    stop;
}
if header :matches "Reply-To" ["build-?*", "[cron]*", "[sale]*", "*release*"] {
    fileinto :copy "Backup";
}
if not exists "X-Priority" {
    fileinto "Archive/alpha27";
}
if header :matches "Reply-To" "*review*" {
    fileinto "Lists/weekly4";
} elsif header :contains "Cc" "cron weekly" {
    fileinto "Work/gamma5";
} else {
    fileinto "Work/delta41";
}
if address :localpart :is "sender" "judy" {
    fileinto "Alerts/alpha24";
}
if address :domain :contains ["to", "cc"] ["corp.example", "example.net", "partner.example.net"] {
    fileinto "INBOX.offer";
    stop;
}
if allof (size :over 740K,
        not anyof (envelope :all :is "to" ["erin@example.com", "oscar@partner.example.net"],
        not exists "Sender"),
        exists "To") {
    fileinto "Alerts/weekly47";
}
if header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "10" {
    fileinto "Alerts/invoice14";
}
if exists ["Cc", "From"] {
    fileinto "Spam/weekly6";
}
if envelope :localpart :is "to" ["ivan", "heidi", "mallory", "trent"] {
    fileinto "Spam/meeting20";
    stop;
}
if address :domain :is "from" ["example.org", "example.org"] {
    fileinto "Receipts/urgent14";
}
if not anyof (address :domain :contains "from" ["partner.example.net", "example.net", "lists.example.org", "mail.example.com"],
        exists "To",
        header :is ["X-Original-To", "X-Priority"] ["alert urgent", "sale release", "beta"]) {
    fileinto "Lists/sale45";
}
if size :under 522 {
    fileinto "Archive/offer35";
}
if anyof (size :over 420,
        header :contains "Sender" ["digest", "alert beta", "review"]) {
    fileinto "Alerts/backup7";
}
if envelope :all :is "to" ["peggy@lists.example.org", "mallory@partner.example.net", "victor@partner.example.net"] {
    fileinto :copy "Backup";
}
if address :localpart :is "from" ["dave", "frank"] {
    fileinto "Spam/release19";
}
