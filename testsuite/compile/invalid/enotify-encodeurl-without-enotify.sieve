require "variables";
set :encodeurl "a" "b c";
