require "variables";
set :lower :upper "name" "Value";
