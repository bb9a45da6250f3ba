require ["envelope", "envelope-dsn"];
if envelope "envid" "x" { keep; }
