require "relational";
if header :value "X-Priority" "3" { keep; }
