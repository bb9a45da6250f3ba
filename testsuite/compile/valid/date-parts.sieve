require ["date", "variables"];
if currentdate :matches "year" "*" { set "year" "${1}"; }
if date :is "date" "month" "12" { keep; }
if date :is "date" "day" "25" { keep; }
if date :is "date" "julian" "60000" { keep; }
if date :is "date" "minute" "00" { keep; }
if date :is "date" "second" "00" { keep; }
if date :is "date" "std11" "x" { keep; }
if date :is "date" "zone" "+0000" { keep; }
if date :is "date" "iso8601" "x" { keep; }
if date :is "date" "date" "x" { keep; }
if date :is "date" "time" "x" { keep; }
if date :is "date" "weekday" "1" { keep; }
if date :is "date" "hour" "1" { keep; }
