# vera is away: one reply per sender per week (RFC 5230).
require "vacation";
vacation :days 7 :subject "Out of office" "I am away until Monday.";
