require "variables";
set :lowerfirst :upperfirst "a" "b";
