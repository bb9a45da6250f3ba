if header :is "Subject" ["a", "b",] { keep; }
