if header :contains :comparator "i;unicode-casemap" "Subject" "x" { keep; }
