require "date";
if date :zone "+0100" :originalzone :is "date" "hour" "10" { keep; }
