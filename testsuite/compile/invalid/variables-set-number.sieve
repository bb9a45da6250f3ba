require "variables";
set "a" 1;
