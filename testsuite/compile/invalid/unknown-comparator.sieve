if header :comparator "i;klingon" :is "Subject" "x" { keep; }
