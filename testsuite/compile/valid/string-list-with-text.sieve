if header :contains "Subject" ["a", text:
b
.
, "c"] { keep; }
