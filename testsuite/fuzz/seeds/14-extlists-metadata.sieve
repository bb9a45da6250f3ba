require ["envelope", "extlists", "fileinto", "relational", "comparator-i;ascii-numeric", "variables", "date", "subaddress", "index", "reject", "mboxmetadata", "servermetadata", "vnd.dovecot.debug", "vnd.dovecot.environment"];
if envelope :list "from" ":addrbook:default" {
    set "lim" "8";
} else {
    set "lim" "3";
}
if valid_ext_list "tag:example.com,2010-05-28:mylist" {
    keep;
}
if currentdate :list "date" "tag:example.com,2011-01-01:localHolidays" {
    fileinto "Holidays";
}
if allof (envelope :detail "to" "mylist",
          header :list "from" "tag:example.com,2010-05-28:mylist") {
    redirect :list "tag:example.com,2010-05-28:mylist";
}
if header :index 1 :matches "received" "*(* [*.*.*.*])*" {
    set "ip" "${3}.${4}.${5}.${6}";
    if string :list "${ip}" "tag:example.com,2011-04-10:DisallowedIPs" {
        reject "Message not allowed from this IP address";
    }
}
if metadata :is "INBOX" "/private/vendor/example/filing" "archive" {
    fileinto "Archive";
}
if metadataexists "INBOX" ["/private/comment", "/shared/comment"] {
    keep;
}
if servermetadata :matches "/shared/admin" "mailto:*" {
    set "admin" "${1}";
}
if allof (servermetadataexists "/private/vendor/example/spam-level",
          servermetadata :value "ge" :comparator "i;ascii-numeric"
              "/private/vendor/example/spam-level" "5") {
    fileinto "Junk";
}
debug_log "${env.vnd.dovecot.username}";
