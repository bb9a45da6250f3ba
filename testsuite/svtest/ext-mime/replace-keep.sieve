require "replace";
replace "new body";
