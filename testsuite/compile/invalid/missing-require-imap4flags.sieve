require "fileinto";
fileinto :flags "\\Seen" "a";
