require "vacation";
vacation :subject ["a", "b"] "I'm away.";
