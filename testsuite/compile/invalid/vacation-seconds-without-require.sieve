require "vacation";
vacation :seconds 60 "I'm away.";
