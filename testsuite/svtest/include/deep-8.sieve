require "include";
include "deep-9";
