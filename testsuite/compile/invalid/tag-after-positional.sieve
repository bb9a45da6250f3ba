if header "Subject" :contains "x" { keep; }
