require ["date", "relational", "fileinto", "vacation"];
# RFC 5260 examples.
if allof(header :is "from" "boss@example.com",
         date :value "ge" :originalzone "date" "hour" "09",
         date :value "lt" :originalzone "date" "hour" "17") {
  fileinto "urgent";
}
if anyof(date :is "received" "weekday" "0",
         date :is "received" "weekday" "6") {
  fileinto "weekend";
}
if allof(currentdate :value "ge" "date" "2026-06-01",
         currentdate :value "le" "date" "2026-06-30") {
  vacation :days 7 "I'm away during June.";
}
if date :zone "-0500" :is "date" "time" "12:00:00" { keep; }
if currentdate :zone "+0100" :matches "iso8601" "2026-*" { keep; }
