require "vacation";
vacation :from "not an address" "I'm away.";
