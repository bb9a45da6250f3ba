require "include";
include "deep-10";
