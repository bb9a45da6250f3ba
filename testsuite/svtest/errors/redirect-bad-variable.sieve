require "variables";
set "target" "not a valid address";
redirect "${target}";
