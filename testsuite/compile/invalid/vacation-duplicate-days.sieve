require "vacation";
vacation :days 3 :days 4 "I'm away.";
