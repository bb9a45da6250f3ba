require "mboxmetadata";
if metadata "/private/comment" "x" { keep; }
