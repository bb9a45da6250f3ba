require "comparator-i;ascii-numeric";
if header :contains :comparator "i;ascii-numeric" "X-Priority" "1" { keep; }
