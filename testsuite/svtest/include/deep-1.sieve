require "include";
include "deep-2";
