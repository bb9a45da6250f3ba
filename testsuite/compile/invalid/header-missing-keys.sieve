if header :is "Subject" { keep; }
