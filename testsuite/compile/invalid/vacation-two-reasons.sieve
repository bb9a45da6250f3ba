require "vacation";
vacation "one" "two";
