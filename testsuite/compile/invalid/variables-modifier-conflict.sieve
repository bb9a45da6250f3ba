require "variables";
set :lower :upper "a" "B";
