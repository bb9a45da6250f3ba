require "variables";
set "nosuchnamespace.name" "value";
