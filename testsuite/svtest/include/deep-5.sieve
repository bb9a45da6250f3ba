require "include";
include "deep-6";
