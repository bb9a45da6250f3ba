require "include";
include :once "once-target";
