require "variables";
set "x" "${foo.bar}";
