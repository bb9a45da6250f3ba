if header :comparator 1 "Subject" "x" { keep; }
