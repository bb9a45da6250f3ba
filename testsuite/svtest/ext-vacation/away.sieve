require "vacation";
vacation :days 7 :subject "Away" "I am away this week.";
