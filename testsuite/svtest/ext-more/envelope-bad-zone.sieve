require ["envelope", "envelope-deliverby"];
if envelope :zone "0100" "bytimeabsolute" "*" { discard; }
