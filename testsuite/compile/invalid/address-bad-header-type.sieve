if address :is 1 "x" { keep; }
