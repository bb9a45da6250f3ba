require "ihave";
# Outside an ihave block an unknown command is still an error.
x_frobnicate;
