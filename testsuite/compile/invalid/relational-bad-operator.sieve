require "relational";
if header :value "greater" "X-Priority" "3" { keep; }
