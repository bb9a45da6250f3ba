require "vacation";
vacation :addresses 1 "x";
