if header :is :is "Subject" "x" { keep; }
