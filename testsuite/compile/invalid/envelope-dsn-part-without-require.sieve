require "envelope";
if envelope "orcpt" "rfc822;a@example.com" { keep; }
