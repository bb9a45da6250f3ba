require "include";
include "discard";
