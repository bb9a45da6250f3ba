require "vacation";
if header :contains "subject" "hello" {
    vacation :days 3 "I am away";
}
