if header :is "Subject" "never closed
