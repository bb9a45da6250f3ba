# RFC 6134 section 3's examples (extlists), lightly adapted to one script.
require ["envelope", "extlists", "fileinto", "relational", "comparator-i;ascii-numeric",
         "variables", "date", "subaddress", "index", "reject"];
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
