require "envelope";
if envelope "notify" "SUCCESS" { discard; }
