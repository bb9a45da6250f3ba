require "comparator-i;ascii-numeric";
if header :matches :comparator "i;ascii-numeric" "X-Score" "1*" {
	discard;
}
