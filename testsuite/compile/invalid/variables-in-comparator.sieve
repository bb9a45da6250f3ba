require "variables";
set "c" "i;octet";
if header :comparator "${c}" :is "a" "b" { keep; }
