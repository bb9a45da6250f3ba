require "include";
include "nothing";
