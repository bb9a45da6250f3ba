require "reject";
reject "one" "two";
