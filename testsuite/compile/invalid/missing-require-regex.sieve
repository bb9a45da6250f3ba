if header :regex "Subject" "^x" { keep; }
