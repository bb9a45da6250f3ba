require "reject";
if header :contains "Subject" "lottery" {
  reject text:
Your message looks like a lottery scam.
It was not delivered.
.
;
}
