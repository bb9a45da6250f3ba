# Structural checks: missing fields, sizes, combinations with not, anyof
# and allof.
require ["copy", "fileinto", "reject"];

if size :over 100K {
    reject "Message too large for this mailbox (limit 100 KB).";
    stop;
}
if not exists ["From", "Date"] {
    fileinto "malformed";
    stop;
}
if allof (not exists "Message-ID", size :under 4K) {
    fileinto "suspicious";
}
if anyof (exists "X-Mailman-Version", exists "List-Unsubscribe") {
    fileinto :copy "has-list-fields";
}
if exists ["In-Reply-To", "References"] {
    fileinto "replies";
} elsif size :over 20K {
    fileinto "large-new";
}
