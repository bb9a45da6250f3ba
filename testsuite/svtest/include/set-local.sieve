require "variables";
set "local" "included";
