require "include";
include "deep-7";
