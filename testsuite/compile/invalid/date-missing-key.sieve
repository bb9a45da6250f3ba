require "date";
if date :is "date" "hour" { keep; }
