require "variables";
if string :is "a" { keep; }
