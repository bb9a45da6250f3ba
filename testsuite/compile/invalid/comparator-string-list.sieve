if header :comparator ["i;octet", "i;ascii-casemap"] "Subject" "x" { keep; }
