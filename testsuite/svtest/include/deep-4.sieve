require "include";
include "deep-5";
