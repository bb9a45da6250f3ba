require "body";
if body :contains "x" "y" { keep; }
