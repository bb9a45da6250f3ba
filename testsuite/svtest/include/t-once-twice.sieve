require "include";
include :once "t-d";
include :once "t-d";
