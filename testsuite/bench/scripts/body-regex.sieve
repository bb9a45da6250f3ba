# body-regex.sieve: a spam and list filter that reads message bodies and
# uses regular expressions, as a user with a hand-kept rule file has it.
# Benchmark script for testsuite/bench/compare.sh (the body floor applies:
# the filter reads every byte of many messages). Written by hand.
require ["fileinto", "body", "regex", "variables", "envelope", "copy",
         "relational", "comparator-i;ascii-numeric", "subaddress"];

# Scores the upstream filter left behind.
if header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "8" {
    fileinto "Spam/high";
    stop;
}
if header :regex "X-Spam-Status" "^Yes,[[:space:]]*(score|hits)=[0-9]+" {
    fileinto "Spam/flagged";
    stop;
}

# Classic spam phrases in the text parts.
if body :text :contains ["click here to be removed", "this is not spam",
                         "100% free", "act now", "limited time offer",
                         "earn money from home", "no credit check",
                         "remove yourself from this list"] {
    fileinto "Spam/phrases";
    stop;
}
if body :content "text/html" :contains ["<script", "<iframe", "display:none"] {
    fileinto "Spam/html";
    stop;
}
if body :raw :contains ["Content-Type: application/x-msdownload",
                        "name=\"invoice.exe\"", ".scr\""] {
    fileinto "Quarantine";
    stop;
}
if body :text :regex "(viagra|cialis|v1agra|rolex|casino)" {
    fileinto "Spam/products";
    stop;
}
if body :text :regex "\\$[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]{2})?" {
    fileinto "Spam/money";
}
if header :regex "Subject" "^(re|fwd?): *(re|fwd?):" {
    fileinto "Threads/deep";
}
if header :regex "Subject" "[A-Z]{6,}.*!{2,}" {
    fileinto "Spam/shouting";
    stop;
}
if address :regex :domain "From" "[0-9]{3,}\\.(com|net|biz|info)$" {
    fileinto "Spam/numeric-domain";
    stop;
}

# Mailing lists, by List-Id, into one folder per list.
if header :regex "List-Id" "<([a-z0-9-]+)\\.(vger\\.kernel\\.org|lists\\.sourceforge\\.net)>" {
    set :lower "list" "${1}";
    fileinto "Lists/${list}";
    if body :text :contains ["[PATCH", "Signed-off-by:"] {
        fileinto :copy "Lists/patches";
    }
    stop;
}
if header :contains "List-Id" "spamassassin" {
    fileinto "Lists/spamassassin";
    stop;
}
if exists "List-Unsubscribe" {
    if body :text :contains ["unsubscribe", "opt out", "opt-out"] {
        fileinto "Newsletters";
        stop;
    }
}

# Work mail: RAID and storage talk in the body.
if anyof (body :text :regex "md[0-9]+ *: *active",
          body :text :contains ["mdadm", "resync", "degraded array"]) {
    fileinto "Work/storage";
}
if body :text :regex "(bug|issue) *#?[0-9]{3,}" {
    fileinto :copy "Work/bugs";
}

# Receipts and security mail.
if anyof (header :regex "Subject" "(order|invoice|receipt) *#?[0-9]+",
          body :text :regex "order number:? *[A-Z0-9-]{6,}") {
    fileinto "Receipts";
    stop;
}
if body :text :contains ["password", "verify your account", "suspended"] {
    if not address :domain :is "From" ["example.org", "example.com"] {
        fileinto "Spam/phishing";
        stop;
    }
}

# Personal mail to a +detail address goes to that folder.
if envelope :detail :regex "to" "^[a-z]+$" {
    set "detail" "${0}";
    fileinto "Plus/${detail}";
}
