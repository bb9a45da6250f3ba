require "vacation";
vacation :fcc "Sent" "I'm away.";
