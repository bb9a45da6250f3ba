require "index";
if header :index "1" "Received" "x" { keep; }
