require "index";
if exists :index 1 "X" { keep; }
