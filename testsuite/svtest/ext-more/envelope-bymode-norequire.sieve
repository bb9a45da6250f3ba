require ["envelope", "envelope-dsn"];
if envelope "bymode" "return" { discard; }
