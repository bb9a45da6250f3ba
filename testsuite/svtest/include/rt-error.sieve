require "ihave";
error "included script failed";
