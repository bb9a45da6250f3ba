require "vacation";
if header :contains "Subject" "urgent" {
    vacation :days 1 "I will read it on Monday.";
}
vacation :days 7 "I am away.";
