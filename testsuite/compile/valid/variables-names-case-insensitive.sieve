require "variables";
set "ABC" "x";
if string "${abc}" "x" { keep; }
