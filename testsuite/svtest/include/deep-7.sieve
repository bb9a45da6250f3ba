require "include";
include "deep-8";
