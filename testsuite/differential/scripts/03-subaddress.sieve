# Plus-addressing (RFC 5233): the detail of the envelope recipient picks the
# folder; a few details are handled specially.
require ["copy", "fileinto", "envelope", "subaddress", "variables"];

if envelope :detail :is "to" ["linux-raid", "open-iscsi"] {
    fileinto "kernel";
} elsif envelope :detail :matches "to" "*" {
    if string :is "${1}" "" {
        fileinto "detail-empty";
    } else {
        fileinto "detail.${1}";
    }
} elsif envelope :user :is "to" ["yyyy", "zzzz"] {
    fileinto "personal";
}
if address :user :is ["to", "cc"] "lists" {
    fileinto :copy "to-lists";
}
if address :detail :contains "from" "bounce" {
    fileinto "bounces";
}
