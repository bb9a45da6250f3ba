# RFC 6131 2: a period of 0 seconds means a reply every time.
require "vacation-seconds";
vacation :seconds 0 "Auto-answer.";
