require "include";
return 1;
