require "servermetadata";
if servermetadata :count "eq" "/private/x" "1" { keep; }
