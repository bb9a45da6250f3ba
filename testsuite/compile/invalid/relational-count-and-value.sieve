require "relational";
if header :count "gt" :value "lt" "X" "3" { keep; }
