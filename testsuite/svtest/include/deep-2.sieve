require "include";
include "deep-3";
