# POSIX extended regular expressions with captures into folder names.
require ["copy", "fileinto", "regex", "variables"];

if header :regex "Subject" "^\\[PATCH( v([0-9]+))?( [0-9]+/[0-9]+)?\\]" {
    if string :is "${2}" "" {
        fileinto "patches.v1";
    } else {
        fileinto "patches.v${2}";
    }
    stop;
}
if header :regex :comparator "i;ascii-casemap" "Subject" "^(re|aw|fwd?): *(.*)$" {
    set "topic" "${2}";
    if string :regex "${topic}" "[0-9]{4,}" {
        fileinto "replies.numbered";
    }
}
if address :regex :domain "from" "^(mail|smtp|mx)[0-9]*\\." {
    fileinto "from-mailhost";
}
if header :regex "Message-ID" "^<[0-9a-f]{8,}[.@]" {
    fileinto :copy "hex-ids";
}
