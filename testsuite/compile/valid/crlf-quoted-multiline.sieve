require "vacation";
vacation :days 7 "Multi-line
quoted string across a CRLF.";
