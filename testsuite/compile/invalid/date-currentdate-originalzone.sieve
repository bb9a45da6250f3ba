require "date";
if currentdate :originalzone :is "hour" "10" { keep; }
