if header :is "Subject" ["a", "b" {
  reject text:
no end
