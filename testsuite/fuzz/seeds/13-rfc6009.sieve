# RFC 6009 section 10's example (envelope-dsn, envelope-deliverby,
# redirect-dsn, redirect-deliverby), addresses as in the RFC.
require ["copy", "redirect-deliverby", "date", "variables",
        "relational", "comparator-i;ascii-numeric", "envelope", "envelope-dsn",
        "envelope-deliverby", "redirect-dsn", "fileinto"];

if envelope "notify" "SUCCESS" {
    keep;
}
if allof ( envelope "notify" "FAILURE",
           envelope :comparator "i;ascii-numeric" :count "eq" "notify" "1") {
    keep;
}
if envelope :matches "orcpt" "rfc822;*@example.com" {
    keep;
}
if anyof (envelope :contains "bytimerelative" "-",
          envelope :value "eq" :comparator "i;ascii-numeric" "bytimerelative" "0") {
    keep;
}
if currentdate :matches "iso8601" "*" {
    set "cdate" "${0}";
    if envelope :value "ge" "bytimeabsolute" "${cdate}" {
        keep;
    }
}
if envelope :matches :zone "+0000" "bytimeabsolute" "*T*:*:*" {
    set "bdate" "${0}";
    set "bhour" "${2}";
    if currentdate :zone "+0000" :value "lt" "iso8601" "${bdate}" {
        fileinto "missed-${bhour}";
    }
}
if address "from" "user@example.com" {
    redirect :copy :notify "NEVER" "elsewhere@example.com";
}
if address "from" "user@example.com" {
    redirect :copy :bytimerelative 600 "cellphone@example.com";
}
if currentdate :value "lt" :comparator "i;ascii-numeric" "hour" "22" {
    if currentdate :matches "date" "*" { set "date" "${0}"; }
    if currentdate :matches "zone" "*" { set "zone" "${0}"; }
    redirect :copy :bytimeabsolute "${date}T20:00:00${zone}" :bymode "return"
             "cellphone@example.com";
}
