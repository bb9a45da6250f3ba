require "include";
include "deep-4";
