require "reject";
if header :contains "subject" "buy" {
    reject text:
Line one: 100% bad
Second line, café
.
;
}
