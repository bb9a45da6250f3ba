if header :comparator "i;octet" :comparator "i;octet" "Subject" "x" { keep; }
