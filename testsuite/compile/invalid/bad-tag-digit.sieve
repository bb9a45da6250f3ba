if header :1is "Subject" "x" { keep; }
