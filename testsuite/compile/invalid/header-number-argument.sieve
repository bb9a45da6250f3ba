if header :is "Subject" 5 { keep; }
