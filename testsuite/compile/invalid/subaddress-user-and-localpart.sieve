require "subaddress";
if address :user :localpart "to" "x" { keep; }
