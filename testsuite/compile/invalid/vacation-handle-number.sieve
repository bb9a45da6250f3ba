require "vacation";
vacation :handle 1 "I'm away.";
