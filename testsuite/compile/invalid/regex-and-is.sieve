require "regex";
if header :regex :is "Subject" "x" { keep; }
