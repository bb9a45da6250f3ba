if header :comparator :is "Subject" "x" { keep; }
