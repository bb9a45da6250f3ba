require "include";
include "cycle-once-a";
