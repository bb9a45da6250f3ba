require "comparator-i;ascii-numeric";
# Comparator names are compared without regard to case (as Pigeonhole does).
if header :is :comparator "I;OCTET" "Subject" "x" { keep; }
if header :contains :comparator "i;ASCII-Casemap" "Subject" "x" { keep; }
if header :is :comparator "I;Ascii-Numeric" "X-Priority" "1" { keep; }
