# error needs require "ihave" (RFC 5463 5).
error "x";
