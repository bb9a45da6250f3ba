require "x1";
require "x2";
require "x3";
