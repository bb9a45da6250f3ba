require "vacation";
vacation :days "7" "I'm away.";
