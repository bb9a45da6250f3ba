require "include";
include "deep-11";
