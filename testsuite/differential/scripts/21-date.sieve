# Sort by the Date and Received dates (RFC 5260); currentdate only where
# the real clock cannot matter (years long past).
require ["date", "fileinto", "variables", "relational", "comparator-i;ascii-numeric"];
if date :value "lt" :comparator "i;ascii-numeric" "Date" "year" "2005" { fileinto "old"; }
if date :zone "+0000" :is "date" "weekday" ["0", "6"] { fileinto "weekend"; }
# The zone as written: North American offsets ("-0000", a missing or an
# unknown zone read differently by Pigeonhole: README, date-unknown-zone).
if date :originalzone :is "date" "zone" ["-0400", "-0500", "-0600", "-0700", "-0800"] { fileinto "america"; }
if date :zone "-0800" :value "ge" :comparator "i;ascii-numeric" "date" "hour" "18" { fileinto "evening-pst"; }
if date :matches "date" "month" "12" { fileinto "december"; }
if date :is "received" "year" "2023" { fileinto "recv-2023"; }
if date :zone "+0000" :matches "received" "iso8601" "*" { set "r" "${1}"; }
if string :matches "${r}" "2023-*T*Z" { fileinto "recv-2023-utc"; }
if date :zone "+0000" :value "le" :comparator "i;ascii-numeric" "received" "month" "06" { fileinto "recv-first-half"; }
if currentdate :value "gt" :comparator "i;ascii-numeric" "year" "2000" {
    if date :zone "+0100" :matches "date" "date" "*-01-01" { fileinto "new-year"; }
}
if not date :is "date" "julian" "" {
    if date :value "lt" :comparator "i;ascii-numeric" "date" "julian" "55000" { fileinto "before-mjd-55000"; }
}
