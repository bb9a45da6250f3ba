require "variables";
set "" "x";
