require "index";
if header :index 0 "Received" "x" { keep; }
