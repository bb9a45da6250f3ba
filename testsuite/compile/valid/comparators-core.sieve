if header :is :comparator "i;octet" "Subject" "Exact Case" { keep; }
if header :comparator "i;ascii-casemap" :contains "Subject" "any case" { keep; }
if address :comparator "i;octet" :localpart "from" "Bob" { keep; }
