if header : "Subject" "x" { keep; }
