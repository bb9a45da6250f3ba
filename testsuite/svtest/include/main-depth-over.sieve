require "include";
include "deep-1";
