require "variables";
set "1abc" "value";
