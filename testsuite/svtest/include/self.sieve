require "include";
include "self";
