require "relational";
if header :count 3 "Received" "3" { keep; }
