require ["envelope", "envelope-deliverby"];
if envelope :zone "+01" "bytimeabsolute" "*" { keep; }
