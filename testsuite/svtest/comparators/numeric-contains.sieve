require "comparator-i;ascii-numeric";
if header :contains :comparator "i;ascii-numeric" "X-Score" "1" {
	discard;
}
