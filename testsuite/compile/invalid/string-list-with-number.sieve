if header :is "Subject" ["a", 1] { keep; }
