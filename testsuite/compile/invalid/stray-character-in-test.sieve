if header :is "Subject" = "x" { keep; }
