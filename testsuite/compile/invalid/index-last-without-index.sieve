require "index";
if header :last :is "Received" "x" { keep; }
